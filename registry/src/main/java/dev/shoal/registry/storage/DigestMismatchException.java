package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;

public final class DigestMismatchException extends StorageException {
    public DigestMismatchException(Digest expected, Digest actual) {
        super("content has digest " + actual + ", not " + expected);
    }
}
