package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;

public final class BlobUnknownException extends StorageException {
    public BlobUnknownException(Digest digest) {
        super("blob " + digest + " is not known to this repository");
    }
}
