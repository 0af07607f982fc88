package dev.shoal.redfish.quirks;

import dev.shoal.redfish.transport.TransportQuirks;

/**
 * HPE iLO 5/6. iLO answers {@code Accept-Encoding: identity} with 406, so it is not sent. While the server
 * is powering on or in POST, changes answer 400 InvalidOperationForSystemState or
 * UnableToModifyDuringSystemPOST: retried. EjectMedia needs a JSON body ({@code {}}), which every
 * action POST here carries.
 */
final class Hpe {
    private Hpe() {
    }

    static QuirkProfile profile() {
        return QuirkProfile.generic(Vendor.HPE).withTransport(new TransportQuirks(false, false, (method, path, e) ->
                e.status() == 400 && (e.hasMessageId("InvalidOperationForSystemState")
                        || e.hasMessageId("UnableToModifyDuringSystemPOST"))));
    }
}
