package dev.shoal.controller.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.controller.auth.CredentialCache;
import dev.shoal.controller.auth.LoginThrottle;
import dev.shoal.controller.http.Principal;
import dev.shoal.controller.store.Database;
import dev.shoal.controller.store.Migrations;
import dev.shoal.controller.testing.DebianTools;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's access control over real HTTP, with htpasswd files made by Debian's htpasswd and job credentials
 * in a real SQLite store. Behind it sits a stand-in for the registry that answers 200 and names the caller, so these
 * tests see only what the auth layer decides.
 */
class RegistryAuthTest {
    @TempDir
    static Path tmp;
    static Database db;
    static JobPullCredentials jobs;
    static HtpasswdUsers users;
    static Path usersFile;
    static Server server;
    static URI base;
    final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        db = Database.open(tmp.resolve("db/provisioner.db"), Optional.empty());
        new Migrations(db).migrate();
        usersFile = tmp.resolve("registry-users.htpasswd");
        Files.writeString(usersFile, "# registry users\nalice:" + DebianTools.htpasswdBcrypt("alice-pw", 5) + "\n"
                + "bob:" + DebianTools.htpasswdBcrypt("bob-pw", 5) + "\n");
        Clock clock = Clock.systemUTC();
        users = new HtpasswdUsers(usersFile, clock);
        jobs = new JobPullCredentials(db, new SecureRandom(), clock);
        Handler standIn = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(("ok " + request.getAttribute(Principal.ATTRIBUTE)).getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(new RegistryAuthHandler(standIn, users, Optional.of(Set.of("alice")), jobs,
                new CredentialCache(new SecureRandom(), clock, Duration.ofMinutes(10), 100),
                new LoginThrottle(clock, 50, Duration.ofSeconds(1), 100)));
        server.start();
        base = URI.create("http://127.0.0.1:" + c.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        db.close();
    }

    HttpResponse<String> call(String method, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertSpecError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).path("errors").get(0);
        assertThat(e.path("code").asText()).isEqualTo(code);
        if (status == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(RegistryAuthHandler.CHALLENGE);
        }
    }

    @Test
    void usersPullAndOnlyPushUsersPush() throws Exception {
        assertThat(call("GET", "/v2/", "alice", "alice-pw").body()).isEqualTo("ok alice");
        assertThat(call("GET", "/v2/tools/ipmi/manifests/latest", "bob", "bob-pw").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/tools/ipmi/blobs/uploads/", "alice", "alice-pw").statusCode()).isEqualTo(200);
        assertSpecError(call("POST", "/v2/tools/ipmi/blobs/uploads/", "bob", "bob-pw"), 403, "DENIED");
    }

    @Test
    void noOrWrongCredentialsAre401WithAChallengeInTheSpecBody() throws Exception {
        assertSpecError(call("GET", "/v2/", null, null), 401, "UNAUTHORIZED");
        assertSpecError(call("GET", "/v2/", "alice", "wrong"), 401, "UNAUTHORIZED");
        assertSpecError(call("GET", "/v2/", "mallory", "alice-pw"), 401, "UNAUTHORIZED");
    }

    @Test
    void aJobCredentialPullsItsOwnRepositoryOnlyAndOnlyUntilRevoked() throws Exception {
        String jobId = "01a1fe32-d0a5-7162-a6b4-ecd0386277c6";
        db.write(h -> h.createUpdate("""
                INSERT INTO jobs (id, state, server_key, server_json, recipe_json, labels_json, created_at, updated_at)
                VALUES (:id, 'provisioning', 'k', '{}', '{}', '{}', 0, 0)""").bind("id", jobId).execute());
        JobPullCredentials.Issued c = jobs.issue(jobId, "images/debian");
        String pw = c.password().reveal();
        assertThat(c.username()).isEqualTo("job-" + jobId);

        assertThat(call("GET", "/v2/images/debian/manifests/12", c.username(), pw).statusCode()).isEqualTo(200);
        assertThat(call("HEAD", "/v2/images/debian/blobs/sha256:" + "a".repeat(64), c.username(), pw).statusCode()).isEqualTo(200);
        assertSpecError(call("GET", "/v2/images/other/manifests/12", c.username(), pw), 401, "UNAUTHORIZED");
        assertSpecError(call("PUT", "/v2/images/debian/manifests/12", c.username(), pw), 403, "DENIED");
        assertSpecError(call("GET", "/v2/images/debian/manifests/12", c.username(), "x" + pw.substring(1)), 401, "UNAUTHORIZED");

        // the engine deletes it when the job ends
        db.write(h -> h.createUpdate("DELETE FROM registry_job_credentials WHERE job_id = :id").bind("id", jobId).execute());
        assertSpecError(call("GET", "/v2/images/debian/manifests/12", c.username(), pw), 401, "UNAUTHORIZED");
    }

    @Test
    void theUsersFileIsReloadedWhenItChangesAndABrokenEditKeepsTheOldUsers() throws Exception {
        Path other = tmp.resolve("reload.htpasswd");
        Files.writeString(other, "carol:" + DebianTools.htpasswdBcrypt("carol-pw", 5) + "\n");
        HtpasswdUsers u = new HtpasswdUsers(other, Clock.systemUTC());
        assertThat(u.hash("carol")).isPresent();
        assertThat(u.hash("dave")).isEmpty();

        Files.writeString(other, "carol:" + DebianTools.htpasswdBcrypt("carol-pw", 5) + "\ndave:" + DebianTools.htpasswdBcrypt("d", 5) + "\n");
        Thread.sleep(1100);
        assertThat(u.hash("dave")).as("picked up within a second").isPresent();

        Files.writeString(other, "carol\n");
        assertThat(u.reload()).isFalse();
        assertThat(u.hash("carol")).as("a broken edit keeps the users loaded before").isPresent();
        assertThat(u.size()).isEqualTo(2);
    }
}
