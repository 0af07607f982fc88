package dev.shoal.registry.storage;

public final class UploadUnknownException extends StorageException {
    public UploadUnknownException(String id) {
        super("upload " + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + " is not in progress in this repository");
    }
}
