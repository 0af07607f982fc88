package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;

/** A manifest as stored: its bytes exactly as pushed, and the media type it was pushed with. */
public record StoredManifest(Digest digest, String mediaType, byte[] content) {
}
