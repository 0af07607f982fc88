package dev.shoal.bmcsim.bmc;

/** ComputerSystem.PowerState as Redfish spells it; the transitional values show while a power change runs. */
public enum PowerState {
    ON("On"), OFF("Off"), POWERING_ON("PoweringOn"), POWERING_OFF("PoweringOff");

    private final String redfish;

    PowerState(String redfish) {
        this.redfish = redfish;
    }

    public String redfish() {
        return redfish;
    }
}
