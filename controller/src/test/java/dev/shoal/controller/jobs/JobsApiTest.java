package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs API over real HTTP: create, read, events, cancel, and the ways a request body can be refused. */
class JobsApiTest {
    private static final int FOUR_MIB = 4 << 20;

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

    static JsonNode json(HttpResponse<String> r) {
        return Json.parse(r.body());
    }

    static JsonNode create(String body) throws Exception {
        HttpResponse<String> r = c.post("/api/v1/jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    static int jobCount() throws Exception {
        HttpResponse<String> r = c.get("/api/v1/jobs?limit=500");
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).path("items").size();
    }

    static HttpResponse<String> postRaw(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(c.uri(path)).header("Authorization", c.authorization()).POST(body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return c.send(b.build());
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(body.path("error").path("code").asText()).isEqualTo(code);
        assertThat(body.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void createImageJobReturnsTheQueuedJobWithDefaultsAndNoSecrets() throws Exception {
        HttpResponse<String> r = c.post("/api/v1/jobs", JobBodies.image());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode job = json(r);
        String id = job.path("id").asText();
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + id);
        assertThat(job.path("state").asText()).isEqualTo("queued");
        assertThat(job.path("cancel_requested").asBoolean(true)).isFalse();
        assertThat(job.path("error").isNull()).isTrue();
        assertThat(job.path("started_at").isNull()).isTrue();
        assertThat(job.path("ended_at").isNull()).isTrue();
        Instant created = Instant.parse(job.path("created_at").asText());
        assertThat(created).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(Instant.parse(job.path("updated_at").asText())).isEqualTo(created);
        assertThat(job.path("links").path("self").asText()).isEqualTo("/api/v1/jobs/" + id);
        assertThat(job.path("links").path("events").asText()).isEqualTo("/api/v1/jobs/" + id + "/events");

        // secrets: the password is absent, user_data is masked
        assertThat(r.body()).doesNotContain(JobBodies.BMC_PASSWORD).doesNotContain("ud-secret-9k2");
        JsonNode server = job.path("server");
        assertThat(server.has("password")).isFalse();
        assertThat(job.path("recipe").path("config_drive").path("user_data").asText()).isEqualTo("******");

        // normalised, with defaults filled in
        assertThat(server.path("bmc_url").asText()).isEqualTo("https://10.0.0.5");
        assertThat(server.path("username").asText()).isEqualTo("root");
        assertThat(server.path("vendor").asText()).isEqualTo("auto");
        assertThat(server.path("tls_verify").isBoolean()).isTrue();
        assertThat(server.path("tls_verify").asBoolean()).isTrue();
        assertThat(server.has("system_id")).isTrue();
        assertThat(server.path("system_id").isNull()).isTrue();
        JsonNode recipe = job.path("recipe");
        assertThat(recipe.path("kind").asText()).isEqualTo("image");
        assertThat(recipe.path("format").asText()).isEqualTo("raw");
        assertThat(recipe.path("checksum").asText()).isEqualTo(JobBodies.CHECKSUM);
        assertThat(recipe.path("url").asText()).isEqualTo("https://images.example.org/debian-12.raw");
        assertThat(recipe.path("root_device").path("size_min_gib").asDouble()).isEqualTo(8.0);
        assertThat(recipe.path("config_drive").path("meta_data").path("hostname").asText()).isEqualTo("node-1");
        assertThat(recipe.path("config_drive").path("network_data").isObject()).isTrue();
        assertThat(job.path("labels").path("rack").asText()).isEqualTo("r12");
    }

    @Test
    void createBootcJobMasksThePullSecretAndNormalisesTheImage() throws Exception {
        String body = """
                {"server": {"bmc_url": "http://bmc-7.example.org:8000/", "username": "admin", "password": "pw-77Ab",
                            "system_id": "System.Embedded.1", "vendor": "dell", "tls_verify": false},
                 "recipe": {"kind": "bootc", "image": "oci://quay.io/fedora/fedora-bootc:42",
                            "authorized_keys": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq operator@example.org\\n# comment\\n",
                            "pull_secret": "{\\"auths\\": {\\"quay.io\\": {\\"auth\\": \\"c2VjcmV0LXB1bGw=\\"}}}",
                            "config_drive": {"user_data": "#cloud-config\\nchpasswd: {list: 'root:bootc-ud-secret'}"}}}""";
        HttpResponse<String> r = c.post("/api/v1/jobs", body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).doesNotContain("pw-77Ab").doesNotContain("c2VjcmV0LXB1bGw=").doesNotContain("bootc-ud-secret");
        JsonNode job = json(r);
        JsonNode recipe = job.path("recipe");
        assertThat(recipe.path("kind").asText()).isEqualTo("bootc");
        assertThat(recipe.path("image").asText()).isEqualTo("quay.io/fedora/fedora-bootc:42");
        assertThat(recipe.path("pull_secret").asText()).isEqualTo("******");
        assertThat(recipe.path("config_drive").path("user_data").asText()).isEqualTo("******");
        assertThat(recipe.path("tpm2_luks").isBoolean()).isTrue();
        assertThat(recipe.path("tpm2_luks").asBoolean(true)).isFalse();
        assertThat(recipe.path("authorized_keys").asText()).startsWith("ssh-ed25519 ");
        assertThat(recipe.has("format")).isFalse();
        JsonNode server = job.path("server");
        assertThat(server.has("password")).isFalse();
        assertThat(server.path("bmc_url").asText()).isEqualTo("http://bmc-7.example.org:8000");
        assertThat(server.path("system_id").asText()).isEqualTo("System.Embedded.1");
        assertThat(server.path("vendor").asText()).isEqualTo("dell");
        assertThat(server.path("tls_verify").asBoolean(true)).isFalse();
        assertThat(job.path("labels").isObject()).isTrue();
        assertThat(job.path("labels").size()).isZero();

        // and it reads back the same way
        HttpResponse<String> again = c.get("/api/v1/jobs/" + job.path("id").asText());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("recipe").path("pull_secret").asText()).isEqualTo("******");
        assertThat(again.body()).doesNotContain("pw-77Ab").doesNotContain("c2VjcmV0LXB1bGw=").doesNotContain("bootc-ud-secret");
    }

    @Test
    void getByIdReturnsTheSameJob() throws Exception {
        JsonNode created = create(JobBodies.image("10.0.0.21"));
        String id = created.path("id").asText();

        HttpResponse<String> r = c.get("/api/v1/jobs/" + id);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(r)).isEqualTo(created);
        assertThat(r.body()).doesNotContain(JobBodies.BMC_PASSWORD).doesNotContain("ud-secret-9k2");
    }

    @Test
    void unknownJobIs404WithJsonError() throws Exception {
        HttpResponse<String> r = c.get("/api/v1/jobs/nonexistent");

        assertError(r, 404, "not_found");
        assertThat(json(r).path("error").path("message").asText()).contains("nonexistent");
        assertError(c.get("/api/v1/jobs/" + UUID.randomUUID() + "/events"), 404, "not_found");
    }

    @Test
    void aNewJobHasOneAcceptedEvent() throws Exception {
        String id = create(JobBodies.image("10.0.0.22")).path("id").asText();

        HttpResponse<String> r = c.get("/api/v1/jobs/" + id + "/events");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("has_more").asBoolean(true)).isFalse();
        assertThat(body.path("items").size()).isEqualTo(1);
        JsonNode e = body.path("items").get(0);
        assertThat(e.path("seq").asLong()).isEqualTo(1);
        assertThat(e.path("step").asText()).isEqualTo("accepted");
        assertThat(e.path("message").asText()).contains(TestController.USER);
        assertThat(Instant.parse(e.path("time").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(r.body()).doesNotContain(JobBodies.BMC_PASSWORD);
    }

    @Test
    void eventsPageWithAfterAndLimit() throws Exception {
        String id = create(JobBodies.image("10.0.0.23")).path("id").asText();
        assertThat(c.post("/api/v1/jobs/" + id + "/cancel", "").statusCode()).isEqualTo(200);
        String events = "/api/v1/jobs/" + id + "/events";

        JsonNode all = json(c.get(events));
        assertThat(all.path("items").findValuesAsText("step")).containsExactly("accepted", "cancelled");
        assertThat(all.path("items").findValues("seq")).extracting(JsonNode::asLong).containsExactly(1L, 2L);

        JsonNode first = json(c.get(events + "?limit=1"));
        assertThat(first.path("items").findValuesAsText("step")).containsExactly("accepted");
        assertThat(first.path("has_more").asBoolean(false)).isTrue();

        JsonNode rest = json(c.get(events + "?after=1&limit=1"));
        assertThat(rest.path("items").findValues("seq")).extracting(JsonNode::asLong).containsExactly(2L);
        assertThat(rest.path("has_more").asBoolean(true)).isFalse();

        JsonNode none = json(c.get(events + "?after=2"));
        assertThat(none.path("items").size()).isZero();
        assertThat(none.path("has_more").asBoolean(true)).isFalse();

        for (String bad : List.of("after=-1", "after=x", "limit=0", "limit=501", "limit=x")) {
            HttpResponse<String> r = c.get(events + "?" + bad);
            assertError(r, 400, "invalid_request");
            assertThat(json(r).path("error").path("details").findValuesAsText("field")).as(bad)
                    .containsExactly(bad.substring(0, bad.indexOf('=')));
        }
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() throws Exception {
        String id = create(JobBodies.image("10.0.0.24")).path("id").asText();

        HttpResponse<String> r = c.post("/api/v1/jobs/" + id + "/cancel", "");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode job = json(r);
        assertThat(job.path("id").asText()).isEqualTo(id);
        assertThat(job.path("state").asText()).isEqualTo("cancelled");
        assertThat(job.path("cancel_requested").asBoolean(false)).isTrue();
        Instant ended = Instant.parse(job.path("ended_at").asText());
        assertThat(ended).isAfterOrEqualTo(Instant.parse(job.path("created_at").asText()));
        assertThat(Instant.parse(job.path("updated_at").asText())).isEqualTo(ended);
        assertThat(r.body()).doesNotContain(JobBodies.BMC_PASSWORD);

        JsonNode read = json(c.get("/api/v1/jobs/" + id));
        assertThat(read.path("state").asText()).isEqualTo("cancelled");
        assertThat(read.path("ended_at").asText()).isEqualTo(job.path("ended_at").asText());

        JsonNode last = json(c.get("/api/v1/jobs/" + id + "/events?after=1"));
        assertThat(last.path("items").size()).isEqualTo(1);
        assertThat(last.path("items").get(0).path("step").asText()).isEqualTo("cancelled");
        assertThat(last.path("items").get(0).path("message").asText()).contains(TestController.USER);

        HttpResponse<String> again = c.post("/api/v1/jobs/" + id + "/cancel", "");
        assertError(again, 409, "conflict");
        assertThat(json(again).path("error").path("message").asText()).contains("cancelled");
        // the second cancel changed nothing
        assertThat(json(c.get("/api/v1/jobs/" + id + "/events")).path("items").size()).isEqualTo(2);
        assertThat(json(c.get("/api/v1/jobs/" + id)).path("updated_at").asText()).isEqualTo(job.path("updated_at").asText());
    }

    @Test
    void aSucceededJobCannotBeCancelledAnyMore() throws Exception {
        String id = create(JobBodies.image("10.0.0.25")).path("id").asText();
        // as the engine leaves it once the agent reported success (the test controller drains, so by hand)
        DebianTools.run(null, "sqlite3", root.resolve("db/provisioner.db").toString(),
                "PRAGMA busy_timeout = 5000; UPDATE jobs SET state = 'succeeded', step = 'finish' WHERE id = '" + id + "';");

        HttpResponse<String> r = c.post("/api/v1/jobs/" + id + "/cancel", "");

        assertError(r, 409, "conflict");
        assertThat(json(r).path("error").path("message").asText()).contains("succeeded", "nothing to cancel");
        assertThat(json(c.get("/api/v1/jobs/" + id)).path("cancel_requested").asBoolean()).isFalse();
    }

    @Test
    void cancellingAnUnknownJobIs404() throws Exception {
        assertError(c.post("/api/v1/jobs/" + UUID.randomUUID() + "/cancel", ""), 404, "not_found");
        assertError(c.post("/api/v1/jobs/nonexistent/cancel", ""), 404, "not_found");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri("/api/v1/jobs"))
                .header("Authorization", c.authorization()).DELETE().build());

        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");

        HttpResponse<String> put = c.send(HttpRequest.newBuilder(c.uri("/api/v1/jobs/" + UUID.randomUUID()))
                .header("Authorization", c.authorization()).PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(put, 405, "method_not_allowed");
        assertThat(put.headers().firstValue("Allow")).hasValue("GET");

        HttpResponse<String> getCancel = c.get("/api/v1/jobs/" + UUID.randomUUID() + "/cancel");
        assertError(getCancel, 405, "method_not_allowed");
        assertThat(getCancel.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void nonJsonContentTypeIs415AndStoresNothing() throws Exception {
        int before = jobCount();

        assertError(postRaw("/api/v1/jobs", "text/plain", HttpRequest.BodyPublishers.ofString(JobBodies.image())),
                415, "unsupported_media_type");
        assertError(postRaw("/api/v1/jobs", "application/x-www-form-urlencoded",
                HttpRequest.BodyPublishers.ofString("server=x")), 415, "unsupported_media_type");
        assertError(postRaw("/api/v1/jobs", null, HttpRequest.BodyPublishers.ofString(JobBodies.image())),
                415, "unsupported_media_type");

        // parameters on the JSON type are fine
        HttpResponse<String> ok = postRaw("/api/v1/jobs", "application/json; charset=utf-8",
                HttpRequest.BodyPublishers.ofString(JobBodies.image("10.0.0.25")));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(jobCount()).isEqualTo(before + 1);
    }

    @Test
    void bodyOverFourMebibytesIs413ButExactlyFourIsRead() throws Exception {
        int before = jobCount();
        String valid = JobBodies.image("10.0.0.26");
        // JSON allows any amount of whitespace; pad a valid body to exactly the limit, then one byte past it
        String atLimit = valid + " ".repeat(FOUR_MIB - valid.getBytes(StandardCharsets.UTF_8).length);
        assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(FOUR_MIB);

        HttpResponse<String> tooBig = c.post("/api/v1/jobs", atLimit + " ");
        assertError(tooBig, 413, "payload_too_large");
        assertThat(jobCount()).isEqualTo(before);

        HttpResponse<String> ok = c.post("/api/v1/jobs", atLimit);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(jobCount()).isEqualTo(before + 1);
    }

    @Test
    void muchLargerBodyIs413Too() throws Exception {
        int before = jobCount();
        byte[] big = new byte[6 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        HttpResponse<String> r;
        try {
            r = postRaw("/api/v1/jobs", "application/json", HttpRequest.BodyPublishers.ofByteArray(big));
        } catch (java.io.IOException e) {
            // the controller may answer and close before the client has sent everything; it must not accept it
            assertThat(jobCount()).isEqualTo(before);
            return;
        }
        assertError(r, 413, "payload_too_large");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void malformedJsonIs400NamingLineAndColumn() throws Exception {
        int before = jobCount();
        HttpResponse<String> r = c.post("/api/v1/jobs", "{\n  \"server\": {\"bmc_url\": \"https://10.0.0.5\",,\n}");

        assertError(r, 400, "malformed_json");
        assertThat(json(r).path("error").path("message").asText()).containsPattern("line 2 column \\d+");

        assertError(c.post("/api/v1/jobs", "{\"server\": {}"), 400, "malformed_json");
        // duplicate keys and trailing tokens are refused too: both are ways to smuggle a second value past a reviewer
        HttpResponse<String> dup = c.post("/api/v1/jobs", "{\"labels\": {}, \"labels\": {}}");
        assertError(dup, 400, "malformed_json");
        assertThat(json(dup).path("error").path("message").asText()).contains("labels");
        assertError(c.post("/api/v1/jobs", JobBodies.image("10.0.0.27") + " {}"), 400, "malformed_json");
        assertError(c.post("/api/v1/jobs", "{\"a\": NaN}"), 400, "malformed_json");
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void emptyBodyIs400() throws Exception {
        HttpResponse<String> r = c.post("/api/v1/jobs", "");

        assertError(r, 400, "invalid_request");
        assertThat(json(r).path("error").path("message").asText()).contains("empty");
        assertThat(c.post("/api/v1/jobs", "   \n").statusCode()).isEqualTo(400);
    }

    @Test
    void nonObjectBodiesAre400() throws Exception {
        int before = jobCount();
        List<String> bodies = List.of("[" + JobBodies.image() + "]", "[]", "null", "42", "\"job\"", "true");
        for (String body : bodies) {
            HttpResponse<String> r = c.post("/api/v1/jobs", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            JsonNode error = json(r).path("error");
            assertThat(error.path("code").asText()).as(body).isIn("invalid_request", "malformed_json");
            if (body.startsWith("[")) {
                assertThat(error.path("code").asText()).isEqualTo("invalid_request");
                assertThat(error.path("message").asText()).contains("JSON object");
            }
        }
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void unauthenticatedRequestsAre401AndStoreNothing() throws Exception {
        int before = jobCount();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri("/api/v1/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JobBodies.image())).build());

        assertError(r, 401, "unauthorized");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void headOnAJobAnswersLikeGetWithoutABody() throws Exception {
        String id = create(JobBodies.image("10.0.0.28")).path("id").asText();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri("/api/v1/jobs/" + id))
                .header("Authorization", c.authorization()).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }
}
