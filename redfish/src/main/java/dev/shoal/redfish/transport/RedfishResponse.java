package dev.shoal.redfish.transport;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpHeaders;
import java.util.Optional;

/** A successful answer: status, headers and the JSON body (an empty object when the BMC sent none). */
public record RedfishResponse(int status, HttpHeaders headers, JsonNode body) {
    /** The resource's ETag from the header or {@code @odata.etag}; empty ETags are treated as absent. */
    public Optional<String> etag() {
        Optional<String> h = headers.firstValue("ETag").filter(e -> !e.isBlank() && !e.equals("\"\"") && !e.equals("W/\"\""));
        if (h.isPresent()) {
            return h;
        }
        JsonNode e = body.path("@odata.etag");
        return e.isTextual() && !e.asText().isBlank() && !e.asText().equals("\"\"") ? Optional.of(e.asText()) : Optional.empty();
    }

    /** The methods the resource accepts, from its {@code Allow} header. */
    public boolean allows(String method) {
        return headers.allValues("Allow").stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .anyMatch(m -> m.strip().equalsIgnoreCase(method));
    }
}
