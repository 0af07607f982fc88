package dev.shoal.agent.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Counts the bytes of the served image, tells the listener at most once per interval (and once at the end),
 * and marks read failures as download failures so they are reported under the download step.
 */
final class CountingInputStream extends FilterInputStream {
    /** An I/O error from the network side, as opposed to the decoder's or the disk's. */
    static final class DownloadException extends IOException {
        DownloadException(IOException cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
        }
    }

    private final OptionalLong total;
    private final ProgressListener listener;
    private final long intervalNanos;
    private long count;
    private long lastReport = System.nanoTime();

    CountingInputStream(InputStream in, OptionalLong total, ProgressListener listener, Duration interval) {
        super(in);
        this.total = total;
        this.listener = listener;
        this.intervalNanos = interval.toNanos();
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw new DownloadException(e);
        }
        if (n > 0) {
            count += n;
            long now = System.nanoTime();
            if (now - lastReport >= intervalNanos) {
                lastReport = now;
                listener.progress(count, total);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes out of the count and the checksum: read them instead.
        return read(new byte[(int) Math.min(n, 8192)]) ;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The final report, whatever the interval. */
    void finish() {
        listener.progress(count, total.isPresent() ? OptionalLong.of(Math.max(count, total.getAsLong())) : OptionalLong.of(count));
    }
}
