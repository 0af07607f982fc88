package dev.shoal.controller.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.shoal.controller.registry.RegistryClients.PASSWORD;
import static dev.shoal.controller.registry.RegistryClients.USER;
import static dev.shoal.controller.registry.RegistryClients.ok;
import static dev.shoal.controller.registry.RegistryClients.skopeo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A layout made by Debian's umoci (init, new, unpack, add a file, repack) goes through a real controller's /v2/ with
 * skopeo, and the copy that comes back is one umoci unpacks to the same file.
 */
class UmociLayoutTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void anUmociLayoutPushedWithSkopeoComesBackAndUnpacks(@TempDir Path dir) throws Exception {
        Path image = tmp.resolve("image");
        ok(tmp, "umoci", "init", "--layout", image.toString());
        ok(tmp, "umoci", "new", "--image", image + ":v1");
        Path bundle = tmp.resolve("bundle");
        ok(tmp, "umoci", "unpack", "--rootless", "--image", image + ":v1", bundle.toString());
        Files.createDirectories(bundle.resolve("rootfs/etc"));
        Files.writeString(bundle.resolve("rootfs/etc/shoal-release"), "umoci layer\n");
        ok(tmp, "umoci", "repack", "--image", image + ":v1", bundle.toString());
        ok(tmp, "umoci", "config", "--image", image + ":v1", "--config.cmd", "/bin/true");

        JsonNode index = JSON.readTree(image.resolve("index.json").toFile());
        String manifestDigest = index.get("manifests").get(0).get("digest").asText();
        byte[] manifest = Files.readAllBytes(RegistryClients.blobPath(image, manifestDigest));

        try (TestController c = RegistryClients.basic(dir)) {
            String ref = "docker://" + RegistryClients.host(c) + "/umoci/base:v1";
            String creds = USER + ":" + PASSWORD;
            ok(tmp, skopeo("copy", "--dest-tls-verify=false", "--dest-creds", creds, "oci:" + image + ":v1", ref));
            // umoci's layers are gzipped already: skopeo sends them as they are, so the manifest is umoci's own
            assertThat(RegistryClients.get(c, "/v2/umoci/base/manifests/v1", null).body()).isEqualTo(manifest);
            for (JsonNode layer : JSON.readTree(manifest).get("layers")) {
                String d = layer.get("digest").asText();
                assertThat(RegistryClients.get(c, "/v2/umoci/base/blobs/" + d, null).body())
                        .isEqualTo(Files.readAllBytes(RegistryClients.blobPath(image, d)));
            }

            Path back = tmp.resolve("back");
            ok(tmp, skopeo("copy", "--src-tls-verify=false", "--src-creds", creds, ref, "oci:" + back + ":v1"));
            assertThat(JSON.readTree(back.resolve("index.json").toFile()).get("manifests").get(0).get("digest").asText())
                    .isEqualTo(manifestDigest);
            Path unpacked = tmp.resolve("unpacked");
            ok(tmp, "umoci", "unpack", "--rootless", "--image", back + ":v1", unpacked.toString());
            assertThat(unpacked.resolve("rootfs/etc/shoal-release")).hasContent("umoci layer\n");
            assertThat(JSON.readTree(unpacked.resolve("config.json").toFile()).get("process").get("args").get(0).asText())
                    .isEqualTo("/bin/true");
        }
    }
}
