package dev.shoal.bmcsim.personality;

import java.util.List;

/**
 * A virtual-media slot a personality offers.
 *
 * @param kvmOnly the slot belongs to the KVM console (Cisco CIMC): InsertMedia through Redfish is refused
 */
public record SlotSpec(String id, String name, List<String> mediaTypes, boolean kvmOnly) {
    public SlotSpec {
        mediaTypes = List.copyOf(mediaTypes);
    }

    public static SlotSpec of(String id, String name, String... mediaTypes) {
        return new SlotSpec(id, name, List.of(mediaTypes), false);
    }

    public boolean cdType() {
        return mediaTypes.contains("CD") || mediaTypes.contains("DVD");
    }
}
