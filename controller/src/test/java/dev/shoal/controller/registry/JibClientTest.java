package dev.shoal.controller.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static dev.shoal.controller.registry.RegistryClients.PASSWORD;
import static dev.shoal.controller.registry.RegistryClients.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Google's jib-core builds a small image from scratch and pushes it, with credentials, to a real controller's /v2/ over
 * plain HTTP; the manifest it reports is the one the registry serves, and every blob it names is there.
 */
class JibClientTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void buildsAndPushesAnImageWithCredentials(@TempDir Path dir) throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("hello.txt"), "hello from jib\n");
        Files.write(app.resolve("data.bin"), new java.util.Random(5).ints(200_000).collect(
                java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> { }).toByteArray());
        // jib sends Basic credentials over plain HTTP only when told to (the registry is on loopback here)
        String before = System.setProperty("sendCredentialsOverHttp", "true");
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try (TestController c = RegistryClients.basic(dir)) {
            String name = RegistryClients.host(c) + "/jib/app:v1";
            JibContainer built = Jib.fromScratch()
                    .setFormat(ImageFormat.OCI)
                    .addLayer(List.of(app.resolve("hello.txt"), app.resolve("data.bin")), AbsoluteUnixPath.get("/app"))
                    .setEntrypoint("/app/hello.txt")
                    .containerize(Containerizer.to(RegistryImage.named(name).addCredential(USER, PASSWORD))
                            .setAllowInsecureRegistries(true)
                            .setBaseImageLayersCache(tmp.resolve("cache/base"))
                            .setApplicationLayersCache(tmp.resolve("cache/app"))
                            .setExecutorService(executor)
                            .setToolName("shoal-tests"));

            HttpResponse<byte[]> got = RegistryClients.get(c, "/v2/jib/app/manifests/v1", "application/vnd.oci.image.manifest.v1+json");
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(RegistryClients.sha256(got.body())).isEqualTo(built.getDigest().toString());
            assertThat(got.headers().firstValue("Docker-Content-Digest")).hasValue(built.getDigest().toString());
            JsonNode m = JSON.readTree(got.body());
            assertThat(m.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
            assertThat(m.get("config").get("digest").asText()).isEqualTo(built.getImageId().toString());
            assertThat(m.get("layers")).hasSize(1);
            for (JsonNode d : List.of(m.get("config"), m.get("layers").get(0))) {
                byte[] blob = RegistryClients.get(c, "/v2/jib/app/blobs/" + d.get("digest").asText(), null).body();
                assertThat(RegistryClients.sha256(blob)).isEqualTo(d.get("digest").asText());
                assertThat((long) blob.length).isEqualTo(d.get("size").asLong());
            }
            JsonNode config = JSON.readTree(RegistryClients.get(c, "/v2/jib/app/blobs/" + m.get("config").get("digest").asText(), null).body());
            assertThat(config.get("config").get("Entrypoint").get(0).asText()).isEqualTo("/app/hello.txt");
            // the same manifest by digest
            assertThat(RegistryClients.get(c, "/v2/jib/app/manifests/" + built.getDigest(), null).body()).isEqualTo(got.body());
        } finally {
            executor.shutdownNow();
            if (before == null) {
                System.clearProperty("sendCredentialsOverHttp");
            } else {
                System.setProperty("sendCredentialsOverHttp", before);
            }
        }
    }
}
