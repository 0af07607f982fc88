package dev.shoal.controller.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** An endpoint's answer: status, JSON body and any extra headers (e.g. Location). */
public record ApiResponse(int status, JsonNode body, Map<String, String> headers) {
    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse of(int status, JsonNode body) {
        return new ApiResponse(status, body, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        var h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, body, Map.copyOf(h));
    }
}
