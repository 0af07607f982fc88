package dev.shoal.registry.storage;

import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.digest.Digester;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upload's in-memory state: the running sha256 of its data file, so each chunk is hashed once as it arrives.
 * After a restart the state is gone; the first request that needs it hashes the partial file once. Requests on one
 * upload take {@link #lock} in turn, so two PATCHes cannot interleave their bytes.
 */
final class UploadSession {
    /** The algorithm hashed while bytes arrive; commits with another algorithm hash the file once more. */
    static final DigestAlgorithm RUNNING = DigestAlgorithm.SHA256;

    final String id;
    final String repository;
    final Path data;
    final ReentrantLock lock = new ReentrantLock();
    private Digester digester; // null until needed after a restart
    /** Bytes in the file that are also in the digest; read without the lock, so a status never waits for a PATCH. */
    private volatile long received;
    private volatile boolean ended;

    UploadSession(String id, String repository, Path data, Digester digester, long received) {
        this.id = id;
        this.repository = repository;
        this.data = data;
        this.digester = digester;
        this.received = received;
    }

    /** The running digest, built from the file if this session was recovered from disk; hold the lock. */
    Digester digester() throws IOException {
        if (digester == null) {
            digester = hashFile(data, RUNNING);
        }
        return digester;
    }

    /** Bytes received so far; safe without the lock. */
    long offset() {
        return received;
    }

    /** Publishes the digester's count as the offset; call with the lock held after each write. */
    void synced() {
        received = digester.count();
    }

    static Digester hashFile(Path file, DigestAlgorithm algorithm) throws IOException {
        Digester d = new Digester(algorithm);
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return d;
    }

    boolean ended() {
        return ended;
    }

    void end() {
        ended = true;
    }
}
