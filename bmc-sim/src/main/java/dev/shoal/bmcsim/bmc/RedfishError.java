package dev.shoal.bmcsim.bmc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.http.HttpReply;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Redfish error answer, thrown from wherever a request is refused: the status, the DMTF error body
 * ({@code {"error": {"code", "message", "@Message.ExtendedInfo": [...]}}}) and any extra headers.
 */
public final class RedfishError extends RuntimeException {
    private final int status;
    private final ObjectNode body;
    private final Map<String, String> headers;

    public RedfishError(int status, ObjectNode body) {
        this(status, body, Map.of());
    }

    public RedfishError(int status, ObjectNode body, Map<String, String> headers) {
        super(status + " " + body.path("error").path("message").asText(), null, false, false);
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public ObjectNode body() {
        return body;
    }

    public RedfishError withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new RedfishError(status, body, h);
    }

    /** The same error with another status: vendors answer the same complaint with different codes. */
    public RedfishError withStatus(int newStatus) {
        return new RedfishError(newStatus, body, headers);
    }

    public HttpReply reply() {
        HttpReply r = HttpReply.json(status, body);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }
}
