package dev.shoal.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.agentmachine.AgentMachine;
import dev.shoal.bmcsim.agentmachine.AgentMachineConfig;
import dev.shoal.bmcsim.agentmachine.BootRecord;
import dev.shoal.bmcsim.bmc.RequestRecord;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.controller.ControllerApp;
import dev.shoal.controller.testing.ControllerProcess;
import dev.shoal.iso.IsoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9, twice, with 50 jobs in flight: the first time while steps run (leases held, servers half-prepared), the
 * second while some jobs are finishing and others still wait for their agents. After the last restart every job
 * must be complete, each exactly once, none lost, and no BMC may have been driven by two conversations at once.
 * The controller is a real process; BMCs, servers (the real agent) and the image server live in this JVM and
 * outlive it, as they would.
 */
class CrashRecoveryTest {
    static final int JOBS = 50;
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void jobsInFlightSurviveTwoKillNinesEachEndingOnceAndNoServerIsDrivenTwiceAtOnce(@TempDir Path dir) throws Exception {
        Path storage = dir.resolve("data");
        Files.createDirectories(storage.resolve("static/isos"));
        IsoWriter.builder().volumeId("SHOAL-MAINT").file("README.txt", "crash test\n".getBytes(StandardCharsets.UTF_8), 0644)
                .build().writeTo(storage.resolve("static/isos").resolve(ControllerApp.DEFAULT_MAINTENANCE_ISO));
        byte[] image = new byte[1 << 20];
        new java.util.Random(7).nextBytes(image);
        String checksum = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // fixed across restarts: BMCs and agents were given this address
        }
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "AUTH_MODE", "none",
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:" + port, "STORAGE_ROOT", storage.toString(),
                "JOB_LEASE_TTL", "3s", "WORKER_CONCURRENCY", "4", "REDFISH_TIMEOUT", "10s", "LOG_LEVEL", "info");

        HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/image.raw", x -> {
            x.sendResponseHeaders(200, image.length);
            try (var out = x.getResponseBody()) {
                out.write(image);
            }
        });
        images.start();
        List<BmcSpec> specs = new ArrayList<>();
        for (int i = 1; i <= JOBS; i++) {
            specs.add(BmcSpec.of("node-" + i, i % 2 == 0 ? Personality.GENERIC : Personality.SUPERMICRO)
                    .withPowerDelay(Duration.ofMillis(800)));
        }
        try (AgentMachine servers = new AgentMachine(AgentMachineConfig.of(dir.resolve("servers")).withDiskBytes(4L << 20));
             BmcSimulator sim = BmcSimulator.start(new SimulatorConfig("127.0.0.1", specs, 0, servers, false))) {
            URI base = URI.create("http://127.0.0.1:" + port);
            String imageUrl = "http://127.0.0.1:" + images.getAddress().getPort() + "/image.raw";
            List<String> ids = new ArrayList<>();

            ControllerProcess first = ControllerProcess.start(Files.createDirectories(dir.resolve("run-1")), env);
            first.awaitListening(Duration.ofSeconds(60));
            for (SimulatedBmc b : sim.bmcs()) {
                ids.add(submit(base, b, imageUrl, checksum));
            }
            // first kill: some servers wait for their agents, some steps are running under leases
            awaitJobs(base, jobs -> count(jobs, "step", "await-agent") + count(jobs, "step", "finish") >= 5);
            awaitEngine(base, e -> e.path("steps_running").asInt() > 0);
            first.process().destroyForcibly().waitFor();

            ControllerProcess second = ControllerProcess.start(Files.createDirectories(dir.resolve("run-2")), env);
            second.awaitListening(Duration.ofSeconds(60));
            // second kill: some jobs complete, others finishing or still provisioning
            awaitJobs(base, jobs -> count(jobs, "state", "complete") >= 10);
            awaitEngine(base, e -> e.path("steps_running").asInt() > 0);
            second.process().destroyForcibly().waitFor();

            try (ControllerProcess third = ControllerProcess.start(Files.createDirectories(dir.resolve("run-3")), env)) {
                third.awaitListening(Duration.ofSeconds(60));
                List<JsonNode> jobs = awaitJobs(base, all -> all.size() == JOBS
                        && all.stream().allMatch(j -> Set.of("complete", "failed", "cancelled").contains(j.path("state").asText())));

                assertThat(jobs).extracting(j -> j.path("id").asText()).containsExactlyInAnyOrderElementsOf(ids);
                int takeovers = 0;
                for (String id : ids) {
                    List<JsonNode> events = events(base, id);
                    String log = dev.shoal.controller.testing.ProvisioningRig.describe(events);
                    List<String> states = new ArrayList<>(List.of("queued"));
                    events.stream().filter(e -> e.path("step").asText().equals("state"))
                            .forEach(e -> states.add(e.path("details").path("to").asText()));
                    assertThat(states).as("job %s:\n%s", id, log).containsExactly("queued", "provisioning", "succeeded", "complete");
                    takeovers += (int) events.stream().filter(e -> e.path("message").asText().startsWith("taking over")).count();
                }
                assertThat(takeovers).as("the kills hit steps in progress, which were taken over").isPositive();

                for (SimulatedBmc b : sim.bmcs()) {
                    assertOneConversationAtATime(b.name(), b.state().requests());
                    List<BootRecord> boots = servers.boots(b.name());
                    assertThat(boots.getLast().outcome()).as(b.name() + " " + boots).isInstanceOf(BootRecord.DiskBooted.class);
                    byte[] head = new byte[image.length];
                    try (RandomAccessFile f = new RandomAccessFile(servers.disk(b.name()).toFile(), "r")) {
                        f.readFully(head);
                    }
                    assertThat(head).as(b.name() + " holds the image").isEqualTo(image);
                }
            }
        } finally {
            images.stop(0);
        }
    }

    /**
     * Every change a BMC received (POST, PATCH, DELETE of media, power and boot settings) came from one conversation
     * at a time: once a second session has changed something, the first never does again.
     */
    static void assertOneConversationAtATime(String bmc, List<RequestRecord> requests) {
        Set<String> done = new HashSet<>();
        String current = null;
        for (RequestRecord r : requests) {
            boolean change = (r.method().equals("POST") || r.method().equals("PATCH")) && !r.path().contains("/SessionService/");
            if (!change || !r.client().startsWith("session:")) {
                continue;
            }
            if (!r.client().equals(current)) {
                assertThat(done).as("%s: %s changed the server again after %s had begun (%s %s)", bmc, r.client(), current,
                        r.method(), r.path()).doesNotContain(r.client());
                if (current != null) {
                    done.add(current);
                }
                current = r.client();
            }
        }
    }

    @Test
    void theOneConversationCheckCatchesTwoSessionsInterleaving() {
        java.time.Instant t = java.time.Instant.EPOCH;
        RequestRecord a = new RequestRecord(t, "POST", "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", 204, "{}", "session:a");
        RequestRecord b = new RequestRecord(t, "POST", "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", 204, "{}", "session:b");
        RequestRecord get = new RequestRecord(t, "GET", "/redfish/v1/Systems/1", 200, null, "session:a");
        assertOneConversationAtATime("ok", List.of(a, a, get, b, b));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertOneConversationAtATime("bad", List.of(a, b, a)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("session:a changed the server again");
    }

    String submit(URI base, SimulatedBmc b, String imageUrl, String checksum) throws Exception {
        String body = """
                {"server": {"bmc_url": "%s", "username": "%s", "password": "%s"},
                 "recipe": {"kind": "image", "url": "%s", "checksum": "%s", "format": "raw"}}"""
                .formatted(b.baseUri(), b.credentials().username(), b.credentials().password(), imageUrl, checksum);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    static long count(List<JsonNode> jobs, String field, String value) {
        return jobs.stream().filter(j -> j.path(field).asText().equals(value)).count();
    }

    List<JsonNode> awaitJobs(URI base, Predicate<List<JsonNode>> done) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        List<JsonNode> jobs = List.of();
        while (System.nanoTime() < end) {
            jobs = new ArrayList<>();
            JSON.readTree(get(base, "/api/v1/jobs?limit=100")).path("items").forEach(jobs::add);
            if (done.test(jobs)) {
                return jobs;
            }
            Thread.sleep(50);
        }
        Map<String, Long> states = new HashMap<>();
        jobs.forEach(j -> states.merge(j.path("state").asText() + "/" + j.path("step").asText(), 1L, Long::sum));
        throw new AssertionError("jobs did not get there within 4 minutes: " + states);
    }

    void awaitEngine(URI base, Predicate<JsonNode> done) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.test(JSON.readTree(get(base, "/api/v1/engine")))) {
            assertThat(System.nanoTime()).as("engine state reached within 60 s").isLessThan(end);
            Thread.sleep(20);
        }
    }

    List<JsonNode> events(URI base, String id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(get(base, "/api/v1/jobs/" + id + "/events?limit=500")).path("items").forEach(out::add);
        return out;
    }

    String get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
