package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;

import java.util.Optional;

/**
 * A manifest to store. The store treats it as opaque bytes: the API layer has parsed and checked it, and hands
 * over what storage must index: the subject it refers to, if any, and the descriptor (JSON) to list for it in
 * the subject's referrers.
 */
public record ManifestPut(Digest digest, String mediaType, byte[] content, Optional<Digest> subject,
                          byte[] referrerDescriptor) {
}
