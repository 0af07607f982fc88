package dev.shoal.controller;

import dev.shoal.controller.testing.ControllerProcess;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets (API password and its hash, BMC passwords, user data, pull secrets, webhook and URL-signing
 * secrets, even wrong passwords people typed) never reach the log, stderr, or any response. Checked over
 * everything a real controller process printed while serving at LOG_LEVEL=debug.
 */
class SecretHygieneTest {
    static final String API_PASSWORD = "api-pass-Wd81xQ";
    static final String WRONG_PASSWORD = "typo-pass-77Hq";
    static final String WEBHOOK = "webhook-secret-0123456789abcdefghijklmnopqrstuv";
    static final String WEBHOOK_PREVIOUS = "webhook-previous-0123456789abcdefghijklmnopqrst";
    static final String SIGNED_URL = "signed-url-secret-0123456789abcdefghijklmnopqrs";
    static final String PULL_SECRET = "{\"auths\":{\"r.example\":{\"auth\":\"cHVsbC1zZWNyZXQtOTk=\"}}}";

    @Test
    void noSecretInLogsStderrOrResponses(@TempDir Path dir) throws Exception {
        String hash = DebianTools.htpasswdBcrypt(API_PASSWORD, 5);
        Map<String, String> env = Map.of(
                "SHOAL_MODE", "production",
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:0",
                "STORAGE_ROOT", dir.resolve("data").toString(),
                "BASIC_PASS_HASH", hash,
                "WEBHOOK_SECRET", WEBHOOK,
                "WEBHOOK_SECRET_PREVIOUS", WEBHOOK_PREVIOUS,
                "SIGNED_URL_SECRET", SIGNED_URL,
                "LOG_LEVEL", "debug");
        List<String> seen = new ArrayList<>();
        try (ControllerProcess c = ControllerProcess.start(dir, env)) {
            c.awaitListening(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            String ok = TestController.basic("admin", API_PASSWORD);
            String bootc = """
                    {"server": {"bmc_url": "https://10.0.0.9", "username": "root", "password": "%s"},
                     "recipe": {"kind": "bootc", "image": "quay.io/fedora/fedora-bootc:42", "pull_secret": %s}}"""
                    .formatted(JobBodies.BMC_PASSWORD, com.fasterxml.jackson.databind.node.TextNode.valueOf(PULL_SECRET));
            List<HttpRequest> requests = new ArrayList<>();
            requests.add(post(c, "/api/v1/jobs", ok, JobBodies.image()));
            requests.add(post(c, "/api/v1/jobs", ok, bootc));
            // invalid bodies carrying secrets must not echo them in the error
            requests.add(post(c, "/api/v1/jobs", ok, JobBodies.image().replace("\"https://images", "\"ftp://images")));
            requests.add(post(c, "/api/v1/jobs", ok, "{\"server\": {\"password\": \"" + JobBodies.BMC_PASSWORD + "\", \"pasword\": 1}}"));
            requests.add(post(c, "/api/v1/jobs", ok, "{\"server\": \"" + JobBodies.BMC_PASSWORD + "\" nonsense"));
            requests.add(get(c, "/api/v1/jobs", ok));
            requests.add(get(c, "/api/v1/jobs", TestController.basic("admin", WRONG_PASSWORD)));
            requests.add(get(c, "/api/v1/jobs", TestController.basic(API_PASSWORD, API_PASSWORD)));
            String id = null;
            for (HttpRequest r : requests) {
                HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
                seen.add(resp.statusCode() + " " + resp.headers().map() + " " + resp.body());
                if (id == null && resp.statusCode() == 201) {
                    id = dev.shoal.controller.http.Json.parse(resp.body()).path("id").asText();
                }
            }
            for (String path : List.of("/api/v1/jobs/" + id, "/api/v1/jobs/" + id + "/events", "/metrics", "/readyz")) {
                HttpResponse<String> resp = http.send(get(c, path, ok), HttpResponse.BodyHandlers.ofString());
                assertThat(resp.statusCode()).as(path).isEqualTo(200);
                seen.add(resp.headers().map() + " " + resp.body());
            }
            assertThat(seen.get(0)).startsWith("201");
            assertThat(seen.get(1)).startsWith("201").contains("\"pull_secret\":\"******\"");
            assertThat(seen.get(6)).startsWith("401");
            assertThat(c.terminate(Duration.ofSeconds(40))).isIn(0, 143);
            String output = c.stdout() + c.stderr();
            assertThat(output).as("the log saw the requests").contains("\"path\":\"/api/v1/jobs\"", "failed API login");
            for (String secret : List.of(API_PASSWORD, WRONG_PASSWORD, hash, hash.substring(7, 29), WEBHOOK,
                    WEBHOOK_PREVIOUS, SIGNED_URL, JobBodies.BMC_PASSWORD, "ud-secret-9k2", "cHVsbC1zZWNyZXQtOTk=")) {
                assertThat(output).as("process output").doesNotContain(secret);
                assertThat(String.join("\n", seen)).as("responses").doesNotContain(secret);
            }
        }
    }

    @Test
    void aRejectedSecretIsNotEchoedAtStartUp(@TempDir Path dir) throws Exception {
        String shortSecret = "too-short-secret-Kx2";
        try (ControllerProcess c = ControllerProcess.start(dir, Map.of(
                "SHOAL_MODE", "production", "CONTROLLER_HTTP_ADDR", "127.0.0.1:0",
                "STORAGE_ROOT", dir.resolve("data").toString(),
                "BASIC_PASS_HASH", "$2y$12$not-a-real-hash-Vb7", "WEBHOOK_SECRET", shortSecret,
                "SIGNED_URL_SECRET", SIGNED_URL))) {
            assertThat(c.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            String err = c.stderr();
            assertThat(err.lines()).hasSize(2)
                    .anySatisfy(l -> assertThat(l).contains("BASIC_PASS_HASH"))
                    .anySatisfy(l -> assertThat(l).contains("WEBHOOK_SECRET").contains("at least 32"));
            assertThat(err + c.stdout()).doesNotContain(shortSecret).doesNotContain("not-a-real-hash-Vb7");
            assertThat(Files.exists(dir.resolve("data/db/provisioner.db"))).as("nothing created before config is valid").isFalse();
        }
    }

    private static HttpRequest post(ControllerProcess c, String path, String auth, String body) {
        return HttpRequest.newBuilder(c.uri(path)).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpRequest get(ControllerProcess c, String path, String auth) {
        return HttpRequest.newBuilder(c.uri(path)).header("Authorization", auth).GET().build();
    }
}
