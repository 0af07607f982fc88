package dev.shoal.controller.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.http.Router;
import dev.shoal.controller.jobs.JobEvent;
import dev.shoal.controller.jobs.JobIds;
import dev.shoal.controller.jobs.JobRequestParser;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.controller.logging.JsonLogEncoder;
import dev.shoal.controller.secrets.SecretBox;
import dev.shoal.controller.store.Database;
import dev.shoal.controller.store.Migrations;
import dev.shoal.controller.testing.JobBodies;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent callback endpoint over real HTTP on 127.0.0.1, on a real SQLite file, mounted as the lead should
 * mount it: AgentPathHandler in front of a stand-in for the Basic-auth wrapped operator API.
 */
@Timeout(120)
class AgentCallbacksTest {
    @TempDir
    static Path tmp;
    static Database db;
    static JobStore jobs;
    static AgentTokens tokens;
    static AgentLedger ledger;
    static final AgentKeys ROTATING = new AgentKeys(AgentKeysTest.CURRENT, Optional.of(AgentKeysTest.PREVIOUS));
    static final AgentKeys ROTATED = new AgentKeys(AgentKeysTest.CURRENT, Optional.empty());
    static final AgentKeys OLD_ONLY = new AgentKeys(AgentKeysTest.PREVIOUS, Optional.empty());
    static Server rotating;
    static Server rotated;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static final List<String> issuedTokens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        ((Logger) LoggerFactory.getLogger(AgentCallbacks.class)).setLevel(Level.DEBUG);

        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        db = Database.open(tmp.resolve("db/provisioner.db"), Optional.empty());
        new Migrations(db).migrate();
        byte[] boxKey = new byte[32];
        random.nextBytes(boxKey);
        jobs = new JobStore(db, new SecretBox(boxKey, random), new JobIds(clock, random), clock);
        tokens = new AgentTokens(db, random, clock);
        ledger = new AgentLedger(db, clock);
        rotating = server(ROTATING, clock);
        rotated = server(ROTATED, clock);
    }

    static Server server(AgentKeys keys, Clock clock) throws Exception {
        Router agent = new Router();
        new AgentCallbacks(tokens, keys, new SignatureVerifier(keys, clock), ledger).addRoutes(agent);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new AgentPathHandler(agent, new BasicAuthStandIn()));
        server.start();
        return server;
    }

    /** Refuses everything, as Basic auth refuses a caller without operator credentials. */
    static final class BasicAuthStandIn extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(401);
            response.getHeaders().put("WWW-Authenticate", "Basic realm=\"shoal\"");
            response.write(true, ByteBuffer.wrap("operator api".getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Server s : new Server[]{rotating, rotated}) {
            if (s != null) {
                s.stop();
            }
        }
        if (db != null) {
            db.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** A provisioning-ready job with its token issued, as the engine will do when it writes the task ISO. */
    record Agent(String jobId, String token, JobKey key) {
    }

    static Agent newAgent() {
        String id = jobs.create(JobRequestParser.parse(Json.parse(JobBodies.image())), "test").id();
        String token = tokens.issue(id).value().reveal();
        synchronized (issuedTokens) {
            issuedTokens.add(token);
        }
        return new Agent(id, token, ROTATING.forJob(id));
    }

    static URI uri(Server s, String path) {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) s.getConnectors()[0]).getLocalPort() + path);
    }

    static String eventsPath(String jobId) {
        return "/api/v1/jobs/" + jobId + "/agent/events";
    }

    static HttpResponse<String> send(Server s, String path, String token, Optional<String> signature, byte[] body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(s, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        signature.ifPresent(sig -> b.header(AgentSigner.HEADER, sig));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(Agent a, String body) throws Exception {
        return post(rotating, a, a.key(), Instant.now(), body);
    }

    static HttpResponse<String> post(Server s, Agent a, JobKey key, Instant at, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(s, eventsPath(a.jobId()), a.token(), Optional.of(AgentSigner.header(key, at, bytes)), bytes);
    }

    static String event(long seq, String type) {
        return "{\"seq\": " + seq + ", \"type\": \"" + type + "\", \"step\": \"write-image\", \"message\": \"line " + seq + "\"}";
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.parse(r.body()).path("error").path("code").asText()).as(r.body()).isEqualTo(code);
    }

    static void assertFieldError(HttpResponse<String> r, String field) {
        assertError(r, 400, "invalid_request");
        JsonNode details = Json.parse(r.body()).path("error").path("details");
        assertThat(details.findValuesAsText("field")).as(r.body()).contains(field);
    }

    /** Everything a callback can change, for "changes nothing" assertions. */
    static List<Object> state(String jobId) {
        return db.jdbi().withHandle(h -> List.of(
                h.createQuery("SELECT *, hex(token_sha256) AS token_hex FROM agent_credentials WHERE job_id = :id")
                        .bind("id", jobId).mapToMap().list().stream().map(AgentCallbacksTest::withoutBlobs).toList(),
                h.createQuery("SELECT * FROM job_events WHERE job_id = :id ORDER BY seq").bind("id", jobId).mapToMap().list(),
                h.createQuery("SELECT state, updated_at FROM jobs WHERE id = :id").bind("id", jobId).mapToMap().list()));
    }

    /** byte[] has identity equality; the hex column stands in for the hash. */
    static Map<String, Object> withoutBlobs(Map<String, Object> row) {
        Map<String, Object> copy = new java.util.TreeMap<>(row);
        copy.remove("token_sha256");
        return copy;
    }

    static List<JobEvent> agentEvents(String jobId) {
        return jobs.events(jobId, 0, 1000).stream()
                .filter(e -> e.details().map(d -> d.path("source").asText().equals("agent")).orElse(false))
                .toList();
    }

    // ---- accepted ------------------------------------------------------------------------------------------

    @Test
    void signedLogEventIsAcceptedAndVisibleInTheJobsEvents() throws Exception {
        Agent a = newAgent();

        HttpResponse<String> r = post(a, """
                {"seq": 17, "type": "log", "step": "write-image", "message": "wrote partition table"}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).path("seq").asLong()).isEqualTo(17);
        assertThat(Json.parse(r.body()).path("cancel_requested").asBoolean()).isFalse();
        List<JobEvent> events = agentEvents(a.jobId());
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().step()).isEqualTo("write-image");
        assertThat(events.getFirst().message()).isEqualTo("wrote partition table");
        assertThat(events.getFirst().details().orElseThrow().path("type").asText()).isEqualTo("log");
        assertThat(events.getFirst().details().orElseThrow().path("agent_seq").asLong()).isEqualTo(17);
        assertThat(ledger.lastSeen(a.jobId())).isPresent();
    }

    @Test
    void progressIsRecordedWithItsCounts() throws Exception {
        Agent a = newAgent();

        HttpResponse<String> r = post(a, """
                {"seq": 1, "type": "progress", "step": "write-image", "progress": {"done": 123, "total": 456}}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JobEvent e = agentEvents(a.jobId()).getFirst();
        assertThat(e.message()).isEqualTo("progress 123 of 456");
        assertThat(e.details().orElseThrow().path("progress").path("done").asLong()).isEqualTo(123);
        assertThat(e.details().orElseThrow().path("progress").path("total").asLong()).isEqualTo(456);
    }

    @Test
    void heartbeatUpdatesLastSeenWithoutAnEvent() throws Exception {
        Agent a = newAgent();
        assertThat(ledger.lastSeen(a.jobId())).isEmpty();
        Instant before = Instant.now().minusMillis(5);

        HttpResponse<String> r = post(a, "{\"seq\": 1, \"type\": \"heartbeat\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ledger.lastSeen(a.jobId())).hasValueSatisfying(t -> assertThat(t).isAfter(before));
        assertThat(agentEvents(a.jobId())).isEmpty();
        assertThat(ledger.lastReport(a.jobId())).isEmpty();
    }

    @Test
    void succeededIsRecordedAsTheOutcomeAndASecondOutcomeIsRefused() throws Exception {
        Agent a = newAgent();

        HttpResponse<String> r = post(a, "{\"seq\": 5, \"type\": \"succeeded\", \"step\": \"done\", \"message\": \"image written\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        AgentReport report = ledger.lastReport(a.jobId()).orElseThrow();
        assertThat(report.succeeded()).isTrue();
        assertThat(report.seq()).isEqualTo(5);
        assertThat(report.message()).contains("image written");
        assertThat(agentEvents(a.jobId())).extracting(JobEvent::message).containsExactly("image written");

        List<Object> before = state(a.jobId());
        assertError(post(a, event(6, "failed")), 409, "outcome_already_reported");
        assertThat(state(a.jobId())).isEqualTo(before);
        // the agent may still ship its remaining log lines
        assertThat(post(a, event(7, "log")).statusCode()).isEqualTo(200);
    }

    @Test
    void failedIsRecordedAsTheOutcome() throws Exception {
        Agent a = newAgent();

        HttpResponse<String> r = post(a, "{\"seq\": 1, \"type\": \"failed\", \"step\": \"checksum\", \"message\": \"sha256 mismatch\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        AgentReport report = ledger.lastReport(a.jobId()).orElseThrow();
        assertThat(report.outcome()).isEqualTo(AgentEventType.FAILED);
        assertThat(report.step()).contains("checksum");
        assertThat(report.message()).contains("sha256 mismatch");
    }

    @Test
    void cancelRequestIsReportedBackToTheAgent() throws Exception {
        Agent a = newAgent();
        db.write(h -> h.createUpdate("UPDATE jobs SET state = 'provisioning' WHERE id = :id").bind("id", a.jobId()).execute());
        jobs.cancel(a.jobId(), "operator");

        HttpResponse<String> r = post(a, event(1, "log"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body()).path("cancel_requested").asBoolean()).isTrue();
    }

    // ---- authentication ------------------------------------------------------------------------------------

    @Test
    void wrongMissingOrForeignTokenIs401AndChangesNothing() throws Exception {
        Agent a = newAgent();
        Agent other = newAgent();
        List<Object> before = state(a.jobId());
        byte[] body = event(1, "log").getBytes(StandardCharsets.UTF_8);
        Optional<String> sig = Optional.of(AgentSigner.header(a.key(), Instant.now(), body));

        for (String token : new String[]{null, "not-the-token-0123456789", other.token(), a.token() + "x"}) {
            HttpResponse<String> r = send(rotating, eventsPath(a.jobId()), token, sig, body);
            assertError(r, 401, "unauthorized");
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"shoal-agent\"");
        }
        // the other job's token with the other job's own key, sent to this job: still 401
        Agent crossed = new Agent(a.jobId(), other.token(), other.key());
        assertError(post(crossed, event(1, "log")), 401, "unauthorized");
        assertThat(state(a.jobId())).isEqualTo(before);
        assertThat(state(other.jobId())).isEqualTo(state(other.jobId()));
    }

    @Test
    void unknownJobIs401NotA404() throws Exception {
        Agent a = newAgent();
        byte[] body = event(1, "log").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = send(rotating, eventsPath("01NOSUCHJOB"), a.token(),
                Optional.of(AgentSigner.header(ROTATING.forJob("01NOSUCHJOB"), Instant.now(), body)), body);

        assertError(r, 401, "unauthorized");
    }

    @Test
    void badSignatureIs401AndChangesNothing() throws Exception {
        Agent a = newAgent();
        List<Object> before = state(a.jobId());
        byte[] body = event(1, "log").getBytes(StandardCharsets.UTF_8);

        assertError(send(rotating, eventsPath(a.jobId()), a.token(), Optional.empty(), body), 401, "invalid_signature");
        assertError(send(rotating, eventsPath(a.jobId()), a.token(),
                Optional.of("t=" + Instant.now().getEpochSecond() + ",v1=" + "ab".repeat(32)), body), 401, "invalid_signature");
        assertError(send(rotating, eventsPath(a.jobId()), a.token(), Optional.of("garbage"), body), 401, "invalid_signature");
        // signed with another job's key
        assertError(post(rotating, a, ROTATING.forJob("someone-else"), Instant.now(), event(1, "log")), 401, "invalid_signature");
        assertThat(state(a.jobId())).isEqualTo(before);
    }

    @Test
    void bodyChangedAfterSigningIs401() throws Exception {
        Agent a = newAgent();
        List<Object> before = state(a.jobId());
        byte[] signed = event(1, "succeeded").getBytes(StandardCharsets.UTF_8);
        byte[] sent = event(1, "failed").getBytes(StandardCharsets.UTF_8);

        assertError(send(rotating, eventsPath(a.jobId()), a.token(),
                Optional.of(AgentSigner.header(a.key(), Instant.now(), signed)), sent), 401, "invalid_signature");
        assertThat(state(a.jobId())).isEqualTo(before);
    }

    @Test
    void oldAndFutureTimestampsAre401() throws Exception {
        Agent a = newAgent();
        List<Object> before = state(a.jobId());

        HttpResponse<String> old = post(rotating, a, a.key(), Instant.now().minusSeconds(6 * 60), event(1, "log"));
        HttpResponse<String> future = post(rotating, a, a.key(), Instant.now().plusSeconds(6 * 60), event(1, "log"));

        assertError(old, 401, "invalid_signature");
        assertThat(Json.parse(old.body()).path("error").path("message").asText()).contains("old");
        assertError(future, 401, "invalid_signature");
        assertThat(Json.parse(future.body()).path("error").path("message").asText()).contains("future");
        assertThat(state(a.jobId())).isEqualTo(before);
        // a little skew is fine
        assertThat(post(rotating, a, a.key(), Instant.now().minusSeconds(4 * 60), event(1, "log")).statusCode()).isEqualTo(200);
    }

    @Test
    void previousSecretIsAcceptedDuringRotationOnly() throws Exception {
        Agent a = newAgent();
        JobKey oldKey = OLD_ONLY.forJob(a.jobId());

        assertThat(post(rotating, a, oldKey, Instant.now(), event(1, "log")).statusCode()).isEqualTo(200);

        List<Object> before = state(a.jobId());
        assertError(post(rotated, a, oldKey, Instant.now(), event(2, "log")), 401, "invalid_signature");
        assertThat(state(a.jobId())).isEqualTo(before);
        // the current key works on both
        assertThat(post(rotated, a, a.key(), Instant.now(), event(2, "log")).statusCode()).isEqualTo(200);
    }

    @Test
    void revokedTokenIs401() throws Exception {
        Agent a = newAgent();
        assertThat(post(a, event(1, "log")).statusCode()).isEqualTo(200);

        assertThat(tokens.revoke(a.jobId())).isTrue();

        assertError(post(a, event(2, "log")), 401, "unauthorized");
        assertThat(ledger.lastSeen(a.jobId())).isEmpty();
    }

    @Test
    void reissuedTokenReplacesTheOldOneAndStartsANewSequence() throws Exception {
        Agent a = newAgent();
        assertThat(post(a, event(9, "log")).statusCode()).isEqualTo(200);

        Agent again = new Agent(a.jobId(), tokens.issue(a.jobId()).value().reveal(), a.key());
        synchronized (issuedTokens) {
            issuedTokens.add(again.token());
        }

        assertError(post(a, event(10, "log")), 401, "unauthorized");
        assertThat(post(again, event(1, "log")).statusCode()).isEqualTo(200);
    }

    // ---- replay ----------------------------------------------------------------------------------------------

    @Test
    void replayedOrLowerSeqIs409AndChangesNothing() throws Exception {
        Agent a = newAgent();
        assertThat(post(a, event(5, "log")).statusCode()).isEqualTo(200);
        List<Object> before = state(a.jobId());

        HttpResponse<String> same = post(a, event(5, "log"));
        HttpResponse<String> lower = post(a, event(4, "succeeded"));

        assertError(same, 409, "replayed");
        assertError(lower, 409, "replayed");
        assertThat(state(a.jobId())).isEqualTo(before);
        assertThat(ledger.lastReport(a.jobId())).isEmpty();
        assertThat(post(a, event(6, "log")).statusCode()).isEqualTo(200);
    }

    @Test
    void exactSameRequestReplayedIs409() throws Exception {
        Agent a = newAgent();
        byte[] body = event(1, "log").getBytes(StandardCharsets.UTF_8);
        Optional<String> sig = Optional.of(AgentSigner.header(a.key(), Instant.now(), body));

        assertThat(send(rotating, eventsPath(a.jobId()), a.token(), sig, body).statusCode()).isEqualTo(200);
        List<Object> before = state(a.jobId());
        assertError(send(rotating, eventsPath(a.jobId()), a.token(), sig, body), 409, "replayed");
        assertThat(state(a.jobId())).isEqualTo(before);
    }

    @Test
    void endedJobRefusesCallbacks() throws Exception {
        Agent a = newAgent();
        jobs.cancel(a.jobId(), "operator"); // queued → cancelled at once; the engine would also revoke the token
        List<Object> before = state(a.jobId());

        assertError(post(a, event(1, "log")), 409, "job_ended");
        assertThat(state(a.jobId())).isEqualTo(before);
    }

    // ---- body validation -------------------------------------------------------------------------------------

    @Test
    void malformedBodiesAre400NamingTheField() throws Exception {
        Agent a = newAgent();
        List<Object> before = state(a.jobId());

        assertError(post(a, "{\"seq\": 1,"), 400, "malformed_json");
        assertFieldError(post(a, "{\"type\": \"log\", \"message\": \"x\"}"), "seq");
        assertFieldError(post(a, "{\"seq\": \"1\", \"type\": \"log\", \"message\": \"x\"}"), "seq");
        assertFieldError(post(a, "{\"seq\": 0, \"type\": \"log\", \"message\": \"x\"}"), "seq");
        assertFieldError(post(a, "{\"seq\": 1.5, \"type\": \"log\", \"message\": \"x\"}"), "seq");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"reboot\"}"), "type");
        assertFieldError(post(a, "{\"seq\": 1}"), "type");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"log\"}"), "message");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"log\", \"message\": 3}"), "message");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"progress\"}"), "progress");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"progress\", \"progress\": {\"total\": 3}}"), "progress.done");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"progress\", \"progress\": {\"done\": -1}}"), "progress.done");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"progress\", \"progress\": {\"done\": 5, \"total\": 4}}"), "progress.done");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"progress\", \"progress\": {\"done\": 1, \"todo\": 4}}"), "progress.todo");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"heartbeat\", \"step\": \"has space\"}"), "step");
        assertFieldError(post(a, "{\"seq\": 1, \"type\": \"heartbeat\", \"stpe\": \"x\"}"), "stpe");
        assertFieldError(post(a, "[1, 2]"), "(body)");
        assertThat(state(a.jobId())).isEqualTo(before);
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        Agent a = newAgent();
        byte[] body = event(1, "log").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(rotating, eventsPath(a.jobId())))
                .header("Content-Type", "text/plain").header("Authorization", "Bearer " + a.token())
                .header(AgentSigner.HEADER, AgentSigner.header(a.key(), Instant.now(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertError(r, 415, "unsupported_media_type");
    }

    @Test
    void oversizeBodyIs413WithOrWithoutContentLength() throws Exception {
        Agent a = newAgent();
        String big = "{\"seq\": 1, \"type\": \"log\", \"message\": \"" + "x".repeat(AgentCallbacks.MAX_BODY) + "\"}";
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        String sig = AgentSigner.header(a.key(), Instant.now(), bytes);

        assertError(send(rotating, eventsPath(a.jobId()), a.token(), Optional.of(sig), bytes), 413, "payload_too_large");
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri(rotating, eventsPath(a.jobId())))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + a.token())
                .header(AgentSigner.HEADER, sig)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, "payload_too_large");
        assertThat(agentEvents(a.jobId())).isEmpty();
    }

    @Test
    void longLogLineIsTruncatedNotRefused() throws Exception {
        Agent a = newAgent();
        String line = "y".repeat(AgentEventParser.MAX_MESSAGE + 100);

        HttpResponse<String> r = post(a, "{\"seq\": 1, \"type\": \"log\", \"message\": \"" + line + "\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JobEvent e = agentEvents(a.jobId()).getFirst();
        assertThat(e.message()).hasSize(AgentEventParser.MAX_MESSAGE);
        assertThat(e.details().orElseThrow().path("truncated").asBoolean()).isTrue();
    }

    // ---- mounting --------------------------------------------------------------------------------------------

    @Test
    void onlyAgentPathsBypassOperatorAuth() throws Exception {
        Agent a = newAgent();
        for (String path : new String[]{"/api/v1/jobs/" + a.jobId() + "/events", "/api/v1/jobs/" + a.jobId(),
                "/api/v1/jobs", "/api/v1/jobs/" + a.jobId() + "/cancel",
                "/api/v1/jobs/" + a.jobId() + "/agentx/events", "/api/agent/events"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(rotating, path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as(path).isEqualTo("operator api");
        }
        // an unknown agent path is the agent router's 404, and needs no operator credentials to learn that
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(uri(rotating, "/api/v1/jobs/x/agent/other"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(unknown, 404, "not_found");
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(uri(rotating, eventsPath(a.jobId())))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(wrongMethod, 405, "method_not_allowed");
        assertThat(AgentPathHandler.isAgentPath("/api/v1/jobs/x/agent/events")).isTrue();
        assertThat(AgentPathHandler.isAgentPath("/api/v1/jobs/x/agent")).isFalse();
        assertThat(AgentPathHandler.isAgentPath("/api/v1/jobs/agent/x/events")).isFalse();
    }

    // ---- secrets ---------------------------------------------------------------------------------------------

    @Test
    void noSecretInLogsEventsOrResponses() throws Exception {
        Agent a = newAgent();
        Agent other = newAgent();
        List<String> responses = new ArrayList<>();
        // an agent that logs its own credentials: they must be masked in the event log
        responses.add(post(a, "{\"seq\": 1, \"type\": \"log\", \"message\": \"curl -H 'Authorization: Bearer "
                + a.token() + "' key=" + a.key().hex().toUpperCase() + "\"}").body());
        responses.add(post(a, event(1, "log")).body());                                            // replayed
        responses.add(post(other, event(1, "log").replace("line", other.token())).body());           // masked
        responses.add(post(rotating, a, other.key(), Instant.now(), event(2, "log")).body());      // bad signature
        responses.add(send(rotating, eventsPath(a.jobId()), other.token(), Optional.empty(), new byte[]{'{'}).body());
        responses.add(post(rotating, a, a.key(), Instant.now().minusSeconds(3600), event(3, "log")).body());

        List<String> secrets = new ArrayList<>(List.of(AgentKeysTest.CURRENT.reveal(), AgentKeysTest.PREVIOUS.reveal(),
                a.key().hex(), other.key().hex(), OLD_ONLY.forJob(a.jobId()).hex()));
        synchronized (issuedTokens) {
            secrets.addAll(issuedTokens);
        }
        JsonLogEncoder encoder = new JsonLogEncoder();
        List<String> logLines;
        synchronized (logs.list) {
            logLines = logs.list.stream().map(e -> new String(encoder.encode(e), StandardCharsets.UTF_8)).toList();
        }
        List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM job_events").mapToMap().list());
        String events = rows.toString();

        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("agent callback refused"));
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("agent callback recorded"));
        assertThat(agentEvents(a.jobId()).getFirst().message()).contains("Bearer ******").contains("key=******");
        for (String secret : secrets) {
            assertThat(String.join("\n", logLines)).doesNotContain(secret);
            assertThat(events).doesNotContain(secret);
            assertThat(String.join("\n", responses)).doesNotContain(secret);
            assertThat(events.toLowerCase()).doesNotContain(secret.toLowerCase());
        }
    }
}
