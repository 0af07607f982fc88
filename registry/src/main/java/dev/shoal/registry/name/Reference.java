package dev.shoal.registry.name;

import dev.shoal.registry.digest.Digest;

/** The {@code <reference>} of a manifest URL: a tag or a digest, told apart by the ':' a tag cannot contain. */
public sealed interface Reference {
    record ByTag(Tag tag) implements Reference {
    }

    record ByDigest(Digest digest) implements Reference {
    }

    /** Throws {@link InvalidNameException} or {@link dev.shoal.registry.digest.InvalidDigestException}. */
    static Reference parse(String s) {
        return Digest.looksLikeDigest(s) ? new ByDigest(Digest.parse(s)) : new ByTag(new Tag(s));
    }
}
