package dev.shoal.bmcsim.bmc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.http.Json;

/**
 * Error bodies copied verbatim from real BMCs (sushy's samples; see redfish-errors/NOTICE.md), with
 * only the action URI replaced by the one the client called, so clients see the exact bytes they
 * must cope with.
 */
public final class Fixtures {
    private static final String[] SAMPLE_URIS = {
            "/redfish/v1/Managers/Self/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia",
            "/redfish/v1/Managers/BMC/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia",
    };

    private Fixtures() {
    }

    public static RedfishError error(String fixture, String actionUri) {
        String text = Json.string(Json.resource("/dev/shoal/bmcsim/redfish-errors/" + fixture));
        for (String sample : SAMPLE_URIS) {
            text = text.replace(sample, actionUri);
        }
        ObjectNode body = (ObjectNode) Json.tryParse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
        return new RedfishError(400, body);
    }
}
