package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;

/** A committed blob: its digest and its size in bytes. */
public record BlobInfo(Digest digest, long size) {
}
