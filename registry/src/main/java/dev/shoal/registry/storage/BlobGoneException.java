package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;

import java.io.IOException;

/**
 * A blob a manifest references was garbage-collected between the API's check and the store's write (it was
 * unreferenced and older than the grace period). An IOException so that {@link BlobStore#putManifest} keeps its
 * signature; the API answers MANIFEST_BLOB_UNKNOWN and the client pushes the blob again.
 */
public final class BlobGoneException extends IOException {
    private final Digest digest;

    public BlobGoneException(Digest digest) {
        super("blob " + digest + " was garbage-collected while the manifest was stored; push it again");
        this.digest = digest;
    }

    public Digest digest() {
        return digest;
    }
}
