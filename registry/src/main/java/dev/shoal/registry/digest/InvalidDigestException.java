package dev.shoal.registry.digest;

/** A digest string that is not {@code algorithm:hex} for an algorithm we support; the message says what is wrong. */
public final class InvalidDigestException extends IllegalArgumentException {
    public InvalidDigestException(String message) {
        super(message);
    }
}
