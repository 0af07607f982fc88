package dev.shoal.bmcsim.machine;

import java.util.Map;
import java.util.Objects;

/**
 * One boot as the machine sees it: which BMC, the device it boots from, the media inserted at that
 * moment (slot id to image URL, in slot order) and the firmware mode.
 */
public record BootContext(String bmcName, BootSource source, Map<String, String> media, BootMode mode) {
    public BootContext {
        Objects.requireNonNull(bmcName, "bmcName");
        Objects.requireNonNull(source, "source");
        media = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(media));
        Objects.requireNonNull(mode, "mode");
    }
}
