package dev.shoal.bmcsim.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.media.TrustAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small Redfish client for tests: the JDK HttpClient, Basic or session auth, JSON in and out. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .sslContext(TrustAll.context()).version(HttpClient.Version.HTTP_1_1).build();

    public record Resp(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            return body.isEmpty() ? MissingNode.getInstance() : Json.tryParse(body.getBytes(StandardCharsets.UTF_8)).orElseThrow(
                    () -> new AssertionError("not JSON: " + body));
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The first MessageId of a DMTF error body. */
        public String messageId() {
            return json().path("error").path("@Message.ExtendedInfo").path(0).path("MessageId").asText(null);
        }

        public String message() {
            return json().path("error").path("message").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final URI base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Http(URI base) {
        this.base = base;
    }

    public static Http to(URI base) {
        return new Http(base);
    }

    public Http basic(Credentials c) {
        headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public Http token(String token) {
        headers.remove("Authorization");
        headers.put("X-Auth-Token", token);
        return this;
    }

    public Http header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Resp get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Resp post(String path, Object json) {
        return send("POST", path, json, Map.of());
    }

    public Resp patch(String path, Object json) {
        return send("PATCH", path, json, Map.of());
    }

    public Resp patch(String path, Object json, Map<String, String> extra) {
        return send("PATCH", path, json, extra);
    }

    public Resp delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /** {@code json} is a JsonNode, a String of JSON, or null for no body. */
    public Resp send(String method, String path, Object json, Map<String, String> extra) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        extra.forEach(b::header);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = json instanceof JsonNode n ? Json.string(n) : json.toString();
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = r.body();
            if (r.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
                try (var z = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                    body = z.readAllBytes();
                }
            }
            return new Resp(r.statusCode(), r.headers(), new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base.resolve(path) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Same as {@link #send} but returns the IOException instead of throwing (for drop/down faults). */
    public IOException failure(String method, String path) {
        try {
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
            headers.forEach(b::header);
            b.method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
            HttpResponse<String> r = fresh.send(b.build(), HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("expected no answer, got " + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String text) {
        return Json.tryParse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow(() -> new IllegalArgumentException(text));
    }
}
