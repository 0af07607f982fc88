package dev.shoal.controller.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads what is left of a small request body before the answer is committed, so that the connection stays usable,
 * and tells the client to close it where that cannot be done.
 *
 * <p>Some answers come without the body having been read: an early 401, 404 or 413 on a POST or PUT, or an endpoint
 * that takes no body (drain, cancel) sent one anyway. When the handler is done, Jetty discards what of the body has
 * arrived and closes the connection if more is still to come, with the answer already committed without
 * {@code Connection: close}. Two things then go wrong on a client that pools connections (the JDK's, Go's): its next
 * request goes down a connection that is closing and ends without an answer; and the close, with body bytes unread,
 * resets the connection, which can destroy the answer the client has not read yet.
 *
 * <p>So when the answer is about to be committed, this handler reads and drops the rest of a body of up to
 * {@link #DRAIN_LIMIT} bytes, waiting at most {@link #DRAIN_WAIT} for it (a handler that read the whole body finds
 * its end at once). If the body has not ended by then, or is larger, the answer says {@code Connection: close}. A
 * client that asked for {@code 100 Continue} and was never read from is not read from now: that would ask it to send
 * the body it is holding back. It is told to close instead.
 */
public final class UnreadBodyHandler extends Handler.Wrapper {
    /** Bodies up to this size are read to their end before an answer: API requests and small blobs. */
    static final long DRAIN_LIMIT = 1024 * 1024;
    /** How long a client may take to send the rest of such a body. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

    public UnreadBodyHandler(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!declaresBody(request)) {
            return super.handle(request, response, callback);
        }
        Tracked tracked = new Tracked(request);
        return super.handle(tracked, new Response.Wrapper(tracked, response) {
            private boolean checked;

            @Override
            public void write(boolean last, ByteBuffer content, Callback cb) {
                if (!checked) {
                    checked = true;
                    if (!isCommitted() && !readToItsEnd(tracked)) {
                        getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                    }
                }
                super.write(last, content, cb);
            }
        }, callback);
    }

    /** The request as the handlers see it, noting whether they asked for its body. */
    private static final class Tracked extends Request.Wrapper {
        private volatile boolean asked;

        Tracked(Request wrapped) {
            super(wrapped);
        }

        @Override
        public Content.Chunk read() {
            asked = true;
            return super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            asked = true;
            super.demand(demandCallback);
        }
    }

    private static boolean declaresBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /**
     * Reads and drops the rest of the body, at most {@link #DRAIN_LIMIT} bytes of it, and without waiting where it is
     * declared larger than that; true if its end was reached (at once, for a body the handler read).
     */
    private static boolean readToItsEnd(Tracked tracked) {
        Request request = tracked.getWrapped();
        if (!tracked.asked && request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) {
            return false;
        }
        boolean mayWait = request.getLength() <= DRAIN_LIMIT;
        long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
        long read = 0;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                if (!mayWait || !arrivesBefore(request, deadline)) {
                    return false;
                }
                continue;
            }
            read += chunk.remaining();
            boolean last = chunk.isLast();
            boolean failed = Content.Chunk.isFailure(chunk);
            chunk.release();
            if (failed) {
                return false;
            }
            if (last) {
                return true;
            }
            if (read > DRAIN_LIMIT) {
                return false; // a chunked body, or one the handler stopped reading, longer than we drop
            }
        }
    }

    private static boolean arrivesBefore(Request request, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        CompletableFuture<Void> more = new CompletableFuture<>();
        request.demand(() -> more.complete(null));
        try {
            more.get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
