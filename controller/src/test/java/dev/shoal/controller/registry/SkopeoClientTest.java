package dev.shoal.controller.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.shoal.controller.registry.RegistryClients.PASSWORD;
import static dev.shoal.controller.registry.RegistryClients.USER;
import static dev.shoal.controller.registry.RegistryClients.ok;
import static dev.shoal.controller.registry.RegistryClients.skopeo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's skopeo against a real controller's /v2/: an {@code oci:} layout copied in and back out, byte for byte, with
 * {@code REGISTRY_AUTH_MODE=basic} (credentials on the command line) and with {@code none} (local mode, no credentials).
 */
class SkopeoClientTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void copiesInAndOutWithCredentialsAndAWrongPasswordIs401(@TempDir Path dir) throws Exception {
        RegistryClients.Layout src = RegistryClients.layout(tmp.resolve("src"), "v1", "hello.txt",
                "hello from skopeo\n".getBytes(StandardCharsets.UTF_8));
        try (TestController c = RegistryClients.basic(dir)) {
            String ref = "docker://" + RegistryClients.host(c) + "/skopeo/tiny:v1";
            String creds = USER + ":" + PASSWORD;
            ok(tmp, skopeo("copy", "--dest-tls-verify=false", "--dest-creds", creds, "oci:" + src.dir() + ":v1", ref));

            assertThat(RegistryClients.get(c, "/v2/skopeo/tiny/manifests/v1", null).body()).isEqualTo(src.manifest());
            assertThat(RegistryClients.get(c, "/v2/skopeo/tiny/blobs/" + src.layerDigest(), null).body()).isEqualTo(src.layer());

            Path back = tmp.resolve("back");
            ok(tmp, skopeo("copy", "--src-tls-verify=false", "--src-creds", creds, ref, "oci:" + back + ":v1"));
            assertSameImage(back, src);

            String inspect = ok(tmp, skopeo("inspect", "--tls-verify=false", "--creds", creds, "--raw", ref));
            assertThat(inspect.getBytes(StandardCharsets.UTF_8)).isEqualTo(src.manifest());

            // a wrong password: skopeo gives up, and the registry said 401 with a Basic challenge
            RegistryClients.Result wrong = RegistryClients.run(tmp, skopeo("copy", "--src-tls-verify=false",
                    "--src-creds", USER + ":not-the-password", ref, "oci:" + tmp.resolve("nothing") + ":v1"));
            assertThat(wrong.exit()).as(wrong.output()).isNotZero();
            assertThat(wrong.output()).containsIgnoringCase("unauthorized");
            var raw = c.send(java.net.http.HttpRequest.newBuilder(c.uri("/v2/skopeo/tiny/manifests/v1"))
                    .header("Authorization", RegistryClients.authorization(USER, "not-the-password")).GET().build());
            assertThat(raw.statusCode()).isEqualTo(401);
            assertThat(raw.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
            // and without credentials at all, too
            RegistryClients.Result none = RegistryClients.run(tmp, skopeo("inspect", "--tls-verify=false", "--raw", ref));
            assertThat(none.exit()).as(none.output()).isNotZero();
        }
    }

    @Test
    void copiesInAndOutWithoutCredentialsWhenAuthIsNone(@TempDir Path dir) throws Exception {
        RegistryClients.Layout src = RegistryClients.layout(tmp.resolve("src"), "v1", "hello.txt",
                "hello without auth\n".getBytes(StandardCharsets.UTF_8));
        try (TestController c = RegistryClients.open(dir)) {
            String ref = "docker://" + RegistryClients.host(c) + "/open/tiny:v1";
            ok(tmp, skopeo("copy", "--dest-tls-verify=false", "oci:" + src.dir() + ":v1", ref));
            // a second copy finds every blob there already
            ok(tmp, skopeo("copy", "--dest-tls-verify=false", "oci:" + src.dir() + ":v1",
                    "docker://" + RegistryClients.host(c) + "/open/tiny:v2"));
            Path back = tmp.resolve("back");
            ok(tmp, skopeo("copy", "--src-tls-verify=false", ref, "oci:" + back + ":v1"));
            assertSameImage(back, src);
            JsonNode tags = JSON.readTree(ok(tmp, skopeo("list-tags", "--tls-verify=false",
                    "docker://" + RegistryClients.host(c) + "/open/tiny")));
            assertThat(tags.get("Tags").toString()).isEqualTo("[\"v1\",\"v2\"]");
        }
    }

    static void assertSameImage(Path back, RegistryClients.Layout src) throws Exception {
        JsonNode index = JSON.readTree(back.resolve("index.json").toFile());
        assertThat(index.get("manifests").get(0).get("digest").asText()).isEqualTo(src.manifestDigest());
        assertThat(RegistryClients.blobPath(back, src.manifestDigest())).hasBinaryContent(src.manifest());
        assertThat(RegistryClients.blobPath(back, src.layerDigest())).hasBinaryContent(src.layer());
        assertThat(RegistryClients.blobPath(back, RegistryClients.sha256(src.config()))).hasBinaryContent(src.config());
        try (var files = Files.walk(back.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(3);
        }
    }
}
