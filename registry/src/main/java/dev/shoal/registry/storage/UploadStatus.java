package dev.shoal.registry.storage;

/** An upload in progress: its id (a UUID, used in the upload URL's path) and how many bytes it holds. */
public record UploadStatus(String id, long offset) {
}
