package dev.shoal.registry.manifest;

/** A manifest body the registry will not store; the message says what is wrong with it. */
public final class InvalidManifestException extends Exception {
    public InvalidManifestException(String message) {
        super(message);
    }
}
