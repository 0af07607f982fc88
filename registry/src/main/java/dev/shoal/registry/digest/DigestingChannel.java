package dev.shoal.registry.digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes to a channel and hashes exactly the bytes the channel accepted, so the digest always describes what is
 * on disk, even when a write stops short. Closing it does not close the underlying channel: the owner decides
 * when to fsync and close.
 */
public final class DigestingChannel implements WritableByteChannel {
    private final WritableByteChannel target;
    private final Digester digester;
    private boolean open = true;

    public DigestingChannel(WritableByteChannel target, Digester digester) {
        this.target = target;
        this.digester = digester;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) {
            throw new java.nio.channels.ClosedChannelException();
        }
        ByteBuffer view = src.duplicate();
        int written = target.write(src);
        view.limit(view.position() + written);
        digester.update(view);
        return written;
    }

    /** Writes all of {@code src}, looping over short writes. */
    public void writeFully(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            write(src);
        }
    }

    public Digester digester() {
        return digester;
    }

    @Override
    public boolean isOpen() {
        return open && target.isOpen();
    }

    @Override
    public void close() {
        open = false;
    }
}
