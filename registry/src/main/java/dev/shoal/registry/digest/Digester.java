package dev.shoal.registry.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * A running digest plus the count of bytes it has seen. Kept between chunks of an upload so that each chunk is
 * hashed once, as it arrives, and the final digest needs no second read of the file. Not thread-safe: an upload
 * session serialises its writers.
 */
public final class Digester {
    private final DigestAlgorithm algorithm;
    private final MessageDigest md;
    private long count;

    public Digester(DigestAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.md = algorithm.newMessageDigest();
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    public void update(byte[] b, int off, int len) {
        md.update(b, off, len);
        count += len;
    }

    /** Hashes the buffer's remaining bytes and leaves its position at its limit. */
    public void update(ByteBuffer buffer) {
        count += buffer.remaining();
        md.update(buffer);
    }

    public long count() {
        return count;
    }

    /** The digest of everything seen so far, without ending the running state (chunks may still follow). */
    public Digest current() {
        try {
            MessageDigest copy = (MessageDigest) md.clone();
            return Digest.fromBytes(algorithm, copy.digest());
        } catch (CloneNotSupportedException e) {
            // the JDK's SHA-2 implementations are cloneable
            throw new IllegalStateException(algorithm + " digest is not cloneable", e);
        }
    }
}
