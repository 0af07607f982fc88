package dev.shoal.registry.api;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.storage.GcPolicy;
import dev.shoal.registry.storage.GcReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage collection with a tiny grace, run over and over while several clients push images over real HTTP. Each
 * image re-pushes a blob another push left unreferenced a while ago (so commits race sweeps of that very blob).
 * Afterwards every image pulls byte for byte, and the unreferenced blobs are gone.
 */
class GcWhilePushingTest {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final Duration GRACE = Duration.ofSeconds(2);
    static final int PUSHERS = 4;
    static final Duration PUSHING = Duration.ofSeconds(6);

    @TempDir
    Path root;

    record Pushed(String repo, String tag, byte[] manifest, List<byte[]> blobs) {
    }

    @Test
    void everyPushedImagePullsWholeAndOnlyUnreferencedBlobsGo() throws Exception {
        try (RegistryServer reg = new RegistryServer(root);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            GcPolicy policy = new GcPolicy(GRACE, Duration.ofHours(24), 0, false);
            AtomicBoolean pushing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Pushed> pushed = new ConcurrentLinkedQueue<>();
            Future<List<GcReport>> gc = pool.submit(() -> {
                List<GcReport> reports = new ArrayList<>();
                while (pushing.get()) {
                    reports.add(reg.store.garbageCollector(Clock.systemUTC()).run(policy));
                    Thread.sleep(10);
                }
                return reports;
            });
            List<Future<Integer>> pushers = new ArrayList<>();
            for (int p = 0; p < PUSHERS; p++) {
                int id = p;
                pushers.add(pool.submit(() -> push(reg, "load/p" + id, id, pushed)));
            }
            int images = 0;
            for (Future<Integer> f : pushers) {
                images += f.get();
            }
            pushing.set(false);
            List<GcReport> reports = gc.get();

            assertThat(images).isGreaterThanOrEqualTo(PUSHERS * 5);
            assertThat(reports.size()).as("GC runs during the pushes").isGreaterThan(10);
            // orphans older than the grace were collected while the pushes went on
            assertThat(reports.stream().mapToInt(GcReport::blobsDeleted).sum()).isPositive();
            assertEveryImagePulls(reg, pushed);

            // the last orphans are still young; once they are older than the grace, one more run takes them all
            Thread.sleep(GRACE.plusMillis(500).toMillis());
            reg.store.garbageCollector(Clock.systemUTC()).run(policy);
            assertEveryImagePulls(reg, pushed);
            Set<String> referenced = new HashSet<>();
            for (Pushed p : pushed) {
                referenced.add(sha256(p.manifest()).hex());
                p.blobs().forEach(b -> referenced.add(sha256(b).hex()));
            }
            try (Stream<Path> blobs = Files.list(root.resolve("blobs/sha256"))) {
                assertThat(blobs.map(b -> b.getFileName().toString())).containsExactlyInAnyOrderElementsOf(referenced);
            }
        }
    }

    /**
     * Pushes images until {@link #PUSHING} has passed: per image, one orphan blob (every other one is never
     * referenced), then config, a fresh layer and the oldest reusable orphan once it is older than the grace (so
     * collected, or being collected, or about to be), then the manifest. Returns how many images it pushed.
     */
    private static int push(RegistryServer reg, String repo, int id, ConcurrentLinkedQueue<Pushed> pushed) throws Exception {
        Random random = new Random(id);
        record Orphan(long pushedAt, byte[] content) {
        }
        List<Orphan> reusable = new ArrayList<>();
        long end = System.nanoTime() + PUSHING.toNanos();
        int n = 0;
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            byte[] orphan = randomBytes(random, "orphan " + repo + " " + n);
            reg.pushBlob(repo, orphan);
            if (n % 2 == 0) {
                reusable.add(new Orphan(started, orphan)); // the odd ones stay unreferenced for good
            }
            byte[] config = ("{\"image\":\"" + repo + ":" + n + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] layer = randomBytes(random, "layer " + repo + " " + n);
            List<byte[]> blobs = new ArrayList<>(List.of(config, layer));
            if (!reusable.isEmpty() && started - reusable.getFirst().pushedAt() >= GRACE.toNanos()) {
                blobs.add(reusable.removeFirst().content()); // older than the grace: collected, or being collected
            }
            StringBuilder layers = new StringBuilder();
            for (byte[] b : blobs) {
                reg.pushBlob(repo, b);
                if (b != config) {
                    layers.append(layers.isEmpty() ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar", b));
                }
            }
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                    + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":[" + layers + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> r = reg.send("PUT", "/v2/" + repo + "/manifests/t" + n, manifest, "Content-Type", OCI_MANIFEST);
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a push must finish within the grace")
                    .isLessThan(GRACE);
            pushed.add(new Pushed(repo, "t" + n, manifest, blobs));
            n++;
            Thread.sleep(random.nextInt(100));
        }
        return n;
    }

    private static void assertEveryImagePulls(RegistryServer reg, Iterable<Pushed> pushed) throws Exception {
        for (Pushed p : pushed) {
            HttpResponse<byte[]> m = reg.get("/v2/" + p.repo() + "/manifests/" + p.tag(), "Accept", OCI_MANIFEST);
            assertThat(m.statusCode()).as(p.repo() + ":" + p.tag()).isEqualTo(200);
            assertThat(m.body()).isEqualTo(p.manifest());
            for (byte[] b : p.blobs()) {
                HttpResponse<byte[]> r = reg.get("/v2/" + p.repo() + "/blobs/" + sha256(b));
                assertThat(r.statusCode()).as(p.repo() + ":" + p.tag() + " blob " + sha256(b)).isEqualTo(200);
                assertThat(r.body()).isEqualTo(b);
            }
        }
    }

    private static byte[] randomBytes(Random random, String label) {
        byte[] b = new byte[1024 + random.nextInt(32 * 1024)];
        random.nextBytes(b);
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(l, 0, b, 0, Math.min(l.length, b.length));
        return b;
    }

    private static Digest sha256(byte[] b) {
        return Digest.of(DigestAlgorithm.SHA256, b);
    }

    private static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + sha256(content) + "\",\"size\":" + content.length + "}";
    }
}
