package dev.shoal.agent.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.agent.StepFailure;
import dev.shoal.agent.task.RegistryAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
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
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * oci:// pulls against Debian's docker-registry (CNCF distribution 2.8, run by ./run-tests' packages) with htpasswd
 * auth: disk images pushed as single-layer OCI artifacts over the distribution API, the way oras pushes them.
 */
class OciImageSourceTest {
    static final String USER = "job-test";
    static final String PASSWORD = "pull-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Process registry;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final byte[] IMAGE = new byte[3 << 20];

    @BeforeAll
    static void start() throws Exception {
        new Random(5).nextBytes(IMAGE);
        Process h = new ProcessBuilder("htpasswd", "-nbB", USER, PASSWORD).start();
        String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(h.waitFor()).isZero();
        Files.writeString(dir.resolve("htpasswd"), line + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log: {level: error}
                storage: {filesystem: {rootdirectory: %s}}
                auth: {htpasswd: {realm: test, path: %s}}
                http: {addr: "127.0.0.1:%d"}
                """.formatted(dir.resolve("data"), dir.resolve("htpasswd"), port));
        registry = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        base = URI.create("http://127.0.0.1:" + port);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
                    break;
                }
            } catch (java.io.IOException e) {
                assertThat(System.nanoTime()).as("docker-registry started: " + Files.readString(dir.resolve("registry.log"))).isLessThan(end);
                Thread.sleep(100);
            }
        }
        pushArtifact("images/disk", "1", List.of(Map.entry("disk.raw", IMAGE)));
        pushArtifact("images/two", "1", List.of(Map.entry("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)),
                Map.entry("notes2.txt", "again".getBytes(StandardCharsets.UTF_8))));
    }

    @AfterAll
    static void stop() {
        registry.destroy();
    }

    static String auth() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static void pushBlob(String repo, byte[] bytes) throws Exception {
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/"))
                .header("Authorization", auth()).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = base.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + sha256(bytes));
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put).header("Authorization", auth())
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    }

    static void pushArtifact(String repo, String tag, List<Map.Entry<String, byte[]>> files) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        pushBlob(repo, config);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.put("artifactType", "application/vnd.shoal.disk-image");
        ObjectNode c = m.putObject("config");
        c.put("mediaType", "application/vnd.oci.empty.v1+json");
        c.put("digest", sha256(config));
        c.put("size", config.length);
        var layers = m.putArray("layers");
        for (var f : files) {
            pushBlob(repo, f.getValue());
            ObjectNode l = layers.addObject();
            l.put("mediaType", "application/octet-stream");
            l.put("digest", sha256(f.getValue()));
            l.put("size", f.getValue().length);
            l.putObject("annotations").put(OciImageSource.TITLE, f.getKey());
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/manifests/" + tag))
                .header("Authorization", auth()).header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(m))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    OciImageSource source(String password) {
        return new OciImageSource(http, Optional.of(new RegistryAccess(base, USER, password)));
    }

    URI oci(String ref) {
        return URI.create("oci://" + base.getAuthority() + "/" + ref);
    }

    @Test
    void pullsTheSingleLayerOfAnArtifactByTagAndByDigest() throws Exception {
        try (ImageSource.Download d = source(PASSWORD).open(oci("images/disk:1"))) {
            assertThat(d.length()).hasValue(IMAGE.length);
            assertThat(d.body().readAllBytes()).isEqualTo(IMAGE);
        }
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(base.resolve("/v2/images/disk/manifests/1"))
                .header("Authorization", auth()).header("Accept", OciImageSource.ACCEPT_MANIFESTS)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String digest = head.headers().firstValue("Docker-Content-Digest").orElseThrow();
        try (ImageSource.Download d = source(PASSWORD).open(oci("images/disk@" + digest))) {
            assertThat(sha256(d.body().readAllBytes())).isEqualTo(sha256(IMAGE));
        }
    }

    @Test
    void refusalsNameTheCause() {
        assertThatThrownBy(() -> source("wrong").open(oci("images/disk:1"))).isInstanceOf(StepFailure.class)
                .hasMessageContaining("401").hasMessageContaining("images/disk:1");
        assertThatThrownBy(() -> source(PASSWORD).open(oci("images/disk:nope"))).isInstanceOf(StepFailure.class)
                .hasMessageContaining("404").hasMessageContaining("MANIFEST_UNKNOWN");
        assertThatThrownBy(() -> source(PASSWORD).open(oci("images/two:1"))).isInstanceOf(StepFailure.class)
                .hasMessageContaining("2 layers").hasMessageContaining("single-layer");
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestFailsAtItsEnd() throws Exception {
        byte[] served = "not what the manifest said".getBytes(StandardCharsets.UTF_8);
        InputStream in = new OciImageSource.VerifyingStream(new ByteArrayInputStream(served), sha256("something else".getBytes()));
        assertThatThrownBy(in::readAllBytes).hasMessageContaining("does not match its digest");
        InputStream ok = new OciImageSource.VerifyingStream(new ByteArrayInputStream(served), sha256(served));
        assertThat(ok.readAllBytes()).isEqualTo(served);
    }
}
