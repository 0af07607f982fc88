package dev.shoal.registry.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.registry.storage.OpenBlob;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.IteratingCallback;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** One request and its response, with the few ways the registry reads and answers. */
final class Exchange {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER_SIZE = 64 * 1024;
    /** Blob ranges from this size on are mapped for download; below it a mapping costs more than the copy it saves. */
    static final long MAP_AT_LEAST = 1024 * 1024;
    private static final int MAPPED_SLICE = 4 * 1024 * 1024;
    /** How far ahead of the socket a mapped blob is asked from the disk: a few slices, enough to keep it streaming. */
    private static final long READ_AHEAD = 8L * MAPPED_SLICE;

    final Request request;
    final Response response;
    final Callback callback;
    private static final long MAX_DRAIN = 1 << 20;
    private Fields query;
    private InputStream body;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    String method() {
        return request.getMethod();
    }

    boolean isHead() {
        return HttpMethod.HEAD.is(request.getMethod());
    }

    /** A query parameter, or null. */
    String query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query.getValue(name);
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The request body; the same stream on every call, so what one reader left can still be drained. */
    InputStream body() {
        if (body == null) {
            body = new ClientBody(request, request.getLength());
        }
        return body;
    }

    /**
     * Reads and discards what is left of a small request body before an early answer. Unread bytes make Jetty close
     * the connection, and a close with unread data in the socket is a TCP reset that can destroy our answer before
     * the client reads it. A large remainder is not worth reading: the connection closes instead.
     */
    private void drainBody() {
        try {
            InputStream in = body();
            byte[] buf = new byte[8192];
            long left = MAX_DRAIN;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the client's body is broken; the answer goes out anyway, if it can
        }
    }

    void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Answers with no body. */
    void empty(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        callback.succeeded();
    }

    /** Answers with {@code body}, or for HEAD only its headers. */
    void bytes(int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        if (isHead()) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    void json(int status, Object value) throws IOException {
        bytes(status, "application/json", JSON.writeValueAsBytes(value));
    }

    ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    /**
     * Streams {@code length} bytes of the blob from {@code offset}; the blob is closed when the response ends. From
     * {@link #MAP_AT_LEAST} bytes on, the range is mapped and written to the socket straight from the page cache (one
     * copy, by the kernel, where reading into a buffer first costs a second); smaller ones, or a blob that cannot be
     * mapped, are read through a pooled buffer.
     */
    void blob(OpenBlob blob, long offset, long length) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (isHead() || length == 0) {
            closeQuietly(blob);
            callback.succeeded();
            return;
        }
        if (length >= MAP_AT_LEAST && blob.channel() instanceof FileChannel file) {
            Arena arena = Arena.ofShared();
            MemorySegment mapped = null;
            try {
                mapped = file.map(FileChannel.MapMode.READ_ONLY, offset, length, arena);
            } catch (IOException | UnsupportedOperationException e) {
                arena.close(); // read it instead
            }
            if (mapped != null) {
                closeQuietly(blob); // the mapping stays valid without the descriptor
                new MappedWrite(mapped, arena).iterate();
                return;
            }
        }
        ByteBufferPool.Sized pool = new ByteBufferPool.Sized(request.getComponents().getByteBufferPool(), true, BUFFER_SIZE);
        Content.Source source = Content.Source.from(pool, blob.channel(), offset, length);
        Content.copy(source, response, Callback.from(() -> {
            closeQuietly(blob);
            callback.succeeded();
        }, x -> {
            closeQuietly(blob);
            callback.failed(x);
        }));
    }

    /**
     * Writes a mapped range in slices; the mapping is unmapped once the last write has completed or failed (Jetty
     * calls {@link #onCompleted} only when no write is pending), so no write can read unmapped memory.
     */
    private final class MappedWrite extends IteratingCallback {
        private final MemorySegment segment;
        private final Arena arena;
        private long position;
        /** Where the read-ahead asked for so far reaches: {@link #READ_AHEAD} beyond what was written. */
        private long advised;

        MappedWrite(MemorySegment segment, Arena arena) {
            this.segment = segment;
            this.arena = arena;
        }

        @Override
        protected Action process() {
            long left = segment.byteSize() - position;
            if (left == 0) {
                return Action.SUCCEEDED;
            }
            while (advised < segment.byteSize() && advised < position + READ_AHEAD) {
                long step = Math.min(MAPPED_SLICE, segment.byteSize() - advised);
                ReadAhead.willNeed(segment.asSlice(advised, step));
                advised += step;
            }
            int n = (int) Math.min(left, MAPPED_SLICE);
            ByteBuffer slice = segment.asSlice(position, n).asByteBuffer();
            position += n;
            response.write(position == segment.byteSize(), slice, this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleted(Throwable failure) {
            arena.close();
            if (failure == null) {
                callback.succeeded();
            } else {
                callback.failed(failure);
            }
        }
    }

    private static void closeQuietly(OpenBlob blob) {
        try {
            blob.close();
        } catch (IOException ignored) {
            // read-only channel: nothing was lost
        }
    }

    /** The spec's error body; for HEAD only the status and headers. */
    void error(RegistryError e) throws IOException {
        drainBody();
        e.headers().forEach(this::header);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode errors = body.putArray("errors");
        ObjectNode err = errors.addObject();
        err.put("code", e.code().name());
        err.put("message", e.code().message());
        err.put("detail", e.detail());
        bytes(e.status(), "application/json", JSON.writeValueAsBytes(body));
    }
}
