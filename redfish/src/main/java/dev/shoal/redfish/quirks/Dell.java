package dev.shoal.redfish.quirks;

import dev.shoal.redfish.transport.TransportQuirks;

/**
 * Dell iDRAC 9 and 10. Answers it gives while busy, all retried:
 * - SYS518 ("iDRAC is not ready") for a while after resets and configuration jobs: 503 (retried as any 5xx)
 *   or, on some firmware, 404;
 * - 409 to a power-on that follows a power-off too closely (iDRAC10);
 * - 500 to InsertMedia while a previous EjectMedia still runs (5xx is always retried).
 * Not retried: 500 VRM0009 to an eject of a slot that holds nothing.
 * {@code Inserted} stays true for a while after an eject, so the boot sequence never trusts it.
 * iDRAC10 keeps VirtualMedia only under Systems and boot settings in a {@code @Redfish.Settings} resource;
 * both are handled by the generic discovery (System first) and boot code (Settings when present).
 */
final class Dell {
    private Dell() {
    }

    static QuirkProfile profile() {
        return QuirkProfile.generic(Vendor.DELL).withTransport(new TransportQuirks(true, false,
                (method, path, e) -> (e.status() == 404 && e.hasMessageId("SYS518"))
                        || (e.status() == 409 && path.contains("ComputerSystem.Reset")),
                (method, path, e) -> e.hasMessageId("VRM0009")));
    }
}
