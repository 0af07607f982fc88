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
    private boolean ended;

    UploadSession(String id, String repository, Path data, Digester digester) {
        this.id = id;
        this.repository = repository;
        this.data = data;
        this.digester = digester;
    }

    /** The running digest, built from the file if this session was recovered from disk; hold the lock. */
    Digester digester() throws IOException {
        if (digester == null) {
            digester = hashFile(data, RUNNING);
        }
        return digester;
    }

    /** Bytes received: the digester's count when it exists, which is what the file holds up to. */
    long offset() throws IOException {
        return digester != null ? digester.count() : Files.size(data);
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
