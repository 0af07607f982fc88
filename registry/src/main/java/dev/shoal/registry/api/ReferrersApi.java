package dev.shoal.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.manifest.MediaTypes;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.storage.BlobStore;

import java.io.IOException;

/**
 * {@code GET /v2/{name}/referrers/{digest}?artifactType=}: an OCI index of the manifests whose subject is the digest.
 * Always 200 (the spec forbids 404 here once referrers are supported), even for an unknown subject.
 */
final class ReferrersApi {
    private final BlobStore store;
    private final ObjectMapper json = new ObjectMapper();

    ReferrersApi(BlobStore store) {
        this.store = store;
    }

    void list(Exchange ex, RepositoryName name, Digest subject) throws IOException {
        String artifactType = ex.query("artifactType");
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (byte[] entry : store.referrers(name, subject)) {
            JsonNode d = json.readTree(entry);
            if (artifactType == null || artifactType.equals(d.path("artifactType").asText(null))) {
                manifests.add(d);
            }
        }
        if (artifactType != null) {
            ex.header(Headers.OCI_FILTERS_APPLIED, "artifactType");
        }
        ex.bytes(200, MediaTypes.OCI_INDEX, json.writeValueAsBytes(index));
    }
}
