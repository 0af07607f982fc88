package dev.shoal.redfish.quirks;

/**
 * AMI MegaRAC (ASRockRack and others). A boot PATCH must carry BootSourceOverrideMode, -Enabled and -Target
 * together; the boot sequence always sends all three, so the profile itself is generic.
 */
final class Ami {
    private Ami() {
    }

    static QuirkProfile profile() {
        return QuirkProfile.generic(Vendor.AMI);
    }
}
