package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digester;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copies one request body to the end of an upload's file and into its running digest.
 *
 * <p>A body of up to {@link #FIRST} bytes is written and hashed by the caller. A larger one streams through three
 * stages, each on its own thread, with up to {@link #BUFFERS} buffers from {@link AlignedBuffers} between them: the
 * caller fills a buffer from the body, a writer appends it to the file, a hasher adds it to the digest and hands it
 * back. Hashing is the largest part of the work, so an upload runs at about the rate one core hashes, while reading
 * and writing happen beside it.
 *
 * <p>The digest only ever covers bytes that are in the file: a buffer reaches the hasher after it was written. On a
 * failed write the file is cut back to the bytes written before that buffer; on a failed read (the client's body) the
 * bytes read until then are kept. Either way both stages are drained before {@link #copy} returns or throws, and then
 * {@code digester.count()} is the file's length.
 */
final class UploadWriter {
    static final int FIRST = 64 * 1024;
    /** Buffers in flight per streaming upload: its memory is this many {@link AlignedBuffers#SIZE}s. */
    static final int BUFFERS = 4;

    private UploadWriter() {
    }

    /** Appends all of {@code in} to {@code file}; {@code progress} runs after each hashed piece. */
    static void copy(InputStream in, UploadFile file, Digester digester, AlignedBuffers buffers, Runnable progress)
            throws IOException {
        Body body = Body.of(in);
        ByteBuffer first = ByteBuffer.allocate(FIRST);
        Filled f = fill(body, first);
        if (f.eof || f.failure != null) { // the whole body fit: nothing to overlap
            first.flip();
            file.append(first.duplicate());
            digester.update(first);
            progress.run();
            if (f.failure != null) {
                throw f.failure;
            }
            return;
        }
        first.flip();
        try (Pipeline pipeline = new Pipeline(file, digester, buffers, progress)) {
            ByteBuffer buf = pipeline.freeBuffer().put(first);
            while (true) {
                f = fill(body, buf);
                pipeline.submit(buf);
                if (f.failure != null) {
                    throw f.failure;
                }
                if (f.eof) {
                    return;
                }
                buf = pipeline.freeBuffer();
            }
        }
    }

    private record Filled(boolean eof, IOException failure) {
    }

    /**
     * Reads until {@code b} is full, the body ends, or (after some bytes) nothing more has arrived yet: a client that
     * pauses has what it sent so far written, hashed and reported in the upload's Range. A read failure keeps the
     * bytes read before it.
     */
    private static Filled fill(Body in, ByteBuffer b) {
        int start = b.position();
        try {
            while (b.hasRemaining()) {
                if (b.position() > start && in.available() <= 0) {
                    return new Filled(false, null);
                }
                if (in.read(b) < 0) {
                    return new Filled(true, null);
                }
            }
            return new Filled(false, null);
        } catch (IOException e) {
            return new Filled(false, e);
        }
    }

    /** The body as something that fills a ByteBuffer: directly where it can, else through a small array. */
    private interface Body {
        int read(ByteBuffer dst) throws IOException;

        int available() throws IOException;

        static Body of(InputStream in) {
            if (in instanceof ByteBufferReadable r) {
                return new Body() {
                    public int read(ByteBuffer dst) throws IOException {
                        return r.read(dst);
                    }

                    public int available() throws IOException {
                        return r.available();
                    }
                };
            }
            byte[] scratch = new byte[FIRST];
            return new Body() {
                public int read(ByteBuffer dst) throws IOException {
                    int n = in.read(scratch, 0, Math.min(scratch.length, dst.remaining()));
                    if (n > 0) {
                        dst.put(scratch, 0, n);
                    }
                    return n;
                }

                public int available() throws IOException {
                    return in.available();
                }
            };
        }
    }

    /** The writer and hasher threads and the buffers passed between them. */
    private static final class Pipeline implements AutoCloseable {
        private static final ByteBuffer END = ByteBuffer.allocate(0);

        private final UploadFile file;
        private final Digester digester;
        private final AlignedBuffers buffers;
        private final Runnable progress;
        private final BlockingQueue<ByteBuffer> toWrite = new ArrayBlockingQueue<>(BUFFERS + 1);
        private final BlockingQueue<ByteBuffer> toHash = new ArrayBlockingQueue<>(BUFFERS + 1);
        private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
        private final List<ByteBuffer> allocated = new ArrayList<>(BUFFERS);
        private final Thread writer;
        private final Thread hasher;
        private volatile IOException writeFailure;
        private volatile RuntimeException hashFailure;
        /** The file offset of the next buffer's first byte: the file's end once everything submitted is written. */
        private long nextOffset;
        private int heldLead; // where the caller's buffer starts: its first byte's file offset modulo the alignment

        Pipeline(UploadFile file, Digester digester, AlignedBuffers buffers, Runnable progress) {
            this.file = file;
            this.digester = digester;
            this.buffers = buffers;
            this.progress = progress;
            this.nextOffset = file.end();
            // platform threads: hashing is CPU-bound and would hold a virtual thread's carrier for its whole run
            this.writer = Thread.ofPlatform().daemon().name("upload-writer").start(this::write);
            this.hasher = Thread.ofPlatform().daemon().name("upload-hasher").start(this::hash);
        }

        /** A buffer to fill with the next bytes: positioned so that file offsets on a block boundary are aligned. */
        ByteBuffer freeBuffer() throws IOException {
            failIfAStageFailed();
            ByteBuffer b = free.poll();
            if (b == null && allocated.size() < BUFFERS) {
                b = buffers.take();
                allocated.add(b);
            }
            if (b == null) {
                b = take(free);
            }
            heldLead = (int) (nextOffset % AlignedBuffers.ALIGNMENT);
            return b.clear().position(heldLead);
        }

        /** Hands the filled part of {@code b} (from where {@link #freeBuffer} positioned it) to the writer. */
        void submit(ByteBuffer b) throws IOException {
            b.limit(b.position()).position(heldLead);
            nextOffset += b.remaining();
            try {
                toWrite.put(b);
            } catch (InterruptedException e) {
                free.add(b);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while an upload was being written");
            }
        }

        private void failIfAStageFailed() throws IOException {
            IOException e = writeFailure;
            if (e != null) {
                throw new IOException("writing the upload failed: " + e.getMessage(), e);
            }
            RuntimeException h = hashFailure;
            if (h != null) {
                throw new IOException("hashing the upload failed: " + h, h);
            }
        }

        private void write() {
            try {
                for (ByteBuffer b; (b = toWrite.take()) != END; ) {
                    if (writeFailure != null) {
                        free.add(b);
                        continue;
                    }
                    try {
                        file.append(b.duplicate());
                        toHash.add(b);
                    } catch (IOException | RuntimeException e) {
                        writeFailure = e instanceof IOException io ? io : new IOException(e);
                        free.add(b);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                toHash.add(END);
            }
        }

        private void hash() {
            try {
                for (ByteBuffer b; (b = toHash.take()) != END; ) {
                    try {
                        if (hashFailure == null) {
                            digester.update(b);
                            progress.run();
                        }
                    } catch (RuntimeException e) {
                        // the buffers must keep coming back, or the reader waits for one forever; the bytes past
                        // the digest's count are cut off by the next append, as after a failed write
                        hashFailure = e;
                    }
                    free.add(b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static ByteBuffer take(BlockingQueue<ByteBuffer> q) throws InterruptedIOException {
            try {
                return q.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while an upload was being written");
            }
        }

        /** Waits until every submitted buffer is written and hashed, returns the buffers, reports a failed write. */
        @Override
        public void close() throws IOException {
            // not interruptible: the digest and the file must agree before the caller looks at either
            boolean interrupted = false;
            toWrite.add(END);
            for (Thread t : List.of(writer, hasher)) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            allocated.forEach(buffers::give);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            failIfAStageFailed();
        }
    }
}
