package dev.shoal.bmcsim.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.shoal.bmcsim.tls.SelfSignedCertificate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file server on 127.0.0.1 for media: serves in-memory images, honours a single Range (206 with
 * Content-Range), and records every request's Range header, so tests can check a BMC read by ranges and
 * never the whole file. HTTPS with a self-signed certificate on request.
 */
public final class ImageServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final int PIECE = 64 * 1024;

    public record Hit(String method, String path, String range, int status, long bytes) {
    }

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Duration> slow = new ConcurrentHashMap<>();
    private final Set<String> ignoreRange = ConcurrentHashMap.newKeySet();
    private final List<Hit> hits = new ArrayList<>();
    private final String scheme;

    private ImageServer(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static ImageServer http() throws IOException {
        return new ImageServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512), "http");
    }

    public static ImageServer https() throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        s.setHttpsConfigurator(new HttpsConfigurator(SelfSignedCertificate.generate("images", List.of()).serverContext()));
        return new ImageServer(s, "https");
    }

    /** Adds a file of {@code size} patterned bytes and returns its URL. */
    public String add(String path, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        files.put(path, b);
        return url(path);
    }

    /** Serves {@code content} at {@code path} and returns its URL. */
    public String put(String path, byte[] content) {
        files.put(path, content.clone());
        return url(path);
    }

    /** Sends {@code path} in 64 KiB pieces with {@code pause} after each: a slow mirror, to catch a download mid-way. */
    public void slow(String path, Duration pause) {
        slow.put(path, pause);
    }

    /** Answers {@code path} with 200 and the whole file even when asked for a range, as some web servers do. */
    public void ignoreRange(String path) {
        ignoreRange.add(path);
    }

    public String url(String path) {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public URI base() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized List<Hit> hits(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    public synchronized long bytesServed(String path) {
        return hits(path).stream().mapToLong(Hit::bytes).sum();
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        byte[] file = files.get(path);
        try (ex) {
            if (file == null) {
                record(ex.getRequestMethod(), path, range, 404, 0);
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.getResponseHeaders().add("Accept-Ranges", "bytes");
            long from = 0;
            long to = file.length - 1;
            int status = 200;
            Matcher m = range == null || ignoreRange.contains(path) ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                from = Long.parseLong(m.group(1));
                to = m.group(2).isEmpty() ? file.length - 1 : Math.min(Long.parseLong(m.group(2)), file.length - 1);
                if (from >= file.length) {
                    record(ex.getRequestMethod(), path, range, 416, 0);
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + file.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + file.length);
            }
            int len = (int) (to - from + 1);
            ex.sendResponseHeaders(status, len);
            long sent = 0;
            Duration pause = slow.get(path);
            try (OutputStream out = ex.getResponseBody()) {
                for (int off = 0; off < len; off += PIECE) {
                    int n = Math.min(PIECE, len - off);
                    out.write(file, (int) from + off, n);
                    sent += n;
                    if (pause != null) {
                        out.flush();
                        Thread.sleep(pause);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client stopped reading (a BMC reading only what it needs): count what was sent
            }
            record(ex.getRequestMethod(), path, range, status, sent);
        }
    }

    private synchronized void record(String method, String path, String range, int status, long bytes) {
        hits.add(new Hit(method, path, range, status, bytes));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
