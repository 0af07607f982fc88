package dev.shoal.registry.api;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.shoal.registry.api.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

class BlobApiTest {
    @TempDir
    Path root;
    RegistryServer reg;

    @BeforeEach
    void start() throws Exception {
        reg = new RegistryServer(root);
    }

    @AfterEach
    void stop() throws Exception {
        reg.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void baseEndpointAnswersWithApiVersion() throws Exception {
        HttpResponse<byte[]> r = reg.get("/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body())).isEqualTo("{}");
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
        assertError(reg.get("/v2/x/nonsense"), 404, "NOT_FOUND");
        assertError(reg.send("POST", "/v2/", null), 405, "UNSUPPORTED");
    }

    @Test
    void monolithicPushThenPullWithHeadAndRanges() throws Exception {
        byte[] content = random(100_000, 1);
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        HttpResponse<byte[]> put = reg.send("POST", "/v2/app/blobs/uploads/?digest=" + d, content);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).contains("/v2/app/blobs/" + d);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(d.toString());

        HttpResponse<byte[]> get = reg.get("/v2/app/blobs/" + d);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d.toString());

        HttpResponse<byte[]> head = reg.send("HEAD", "/v2/app/blobs/" + d, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(100_000);
        assertThat(head.body()).isEmpty();

        HttpResponse<byte[]> range = reg.get("/v2/app/blobs/" + d, "Range", "bytes=10-19");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 10-19/100000");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));

        HttpResponse<byte[]> suffix = reg.get("/v2/app/blobs/" + d, "Range", "bytes=-5");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 99_995, 100_000));

        HttpResponse<byte[]> open = reg.get("/v2/app/blobs/" + d, "Range", "bytes=99990-");
        assertThat(open.headers().firstValue("Content-Range")).contains("bytes 99990-99999/100000");
        assertThat(open.body()).hasSize(10);

        HttpResponse<byte[]> outside = reg.get("/v2/app/blobs/" + d, "Range", "bytes=100000-");
        assertError(outside, 416, "RANGE_INVALID");
        assertThat(outside.headers().firstValue("Content-Range")).contains("bytes */100000");
    }

    @Test
    void blobsAreOnlyServedThroughRepositoriesThatHaveThem() throws Exception {
        Digest d = reg.pushBlob("a", bytes("secret layer"));
        assertError(reg.get("/v2/b/blobs/" + d), 404, "BLOB_UNKNOWN");
        assertError(reg.get("/v2/a/blobs/sha256:" + "0".repeat(64)), 404, "BLOB_UNKNOWN");
        assertError(reg.get("/v2/a/blobs/sha256:zz"), 400, "DIGEST_INVALID");
        HttpResponse<byte[]> del = reg.send("DELETE", "/v2/a/blobs/" + d, null);
        assertThat(del.statusCode()).isEqualTo(202);
        assertError(reg.get("/v2/a/blobs/" + d), 404, "BLOB_UNKNOWN");
        assertError(reg.send("DELETE", "/v2/a/blobs/" + d, null), 404, "BLOB_UNKNOWN");
    }

    @Test
    void chunkedPushWithStatusAndFinalChunkInThePut() throws Exception {
        byte[] content = bytes("0123456789abcdefghij");
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        HttpResponse<byte[]> post = reg.send("POST", "/v2/org/app/blobs/uploads/", null);
        assertThat(post.statusCode()).isEqualTo(202);
        String location = post.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/v2/org/app/blobs/uploads/[0-9a-f-]{36}");
        assertThat(post.headers().firstValue("Range")).contains("0-0");
        assertThat(post.headers().firstValue("Docker-Upload-UUID")).contains(location.substring(location.lastIndexOf('/') + 1));

        HttpResponse<byte[]> p1 = reg.send("PATCH", location, Arrays.copyOfRange(content, 0, 10),
                "Content-Range", "0-9", "Content-Type", "application/octet-stream");
        assertThat(p1.statusCode()).isEqualTo(202);
        assertThat(p1.headers().firstValue("Range")).contains("0-9");
        assertThat(p1.headers().firstValue("Location")).contains(location);

        HttpResponse<byte[]> status = reg.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).contains("0-9");

        HttpResponse<byte[]> outOfOrder = reg.send("PATCH", location, bytes("xx"), "Content-Range", "12-13");
        assertError(outOfOrder, 416, "RANGE_INVALID");
        assertThat(outOfOrder.headers().firstValue("Range")).contains("0-9");
        assertError(reg.send("PATCH", location, bytes("xx"), "Content-Range", "banana"), 416, "RANGE_INVALID");
        assertError(reg.send("PATCH", location, bytes("xx"), "Content-Range", "10-14"), 416, "RANGE_INVALID");

        HttpResponse<byte[]> put = reg.send("PUT", location + "?digest=" + d, Arrays.copyOfRange(content, 10, 20),
                "Content-Range", "10-19");
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(reg.get("/v2/org/app/blobs/" + d).body()).isEqualTo(content);
        assertError(reg.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void streamedPatchWithoutContentRangeThenEmptyPut() throws Exception {
        byte[] content = random(300_000, 2);
        Digest d = Digest.of(DigestAlgorithm.SHA512, content);
        String location = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        assertThat(reg.send("PATCH", location, content).headers().firstValue("Range")).contains("0-299999");
        HttpResponse<byte[]> put = reg.send("PUT", location + "?digest=" + d, null);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(root.resolve("blobs/sha512/" + d.hex())).hasBinaryContent(content);
    }

    @Test
    void wrongDigestIsRefusedAndNothingIsPublished() throws Exception {
        byte[] content = bytes("abc");
        Digest wrong = Digest.of(DigestAlgorithm.SHA256, bytes("abd"));
        assertError(reg.send("POST", "/v2/app/blobs/uploads/?digest=" + wrong, content), 400, "DIGEST_INVALID");
        assertError(reg.send("POST", "/v2/app/blobs/uploads/?digest=sha256:abc", content), 400, "DIGEST_INVALID");
        assertError(reg.send("POST", "/v2/app/blobs/uploads/?digest=md5:abc", content), 400, "DIGEST_INVALID");
        String location = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        assertError(reg.send("PUT", location + "?digest=" + wrong, content), 400, "DIGEST_INVALID");
        assertError(reg.send("PUT", location + "?digest=" + Digest.of(DigestAlgorithm.SHA256, content), content),
                404, "BLOB_UPLOAD_UNKNOWN"); // discarded on mismatch
        assertThat(root.resolve("blobs/sha256/" + wrong.hex())).doesNotExist();
        try (Stream<Path> uploads = Files.list(root.resolve("uploads"))) {
            assertThat(uploads.toList()).isEmpty();
        }
        String other = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        assertError(reg.send("PUT", other, content), 400, "DIGEST_INVALID"); // no ?digest= at all
    }

    @Test
    void unknownAndForeignUploadsAreUnknown() throws Exception {
        String unknown = "/v2/app/blobs/uploads/00000000-0000-0000-0000-000000000000";
        assertError(reg.get(unknown), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(reg.send("PATCH", unknown, bytes("x")), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(reg.send("PUT", unknown + "?digest=" + Digest.of(DigestAlgorithm.SHA256, bytes("x")), bytes("x")),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(reg.send("DELETE", unknown, null), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(reg.get("/v2/app/blobs/uploads/not-a-uuid"), 404, "BLOB_UPLOAD_UNKNOWN");

        String location = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertError(reg.get("/v2/other/blobs/uploads/" + id), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(reg.send("DELETE", location, null).statusCode()).isEqualTo(204);
        assertError(reg.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(root.resolve("uploads/" + id)).doesNotExist();
    }

    @Test
    void namesWithDotDotAreInvalidAndReachNothing() throws Exception {
        assertError(reg.get("/v2/a..b/tags/list"), 400, "NAME_INVALID");
        assertError(reg.send("POST", "/v2/Upper/blobs/uploads/", null), 400, "NAME_INVALID");
        // an encoded ".." is an ambiguous path segment: Jetty refuses it with its own 400 before we see it
        assertThat(reg.get("/v2/a/%2e%2e/b/tags/list").statusCode()).isEqualTo(400);
        // a literal ../ is resolved or refused by Jetty before us; either way it never names a repository
        for (String path : new String[] {"/v2/a/../../etc/tags/list", "/v2/x/../../etc/blobs/uploads/"}) {
            HttpResponse<byte[]> r = reg.send("POST", path, null);
            assertThat(r.statusCode()).as(path).isIn(400, 404, 405);
        }
        try (Stream<Path> repos = Files.list(root.resolve("repos"))) {
            assertThat(repos.toList()).isEmpty();
        }
        try (Stream<Path> uploads = Files.list(root.resolve("uploads"))) {
            assertThat(uploads.toList()).isEmpty();
        }
    }

    @Test
    void crossRepositoryMount() throws Exception {
        Digest d = reg.pushBlob("base/debian", bytes("shared layer"));
        HttpResponse<byte[]> mounted = reg.send("POST", "/v2/app/blobs/uploads/?mount=" + d + "&from=base/debian", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Location")).contains("/v2/app/blobs/" + d);
        assertThat(reg.get("/v2/app/blobs/" + d).body()).isEqualTo(bytes("shared layer"));

        // the source does not have it: an ordinary upload instead
        Digest missing = Digest.of(DigestAlgorithm.SHA256, bytes("nope"));
        HttpResponse<byte[]> fallback = reg.send("POST", "/v2/app2/blobs/uploads/?mount=" + missing + "&from=base/debian", null);
        assertThat(fallback.statusCode()).isEqualTo(202);
        assertThat(fallback.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/v2/app2/blobs/uploads/"));
        // a repository that never had it cannot lend it
        HttpResponse<byte[]> notLent = reg.send("POST", "/v2/app3/blobs/uploads/?mount=" + d + "&from=nobody", null);
        assertThat(notLent.statusCode()).isEqualTo(202);
        assertError(reg.get("/v2/app3/blobs/" + d), 404, "BLOB_UNKNOWN");
    }

    @Test
    void twoClientsPushingTheSameBlobAtOnceBothSucceed() throws Exception {
        byte[] content = random(2 << 20, 3);
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        CyclicBarrier barrier = new CyclicBarrier(2);
        Callable<Integer> push = () -> {
            String location = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            assertThat(reg.send("PATCH", location, content, "Content-Range", "0-" + (content.length - 1)).statusCode()).isEqualTo(202);
            barrier.await();
            return reg.send("PUT", location + "?digest=" + d, null).statusCode();
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Integer> a = pool.submit(push);
            Future<Integer> b = pool.submit(push);
            assertThat(a.get()).isEqualTo(201);
            assertThat(b.get()).isEqualTo(201);
        }
        try (Stream<Path> blobs = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(blobs.toList()).containsExactly(root.resolve("blobs/sha256/" + d.hex()));
        }
        assertThat(reg.get("/v2/app/blobs/" + d).body()).isEqualTo(content);
    }

    @Test
    void interruptedPatchResumesAtTheOffsetTheRegistryReports() throws Exception {
        byte[] content = random(200_000, 4);
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        String location = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        int sent = 120_000;
        // a client that promises the whole blob, sends part of it and drops the connection
        try (Socket s = new Socket("127.0.0.1", reg.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: 0-" + (content.length - 1) + "\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, sent);
            out.flush();
            Thread.sleep(200);
        }
        long offset = -1;
        for (int i = 0; i < 100 && offset != sent; i++) {
            String range = reg.get(location).headers().firstValue("Range").orElseThrow();
            offset = Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
            Thread.sleep(50);
        }
        assertThat(offset).isEqualTo(sent);
        HttpResponse<byte[]> rest = reg.send("PATCH", location, Arrays.copyOfRange(content, sent, content.length),
                "Content-Range", sent + "-" + (content.length - 1));
        assertThat(rest.statusCode()).isEqualTo(202);
        assertThat(reg.send("PUT", location + "?digest=" + d, null).statusCode()).isEqualTo(201);
        assertThat(reg.get("/v2/app/blobs/" + d).body()).isEqualTo(content);
    }

    @Test
    void uploadSurvivesARestartOfTheRegistry() throws Exception {
        byte[] content = random(50_000, 5);
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        String location = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        reg.send("PATCH", location, Arrays.copyOfRange(content, 0, 20_000), "Content-Range", "0-19999");
        reg.close();
        reg = new RegistryServer(root);
        assertThat(reg.get(location).headers().firstValue("Range")).contains("0-19999");
        reg.send("PATCH", location, Arrays.copyOfRange(content, 20_000, 50_000), "Content-Range", "20000-49999");
        assertThat(reg.send("PUT", location + "?digest=" + d, null).statusCode()).isEqualTo(201);
        try (InputStream in = Files.newInputStream(root.resolve("blobs/sha256/" + d.hex()))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void emptyBlobCanBePushedBothWays() throws Exception {
        Digest empty = Digest.of(DigestAlgorithm.SHA256, new byte[0]);
        assertThat(reg.send("POST", "/v2/app/blobs/uploads/?digest=" + empty, new byte[0]).statusCode()).isEqualTo(201);
        String location = reg.send("POST", "/v2/app2/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        assertThat(reg.send("PUT", location + "?digest=" + empty, null).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> get = reg.get("/v2/app2/blobs/" + empty);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(0);
        assertError(reg.get("/v2/app2/blobs/" + empty, "Range", "bytes=0-0"), 416, "RANGE_INVALID");
    }

    @Test
    void statusAnswersWhileAPatchIsStillStreaming() throws Exception {
        byte[] content = random(200_000, 6);
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        String location = reg.send("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        try (Socket s = new Socket("127.0.0.1", reg.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + content.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(content, 0, 100_000);
            out.flush();
            String range = "";
            for (int i = 0; i < 100 && !range.equals("0-99999"); i++) {
                long started = System.nanoTime();
                HttpResponse<byte[]> status = reg.get(location);
                assertThat(status.statusCode()).isEqualTo(204);
                assertThat(System.nanoTime() - started).as("status waited for the PATCH").isLessThan(2_000_000_000L);
                range = status.headers().firstValue("Range").orElseThrow();
                Thread.sleep(20);
            }
            assertThat(range).isEqualTo("0-99999");
            out.write(content, 100_000, 100_000);
            out.flush();
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 202");
        }
        assertThat(reg.send("PUT", location + "?digest=" + d, null).statusCode()).isEqualTo(201);
    }
}
