package dev.shoal.registry.storage;

/** A chunk that does not start where the upload ends; {@link #offset()} is where the next chunk must start. */
public final class UploadOffsetException extends StorageException {
    private final long offset;

    public UploadOffsetException(long requested, long offset) {
        super("chunk starts at byte " + requested + " but the upload holds " + offset + " bytes");
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
