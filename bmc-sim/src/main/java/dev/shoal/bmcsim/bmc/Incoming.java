package dev.shoal.bmcsim.bmc;

import java.util.Map;

/**
 * A request as the Redfish service sees it, free of Jetty types: method, decoded path (no query),
 * headers with lower-case names (first value of each), and the raw body.
 */
public record Incoming(String method, String path, Map<String, String> headers, byte[] body) {
    public Incoming {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
