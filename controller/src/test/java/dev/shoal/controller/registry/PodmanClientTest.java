package dev.shoal.controller.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.shoal.controller.registry.RegistryClients.PASSWORD;
import static dev.shoal.controller.registry.RegistryClients.USER;
import static dev.shoal.controller.registry.RegistryClients.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's podman (vfs storage in a temp dir, no daemon, no containers run) pushes an image to a real controller's
 * /v2/ with {@code --creds} and pulls it back into empty storage.
 */
class PodmanClientTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void pushesAndPullsBackWithCredentials(@TempDir Path dir) throws Exception {
        byte[] content = "#!/bin/sh\necho hello from podman\n".getBytes(StandardCharsets.UTF_8);
        RegistryClients.Layout src = RegistryClients.layout(tmp.resolve("src"), "v1", "hello.sh", content);
        try (TestController c = RegistryClients.basic(dir)) {
            String name = RegistryClients.host(c) + "/podman/tiny:v1";
            String creds = USER + ":" + PASSWORD;
            ok(tmp, podman("pull", "oci:" + src.dir() + ":v1"));
            ok(tmp, podman("tag", "localhost" + src.dir() + ":latest", name));
            ok(tmp, podman("push", "--tls-verify=false", "--creds", creds, name));

            byte[] manifest = RegistryClients.get(c, "/v2/podman/tiny/manifests/v1",
                    "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json").body();
            JsonNode m = JSON.readTree(manifest);
            for (JsonNode d : iterable(m)) {
                byte[] blob = RegistryClients.get(c, "/v2/podman/tiny/blobs/" + d.get("digest").asText(), null).body();
                assertThat(RegistryClients.sha256(blob)).isEqualTo(d.get("digest").asText());
                assertThat((long) blob.length).isEqualTo(d.get("size").asLong());
            }

            // empty storage, then pull it back from the registry
            ok(tmp, podman("rmi", "--all", "--force"));
            ok(tmp, podman("pull", "--tls-verify=false", "--creds", creds, name));
            JsonNode inspect = JSON.readTree(ok(tmp, podman("image", "inspect", name))).get(0);
            assertThat(inspect.get("Digest").asText()).isEqualTo(RegistryClients.sha256(manifest));
            // the layer's uncompressed content is the one we built, whatever compression podman chose on push
            assertThat(inspect.get("RootFS").get("Layers").get(0).asText()).isEqualTo(src.diffId());
            assertThat(inspect.get("Config").get("Cmd").get(0).asText()).isEqualTo("/hello.sh");

            RegistryClients.Result wrong = RegistryClients.run(tmp, podman("pull", "--tls-verify=false", "--creds",
                    USER + ":wrong-password", name));
            assertThat(wrong.exit()).as(wrong.output()).isNotZero();
            assertThat(wrong.output()).containsIgnoringCase("unauthorized");
        }
    }

    private static List<JsonNode> iterable(JsonNode manifest) {
        List<JsonNode> all = new ArrayList<>();
        all.add(manifest.get("config"));
        manifest.get("layers").forEach(all::add);
        return all;
    }

    private List<String> podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", tmp.resolve("storage").toString(),
                "--runroot", tmp.resolve("run").toString(), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
                "--events-backend", "none"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
