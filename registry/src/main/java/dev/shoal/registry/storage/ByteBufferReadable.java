package dev.shoal.registry.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A request body that can copy straight into a {@link ByteBuffer}. An upload reads through this when its body offers
 * it, so the bytes go from the server's network buffer into the upload's file buffer in one copy, instead of by way
 * of a byte array.
 */
public interface ByteBufferReadable {
    /** Copies up to {@code dst.remaining()} bytes into {@code dst}; -1 at the end of the body; blocks for at least one. */
    int read(ByteBuffer dst) throws IOException;

    /** Bytes that can be read now without blocking (0 when the client is pausing). */
    int available() throws IOException;

    /** Bytes still to come before the body ends, or -1 when the request did not say (chunked transfer coding). */
    long remaining();
}
