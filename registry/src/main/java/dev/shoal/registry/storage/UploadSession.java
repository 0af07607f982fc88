package dev.shoal.registry.storage;

import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.digest.Digester;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upload's in-memory state: the running sha256 of its data file, so each chunk is hashed once as it arrives.
 * The hashing of a chunk may still be finishing after its request was answered (see {@link UploadWriter}); the next
 * request waits for it. After a restart the state is gone, and after a failed write it cannot be trusted; then the
 * first request that needs it hashes the partial file once. Requests on one upload take {@link #lock} in turn, so two
 * PATCHes cannot interleave their bytes.
 */
final class UploadSession {
    /** The algorithm hashed while bytes arrive; commits with another algorithm hash the file once more. */
    static final DigestAlgorithm RUNNING = DigestAlgorithm.SHA256;

    final String id;
    final String repository;
    final Path data;
    final ReentrantLock lock = new ReentrantLock();
    private Digester digester; // null until needed after a restart or a failed write
    /** Completes when {@link #digester} has caught up with the last write; exceptionally if it cannot be trusted. */
    private CompletableFuture<Void> hashed = CompletableFuture.completedFuture(null);
    /** Bytes in the file; read without the lock, so a status never waits for a PATCH. */
    private volatile long received;
    private volatile boolean ended;

    UploadSession(String id, String repository, Path data, Digester digester, long received) {
        this.id = id;
        this.repository = repository;
        this.data = data;
        this.digester = digester;
        this.received = received;
    }

    /**
     * The running digest of the whole file: once the last write's hashing is done, or hashed from the file if this
     * session was recovered from disk or that hashing failed. Hold the lock.
     */
    Digester digester() throws IOException {
        try {
            hashed.join();
        } catch (CompletionException | CancellationException e) {
            digester = null;
        }
        if (digester == null) {
            digester = hashFile(data, RUNNING);
        }
        return digester;
    }

    /** A new write starts: the future its hashing will complete. Hold the lock, after {@link #digester()}. */
    CompletableFuture<Void> hashing() {
        hashed = new CompletableFuture<>();
        return hashed;
    }

    /** Bytes received so far; safe without the lock. */
    long offset() {
        return received;
    }

    /** Publishes the file's length as the offset: after each write, by the one thread writing. */
    void synced(long length) {
        received = length;
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
