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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Copies one request body to the end of an upload's file and into its running digest.
 *
 * <p>A body of up to {@link #FIRST} bytes is written and hashed by the caller. A larger one streams through three
 * stages with up to {@link #BUFFERS} buffers from {@link AlignedBuffers} in flight: the caller fills a buffer from the
 * body and hands it at once to a writer, which appends it to the file, and to a hasher, which adds it to the digest;
 * the buffer is reused once both are done with it. The first buffers are handed on part-filled ({@link #FIRST_PIECE})
 * so that the hasher starts soon after the body does.
 *
 * <p>At most {@code maxStreams} uploads stream at once; a body that arrives while that many do is written and hashed
 * by the caller, {@link #FIRST} bytes at a time. That bounds the direct memory ({@code maxStreams} &times;
 * {@link #BUFFERS} buffers) and the stage threads (two per stream) that any number of clients can make the registry
 * hold, and costs nothing on a machine whose cores those streams already keep busy.
 *
 * <p>Hashing is the slowest stage, so when the body ends the hasher still has the last buffers to go. {@link #copy}
 * returns as soon as every byte is in the file, and the request is answered; the hasher finishes on its own and then
 * completes the {@code hashed} future it was given. The next request on the upload waits for that future before it
 * uses the digest, which is usually long done by then (a client sends its next chunk after reading this answer).
 *
 * <p>{@code hashed} completes exceptionally when the digest cannot be trusted to cover exactly the file: a write
 * failed (the hasher may have gone past the bytes that did not reach the file) or hashing itself failed. The upload
 * then hashes its file again. On a failed read (the client's body) the bytes read until then are kept, written and
 * hashed.
 */
final class UploadWriter {
    static final int FIRST = 64 * 1024;
    /** Buffers in flight per streaming upload: its memory is this many {@link AlignedBuffers#SIZE}s. */
    static final int BUFFERS = 4;
    /** The most bytes handed on in the first buffer; each next one twice as many, up to a whole buffer. */
    static final int FIRST_PIECE = 256 * 1024;

    private final AlignedBuffers buffers;
    private final Executor stages;
    private final Semaphore streams;

    /**
     * @param buffers    where streaming uploads take their buffers from
     * @param stages     runs each streaming upload's writer and hasher; two platform threads per upload streaming at
     *                   once, since hashing is CPU-bound and would hold a virtual thread's carrier for its whole run
     * @param maxStreams how many uploads may stream at once (see the class comment)
     */
    UploadWriter(AlignedBuffers buffers, Executor stages, int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be at least 1, was " + maxStreams);
        }
        this.buffers = buffers;
        this.stages = stages;
        this.streams = new Semaphore(maxStreams);
    }

    /**
     * Appends all of {@code in} to {@code file} and hashes it into {@code digester}, which must cover exactly the file
     * so far; {@code progress} is told the file's length after each write. Returns once the bytes are in the file;
     * {@code hashed} completes once the digest has caught up with them (see the class comment).
     */
    void copy(InputStream in, UploadFile file, Digester digester, LongConsumer progress, CompletableFuture<Void> hashed)
            throws IOException {
        Body body = Body.of(in);
        ByteBuffer first = ByteBuffer.allocate(FIRST);
        Filled f = fill(body, first);
        first.flip();
        // the whole body fit (nothing to overlap), or as many uploads as may stream already do
        if (f.eof || f.failure != null || !streams.tryAcquire()) {
            copyHere(body, first, f, file, digester, progress, hashed);
            return;
        }
        try (Pipeline pipeline = new Pipeline(file, digester, buffers, progress, hashed, streams)) {
            pipeline.start(stages);
            ByteBuffer buf = pipeline.freeBuffer().put(first);
            int piece = FIRST_PIECE;
            while (true) {
                buf.limit(Math.min(buf.limit(), buf.position() + piece));
                piece = Math.min(2 * piece, AlignedBuffers.SIZE);
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

    /**
     * Writes, then hashes, one buffer after another on the caller's thread, starting with {@code buf} as filled by
     * {@code f}. The digest covers exactly the file whenever this stops: a failed write leaves the file as it was.
     */
    private static void copyHere(Body body, ByteBuffer buf, Filled f, UploadFile file, Digester digester,
                                 LongConsumer progress, CompletableFuture<Void> hashed) throws IOException {
        try {
            while (true) {
                file.append(buf.duplicate());
                digester.update(buf);
                progress.accept(file.end());
                if (f.failure != null) {
                    throw f.failure;
                }
                if (f.eof) {
                    return;
                }
                f = fill(body, buf.clear());
                buf.flip();
            }
        } finally {
            hashed.complete(null);
        }
    }

    private record Filled(boolean eof, IOException failure) {
    }

    /**
     * Reads until {@code b} is full, the body ends, or (after some bytes) nothing more has arrived yet: a client that
     * pauses has what it sent so far written and reported in the upload's Range. A read failure keeps the
     * bytes read before it. Never throws, so that {@code hashed} is always completed.
     */
    private static Filled fill(Body in, ByteBuffer b) {
        int start = b.position();
        try {
            while (b.hasRemaining()) {
                if (b.position() > start && in.available() <= 0) {
                    break;
                }
                if (in.read(b) < 0) {
                    return new Filled(true, null);
                }
            }
            // a body that ends exactly here ends now, not after waiting for one more buffer only to find that out
            return new Filled(in.remaining() == 0 && atEnd(in), null);
        } catch (IOException e) {
            return new Filled(false, e);
        } catch (RuntimeException e) { // a broken body is a failed read, whatever it throws
            return new Filled(false, new IOException("reading the request body failed: " + e, e));
        }
    }

    private static boolean atEnd(Body in) throws IOException {
        if (in.read(ByteBuffer.allocate(1)) < 0) {
            return true;
        }
        throw new IOException("the request body is longer than its declared length");
    }

    /** The body as something that fills a ByteBuffer: directly where it can, else through a small array. */
    private interface Body {
        int read(ByteBuffer dst) throws IOException;

        int available() throws IOException;

        /** Bytes still to come, or -1 if unknown. */
        long remaining();

        static Body of(InputStream in) {
            if (in instanceof ByteBufferReadable r) {
                return new Body() {
                    public int read(ByteBuffer dst) throws IOException {
                        return r.read(dst);
                    }

                    public int available() throws IOException {
                        return r.available();
                    }

                    public long remaining() {
                        return r.remaining();
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

                public long remaining() {
                    return -1;
                }
            };
        }
    }

    /** A filled buffer on its way through the writer and the hasher: file offsets {@code [start, end)}. */
    private record Piece(ByteBuffer buffer, long end, AtomicInteger stagesLeft) {
        Piece(ByteBuffer buffer, long start) {
            this(buffer, start + buffer.remaining(), new AtomicInteger(2));
        }
    }

    /** The writer and hasher stages and the buffers passed to them. */
    private static final class Pipeline implements AutoCloseable {
        private static final Piece END = new Piece(ByteBuffer.allocate(0), 0);

        private final UploadFile file;
        private final Digester digester;
        private final AlignedBuffers buffers;
        private final LongConsumer progress;
        private final CompletableFuture<Void> hashed;
        private final Semaphore streams;
        private final BlockingQueue<Piece> toWrite = new ArrayBlockingQueue<>(BUFFERS + 1);
        private final BlockingQueue<Piece> toHash = new ArrayBlockingQueue<>(BUFFERS + 1);
        private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
        private final List<ByteBuffer> allocated = new ArrayList<>(BUFFERS);
        private final CountDownLatch written = new CountDownLatch(1);
        private volatile IOException writeFailure;
        private volatile RuntimeException hashFailure;
        /** The file offset of the next buffer's first byte: the file's end once everything submitted is written. */
        private long nextOffset;
        private int heldLead; // where the caller's buffer starts: its first byte's file offset modulo the alignment

        /** Takes over the caller's permit from {@code streams}: the hasher gives it back when it is done. */
        Pipeline(UploadFile file, Digester digester, AlignedBuffers buffers, LongConsumer progress,
                 CompletableFuture<Void> hashed, Semaphore streams) {
            this.file = file;
            this.digester = digester;
            this.buffers = buffers;
            this.progress = progress;
            this.hashed = hashed;
            this.streams = streams;
            this.nextOffset = file.end();
        }

        void start(Executor stages) throws IOException {
            try {
                stages.execute(this::write);
            } catch (RejectedExecutionException e) {
                written.countDown();
                streams.release();
                hashed.complete(null); // nothing hashed
                throw new IOException("no thread to write the upload on: " + e.getMessage(), e);
            }
            try {
                stages.execute(this::hash);
            } catch (RejectedExecutionException e) {
                hashFailure = e;
                streams.release();
                hashed.completeExceptionally(e);
                throw new IOException("no thread to hash the upload on: " + e.getMessage(), e);
            }
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

        /** Hands the filled part of {@code b} (from where {@link #freeBuffer} positioned it) to both stages. */
        void submit(ByteBuffer b) {
            b.limit(b.position()).position(heldLead);
            Piece p = new Piece(b, nextOffset);
            nextOffset = p.end;
            // never blocks: there are at most BUFFERS pieces, and room for them and the end marker
            toWrite.add(p);
            toHash.add(p);
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
                for (Piece p; (p = toWrite.take()) != END; ) {
                    if (writeFailure == null) {
                        try {
                            file.append(p.buffer.duplicate());
                            progress.accept(p.end);
                        } catch (IOException | RuntimeException e) {
                            writeFailure = e instanceof IOException io ? io : new IOException(e);
                        }
                    }
                    finished(p);
                }
            } catch (InterruptedException e) {
                writeFailure = new InterruptedIOException("interrupted while an upload was being written");
            } finally {
                written.countDown();
            }
        }

        private void hash() {
            try {
                for (Piece p; (p = toHash.take()) != END; ) {
                    if (hashFailure == null) {
                        try {
                            digester.update(p.buffer.duplicate());
                        } catch (RuntimeException e) {
                            hashFailure = e; // and the buffers keep coming back, or the reader would wait forever
                        }
                    }
                    finished(p);
                }
            } catch (InterruptedException e) {
                hashFailure = new IllegalStateException("interrupted while an upload was being hashed", e);
            }
            // every piece is done with (the writer finished before the end marker reached this stage's queue)
            allocated.forEach(buffers::give);
            streams.release();
            if (hashFailure != null) {
                hashed.completeExceptionally(hashFailure);
            } else {
                hashed.complete(null);
            }
        }

        /** Gives a piece's buffer back to the reader once both stages are done with it. */
        private void finished(Piece p) {
            if (p.stagesLeft.decrementAndGet() == 0) {
                free.add(p.buffer);
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

        /**
         * Waits until every submitted buffer is in the file (the hasher goes on without us) and reports a failed
         * stage. After a failed write the digest may cover bytes the file lacks: {@code hashed} says so at once.
         */
        @Override
        public void close() throws IOException {
            toWrite.add(END);
            // not interruptible: the file's length must be settled before the caller reports it
            boolean interrupted = false;
            while (true) {
                try {
                    written.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (writeFailure != null) {
                hashed.completeExceptionally(writeFailure);
            }
            toHash.add(END);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            failIfAStageFailed();
        }
    }
}
