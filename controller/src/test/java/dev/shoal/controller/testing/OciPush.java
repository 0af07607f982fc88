package dev.shoal.controller.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushes a disk image as a single-layer OCI artifact over the distribution API, as {@code oras push} does: an empty
 * config, one layer titled with the file name, an artifactType.
 */
public final class OciPush {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI registry;
    private final String authorization;

    public OciPush(URI registry, String user, String password) {
        this.registry = registry;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    public void blob(String repo, byte[] bytes) throws Exception {
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repo + "/blobs/uploads/"))
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = registry.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + sha256(bytes));
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put).header("Authorization", authorization)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    }

    /** Returns the manifest's digest. */
    public String diskImage(String repo, String tag, String fileName, byte[] image) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        blob(repo, config);
        blob(repo, image);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.put("artifactType", "application/vnd.shoal.disk-image");
        ObjectNode c = m.putObject("config");
        c.put("mediaType", "application/vnd.oci.empty.v1+json");
        c.put("digest", sha256(config));
        c.put("size", config.length);
        ObjectNode l = m.putArray("layers").addObject();
        l.put("mediaType", "application/octet-stream");
        l.put("digest", sha256(image));
        l.put("size", image.length);
        l.putObject("annotations").put("org.opencontainers.image.title", fileName);
        byte[] body = JSON.writeValueAsBytes(m);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repo + "/manifests/" + tag))
                .header("Authorization", authorization).header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return sha256(body);
    }
}
