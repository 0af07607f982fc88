package dev.shoal.controller.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.controller.testing.TestController;
import land.oras.Annotations;
import land.oras.ArtifactType;
import land.oras.ContainerRef;
import land.oras.LocalPath;
import land.oras.Manifest;
import land.oras.ManifestDescriptor;
import land.oras.Referrers;
import land.oras.Registry;
import land.oras.auth.UsernamePasswordProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.shoal.controller.registry.RegistryClients.PASSWORD;
import static dev.shoal.controller.registry.RegistryClients.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ORAS Java SDK pushes an artifact to a real controller's /v2/, attaches an SBOM-like artifact whose subject is the
 * first, and finds it again through the referrers API, through its own API and by GET; a signature-like referrer pushed
 * by hand gets {@code OCI-Subject} on its manifest PUT.
 */
class OrasClientTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DISK = "application/vnd.shoal.disk-image";
    static final String SBOM = "application/vnd.shoal.sbom+json";
    static final String SIGNATURE = "application/vnd.shoal.signature";

    @TempDir
    Path tmp;

    @Test
    void pushesAnArtifactAttachesAReferrerAndFindsIt(@TempDir Path dir) throws Exception {
        Path disk = Files.write(tmp.resolve("disk.raw"), new java.util.Random(3).ints(100_000, 0, 256)
                .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> { }).toByteArray());
        Path sbom = Files.writeString(tmp.resolve("sbom.json"), "{\"packages\":[\"shoal-agent\"]}");
        try (TestController c = RegistryClients.basic(dir)) {
            String host = RegistryClients.host(c);
            Registry oras = Registry.builder().insecure().withAuthProvider(new UsernamePasswordProvider(USER, PASSWORD)).build();
            ContainerRef ref = ContainerRef.parse(host + "/oras/disk:v1");

            Manifest pushed = oras.pushArtifact(ref, ArtifactType.from(DISK), LocalPath.of(disk));
            HttpResponse<byte[]> m = RegistryClients.get(c, "/v2/oras/disk/manifests/v1", "application/vnd.oci.image.manifest.v1+json");
            String subject = RegistryClients.sha256(m.body());
            assertThat(pushed.getDescriptor().getDigest()).isEqualTo(subject);
            assertThat(JSON.readTree(m.body()).get("artifactType").asText()).isEqualTo(DISK);
            // fetchBlob, not getBlob: 0.7.0's getBlob checks the digest of the body decoded as a String, which fails for
            // binary content whatever the registry sends
            Path back = tmp.resolve("disk.back");
            oras.fetchBlob(ref.withDigest(pushed.getLayers().getFirst().getDigest()), back);
            assertThat(back).hasSameBinaryContentAs(disk);

            ContainerRef bySubject = ContainerRef.parse(host + "/oras/disk@" + subject);
            Manifest attached = oras.attachArtifact(bySubject, ArtifactType.from(SBOM), Annotations.empty(), LocalPath.of(sbom));
            assertThat(attached.getSubject().getDigest()).isEqualTo(subject);
            String sbomDigest = attached.getDescriptor().getDigest();

            // a signature-like referrer by hand, to see the header the SDK does not show
            byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
            byte[] signature = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\""
                    + SIGNATURE + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
                    + RegistryClients.sha256(empty) + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                    + "\"digest\":\"" + RegistryClients.sha256(empty) + "\",\"size\":2}],\"subject\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + subject + "\",\"size\":" + m.body().length
                    + "}}").getBytes(StandardCharsets.UTF_8);
            oras.pushBlob(ref, empty);
            String signatureDigest = RegistryClients.sha256(signature);
            HttpResponse<String> put = c.send(HttpRequest.newBuilder(c.uri("/v2/oras/disk/manifests/" + signatureDigest))
                    .header("Authorization", RegistryClients.authorization(USER, PASSWORD))
                    .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(signature)).build());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            assertThat(put.headers().firstValue("OCI-Subject")).hasValue(subject);

            // the SDK's referrers API, filtered and not
            Referrers sboms = oras.getReferrers(bySubject, ArtifactType.from(SBOM));
            assertThat(sboms.getManifests()).extracting(ManifestDescriptor::getDigest).containsExactly(sbomDigest);
            assertThat(sboms.getManifests().getFirst().getArtifactType()).isEqualTo(SBOM);
            assertThat(oras.getReferrers(bySubject, null).getManifests()).extracting(ManifestDescriptor::getDigest)
                    .containsExactlyInAnyOrder(sbomDigest, signatureDigest);

            // and by GET
            HttpResponse<byte[]> filtered = RegistryClients.get(c, "/v2/oras/disk/referrers/" + subject + "?artifactType="
                    + java.net.URLEncoder.encode(SBOM, StandardCharsets.UTF_8), null);
            assertThat(filtered.statusCode()).isEqualTo(200);
            assertThat(filtered.headers().firstValue("Content-Type")).hasValue("application/vnd.oci.image.index.v1+json");
            assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
            JsonNode index = JSON.readTree(filtered.body());
            assertThat(index.get("manifests")).hasSize(1);
            assertThat(index.get("manifests").get(0).get("digest").asText()).isEqualTo(sbomDigest);
            assertThat(index.get("manifests").get(0).get("artifactType").asText()).isEqualTo(SBOM);
            HttpResponse<byte[]> all = RegistryClients.get(c, "/v2/oras/disk/referrers/" + subject, null);
            assertThat(JSON.readTree(all.body()).get("manifests")).hasSize(2);
            // the SBOM's manifest and its layer pull back
            Manifest sbomManifest = oras.getManifest(bySubject.withDigest(sbomDigest));
            assertThat(sbomManifest.getArtifactTypeAsString()).isEqualTo(SBOM);
            assertThat(oras.getBlob(ref.withDigest(sbomManifest.getLayers().getFirst().getDigest())))
                    .isEqualTo(Files.readAllBytes(sbom));
            assertThat(Map.of("filtered", filtered.statusCode())).containsEntry("filtered", 200);
        }
    }
}
