package dev.shoal.controller.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Probes and metrics: open, JSON (probes) or Prometheus text (metrics), and honest about a stopped controller. */
class HealthTest {
    static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*})? (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[+-]Inf)");

    @TempDir
    static Path root;
    static TestController c;

    @BeforeAll
    static void start() throws Exception {
        c = TestController.local(root);
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
    }

    static HttpResponse<String> open(String path) throws Exception {
        return c.send(HttpRequest.newBuilder(c.uri(path)).GET().build());
    }

    @Test
    void healthzIsOpenAndOk() throws Exception {
        HttpResponse<String> r = open("/healthz");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.parse(r.body()).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyzReportsEachCheck() throws Exception {
        HttpResponse<String> r = open("/readyz");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = Json.parse(r.body());
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("checks").path("database").asText()).isEqualTo("ok");
        assertThat(body.path("checks").path("migrations").asText()).isEqualTo("ok");
        assertThat(body.path("checks").path("shutdown").asText()).isEqualTo("no");
    }

    @Test
    void probesIgnoreCredentialsAndAnswerHead() throws Exception {
        // a probe sending stale credentials still gets an answer: probes are never authenticated
        HttpResponse<String> withWrongAuth = c.send(HttpRequest.newBuilder(c.uri("/readyz"))
                .header("Authorization", TestController.basic("nobody", "wrong")).GET().build());
        assertThat(withWrongAuth.statusCode()).isEqualTo(200);

        HttpResponse<String> head = c.send(HttpRequest.newBuilder(c.uri("/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    /** GET over a fresh connection that is closed after the answer; empty when nothing listens. */
    static Optional<Integer> status(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 ");
            return Optional.of(Integer.parseInt(response.substring(9, 12)));
        } catch (ConnectException e) {
            return Optional.empty(); // connection refused: the listener is gone, which is the strongest "not ready"
        }
    }

    @Test
    void aClosedControllerIsNotReady(@TempDir Path otherRoot) throws Exception {
        TestController other = TestController.local(otherRoot);
        int port = other.app().port();
        try {
            assertThat(status(port, "/readyz")).hasValue(200);
        } finally {
            other.app().close();
        }

        assertThat(status(port, "/readyz")).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).hasValue(503));
        // closing again is harmless, and the first controller is unaffected
        other.close();
        assertThat(status(c.app().port(), "/readyz")).hasValue(200);
    }

    @Test
    void metricsArePrometheusTextWithRouteTemplatesNotIds() throws Exception {
        HttpResponse<String> created = c.post("/api/v1/jobs", JobBodies.image());
        assertThat(created.statusCode()).isEqualTo(201);
        String id = Json.parse(created.body()).path("id").asText();
        assertThat(c.get("/api/v1/jobs/" + id).statusCode()).isEqualTo(200);
        String unknown = UUID.randomUUID().toString();
        assertThat(c.get("/api/v1/jobs/" + unknown).statusCode()).isEqualTo(404);
        assertThat(open("/nope-" + unknown).statusCode()).isEqualTo(404);

        // requests are recorded when they complete, which can be just after the client has its answer
        String text = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            HttpResponse<String> m = open("/metrics");
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            return m.body();
        }, body -> body.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("route=\"/api/v1/jobs/{id}\"") && l.contains("status=\"404\"")));

        List<String> samples = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(samples).hasSizeGreaterThan(20).allSatisfy(l -> assertThat(l).matches(SAMPLE));
        assertThat(text).contains("# TYPE http_server_requests_seconds ");
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("http_server_requests_seconds_count{")
                .contains("method=\"GET\"", "route=\"/api/v1/jobs/{id}\"", "status=\"200\""));
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("http_server_requests_seconds_count{")
                .contains("method=\"POST\"", "route=\"/api/v1/jobs\"", "status=\"201\""));
        // ids and unrouted paths never become label values: they would grow the series without bound
        assertThat(text).doesNotContain(id).doesNotContain(unknown);
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("jvm_memory_used_bytes{"));
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("hikaricp_connections{"));
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("hikaricp_connections_active{"));
        // the engine: the job posted above is counted (queued: the test controller drains), nothing runs
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("shoal_jobs{").contains("state=\"queued\"").endsWith(" 1.0"));
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("shoal_engine_draining{").endsWith(" 1.0"));
        assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("shoal_engine_steps_running{").endsWith(" 0.0"));
        assertThat(text).doesNotContain(JobBodies.BMC_PASSWORD);
    }

    @Test
    void metricsNeedNoCredentialsAndCountThemselves() throws Exception {
        assertThat(open("/metrics").statusCode()).isEqualTo(200);
        String text = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> open("/metrics").body(), b -> b.contains("route=\"/metrics\""));
        assertThat(text).containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/metrics\"[^}]*} [1-9]");
    }
}
