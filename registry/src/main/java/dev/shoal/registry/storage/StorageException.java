package dev.shoal.registry.storage;

/** Something a client asked of the store that cannot be done; subclasses say which spec error it is. */
public abstract sealed class StorageException extends Exception
        permits BlobUnknownException, DigestMismatchException, UploadOffsetException, UploadUnknownException {
    protected StorageException(String message) {
        super(message);
    }
}
