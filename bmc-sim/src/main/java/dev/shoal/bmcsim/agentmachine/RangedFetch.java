package dev.shoal.bmcsim.agentmachine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a virtual-media image to a file the way a BMC reads it while the server boots: consecutive
 * {@code Range} requests of 64 KiB, never one whole-file GET. Every answer must be 206 with exactly the
 * Content-Range asked for (clipped at the end of the file) and a steady total size; anything else fails, as
 * it leaves a BMC without a readable CD. Only one chunk is held in memory.
 */
final class RangedFetch {
    static final int CHUNK = 64 * 1024;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    static final int DROPPED_RETRIES = 3;
    private static final Duration DROPPED_PAUSE = Duration.ofMillis(50);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    private final HttpClient client;
    private final Duration timeout;
    private final Duration unreachableFor;

    /**
     * @param unreachableFor how long a media server that cannot be reached is tried again, as BMC firmware keeps
     *                       retrying its virtual media connection (a controller restarting must not fail the boot)
     */
    RangedFetch(HttpClient client, Duration timeout, Duration unreachableFor) {
        this.client = client;
        this.timeout = timeout;
        this.unreachableFor = unreachableFor;
    }

    /** The medium could not be read; the message names the URL and what was wrong. */
    static final class MediaException extends Exception {
        MediaException(String message) {
            super(message);
        }
    }

    /** Copies {@code url} to {@code target} (replacing it) and returns its size. */
    long fetch(String url, Path target) throws MediaException, IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new MediaException(url + " is not a valid URL: " + e.getMessage());
        }
        byte[] buf = new byte[CHUNK];
        long total = -1;
        long pos = 0;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            do {
                long last = total < 0 ? pos + CHUNK - 1 : Math.min(pos + CHUNK - 1, total - 1);
                long size = chunk(uri, url, pos, last, total, buf);
                total = size;
                int n = (int) (Math.min(last, total - 1) - pos + 1);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb, pos + bb.position());
                }
                pos += n;
            } while (pos < total);
        }
        return total;
    }

    private HttpResponse<InputStream> send(HttpRequest request, String url) throws MediaException, IOException, InterruptedException {
        long giveUp = System.nanoTime() + unreachableFor.toNanos();
        int dropped = 0;
        while (true) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IllegalArgumentException e) {
                throw new MediaException("cannot read " + url + ": " + e.getMessage());
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(RETRY_PAUSE);
            } catch (java.net.http.HttpTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // A kept-alive connection the server closed just as it was reused fails before any answer; a range
                // GET is safe to repeat, and firmware repeats it on a new connection rather than losing the CD.
                if (++dropped > DROPPED_RETRIES) {
                    throw new IOException("the connection was dropped " + dropped + " times in a row before an answer: "
                            + e.getMessage(), e);
                }
                Thread.sleep(DROPPED_PAUSE);
            }
        }
    }

    /** Reads bytes {@code from..to} into {@code buf} and returns the file's total size from Content-Range. */
    private long chunk(URI uri, String url, long from, long to, long knownTotal, byte[] buf)
            throws MediaException, IOException, InterruptedException {
        String range = "bytes=" + from + "-" + to;
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Range", range)
                .header("User-Agent", "shoal-bmc-sim (virtual media boot)").GET().build();
        HttpResponse<InputStream> response = send(request, url);
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status != 206) {
                throw new MediaException("GET " + url + " with Range " + range + " was answered HTTP " + status
                        + (status == 200 ? " (the whole file: the server ignores Range, which a BMC needs)" : ""));
            }
            String header = response.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(header.strip());
            if (!m.matches()) {
                throw new MediaException("GET " + url + " with Range " + range + ": 206 without a usable Content-Range ("
                        + (header.isEmpty() ? "none" : header) + ")");
            }
            long start = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            long total = Long.parseLong(m.group(3));
            if (knownTotal >= 0 && total != knownTotal) {
                throw new MediaException(url + " changed size while being read: " + knownTotal + " then " + total + " bytes");
            }
            if (start != from || end != Math.min(to, total - 1)) {
                throw new MediaException("GET " + url + " with Range " + range + " was answered with Content-Range " + header);
            }
            int want = (int) (end - start + 1);
            int got = body.readNBytes(buf, 0, want);
            if (got < want) {
                throw new MediaException("GET " + url + " with Range " + range + ": the answer ended after " + got + " of "
                        + want + " bytes");
            }
            if (body.read() != -1) {
                throw new MediaException("GET " + url + " with Range " + range + ": the answer is longer than its Content-Range "
                        + header);
            }
            return total;
        }
    }
}
