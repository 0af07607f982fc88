package dev.shoal.registry.name;

/** A repository name or tag that the distribution spec does not allow; the message says which rule it breaks. */
public final class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String message) {
        super(message);
    }
}
