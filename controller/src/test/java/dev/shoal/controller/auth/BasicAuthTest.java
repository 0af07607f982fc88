package dev.shoal.controller.auth;

import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** AUTH_MODE=basic over real HTTP, with hashes made by Debian's htpasswd and argon2. */
class BasicAuthTest {
    static final String PASSWORD = "operator-pw-3jR";
    static final String SECRET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEF";

    static TestController production(Path root, String hash) throws Exception {
        Map<ConfigKey, String> s = new EnumMap<>(ConfigKey.class);
        s.put(ConfigKey.SHOAL_MODE, "production");
        s.put(ConfigKey.CONTROLLER_HTTP_ADDR, "127.0.0.1:0");
        s.put(ConfigKey.STORAGE_ROOT, root.toString());
        s.put(ConfigKey.BASIC_PASS_HASH, hash);
        s.put(ConfigKey.WEBHOOK_SECRET, SECRET);
        s.put(ConfigKey.SIGNED_URL_SECRET, SECRET + "x");
        return TestController.start(s, PASSWORD);
    }

    @Test
    void htpasswdBcryptHashLogsIn(@TempDir Path root) throws Exception {
        try (TestController c = production(root, DebianTools.htpasswdBcrypt(PASSWORD, 5))) {
            assertThat(status(c, TestController.basic("admin", PASSWORD))).isEqualTo(404);
            HttpResponse<String> wrong = c.send(request(c, TestController.basic("admin", PASSWORD + "x")));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"shoal\", charset=\"UTF-8\"");
            assertThat(wrong.body()).contains("\"code\":\"unauthorized\"");
            assertThat(status(c, TestController.basic("root", PASSWORD))).as("wrong user").isEqualTo(401);
            assertThat(status(c, "Basic !!!not-base64")).isEqualTo(401);
            assertThat(status(c, "Bearer abc")).isEqualTo(401);
            assertThat(c.send(HttpRequest.newBuilder(c.uri("/api/v1/jobs")).build()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void argon2idHashFromDebianLogsIn(@TempDir Path root) throws Exception {
        try (TestController c = production(root, DebianTools.argon2id(PASSWORD, "saltsaltsalt"))) {
            assertThat(status(c, TestController.basic("admin", PASSWORD))).isEqualTo(404);
            assertThat(status(c, TestController.basic("admin", "nope"))).isEqualTo(401);
        }
    }

    @Test
    void failuresAreThrottledPerAddressBeforeAnyHashIsComputed(@TempDir Path root) throws Exception {
        try (TestController c = production(root, DebianTools.htpasswdBcrypt(PASSWORD, 5))) {
            String wrong = TestController.basic("admin", "guess");
            for (int i = 0; i < 5; i++) {
                assertThat(status(c, wrong)).as("free failure %d", i + 1).isEqualTo(401);
            }
            assertThat(status(c, wrong)).as("6th failure still checked, then the address waits").isEqualTo(401);
            HttpResponse<String> blocked = c.send(request(c, TestController.basic("admin", PASSWORD)));
            assertThat(blocked.statusCode()).as("even the right password waits: nothing cached yet").isEqualTo(429);
            assertThat(blocked.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
            assertThat(blocked.body()).contains("\"code\":\"too_many_requests\"");

            HttpClient other = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
            HttpResponse<String> fromOther = other.send(request(c, TestController.basic("admin", PASSWORD)),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fromOther.statusCode()).as("another address is not blocked").isEqualTo(404);

            Thread.sleep(1100);
            assertThat(status(c, TestController.basic("admin", PASSWORD))).as("after Retry-After").isEqualTo(404);
        }
    }

    @Test
    void verifiedCredentialsAreCachedSoABlockedAddressKeepsWorkingWithThem(@TempDir Path root) throws Exception {
        try (TestController c = production(root, DebianTools.htpasswdBcrypt(PASSWORD, 5))) {
            String right = TestController.basic("admin", PASSWORD);
            assertThat(status(c, right)).isEqualTo(404);
            for (int i = 0; i < 7; i++) {
                status(c, TestController.basic("admin", "guess" + i));
            }
            assertThat(status(c, TestController.basic("admin", "guess-again"))).isEqualTo(429);
            assertThat(status(c, right)).as("cached credentials skip the throttle and the hash").isEqualTo(404);
        }
    }

    @Test
    void authModeNoneInLocalModeNeedsNoCredentials(@TempDir Path root) throws Exception {
        try (TestController c = TestController.local(root, Map.of(ConfigKey.AUTH_MODE, "none"))) {
            assertThat(c.send(HttpRequest.newBuilder(c.uri("/api/v1/jobs")).build()).statusCode()).isEqualTo(200);
        }
    }

    private static HttpRequest request(TestController c, String authorization) {
        return HttpRequest.newBuilder(c.uri("/api/v1/jobs/nonexistent")).header("Authorization", authorization).build();
    }

    private static int status(TestController c, String authorization) throws Exception {
        return c.send(request(c, authorization)).statusCode();
    }
}
