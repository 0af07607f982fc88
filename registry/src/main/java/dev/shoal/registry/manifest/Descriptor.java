package dev.shoal.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.InvalidDigestException;

import java.util.Optional;

/** An OCI content descriptor: what a manifest says about a blob or manifest it references. */
public record Descriptor(String mediaType, Digest digest, long size, Optional<String> artifactType) {

    static Descriptor parse(JsonNode node, String where) throws InvalidManifestException {
        if (node == null || !node.isObject()) {
            throw new InvalidManifestException(where + " must be a descriptor object");
        }
        JsonNode mt = node.get("mediaType");
        if (mt == null || !mt.isTextual() || mt.asText().isEmpty()) {
            throw new InvalidManifestException(where + ".mediaType must be a non-empty string");
        }
        JsonNode dg = node.get("digest");
        if (dg == null || !dg.isTextual()) {
            throw new InvalidManifestException(where + ".digest must be a string");
        }
        Digest digest;
        try {
            digest = Digest.parse(dg.asText());
        } catch (InvalidDigestException e) {
            throw new InvalidManifestException(where + ".digest: " + e.getMessage());
        }
        JsonNode sz = node.get("size");
        if (sz == null || !sz.isIntegralNumber() || !sz.canConvertToLong() || sz.asLong() < 0) {
            throw new InvalidManifestException(where + ".size must be a non-negative integer");
        }
        JsonNode at = node.get("artifactType");
        return new Descriptor(mt.asText(), digest, sz.asLong(),
                at != null && at.isTextual() ? Optional.of(at.asText()) : Optional.empty());
    }
}
