package dev.shoal.registry.api;

import dev.shoal.registry.storage.ByteBufferReadable;
import org.eclipse.jetty.io.Content;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The request body as a blocking stream over Jetty's chunks, with every read failure marked as the client's
 * ({@link ClientBodyException}), so the handler can tell a dropped connection (400, bytes kept for resume) from a
 * failing disk (500) when both surface as IOException out of the store.
 *
 * <p>{@link #available()} is honest and does not block: it counts the bytes of the chunk in hand, or of the next one
 * if Jetty can parse it from what the socket already holds. A reader filling a large buffer uses it to stop when the
 * client pauses, so the bytes received so far reach the file (and the upload's reported {@code Range}) without
 * waiting for the rest.
 */
final class ClientBody extends InputStream implements ByteBufferReadable {
    private final Content.Source source;
    private final long length; // -1: not declared
    private long consumed;
    /** The chunk being read: has bytes left, or is the last (EOF) one; null when the next must be read. */
    private Content.Chunk chunk;

    /** @param length the body's declared length, -1 if the request did not declare one */
    ClientBody(Content.Source source, long length) {
        this.source = source;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        try {
            Content.Chunk c = next(true);
            if (!c.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, c.remaining());
            c.getByteBuffer().get(b, off, n);
            consumed += n;
            return n;
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    /** Copies from Jetty's buffer straight into {@code dst}: one copy from the network to the upload's file buffer. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        try {
            Content.Chunk c = next(true);
            if (!c.hasRemaining()) {
                return -1;
            }
            ByteBuffer src = c.getByteBuffer();
            int n = Math.min(dst.remaining(), src.remaining());
            dst.put(dst.position(), src, src.position(), n);
            dst.position(dst.position() + n);
            src.position(src.position() + n);
            consumed += n;
            return n;
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            Content.Chunk c = next(false);
            return c == null ? 0 : c.remaining();
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    @Override
    public long remaining() {
        return length < 0 ? -1 : Math.max(0, length - consumed);
    }

    /** The chunk to read from; with {@code block} false, null if none is ready. */
    private Content.Chunk next(boolean block) throws IOException {
        while (true) {
            if (chunk != null) {
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable x = chunk.getFailure();
                    throw x instanceof IOException io ? io : new IOException(x);
                }
                if (chunk.hasRemaining() || chunk == Content.Chunk.EOF) {
                    return chunk;
                }
                boolean last = chunk.isLast();
                chunk.release(); // its buffer goes back to Jetty's pool
                chunk = last ? Content.Chunk.EOF : null;
                if (last) {
                    return chunk;
                }
            }
            Content.Chunk c = source.read();
            if (c != null) {
                chunk = c;
                continue;
            }
            if (!block) {
                return null;
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            source.demand(() -> ready.complete(null));
            try {
                ready.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the request body");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }
}
