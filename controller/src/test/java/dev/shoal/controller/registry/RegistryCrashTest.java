package dev.shoal.controller.registry;

import dev.shoal.controller.testing.ControllerProcess;
import dev.shoal.controller.testing.DebianTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static dev.shoal.controller.registry.RegistryClients.PASSWORD;
import static dev.shoal.controller.registry.RegistryClients.USER;
import static dev.shoal.controller.registry.RegistryClients.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a controller process while clients push images through its registry (blobs in PATCH chunks, then the
 * manifest). After a restart on the same port and storage, every push that got its 201 for the manifest pulls back
 * byte for byte, a manifest whose PUT got no answer is either absent or whole, every file under blobs/ hashes to its
 * name, and an upload cut off by the kill is not a blob but resumes from the Range the registry reports.
 */
class RegistryCrashTest {
    static final int PUSHERS = 4;
    static final int MAX_PUSHES_EACH = 40;
    static final int CHUNK = 32 * 1024;
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final String auth = RegistryClients.authorization(USER, PASSWORD);

    record Pushed(String repo, String tag, byte[] manifest, List<byte[]> blobs) {
    }

    @Test
    void completedPushesSurviveKillNineAndNothingPartialIsVisible(@TempDir Path dir) throws Exception {
        Path storage = dir.resolve("data");
        Path users = dir.resolve("registry-users.htpasswd");
        Files.writeString(users, USER + ":" + DebianTools.htpasswdBcrypt(PASSWORD, 5) + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // the same address after the restart, as clients would expect
        }
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "AUTH_MODE", "none", "DRAIN", "true",
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:" + port, "STORAGE_ROOT", storage.toString(),
                "ENABLE_REGISTRY", "true", "REGISTRY_AUTH_MODE", "basic", "REGISTRY_USERS_FILE", users.toString());
        URI base = URI.create("http://127.0.0.1:" + port);

        ConcurrentLinkedQueue<Pushed> completed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Pushed> unanswered = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        byte[] stalledBlob = random(new Random(99), 300_000);
        String stalledLocation;
        byte[] streamingBlob = random(new Random(98), 200_000);
        String streamingLocation;
        java.util.concurrent.CompletableFuture<HttpResponse<String>> streaming;
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1); // released at the end

        try {
            try (ControllerProcess first = ControllerProcess.start(Files.createDirectories(dir.resolve("run-1")), env)) {
                first.awaitListening(Duration.ofSeconds(60));
                // one upload stays half done across the kill, whatever the timing of the others
                stalledLocation = startUpload(base, "crash/stalled");
                stalledLocation = patch(base, stalledLocation, stalledBlob, 0, 160_000);
                // and one is in the middle of a PATCH body when the kill comes: its client sends part and then waits
                streamingLocation = startUpload(base, "crash/streaming");
                java.io.InputStream body = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(streamingBlob, 0, 100_000),
                        new java.io.InputStream() {
                            @Override
                            public int read() throws IOException {
                                try {
                                    never.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                throw new IOException("the test never sends the rest");
                            }
                        });
                streaming = http.sendAsync(HttpRequest.newBuilder(base.resolve(streamingLocation)).header("Authorization", auth)
                        .header("Content-Type", "application/octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
                String sl = streamingLocation;
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (receivedUpTo(base, sl) < 64 * 1024) {
                    assertThat(System.nanoTime()).as("the registry receives the streaming PATCH's first bytes").isLessThan(until);
                    Thread.sleep(20);
                }

                List<Thread> pushers = new ArrayList<>();
                for (int t = 0; t < PUSHERS; t++) {
                    int id = t;
                    pushers.add(Thread.ofPlatform().name("pusher-" + t).start(() -> {
                        Random r = new Random(id);
                        for (int i = 0; i < MAX_PUSHES_EACH && !stop.get(); i++) {
                            Pushed p = image(r, "crash/p" + id, "t" + i);
                            try {
                                for (byte[] b : p.blobs()) {
                                    pushBlob(base, p.repo(), b);
                                }
                            } catch (IOException | RuntimeException e) {
                                return; // the controller died under a blob: nothing was promised
                            } catch (InterruptedException e) {
                                return;
                            }
                            try {
                                putManifest(base, p);
                                completed.add(p);
                            } catch (Exception e) {
                                unanswered.add(p); // maybe stored, maybe not: it must be all or nothing
                                return;
                            }
                        }
                    }));
                }
                // kill while the pushers are in the middle of their uploads, after some pushes completed
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (completed.size() < 12 && System.nanoTime() < deadline && pushers.stream().anyMatch(Thread::isAlive)) {
                    Thread.sleep(20);
                }
                first.process().destroyForcibly().waitFor(); // SIGKILL
                try (Stream<Path> uploads = Files.list(storage.resolve("oci/uploads"))) {
                    System.err.println("killed with " + completed.size() + " pushes complete; uploads in progress: " + uploads.count());
                }
                stop.set(true);
                for (Thread t : pushers) {
                    t.join(Duration.ofSeconds(20));
                    assertThat(t.isAlive()).as(t.getName() + " still running").isFalse();
                }
            }
            assertThat(completed).as("pushes completed before the kill").hasSizeGreaterThanOrEqualTo(4);
            Path blobs = storage.resolve("oci/blobs");
            verifyEveryBlobFile(blobs);

            try (ControllerProcess second = ControllerProcess.start(Files.createDirectories(dir.resolve("run-2")), env)) {
                second.awaitListening(Duration.ofSeconds(60));
                for (Pushed p : completed) {
                    String digest = sha256(p.manifest());
                    HttpResponse<byte[]> m = get(base, "/v2/" + p.repo() + "/manifests/" + p.tag());
                    assertThat(m.statusCode()).as(p.repo() + ":" + p.tag()).isEqualTo(200);
                    assertThat(m.body()).isEqualTo(p.manifest());
                    assertThat(m.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
                    assertThat(get(base, "/v2/" + p.repo() + "/manifests/" + digest).body()).isEqualTo(p.manifest());
                    for (byte[] b : p.blobs()) {
                        HttpResponse<byte[]> got = get(base, "/v2/" + p.repo() + "/blobs/" + sha256(b));
                        assertThat(got.statusCode()).isEqualTo(200);
                        assertThat(sha256(got.body())).isEqualTo(sha256(b));
                        assertThat(got.body()).isEqualTo(b);
                    }
                }
                for (Pushed p : unanswered) {
                    HttpResponse<byte[]> m = get(base, "/v2/" + p.repo() + "/manifests/" + p.tag());
                    assertThat(m.statusCode()).isIn(200, 404);
                    if (m.statusCode() == 200) {
                        assertThat(m.body()).isEqualTo(p.manifest());
                    }
                }

                // the upload cut off by the kill: its bytes are no blob, and it resumes where the registry says it stands
                assertThat(streaming).failsWithin(Duration.ofSeconds(10));
                resume(base, "crash/stalled", stalledLocation, stalledBlob, 160_000);
                resume(base, "crash/streaming", streamingLocation, streamingBlob, 100_000);
            }
            verifyEveryBlobFile(blobs);
        } finally {
            never.countDown(); // lets the client's body thread end
        }
    }

    /** Bytes [0, n) the registry holds for an upload, by GET of its status (n = Range end + 1; 0 without Range). */
    private long receivedUpTo(URI base, String location) throws IOException, InterruptedException {
        HttpResponse<byte[]> status = get(base, location);
        assertThat(status.statusCode()).isEqualTo(204);
        return status.headers().firstValue("Range").map(r -> Long.parseLong(r.substring(r.indexOf('-') + 1)) + 1).orElse(0L);
    }

    /** An upload cut off by the kill: not a blob yet; it resumes from the Range reported and commits whole. */
    private void resume(URI base, String repo, String location, byte[] b, int sent) throws IOException, InterruptedException {
        String digest = sha256(b);
        assertThat(get(base, "/v2/" + repo + "/blobs/" + digest).statusCode()).isEqualTo(404);
        long next = receivedUpTo(base, location);
        System.err.println(repo + ": " + next + " of " + sent + " bytes sent before the kill are kept");
        assertThat(next).isBetween(1L, (long) sent);
        String last = patch(base, location, b, (int) next, b.length);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(base.resolve(last + (last.contains("?") ? "&" : "?")
                + "digest=" + digest)).header("Authorization", auth).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(get(base, "/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(b);
    }

    /** Every blob file is named by the digest of its bytes; a temp file left by the kill is not a blob. */
    private static void verifyEveryBlobFile(Path blobs) throws IOException {
        int checked = 0;
        try (Stream<Path> walk = Files.walk(blobs)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().startsWith(".tmp-")) {
                    continue;
                }
                String digest = f.getParent().getFileName() + ":" + f.getFileName();
                assertThat(sha256(Files.readAllBytes(f))).as(blobs.relativize(f).toString()).isEqualTo(digest);
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    private static byte[] random(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    /** A config and two layers of 64-400 KiB, and the OCI manifest that names them. */
    private static Pushed image(Random r, String repo, String tag) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"" + repo + ":" + tag + "\",\"n\":" + r.nextLong()
                + "}").getBytes(StandardCharsets.UTF_8);
        List<byte[]> blobs = List.of(config, random(r, 64 * 1024 + r.nextInt(336 * 1024)), random(r, 64 * 1024 + r.nextInt(336 * 1024)));
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":[");
        m.append(descriptor("application/vnd.oci.image.layer.v1.tar", blobs.get(1))).append(',')
                .append(descriptor("application/vnd.oci.image.layer.v1.tar", blobs.get(2))).append("]}");
        return new Pushed(repo, tag, m.toString().getBytes(StandardCharsets.UTF_8), blobs);
    }

    private static String descriptor(String mediaType, byte[] b) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + sha256(b) + "\",\"size\":" + b.length + "}";
    }

    private String startUpload(URI base, String repo) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/"))
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST upload: " + r.statusCode() + " " + r.body());
        }
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** PATCHes bytes [from, to) in CHUNK pieces with Content-Range; returns the last Location. */
    private String patch(URI base, String location, byte[] b, int from, int to) throws IOException, InterruptedException {
        for (int at = from; at < to; at += CHUNK) {
            int end = Math.min(to, at + CHUNK);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(location)).header("Authorization", auth)
                    .header("Content-Type", "application/octet-stream").header("Content-Range", at + "-" + (end - 1))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(b, at, end))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException("PATCH " + at + "-" + (end - 1) + ": " + r.statusCode() + " " + r.body());
            }
            location = r.headers().firstValue("Location").orElse(location);
        }
        return location;
    }

    private void pushBlob(URI base, String repo, byte[] b) throws IOException, InterruptedException {
        String location = patch(base, startUpload(base, repo), b, 0, b.length);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(location + (location.contains("?") ? "&" : "?")
                + "digest=" + sha256(b))).header("Authorization", auth).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("PUT blob: " + r.statusCode() + " " + r.body());
        }
    }

    private void putManifest(URI base, Pushed p) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + p.repo() + "/manifests/" + p.tag()))
                .header("Authorization", auth).header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(p.manifest())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("PUT manifest: " + r.statusCode() + " " + r.body());
        }
    }

    private HttpResponse<byte[]> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", auth).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

}
