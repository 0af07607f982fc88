package dev.shoal.bmcsim.media;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves ISO-sized files (zeros, 1 MiB) on 127.0.0.1 for simulated BMCs to fetch, answering Range requests
 * as a media server does, for tests and demos that need an image URL before Shoal's own media server
 * serves one. Names under {@code missing/} answer 404. HTTPS uses a self-signed certificate made in memory.
 */
public final class ImageServer implements AutoCloseable {
    static final int SIZE = 1 << 20;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final String scheme;
    private final AtomicInteger requests = new AtomicInteger();

    private ImageServer(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/isos/", this::serve);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static ImageServer http() throws IOException {
        return new ImageServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
    }

    public static ImageServer https() throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext ctx = dev.shoal.bmcsim.tls.SelfSignedCertificate.generate("localhost", List.of("127.0.0.1", "localhost"))
                .serverContext();
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        return new ImageServer(s, "https");
    }

    /** A URL the server answers; names under {@code missing/} answer 404. */
    public URI uri(String name) {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/isos/" + name);
    }

    public int requests() {
        return requests.get();
    }

    private void serve(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            if (ex.getRequestURI().getPath().contains("/missing/")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long start = 0;
            long end = SIZE - 1;
            String range = ex.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            boolean partial = m != null && m.matches();
            if (partial) {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? SIZE - 1 : Math.min(Long.parseLong(m.group(2)), SIZE - 1);
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + SIZE);
            }
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            long length = end - start + 1;
            ex.sendResponseHeaders(partial ? 206 : 200, ex.getRequestMethod().equals("HEAD") ? -1 : length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                OutputStream out = ex.getResponseBody();
                byte[] chunk = new byte[8192];
                for (long left = length; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
        } catch (IOException e) {
            // the BMC read what it wanted and hung up
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
