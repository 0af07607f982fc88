package dev.shoal.controller.registry;

import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.testing.TestController;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.storage.FsBlobStore;
import dev.shoal.registry.storage.UploadStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller collects registry garbage on its own schedule, and says so on /metrics. */
class RegistryGcScheduleTest {
    @TempDir
    Path root;

    @Test
    void aServingControllerCollectsAnOldOrphanAndCountsIt() throws Exception {
        byte[] orphan = "a blob no manifest ever referenced".getBytes(StandardCharsets.UTF_8);
        FsBlobStore store = new FsBlobStore(root.resolve("oci"));
        RepositoryName repo = new RepositoryName("images/debian");
        UploadStatus u = store.startUpload(repo);
        store.append(repo, u.id(), OptionalLong.of(0), new ByteArrayInputStream(orphan));
        Digest d = store.commit(repo, u.id(), Digest.of(DigestAlgorithm.SHA256, orphan)).digest();
        Path blob = root.resolve("oci/blobs/sha256").resolve(d.hex());
        Files.setLastModifiedTime(blob, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        try (TestController c = TestController.local(root, Map.of(ConfigKey.ENABLE_REGISTRY, "true",
                ConfigKey.REGISTRY_AUTH_MODE, "none", ConfigKey.REGISTRY_GC_INTERVAL, "1s",
                ConfigKey.REGISTRY_GC_GRACE, "1m"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Files.exists(blob) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(blob).doesNotExist();
            String metrics = c.send(HttpRequest.newBuilder(c.uri("/metrics")).GET().build()).body();
            assertThat(value(metrics, "shoal_registry_gc_runs_total")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "shoal_registry_gc_deleted_blobs_total")).isEqualTo(1);
            assertThat(value(metrics, "shoal_registry_gc_freed_bytes_total")).isEqualTo(orphan.length);
            assertThat(value(metrics, "shoal_registry_gc_deleted_uploads_total")).isZero();
        }
    }

    @Test
    void intervalZeroMeansNoPeriodicRun() throws Exception {
        try (TestController c = TestController.local(root, Map.of(ConfigKey.ENABLE_REGISTRY, "true",
                ConfigKey.REGISTRY_AUTH_MODE, "none", ConfigKey.REGISTRY_GC_INTERVAL, "0"))) {
            String metrics = c.send(HttpRequest.newBuilder(c.uri("/metrics")).GET().build()).body();
            assertThat(metrics).doesNotContain("shoal_registry_gc_runs_total");
        }
    }

    private static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
