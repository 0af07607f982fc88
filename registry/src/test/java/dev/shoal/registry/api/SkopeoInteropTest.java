package dev.shoal.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.manifest.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.shoal.registry.api.ErrorBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real client: Debian's skopeo copies a tiny OCI image from an {@code oci:} layout into the registry and back, and
 * the manifest and layer come back byte for byte. Skipped where skopeo is not installed ({@code apt-get install skopeo}).
 */
class SkopeoInteropTest {
    @TempDir
    Path tmp;

    @Test
    void skopeoCopiesAnImageInAndOutUnchanged() throws Exception {
        Path skopeo = onPath("skopeo");
        // ./run-tests installs skopeo; a machine without it fails here rather than skipping into green
        assertThat(skopeo).as("skopeo on PATH (Debian package skopeo)").isNotNull();
        Path layout = tmp.resolve("src");
        Image image = writeLayout(layout);
        try (RegistryServer reg = new RegistryServer(tmp.resolve("registry"))) {
            String ref = "docker://127.0.0.1:" + reg.port + "/shoal/tiny:v1";
            run(skopeo, "copy", "--dest-tls-verify=false", "oci:" + layout + ":v1", ref);

            assertThat(reg.get("/v2/shoal/tiny/manifests/v1").body()).isEqualTo(image.manifest);
            assertThat(reg.get("/v2/shoal/tiny/blobs/" + image.layer).body()).isEqualTo(image.layerBytes);

            // a second push finds every blob already there and must still succeed
            run(skopeo, "copy", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                    "docker://127.0.0.1:" + reg.port + "/shoal/tiny:v2");

            Path back = tmp.resolve("back");
            run(skopeo, "copy", "--src-tls-verify=false", ref, "oci:" + back + ":v1");
            JsonNode index = JSON.readTree(back.resolve("index.json").toFile());
            assertThat(index.get("manifests").get(0).get("digest").asText()).isEqualTo(image.manifestDigest.toString());
            assertThat(back.resolve("blobs/sha256/" + image.layer.hex())).hasBinaryContent(image.layerBytes);
            assertThat(back.resolve("blobs/sha256/" + image.manifestDigest.hex())).hasBinaryContent(image.manifest);

            String tags = new String(run(skopeo, "list-tags", "--tls-verify=false",
                    "docker://127.0.0.1:" + reg.port + "/shoal/tiny"), StandardCharsets.UTF_8);
            assertThat(JSON.readTree(tags).get("Tags").toString()).isEqualTo("[\"v1\",\"v2\"]");
        }
    }

    record Image(byte[] manifest, Digest manifestDigest, byte[] layerBytes, Digest layer) {
    }

    /** An OCI image layout with one gzipped tar layer holding /hello.txt, tagged v1. */
    static Image writeLayout(Path dir) throws IOException {
        byte[] tar = tar("hello.txt", "hello from shoal\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        byte[] layer = gz.toByteArray();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + Digest.of(DigestAlgorithm.SHA256, tar) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blob(dir, config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + blob(dir, layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest m = blob(dir, manifest);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + m + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        return new Image(manifest, m, layer, Digest.of(DigestAlgorithm.SHA256, layer));
    }

    private static Digest blob(Path dir, byte[] content) throws IOException {
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.write(dir.resolve("blobs/sha256/" + d.hex()), content);
        return d;
    }

    /** A POSIX ustar archive with one regular file, enough for a layer any tool can read. */
    static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644\0");
        put(header, 108, "0000000\0");
        put(header, 116, "0000000\0");
        put(header, 124, String.format("%011o\0", content.length));
        put(header, 136, String.format("%011o\0", 1_700_000_000L));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", sum));
        int padded = (content.length + 511) / 512 * 512;
        byte[] out = new byte[512 + padded + 1024]; // two zero blocks end the archive
        System.arraycopy(header, 0, out, 0, 512);
        System.arraycopy(content, 0, out, 512, content.length);
        return out;
    }

    private static void put(byte[] block, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, block, at, b.length);
    }

    private byte[] run(Path skopeo, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(skopeo.toString(), "--insecure-policy"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", tmp.toString()); // no auth files or caches from the machine
        pb.environment().put("TMPDIR", tmp.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + new String(out, StandardCharsets.UTF_8)).isZero();
        return out;
    }

    private static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
