package dev.shoal.controller.media;

import dev.shoal.controller.config.ConfigLoader;
import dev.shoal.controller.config.ConfigSources;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.http.HttpServer;
import dev.shoal.controller.http.NotFoundHandler;
import dev.shoal.controller.http.SecurityHeadersHandler;
import dev.shoal.controller.secrets.Secret;
import dev.shoal.controller.testing.DebianTools;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media handlers in the controller's own arrangement: HttpServer (root ContextHandler("/"), JsonErrorHandler,
 * access log) → SecurityHeadersHandler → PathMappingsHandler with "/media/*", "/static/*" and "/", over real HTTP.
 */
class MediaServerTest {
    static final String SECRET = "media-test-secret-0123456789-abcdefghij";
    static final String JOB = "01890a5d-ac96-774b-bcce-b302099a8057";
    static final String NO_ISO_JOB = "01890a5d-ac96-774b-bcce-b302099a8058";
    static final String BIG_JOB = "01890a5d-ac96-774b-bcce-b302099a8059";
    static final long BIG = 400L * 1024 * 1024;

    @TempDir
    static Path root;
    static HttpServer server;
    static URI base;
    static byte[] iso;
    static final UrlSigner signer = new UrlSigner(Secret.of(SECRET));
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        ControllerConfig config = ConfigLoader.load(ConfigSources.collect(Map.of(
                "STORAGE_ROOT", root.resolve("var").toString(),
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:0",
                "SIGNED_URL_SECRET", SECRET, "SHOAL_MODE", "local"), Optional.empty(), Map.of()));
        Path tasks = config.paths().taskIsoDir();
        Path statics = config.paths().staticDir();
        iso = new byte[300_000];
        new Random(7).nextBytes(iso);
        Files.createDirectories(tasks.resolve(JOB));
        Files.write(tasks.resolve(JOB).resolve("task.iso"), iso);
        Files.createDirectories(tasks.resolve(BIG_JOB));
        try (RandomAccessFile f = new RandomAccessFile(tasks.resolve(BIG_JOB).resolve("task.iso").toFile(), "rw")) {
            f.setLength(BIG); // sparse: occupies almost no disk, and the server must not read it whole
            f.seek(BIG - 4);
            f.write(new byte[] {'T', 'A', 'I', 'L'});
        }
        Files.createDirectories(statics.resolve("isos"));
        Files.write(statics.resolve("isos/x.iso"), iso);
        Files.writeString(statics.resolve("isos/.hidden"), "secret");
        Files.createDirectories(statics.resolve(".git"));
        Files.writeString(statics.resolve(".git/config"), "secret");
        Files.writeString(root.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(statics.resolve("isos/escape.iso"), root.resolve("outside.txt"));
        Files.createSymbolicLink(tasks.resolve(JOB).resolve("link"), root.resolve("outside.txt"));
        Files.createDirectories(root.resolve("beyond"));
        Files.writeString(root.resolve("beyond/notes.txt"), "outside");
        Files.createSymbolicLink(statics.resolve("away"), root.resolve("beyond")); // a directory link leading out
        Files.createSymbolicLink(statics.resolve("isos/current.iso"), Path.of("x.iso")); // a link staying inside

        MediaHandlers media = MediaHandlers.create(config, InstantSource.system());
        PathMappingsHandler paths = new PathMappingsHandler();
        media.addTo(paths);
        paths.addMapping(PathSpec.from("/"), new NotFoundHandler());
        server = new HttpServer(config, new SecurityHeadersHandler(paths, false), Duration.ofSeconds(5));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    static String signed(String job) {
        return signer.url(base, job, Instant.now().plusSeconds(600)).toString();
    }

    static HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        return send("GET", url, headers);
    }

    static HttpResponse<byte[]> send(String method, String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String h(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void getServesTheWholeIsoWithCachingHeaders() throws Exception {
        var r = get(signed(JOB));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(iso);
        assertThat(h(r, "Content-Length")).isEqualTo(Integer.toString(iso.length));
        assertThat(h(r, "ETag")).isNotBlank();
        assertThat(h(r, "Last-Modified")).isNotBlank();
        assertThat(h(r, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(h(r, "Content-Type")).isEqualTo("application/x-iso9660-image");
        assertThat(h(r, "Cache-Control")).isEqualTo("no-store");
        assertThat(h(r, "X-Content-Type-Options")).isEqualTo("nosniff"); // still behind SecurityHeadersHandler
    }

    @Test
    void headHasTheHeadersAndNoBody() throws Exception {
        var r = send("HEAD", signed(JOB));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(h(r, "Content-Length")).isEqualTo(Integer.toString(iso.length));
        assertThat(h(r, "ETag")).isNotBlank();
        assertThat(h(r, "Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void rangeIsPartialContent() throws Exception {
        var r = get(signed(JOB), "Range", "bytes=0-65535");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(h(r, "Content-Range")).isEqualTo("bytes 0-65535/" + iso.length);
        assertThat(h(r, "Content-Length")).isEqualTo("65536");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(iso, 0, 65536));
    }

    @Test
    void suffixRange() throws Exception {
        var r = get(signed(JOB), "Range", "bytes=-100");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(h(r, "Content-Range")).isEqualTo("bytes " + (iso.length - 100) + "-" + (iso.length - 1) + "/" + iso.length);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(iso, iso.length - 100, iso.length));
    }

    @Test
    void multiRangeIsMultipartByteranges() throws Exception {
        var r = get(signed(JOB), "Range", "bytes=0-9,2048-2057");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(h(r, "Content-Type")).startsWith("multipart/byteranges; boundary=");
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("Content-Range: bytes 0-9/" + iso.length)
                .contains("Content-Range: bytes 2048-2057/" + iso.length)
                .contains(new String(Arrays.copyOfRange(iso, 2048, 2058), StandardCharsets.ISO_8859_1));
    }

    @Test
    void rangePastTheEndIs416() throws Exception {
        var r = get(signed(JOB), "Range", "bytes=" + iso.length + "-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(h(r, "Content-Range")).isEqualTo("bytes */" + iso.length);
    }

    @Test
    void ifNoneMatchIs304() throws Exception {
        String url = signed(JOB);
        String etag = h(get(url), "ETag");
        var r = get(url, "If-None-Match", etag);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void curlFetchesARangeAsABmcWould(@TempDir Path out) throws Exception {
        Path file = out.resolve("part");
        var r = DebianTools.run(null, "curl", "-sS", "-r", "0-2047", "-o", file.toString(), "-w", "%{http_code}", signed(JOB));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("206");
        assertThat(Files.readAllBytes(file)).isEqualTo(Arrays.copyOfRange(iso, 0, 2048));
    }

    @Test
    void a400MegabyteSparseIsoIsServedInRanges() throws Exception {
        String url = signed(BIG_JOB);
        var head = send("HEAD", url);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(h(head, "Content-Length")).isEqualTo(Long.toString(BIG));
        var first = get(url, "Range", "bytes=0-2047");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.body()).hasSize(2048).containsOnly((byte) 0);
        var tail = get(url, "Range", "bytes=" + (BIG - 2048) + "-" + (BIG - 1));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(h(tail, "Content-Range")).isEqualTo("bytes " + (BIG - 2048) + "-" + (BIG - 1) + "/" + BIG);
        assertThat(new String(Arrays.copyOfRange(tail.body(), 2044, 2048), StandardCharsets.US_ASCII)).isEqualTo("TAIL");
        var middle = get(url, "Range", "bytes=209715200-209780735");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).hasSize(65536);
    }

    @Test
    void badSignatureIs403Json() throws Exception {
        String url = signed(JOB);
        String sig = url.split("/")[7];
        String bad = url.replace(sig, (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
        var r = get(bad);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(h(r, "Content-Type")).startsWith("application/json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"invalid_signature\"");
        // the same answer for a job with no ISO: a bad signature reveals nothing about what exists
        var none = get(signer.url(base, NO_ISO_JOB, Instant.now().plusSeconds(60)).toString().replaceAll("/[A-Za-z0-9_-]{43}/", "/" + sig.substring(1) + "A/"));
        assertThat(none.statusCode()).isEqualTo(403);
    }

    @Test
    void otherJobsSignatureIs403() throws Exception {
        String url = signed(NO_ISO_JOB).replace(NO_ISO_JOB, JOB);
        assertThat(get(url).statusCode()).isEqualTo(403);
    }

    @Test
    void expiredIs403Json() throws Exception {
        var r = get(signer.url(base, JOB, Instant.now().minusSeconds(5)).toString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"url_expired\"");
    }

    @Test
    void validSignatureWithoutIsoIs404Json() throws Exception {
        var r = get(signed(NO_ISO_JOB));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"not_found\"");
    }

    @Test
    void onlyGetAndHead() throws Exception {
        var r = send("DELETE", signed(JOB));
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(h(r, "Allow")).isEqualTo("GET, HEAD");
        assertThat(send("POST", base + "/static/isos/x.iso").statusCode()).isEqualTo(405);
    }

    /** Sent raw: HTTP clients normalise dot segments before sending, a hostile BMC-impersonator does not. */
    @ParameterizedTest
    @ValueSource(strings = {
            "/media/tasks/../tasks/" + JOB + "/task.iso",
            "/media/tasks/%2e%2e/%2e%2e/outside.txt",
            "/media/tasks/" + JOB + "/1/..%2f..%2f/task.iso",
            "/media/tasks/%2e%2e%2f" + JOB + "/1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/task.iso",
            "/media/tasks//etc/1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/task.iso",
            "/media/tasks/" + JOB,
            "/media/tasks/" + JOB + "/",
            "/media/tasks/" + JOB + "/link",
            "/media/tasks/",
            "/static/../tasks/" + JOB + "/task.iso",
            "/static/%2e%2e/tasks/" + JOB + "/task.iso",
            "/static/isos/%2e%2e/%2e%2e/outside.txt",
            "/static//etc/passwd",
            "/static/isos/escape.iso",
            "/static/away/notes.txt",
            "/static/isos/x.iso/more",
            "/static/isos/.hidden",
            "/static/.git/config",
            "/static/isos/%2ehidden",
            "/static/isos/",
            "/static/isos",
            "/static/",
    })
    void traversalListingsAndDotfilesAreRefused(String path) throws Exception {
        String response = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        int status = Integer.parseInt(response.substring(9, 12));
        assertThat(status).as(path + " -> " + response).isIn(400, 403, 404);
        assertThat(response).doesNotContain("outside").doesNotContain("secret").doesNotContain("x.iso\"");
    }

    @Test
    void absoluteFormRequestTargetCannotEscape() throws Exception {
        String response = raw("GET http://127.0.0.1/static/../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(Integer.parseInt(response.substring(9, 12))).isIn(400, 404);
        assertThat(response).doesNotContain("root:");
    }

    @Test
    void staticIsoIsServedWithRanges() throws Exception {
        var r = get(base + "/static/isos/x.iso");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(iso);
        assertThat(h(r, "ETag")).isNotBlank();
        assertThat(h(r, "Accept-Ranges")).isEqualTo("bytes");
        var part = get(base + "/static/isos/x.iso", "Range", "bytes=10-19");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(iso, 10, 20));
        var head = send("HEAD", base + "/static/isos/x.iso");
        assertThat(h(head, "Content-Length")).isEqualTo(Integer.toString(iso.length));
        assertThat(get(base + "/static/isos/missing.iso").statusCode()).isEqualTo(404);
    }

    @Test
    void aSymlinkThatStaysInsideIsServed() throws Exception {
        var r = get(base + "/static/isos/current.iso", "Range", "bytes=100-199");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(iso, 100, 200));
    }

    /** An image replaced by a rename keeps its name, size and (with cp -p or rsync -t) its time: not its ETag. */
    @Test
    void anIsoReplacedByARenameGetsANewEtag() throws Exception {
        Path statics = root.resolve("var/static/isos");
        Path target = statics.resolve("swap.iso");
        Files.write(target, iso);
        var time = Files.getLastModifiedTime(target);
        String before = h(get(base + "/static/isos/swap.iso"), "ETag");
        Path next = statics.resolve(".swap.iso.tmp");
        Files.write(next, iso);
        Files.setLastModifiedTime(next, time);
        Files.move(next, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        var after = get(base + "/static/isos/swap.iso", "If-None-Match", before);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(h(after, "ETag")).isNotEqualTo(before);
        assertThat(get(base + "/static/isos/swap.iso", "If-None-Match", h(after, "ETag")).statusCode()).isEqualTo(304);
    }

    @Test
    void otherPathsStillReachTheFallback() throws Exception {
        var r = get(base + "/nothing-here");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("no such endpoint");
    }

    static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", base.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
