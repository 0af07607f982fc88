package dev.shoal.registry.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/** A blob opened for reading; the caller closes it. Open files stay readable even if the blob is replaced. */
public record OpenBlob(BlobInfo info, SeekableByteChannel channel) implements Closeable {
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
