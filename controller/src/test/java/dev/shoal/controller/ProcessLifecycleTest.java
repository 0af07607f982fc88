package dev.shoal.controller;

import dev.shoal.controller.testing.ControllerProcess;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.controller.testing.JobBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller as systemd runs it: SIGTERM lets in-flight requests finish and closes the database cleanly. */
class ProcessLifecycleTest {

    @Test
    void sigtermFinishesTheRequestInFlightThenClosesTheDatabase(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (ControllerProcess c = ControllerProcess.start(dir, Map.of("SHOAL_MODE", "local", "AUTH_MODE", "none",
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:0", "STORAGE_ROOT", data.toString()))) {
            var uri = c.awaitListening(Duration.ofSeconds(60));
            byte[] body = JobBodies.image().getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                int half = body.length / 2;
                out.write(body, 0, half);
                out.flush();
                Thread.sleep(500); // the handler is now blocked reading the rest of the body
                c.process().destroy(); // SIGTERM
                // the upload goes on, slowly, for two seconds after the signal
                for (int i = half; i < body.length; i += 16) {
                    out.write(body, i, Math.min(16, body.length - i));
                    out.flush();
                    Thread.sleep(2000L * 16 / (body.length - half));
                    if (i == half + 16 * 4) {
                        assertThat(c.process().isAlive()).as("waits for the request in flight").isTrue();
                    }
                }
                String response = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
                assertThat(response).startsWith("HTTP/1.1 201");
            }
            int exit = c.awaitExit(Duration.ofSeconds(40));
            assertThat(exit).as("JVM exit after SIGTERM").isIn(0, 143);
            assertThat(c.stdout()).contains("\"msg\":\"shutting down: finishing in-flight requests\"", "\"msg\":\"stopped\"");
        }
        Path db = data.resolve("db/provisioner.db");
        Path wal = data.resolve("db/provisioner.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL checkpointed on a clean stop").isTrue();
        var check = DebianTools.run(null, "sqlite3", db.toString(), "PRAGMA integrity_check; SELECT count(*) FROM jobs;");
        assertThat(check.out().lines()).containsExactly("ok", "1");
    }

    @Test
    void withNoConfigurationAtAllItServesLocallyOnPort8080(@TempDir Path dir) throws Exception {
        try (ControllerProcess c = ControllerProcess.start(dir, Map.of())) {
            var uri = c.awaitListening(Duration.ofSeconds(60));
            assertThat(uri.toString()).isEqualTo("http://127.0.0.1:8080");
            Path passwordFile = dir.resolve("var/shoal/keys/initial-admin-password");
            String password = Files.readString(passwordFile).strip();
            assertThat(c.stderr()).contains("password: " + password);
            assertThat(Files.getPosixFilePermissions(passwordFile)).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            var r = DebianTools.run(null, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-u", "admin:" + password,
                    "http://127.0.0.1:8080/api/v1/jobs/nonexistent");
            assertThat(r.out()).isEqualTo("404");
            r = DebianTools.run(null, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:8080/api/v1/jobs/nonexistent");
            assertThat(r.out()).isEqualTo("401");
            assertThat(c.terminate(Duration.ofSeconds(40))).isIn(0, 143);
        }
        // a second start keeps the same credentials and does not print a password again
        try (ControllerProcess c = ControllerProcess.start(dir, Map.of())) {
            c.awaitListening(Duration.ofSeconds(60));
            assertThat(c.stderr()).doesNotContain("password:");
            c.terminate(Duration.ofSeconds(40));
        }
    }

    private static byte[] readAll(InputStream in) throws java.io.IOException {
        return in.readAllBytes();
    }

    /** systemctl reload: the env file is read again, and its values win over the environment systemd set at start. */
    @Test
    void sighupReloadsWorkerConcurrencyAndDrainFromTheEnvFile(@TempDir Path dir) throws Exception {
        Path envFile = dir.resolve("shoal.env");
        Files.writeString(envFile, "WORKER_CONCURRENCY=4\n");
        try (ControllerProcess c = ControllerProcess.start(dir, Map.of("SHOAL_MODE", "local", "AUTH_MODE", "none",
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:0", "STORAGE_ROOT", dir.resolve("data").toString(),
                "WORKER_CONCURRENCY", "4"), "--env-file", envFile.toString())) {
            URI base = c.awaitListening(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            assertThat(engine(http, base)).contains("\"worker_concurrency\":4", "\"draining\":false");

            Files.writeString(envFile, "WORKER_CONCURRENCY=0\nDRAIN=true\n");
            DebianTools.run(null, "kill", "-HUP", Long.toString(c.process().pid()));
            await(() -> engine(http, base).contains("\"worker_concurrency\":0"));
            assertThat(engine(http, base)).contains("\"draining\":true", "\"picking_new_jobs\":false");

            Files.writeString(envFile, "WORKER_CONCURRENCY=lots\n");
            DebianTools.run(null, "kill", "-HUP", Long.toString(c.process().pid()));
            await(() -> c.stdout().contains("reload refused"));
            assertThat(c.stdout()).contains("WORKER_CONCURRENCY");
            assertThat(engine(http, base)).contains("\"worker_concurrency\":0");
            assertThat(c.process().isAlive()).isTrue();
        }
    }

    private static String engine(HttpClient http, URI base) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/api/v1/engine")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!check.ok()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(end);
            Thread.sleep(100);
        }
    }
}
