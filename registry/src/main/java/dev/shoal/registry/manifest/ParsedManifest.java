package dev.shoal.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * What the registry needs to know of a manifest: its media type, the blobs and manifests it references (which must
 * exist in the repository before it may be stored), its subject, and what to show for it in the subject's referrers.
 *
 * @param blobs        config and distributable layers of an image manifest; empty for an index
 * @param manifests    the children of an index; empty for an image manifest
 * @param artifactType the {@code artifactType}, or for an image manifest without one its config's media type, as the
 *                     referrers API defines it
 * @param annotations  the manifest's annotations object, or null
 */
public record ParsedManifest(String mediaType, List<Descriptor> blobs, List<Descriptor> manifests,
                             Optional<Descriptor> subject, Optional<String> artifactType, JsonNode annotations) {
}
