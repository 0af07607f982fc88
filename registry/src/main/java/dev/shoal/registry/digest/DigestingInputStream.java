package dev.shoal.registry.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Hashes bytes as they are read, for callers that consume a stream and want its digest without a second pass. */
public final class DigestingInputStream extends FilterInputStream {
    private final Digester digester;

    public DigestingInputStream(InputStream in, Digester digester) {
        super(in);
        this.digester = digester;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            digester.update(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            digester.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping would leave bytes out of the digest; read them instead
        byte[] buf = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    public Digester digester() {
        return digester;
    }
}
