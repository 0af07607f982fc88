package dev.shoal.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.manifest.MediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.shoal.registry.api.ErrorBodies.JSON;
import static dev.shoal.registry.api.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

class ManifestApiTest {
    @TempDir
    Path root;
    RegistryServer reg;

    @BeforeEach
    void start() throws Exception {
        reg = new RegistryServer(root);
    }

    @AfterEach
    void stop() throws Exception {
        reg.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String descriptor(String mediaType, Digest d, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + size + "}";
    }

    /** An image manifest over a config and one layer pushed to {@code repo}. */
    byte[] image(String repo, String layerText, String extra) throws Exception {
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        byte[] layer = bytes(layerText);
        Digest c = reg.pushBlob(repo, config);
        Digest l = reg.pushBlob(repo, layer);
        return bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", c, config.length) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l, layer.length) + "]" + extra + "}");
    }

    HttpResponse<byte[]> putManifest(String repo, String ref, byte[] body, String type) throws Exception {
        return reg.send("PUT", "/v2/" + repo + "/manifests/" + ref, body, "Content-Type", type);
    }

    @Test
    void pushByTagThenPullByTagAndDigestWhateverTheAccept() throws Exception {
        byte[] m = image("app", "layer-1", "");
        Digest d = Digest.of(DigestAlgorithm.SHA256, m);
        HttpResponse<byte[]> put = putManifest("app", "v1", m, MediaTypes.OCI_MANIFEST);
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(put.headers().firstValue("Location")).contains("/v2/app/manifests/" + d);
        assertThat(put.headers().firstValue("OCI-Subject")).isEmpty();

        for (String ref : List.of("v1", d.toString())) {
            HttpResponse<byte[]> get = reg.get("/v2/app/manifests/" + ref, "Accept", MediaTypes.DOCKER_MANIFEST);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(m);
            assertThat(get.headers().firstValue("Content-Type")).contains(MediaTypes.OCI_MANIFEST);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
            HttpResponse<byte[]> head = reg.send("HEAD", "/v2/app/manifests/" + ref, null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(m.length);
            assertThat(head.body()).isEmpty();
        }
        assertError(reg.get("/v2/app/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        assertError(reg.get("/v2/other/manifests/" + d), 404, "MANIFEST_UNKNOWN");
        assertError(reg.get("/v2/app/manifests/-bad"), 400, "TAG_INVALID");
        assertError(reg.get("/v2/app/manifests/sha256:1234"), 400, "DIGEST_INVALID");
        assertThat(reg.send("HEAD", "/v2/app/manifests/v2", null).statusCode()).isEqualTo(404);
    }

    @Test
    void pushByDigestMustMatchTheBody() throws Exception {
        byte[] m = image("app", "layer-1", "");
        Digest d = Digest.of(DigestAlgorithm.SHA256, m);
        Digest other = Digest.of(DigestAlgorithm.SHA256, bytes("other"));
        assertError(putManifest("app", other.toString(), m, MediaTypes.OCI_MANIFEST), 400, "DIGEST_INVALID");
        assertThat(putManifest("app", d.toString(), m, MediaTypes.OCI_MANIFEST).statusCode()).isEqualTo(201);
        Digest d512 = Digest.of(DigestAlgorithm.SHA512, m);
        HttpResponse<byte[]> put512 = putManifest("app", d512.toString(), m, MediaTypes.OCI_MANIFEST);
        assertThat(put512.headers().firstValue("Docker-Content-Digest")).contains(d512.toString());
        assertThat(reg.get("/v2/app/manifests/" + d512).body()).isEqualTo(m);
        assertThat(reg.get("/v2/app/tags/list").body()).isEqualTo(bytes("{\"name\":\"app\",\"tags\":[]}"));
    }

    @Test
    void manifestReferencingAMissingBlobIsRefused() throws Exception {
        byte[] m = image("app", "layer-1", "");
        // the same manifest in a repository that never received its blobs
        assertError(putManifest("elsewhere", "v1", m, MediaTypes.OCI_MANIFEST), 404, "MANIFEST_BLOB_UNKNOWN");
        assertError(reg.get("/v2/elsewhere/manifests/v1"), 404, "MANIFEST_UNKNOWN");

        Digest c = reg.pushBlob("app", bytes("{}"));
        byte[] wrongSize = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", c, 99) + ",\"layers\":[]}");
        assertError(putManifest("app", "v1", wrongSize, MediaTypes.OCI_MANIFEST), 400, "MANIFEST_INVALID");

        byte[] index = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + descriptor(MediaTypes.OCI_MANIFEST, Digest.of(DigestAlgorithm.SHA256, m), m.length) + "]}");
        assertError(putManifest("app", "multi", index, MediaTypes.OCI_INDEX), 404, "MANIFEST_BLOB_UNKNOWN");
        assertThat(putManifest("app", "v1", m, MediaTypes.OCI_MANIFEST).statusCode()).isEqualTo(201);
        assertThat(putManifest("app", "multi", index, MediaTypes.OCI_INDEX).statusCode()).isEqualTo(201);
        assertThat(reg.get("/v2/app/manifests/multi").headers().firstValue("Content-Type")).contains(MediaTypes.OCI_INDEX);
    }

    @Test
    void invalidManifestsAreRefusedWithAReason() throws Exception {
        assertThat(assertError(putManifest("app", "v1", bytes("not json"), MediaTypes.OCI_MANIFEST), 400,
                "MANIFEST_INVALID").get("detail").asText()).contains("JSON");
        assertError(putManifest("app", "v1", bytes("{\"schemaVersion\":1}"), MediaTypes.OCI_MANIFEST), 400, "MANIFEST_INVALID");
        assertError(putManifest("app", "v1", bytes("{\"schemaVersion\":2,\"layers\":[]}"), MediaTypes.OCI_MANIFEST),
                400, "MANIFEST_INVALID");
        assertThat(assertError(putManifest("app", "v1", bytes("{\"schemaVersion\":2}"), "application/vnd.example+json"),
                400, "MANIFEST_INVALID").get("detail").asText()).contains("unsupported manifest media type");
        byte[] m = image("app", "l", "");
        assertThat(assertError(putManifest("app", "v1", m, MediaTypes.DOCKER_MANIFEST), 400, "MANIFEST_INVALID")
                .get("detail").asText()).contains("does not match");
        assertError(putManifest("app", "v1", bytes("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\","
                + "\"digest\":\"sha256:zz\",\"size\":1},\"layers\":[]}"), MediaTypes.OCI_MANIFEST), 400, "MANIFEST_INVALID");
        assertError(reg.send("PUT", "/v2/app/manifests/v1", new byte[ManifestsApi.MAX_MANIFEST_BYTES + 1],
                "Content-Type", MediaTypes.OCI_MANIFEST), 413, "SIZE_INVALID");
    }

    @Test
    void dockerSchema2AndManifestListAreAccepted() throws Exception {
        byte[] config = bytes("{}");
        byte[] layer = bytes("docker layer");
        Digest c = reg.pushBlob("d", config);
        Digest l = reg.pushBlob("d", layer);
        byte[] m = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.docker.container.image.v1+json", c, config.length) + ",\"layers\":["
                + descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", l, layer.length) + ","
                + descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                Digest.of(DigestAlgorithm.SHA256, bytes("windows base")), 12) + "]}");
        // no Content-Type: the body's mediaType decides; the foreign layer need not be pushed
        HttpResponse<byte[]> put = reg.send("PUT", "/v2/d/manifests/latest", m);
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
        assertThat(reg.get("/v2/d/manifests/latest").headers().firstValue("Content-Type")).contains(MediaTypes.DOCKER_MANIFEST);
        byte[] list = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
                + descriptor(MediaTypes.DOCKER_MANIFEST, Digest.of(DigestAlgorithm.SHA256, m), m.length) + "]}");
        assertThat(putManifest("d", "multi", list, MediaTypes.DOCKER_MANIFEST_LIST).statusCode()).isEqualTo(201);
    }

    @Test
    void tagsAreListedSortedAndPaged() throws Exception {
        byte[] m = image("app", "l", "");
        for (String t : List.of("v3", "latest", "v1", "v2", "a")) {
            assertThat(putManifest("app", t, m, MediaTypes.OCI_MANIFEST).statusCode()).isEqualTo(201);
        }
        assertThat(tags(reg.get("/v2/app/tags/list"))).containsExactly("a", "latest", "v1", "v2", "v3");
        HttpResponse<byte[]> page = reg.get("/v2/app/tags/list?n=2");
        assertThat(tags(page)).containsExactly("a", "latest");
        assertThat(page.headers().firstValue("Link")).contains("</v2/app/tags/list?n=2&last=latest>; rel=\"next\"");
        HttpResponse<byte[]> next = reg.get("/v2/app/tags/list?n=2&last=latest");
        assertThat(tags(next)).containsExactly("v1", "v2");
        HttpResponse<byte[]> last = reg.get("/v2/app/tags/list?n=2&last=v2");
        assertThat(tags(last)).containsExactly("v3");
        assertThat(last.headers().firstValue("Link")).isEmpty();
        assertThat(tags(reg.get("/v2/app/tags/list?n=0"))).isEmpty();
        assertError(reg.get("/v2/app/tags/list?n=-1"), 400, "PAGINATION_NUMBER_INVALID");
        assertError(reg.get("/v2/nobody/tags/list"), 404, "NAME_UNKNOWN");
    }

    static List<String> tags(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        JSON.readTree(r.body()).get("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    @Test
    void referrersListManifestsWithASubjectAndFilterByArtifactType() throws Exception {
        byte[] m = image("app", "l", "");
        Digest subject = Digest.of(DigestAlgorithm.SHA256, m);
        putManifest("app", "v1", m, MediaTypes.OCI_MANIFEST);
        String subjectField = ",\"subject\":" + descriptor(MediaTypes.OCI_MANIFEST, subject, m.length);
        byte[] sbom = image("app", "sbom", ",\"artifactType\":\"application/spdx+json\",\"annotations\":{\"k\":\"v\"}" + subjectField);
        byte[] sig = image("app", "sig", subjectField); // no artifactType: the config's media type stands in
        HttpResponse<byte[]> put = putManifest("app", Digest.of(DigestAlgorithm.SHA256, sbom).toString(), sbom, MediaTypes.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).contains(subject.toString());
        putManifest("app", Digest.of(DigestAlgorithm.SHA256, sig).toString(), sig, MediaTypes.OCI_MANIFEST);

        HttpResponse<byte[]> all = reg.get("/v2/app/referrers/" + subject);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains(MediaTypes.OCI_INDEX);
        assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();
        JsonNode index = JSON.readTree(all.body());
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.get("manifests")).hasSize(2);

        HttpResponse<byte[]> filtered = reg.get("/v2/app/referrers/" + subject + "?artifactType=application/spdx%2Bjson");
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
        JsonNode only = JSON.readTree(filtered.body()).get("manifests");
        assertThat(only).hasSize(1);
        assertThat(only.get(0).get("digest").asText()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, sbom).toString());
        assertThat(only.get(0).get("size").asLong()).isEqualTo(sbom.length);
        assertThat(only.get(0).get("annotations").get("k").asText()).isEqualTo("v");

        JsonNode byConfig = JSON.readTree(reg.get("/v2/app/referrers/" + subject
                + "?artifactType=application/vnd.oci.image.config.v1%2Bjson").body()).get("manifests");
        assertThat(byConfig).hasSize(1);
        assertThat(byConfig.get(0).get("digest").asText()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, sig).toString());

        // deleting a referrer takes it out of the list; an unknown subject has an empty list, not a 404
        reg.send("DELETE", "/v2/app/manifests/" + Digest.of(DigestAlgorithm.SHA256, sig), null);
        assertThat(JSON.readTree(reg.get("/v2/app/referrers/" + subject).body()).get("manifests")).hasSize(1);
        HttpResponse<byte[]> none = reg.get("/v2/app/referrers/" + Digest.of(DigestAlgorithm.SHA256, bytes("x")));
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(none.body()).get("manifests")).isEmpty();
        assertError(reg.get("/v2/app/referrers/v1"), 400, "DIGEST_INVALID");
    }

    @Test
    void deleteByTagRemovesTheTagAndByDigestTheManifest() throws Exception {
        byte[] m = image("app", "l", "");
        Digest d = Digest.of(DigestAlgorithm.SHA256, m);
        putManifest("app", "v1", m, MediaTypes.OCI_MANIFEST);
        putManifest("app", "v2", m, MediaTypes.OCI_MANIFEST);
        assertThat(reg.send("DELETE", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(202);
        assertError(reg.get("/v2/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertThat(reg.get("/v2/app/manifests/" + d).statusCode()).isEqualTo(200);
        assertThat(reg.send("DELETE", "/v2/app/manifests/" + d, null).statusCode()).isEqualTo(202);
        assertError(reg.get("/v2/app/manifests/" + d), 404, "MANIFEST_UNKNOWN");
        assertError(reg.get("/v2/app/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        assertError(reg.send("DELETE", "/v2/app/manifests/" + d, null), 404, "MANIFEST_UNKNOWN");
        assertError(reg.send("DELETE", "/v2/app/manifests/v1", null), 404, "MANIFEST_UNKNOWN");
        assertError(reg.send("POST", "/v2/app/manifests/v1", null), 405, "UNSUPPORTED");
    }
}
