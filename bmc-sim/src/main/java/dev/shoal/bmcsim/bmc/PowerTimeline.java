package dev.shoal.bmcsim.bmc;

import java.time.Duration;

/**
 * Where a system stands in its power history, for quirks that depend on it (iLO refusing boot changes
 * while the server POSTs, iDRAC 10 refusing power-on right after a power-off).
 *
 * @param sincePowerOn  time since the system last finished powering on; null when it is not on
 * @param sincePowerOff time since the system last finished powering off; null when it is not off
 */
public record PowerTimeline(PowerState power, Duration sincePowerOn, Duration sincePowerOff) {
    public boolean onFor(Duration atMost) {
        return sincePowerOn != null && sincePowerOn.compareTo(atMost) < 0;
    }

    public boolean offFor(Duration atMost) {
        return sincePowerOff != null && sincePowerOff.compareTo(atMost) < 0;
    }
}
