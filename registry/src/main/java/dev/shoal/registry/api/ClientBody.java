package dev.shoal.registry.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body, with every read failure marked as the client's ({@link ClientBodyException}), so the handler
 * can tell a dropped connection (400, bytes kept for resume) from a failing disk (500) when both surface as
 * IOException out of the store.
 */
final class ClientBody extends FilterInputStream {
    ClientBody(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw new ClientBodyException(e);
        }
    }
}
