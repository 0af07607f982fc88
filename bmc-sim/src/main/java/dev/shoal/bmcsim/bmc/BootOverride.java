package dev.shoal.bmcsim.bmc;

import java.util.Objects;

/** ComputerSystem.Boot's override, in Redfish's own spelling ("Once", "Cd", "UEFI"): vendors differ in values. */
public record BootOverride(String enabled, String target, String mode) {
    public static final BootOverride DEFAULT = new BootOverride("Disabled", "None", "UEFI");

    public BootOverride {
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
    }
}
