package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digester;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copies one request body to the end of an upload's data file and into its running digest. The body is read in
 * buffers of up to {@link #BUFFER} bytes (one file write and one digest update each, where the body's own pieces are
 * a few KiB); once a body is larger than its first {@link #FIRST} bytes, hashing moves to a second thread, so the
 * SHA-256 of one buffer overlaps the reading and writing of the next (hashing is the larger half of the work, and
 * alone it would hold an upload to one core).
 *
 * <p>The digest only ever covers bytes that are in the file: a buffer goes to the hasher after it was written. On a
 * failed write the file is cut back to the bytes written before that buffer; on a failed read (the client's body)
 * the bytes read until then are kept. Either way the hasher is drained before {@link #copy} returns or throws, and
 * then {@code digester.count()} is the file's length.
 *
 * <p>Every {@link #FLUSH_EVERY} bytes a background fsync of the file starts (one at a time, on its own descriptor),
 * so the disk writes a large upload while it arrives instead of all of it in the fsync at commit. It is only a head
 * start: durability still comes from that commit fsync, and a background fsync that fails is of no consequence.
 */
final class UploadWriter {
    static final int FIRST = 64 * 1024;
    static final int BUFFER = 1024 * 1024;
    /** Buffers in flight between reader and hasher: memory per streaming upload is this many {@link #BUFFER}s. */
    static final int BUFFERS = 4;
    /** After this many bytes written, the disk starts on them while the rest streams in. */
    static final long FLUSH_EVERY = 64L * 1024 * 1024;

    private UploadWriter() {
    }

    /** Appends all of {@code in} at the file's position; {@code progress} runs after each hashed piece. */
    static void copy(InputStream in, FileChannel file, Path path, Digester digester, Runnable progress)
            throws IOException {
        byte[] first = new byte[FIRST];
        Filled f = fill(in, first);
        if (f.eof || f.failure != null) { // the whole body fit: nothing to overlap
            write(file, first, f.length, digester.count());
            digester.update(first, 0, f.length);
            progress.run();
            if (f.failure != null) {
                throw f.failure;
            }
            return;
        }
        Hasher hasher = new Hasher(digester, progress);
        try {
            long written = digester.count();
            long flushed = written;
            byte[] buf = first;
            while (true) {
                write(file, buf, f.length, written);
                written += f.length;
                if (written - flushed >= FLUSH_EVERY && Flusher.start(path)) {
                    flushed = written;
                }
                hasher.submit(buf, f.length);
                if (f.failure != null) {
                    throw f.failure;
                }
                if (f.eof) {
                    return;
                }
                buf = hasher.freeBuffer();
                f = fill(in, buf);
            }
        } finally {
            hasher.finish();
        }
    }

    /** Writes {@code b[0, n)} at the file's position; on failure cuts the file back to {@code before} bytes. */
    private static void write(FileChannel file, byte[] b, int n, long before) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
        try {
            while (bb.hasRemaining()) {
                file.write(bb);
            }
        } catch (IOException e) {
            try {
                file.truncate(before);
                file.position(before);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private record Filled(int length, boolean eof, IOException failure) {
    }

    /**
     * Reads until {@code b} is full, the body ends, or (after the first bytes) nothing more has arrived yet: a client
     * that pauses has what it sent so far written, hashed and reported in the upload's Range. A read failure keeps
     * the bytes read before it.
     */
    private static Filled fill(InputStream in, byte[] b) {
        int n = 0;
        try {
            while (n < b.length) {
                if (n > 0 && in.available() <= 0) {
                    return new Filled(n, false, null);
                }
                int r = in.read(b, n, b.length - n);
                if (r < 0) {
                    return new Filled(n, true, null);
                }
                n += r;
            }
            return new Filled(n, false, null);
        } catch (IOException e) {
            return new Filled(n, false, e);
        }
    }

    /** Background fsyncs of upload files, at most one per file at a time. */
    private static final class Flusher {
        private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();

        /** Starts an fsync of {@code path} unless one is running; true if started. */
        static boolean start(Path path) {
            if (!RUNNING.add(path)) {
                return false;
            }
            Thread.ofVirtual().name("upload-flush").start(() -> {
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                    ch.force(false);
                } catch (IOException e) {
                    // removed (cancelled, committed) or failing: the commit's own fsync decides
                } finally {
                    RUNNING.remove(path);
                }
            });
            return true;
        }
    }

    /** The second thread: hashes written buffers in order and hands them back for reuse. */
    private static final class Hasher {
        private static final byte[] END = new byte[0];
        private record Piece(byte[] buffer, int length) {
        }

        private final BlockingQueue<Piece> written = new ArrayBlockingQueue<>(BUFFERS);
        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
        private final Thread thread;
        private int allocated;

        Hasher(Digester digester, Runnable progress) {
            thread = Thread.ofVirtual().name("upload-hasher").start(() -> {
                try {
                    for (Piece p; (p = written.take()).buffer() != END; ) {
                        digester.update(p.buffer(), 0, p.length());
                        progress.run();
                        if (p.buffer().length == BUFFER) {
                            free.add(p.buffer());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        void submit(byte[] buffer, int length) throws IOException {
            put(new Piece(buffer, length));
        }

        /** A buffer to fill: a new one while fewer than {@link #BUFFERS} exist, else one the hasher is done with. */
        byte[] freeBuffer() throws IOException {
            byte[] b = free.poll();
            if (b != null) {
                return b;
            }
            if (allocated < BUFFERS) {
                allocated++;
                return new byte[BUFFER];
            }
            try {
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while an upload was being hashed");
            }
        }

        /** Waits until every submitted buffer is hashed. */
        void finish() {
            // not interruptible: the digest must be complete before the caller looks at it
            boolean interrupted = false;
            while (true) {
                try {
                    written.put(new Piece(END, 0));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void put(Piece p) throws IOException {
            try {
                written.put(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while an upload was being hashed");
            }
        }
    }
}
