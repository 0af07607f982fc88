package dev.shoal.bmcsim.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: status, headers and an optional JSON body. Built first and written once, so
 * the request log can record the status that actually went out.
 */
public record HttpReply(int status, Map<String, String> headers, JsonNode body, boolean gzip) {
    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply json(int status, JsonNode body) {
        return new HttpReply(status, Map.of(), body, false);
    }

    public static HttpReply empty(int status) {
        return new HttpReply(status, Map.of(), null, false);
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, h, body, gzip);
    }

    /** Send the body gzip-compressed (Content-Encoding: gzip), as iLO does unasked. */
    public HttpReply gzipped() {
        return new HttpReply(status, headers, body, true);
    }
}
