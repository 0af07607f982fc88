package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;

import java.util.List;
import java.util.Optional;

/**
 * A manifest to store. The store treats it as opaque bytes: the API layer has parsed and checked it, and hands
 * over what storage must index: the subject it refers to, if any, and the descriptor (JSON) to list for it in
 * the subject's referrers.
 *
 * @param references the blobs and child manifests it references; the store marks them as just used, so garbage
 *                   collection running while the manifest is stored cannot take them (see {@link GarbageCollector})
 */
public record ManifestPut(Digest digest, String mediaType, byte[] content, Optional<Digest> subject,
                          byte[] referrerDescriptor, List<Digest> references) {
    public ManifestPut {
        references = List.copyOf(references);
    }

    /** A manifest that references nothing the store must keep alive while it is stored. */
    public ManifestPut(Digest digest, String mediaType, byte[] content, Optional<Digest> subject, byte[] referrerDescriptor) {
        this(digest, mediaType, content, subject, referrerDescriptor, List.of());
    }
}
