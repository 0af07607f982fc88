package dev.shoal.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

final class ErrorBodies {
    static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBodies() {
    }

    /** Asserts the status and that the body is the spec's error body with {@code code}. */
    static JsonNode assertError(HttpResponse<byte[]> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        JsonNode err = body.get("errors").get(0);
        assertThat(err.get("code").asText()).isEqualTo(code);
        assertThat(err.get("message").asText()).isNotEmpty();
        assertThat(err.has("detail")).isTrue();
        return err;
    }
}
