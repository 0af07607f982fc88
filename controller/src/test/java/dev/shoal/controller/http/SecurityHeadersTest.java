package dev.shoal.controller.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/** Every answer, success or error, from any handler or from Jetty itself, carries the security headers and a JSON error body. */
class SecurityHeadersTest {
    @TempDir
    static Path root;
    static TestController c;
    static String jobId;

    @BeforeAll
    static void start() throws Exception {
        c = TestController.local(root);
        HttpResponse<String> r = c.post("/api/v1/jobs", JobBodies.image());
        assertThat(r.statusCode()).isEqualTo(201);
        jobId = Json.parse(r.body()).path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
    }

    record Call(String method, String path, boolean auth, String contentType, String body) {
        HttpRequest request() {
            HttpRequest.Builder b = HttpRequest.newBuilder(c.uri(path.replace("{job}", jobId)));
            if (auth) {
                b.header("Authorization", c.authorization());
            }
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        }
    }

    static Arguments call(String name, int status, String method, String path, boolean auth, String contentType, String body) {
        return argumentSet(name, status, new Call(method, path, auth, contentType, body));
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                call("200 job list", 200, "GET", "/api/v1/jobs", true, null, null),
                call("200 one job", 200, "GET", "/api/v1/jobs/{job}", true, null, null),
                call("200 events", 200, "GET", "/api/v1/jobs/{job}/events", true, null, null),
                call("201 created", 201, "POST", "/api/v1/jobs", true, "application/json", JobBodies.image("10.0.0.77")),
                call("401 no credentials", 401, "GET", "/api/v1/jobs", false, null, null),
                call("401 no credentials on POST", 401, "POST", "/api/v1/jobs", false, "application/json", JobBodies.image()),
                call("404 unknown job", 404, "GET", "/api/v1/jobs/nonexistent", true, null, null),
                call("404 unrouted API path", 404, "GET", "/api/v1/nope", true, null, null),
                call("404 unrouted path", 404, "GET", "/nope", false, null, null),
                call("404 under a probe path", 404, "GET", "/healthz/deeper", false, null, null),
                call("405 DELETE jobs", 405, "DELETE", "/api/v1/jobs", true, null, null),
                call("405 POST healthz", 405, "POST", "/healthz", false, "application/json", "{}"),
                call("400 bad limit", 400, "GET", "/api/v1/jobs?limit=0", true, null, null),
                call("400 malformed JSON", 400, "POST", "/api/v1/jobs", true, "application/json", "{"),
                call("400 invalid job", 400, "POST", "/api/v1/jobs", true, "application/json", "{}"),
                call("415 not JSON", 415, "POST", "/api/v1/jobs", true, "text/plain", "x"),
                call("200 openapi", 200, "GET", "/api/v1/openapi.json", false, null, null),
                call("200 healthz", 200, "GET", "/healthz", false, null, null),
                call("200 readyz", 200, "GET", "/readyz", false, null, null),
                call("200 metrics", 200, "GET", "/metrics", false, null, null),
                call("200 HEAD healthz", 200, "HEAD", "/healthz", false, null, null));
    }

    static void assertSecurityHeaders(HttpHeaders h, String what) {
        assertThat(h.firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
        assertThat(h.firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(h.firstValue("Content-Security-Policy")).as(what)
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'").contains("frame-ancestors 'none'"));
        assertThat(h.firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
        assertThat(h.firstValue("Server")).as(what).isEmpty();
        assertThat(h.firstValue("X-Powered-By")).as(what).isEmpty();
        // plain HTTP: HSTS would be meaningless
        assertThat(h.firstValue("Strict-Transport-Security")).as(what).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("responses")
    void everyResponseCarriesTheSecurityHeaders(int status, Call call) throws Exception {
        HttpResponse<String> r = c.send(call.request());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertSecurityHeaders(r.headers(), call.method() + " " + call.path());
        assertThat(r.headers().allValues("X-Content-Type-Options")).hasSize(1);
        if (call.path().startsWith("/api/")) {
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        if (status >= 400) {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode error = Json.parse(r.body()).path("error");
            assertThat(error.path("code").asText()).isNotBlank();
            assertThat(error.path("message").asText()).isNotBlank();
        }
    }

    @Test
    void unroutedPathsAnswerJson404() throws Exception {
        for (String path : List.of("/nope", "/", "/index.html", "/healthz/x", "/api", "/metrics/x")) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri(path)).GET().build());
            assertThat(r.statusCode()).as(path).isIn(401, 404);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode error = Json.parse(r.body()).path("error");
            assertThat(error.path("code").asText()).as(path).isEqualTo(r.statusCode() == 404 ? "not_found" : "unauthorized");
            assertSecurityHeaders(r.headers(), path);
        }
        HttpResponse<String> nope = c.send(HttpRequest.newBuilder(c.uri("/nope")).GET().build());
        assertThat(nope.statusCode()).isEqualTo(404);
        assertThat(Json.parse(nope.body()).path("error").path("message").asText()).contains("/nope");
    }

    // ---- requests Jetty refuses before any handler runs ----

    record Raw(int status, Map<String, String> headers, String body) {
    }

    /** Sends bytes as they are and reads one response (the connection is closed by the request or by Jetty). */
    static Raw raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", c.app().port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] bytes = readResponse(s.getInputStream());
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(text).as("a response to %s", request.lines().findFirst().orElse("")).startsWith("HTTP/1.1 ");
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).isPositive();
            Map<String, String> headers = new LinkedHashMap<>();
            List<String> lines = text.substring(0, end).lines().toList();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            return new Raw(Integer.parseInt(text.substring(9, 12)), headers, text.substring(end + 4));
        }
    }

    static byte[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) != -1 && out.size() < (1 << 20); ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // keep-alive: what arrived is the response
        }
        return out.toByteArray();
    }

    static void assertJsonError(Raw r, String what) {
        assertThat(r.status()).as(what).isBetween(400, 599);
        assertThat(r.headers().get("content-type")).as(what).startsWith("application/json");
        JsonNode error = Json.parse(r.body()).path("error");
        assertThat(error.path("code").asText()).as(what).isNotBlank();
        assertThat(error.path("message").asText()).as(what).isNotBlank();
        assertThat(r.headers()).as(what).doesNotContainKey("server");
        // Jetty answers these without running the handler chain; the error handler adds the headers itself
        assertThat(r.headers()).as(what).containsEntry("x-content-type-options", "nosniff")
                .containsEntry("x-frame-options", "DENY").containsEntry("referrer-policy", "no-referrer")
                .containsKey("content-security-policy");
        assertThat(r.headers().get("cache-control")).as(what).contains("no-store");
    }

    @Test
    void badHttpVersionIsAJsonErrorThatDoesNotBlameTheController() throws Exception {
        Raw r = raw("GET /healthz HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(r.status()).isEqualTo(505);
        assertJsonError(r, "HTTP/9.9");
        // the client's mistake, not "the controller failed to handle this request"
        assertThat(Json.parse(r.body()).path("error").path("code").asText()).isNotEqualTo("internal_error");
    }

    @Test
    void oversizedHeaderIsAJsonError() throws Exception {
        Raw r = raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");

        assertThat(r.status()).isEqualTo(431);
        assertJsonError(r, "oversized header");
        assertThat(Json.parse(r.body()).path("error").path("code").asText()).isEqualTo("request_header_fields_too_large");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GARBAGE\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", // HTTP/1.1 without Host
            "GET /api/v1/jobs/a%2Fb HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", // ambiguous encoded slash
            "GET /api/v1/jobs/%2e%2e/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\nConnection: close\r\n\r\n"})
    void malformedRequestsAreJson400s(String request) throws Exception {
        Raw r = raw(request);

        assertThat(r.status()).isEqualTo(400);
        assertJsonError(r, request.lines().findFirst().orElseThrow());
    }

    @Test
    void badQueryEncodingIsA400NotAServerError() throws Exception {
        Raw r = raw("GET /api/v1/jobs?limit=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: "
                + c.authorization() + "\r\n\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(Json.parse(r.body()).path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(r.headers()).containsEntry("x-content-type-options", "nosniff").containsEntry("cache-control", "no-store");

        Raw notUtf8 = raw("GET /api/v1/jobs/" + jobId + "/events?after=%C3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: " + c.authorization() + "\r\n\r\n");
        assertThat(notUtf8.status()).isEqualTo(400);
    }
}
