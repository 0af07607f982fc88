package dev.shoal.bmcsim.machine;

/**
 * What sits behind a simulated BMC: the "server" that boots. The simulator calls it on a virtual thread
 * of its own, after the power-on (or reset) has completed, so a machine may take as long as it likes
 * (run an agent, start a VM) without holding up the BMC's Redfish service.
 */
public interface Machine {
    /** The system came up (power on, or a reset of a running system). */
    void boot(BootContext context);

    /** The system lost power (ForceOff, GracefulShutdown, admin reset). A machine stops what it runs. */
    default void poweredOff(String bmcName) {
    }
}
