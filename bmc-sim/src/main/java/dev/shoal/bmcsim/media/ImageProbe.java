package dev.shoal.bmcsim.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an image the way a BMC does when media is inserted: a few Range requests (the first 64 KiB,
 * the ISO 9660 primary volume descriptor at 32 KiB, the last sector) rather than the whole file, which
 * may be gigabytes. An answer other than 200/206, or no answer, fails the insert. A server that ignores
 * Range (200) is read for 64 KiB only and then left alone.
 */
public final class ImageProbe implements AutoCloseable {
    static final int HEAD_BYTES = 64 * 1024;
    static final int SECTOR = 2048;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

    private final HttpClient client;
    private final Duration timeout;

    public ImageProbe(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .sslContext(TrustAll.context())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.timeout = timeout;
    }

    public ImageProbe() {
        this(Duration.ofSeconds(3), Duration.ofSeconds(10));
    }

    public ProbeResult probe(String url) throws ProbeException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProbeException("the image URL " + url + " is not a valid URI: " + e.getMessage(), 0);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ProbeException("the image URL " + url + " uses " + (scheme.isEmpty() ? "no scheme" : scheme + "://")
                    + "; this BMC reads media over http:// and https:// only", 0);
        }
        if (uri.getHost() == null) {
            throw new ProbeException("the image URL " + url + " names no host", 0);
        }
        List<String> ranges = new ArrayList<>();
        long[] read = {0};
        Segment first = fetch(uri, url, 0, HEAD_BYTES - 1, ranges, read);
        if (first.status() == 206 && first.size() > 0) {
            if (first.size() > 32 * 1024 + SECTOR) {
                fetch(uri, url, 32 * 1024, 32 * 1024 + SECTOR - 1, ranges, read);
            }
            if (first.size() > HEAD_BYTES) {
                fetch(uri, url, first.size() - SECTOR, first.size() - 1, ranges, read);
            }
        }
        return new ProbeResult(url, first.size(), ranges, read[0]);
    }

    private record Segment(int status, long size) {
    }

    private Segment fetch(URI uri, String url, long from, long to, List<String> ranges, long[] read) throws ProbeException {
        String range = "bytes=" + from + "-" + to;
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Range", range)
                .header("User-Agent", "shoal-bmc-sim (virtual media)").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ProbeException("cannot connect to " + hostPort(uri) + " to read " + url + ": connection timed out", 0);
        } catch (HttpTimeoutException e) {
            throw new ProbeException("reading " + url + " timed out after " + timeout.toSeconds() + " s", 0);
        } catch (ConnectException e) {
            throw new ProbeException("cannot connect to " + hostPort(uri) + " to read " + url + ": connection refused", 0);
        } catch (IOException e) {
            throw new ProbeException("cannot read " + url + ": " + describe(e), 0);
        } catch (IllegalArgumentException e) {
            throw new ProbeException("cannot read " + url + ": " + describe(e), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("reading " + url + " was interrupted", 0);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status != 200 && status != 206) {
                throw new ProbeException("the image server answered GET " + url + " with HTTP " + status + " " + reason(status), status);
            }
            long want = to - from + 1;
            byte[] bytes = body.readNBytes((int) Math.min(want, HEAD_BYTES));
            read[0] += bytes.length;
            ranges.add(range);
            long size = -1;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                if (m.find() && !m.group(3).equals("*")) {
                    size = Long.parseLong(m.group(3));
                }
            } else {
                size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            }
            return new Segment(status, size);
        } catch (IOException e) {
            throw new ProbeException("reading " + url + " failed mid-transfer: " + describe(e), status);
        }
    }

    private static String hostPort(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            m = e.getCause().toString();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Stops the HTTP client's selector thread; reads in flight fail. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 410 -> "Gone";
            case 416 -> "Range Not Satisfiable";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }
}
