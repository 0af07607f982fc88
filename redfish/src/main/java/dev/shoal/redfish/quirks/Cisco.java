package dev.shoal.redfish.quirks;

import java.util.List;

/**
 * Cisco CIMC. Slots for ISOs say MediaTypes DVD (not CD), and some slots are mapped to the KVM console only:
 * InsertMedia on them answers 400 or 405, so the boot sequence moves on to the next candidate slot.
 */
final class Cisco {
    private Cisco() {
    }

    static QuirkProfile profile() {
        return QuirkProfile.generic(Vendor.CISCO).withCdMediaTypes(List.of("DVD", "CD"));
    }
}
