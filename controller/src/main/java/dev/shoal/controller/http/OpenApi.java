package dev.shoal.controller.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The published OpenAPI 3.1 document ({@code /api/v1/openapi.json}), kept beside the code it describes. */
public final class OpenApi {
    public static final String PATH = "/api/v1/openapi.json";

    private OpenApi() {
    }

    public static JsonNode document() {
        try (InputStream in = OpenApi.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the build");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void addRoute(Router router) {
        JsonNode doc = document();
        router.add("GET", PATH, r -> ApiResponse.ok(doc));
    }
}
