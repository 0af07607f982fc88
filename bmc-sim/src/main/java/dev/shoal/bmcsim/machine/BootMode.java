package dev.shoal.bmcsim.machine;

/** Firmware mode of a boot, from BootSourceOverrideMode. */
public enum BootMode {
    UEFI, LEGACY;

    public static BootMode fromRedfish(String value) {
        return "Legacy".equalsIgnoreCase(value) ? LEGACY : UEFI;
    }
}
