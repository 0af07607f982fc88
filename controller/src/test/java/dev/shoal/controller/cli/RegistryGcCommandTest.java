package dev.shoal.controller.cli;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.name.Tag;
import dev.shoal.registry.storage.FsBlobStore;
import dev.shoal.registry.storage.ManifestPut;
import dev.shoal.registry.storage.UploadStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shoal-controller registry gc [--dry-run]}, run in-process on a real store. */
class RegistryGcCommandTest {
    static final RepositoryName REPO = new RepositoryName("images/debian");
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Cli.run(args, o, e, new ByteArrayInputStream(new byte[0]), env);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Map<String, String> env() {
        return Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", tmp.toString());
    }

    static Digest blob(FsBlobStore store, byte[] content) throws Exception {
        UploadStatus u = store.startUpload(REPO);
        store.append(REPO, u.id(), OptionalLong.of(0), new ByteArrayInputStream(content));
        return store.commit(REPO, u.id(), Digest.of(DigestAlgorithm.SHA256, content)).digest();
    }

    static Digest image(FsBlobStore store, String tag) throws Exception {
        byte[] config = ("{\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        Digest c = blob(store, config);
        byte[] body = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + c + "\",\"size\":" + config.length
                + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        Digest m = Digest.of(DigestAlgorithm.SHA256, body);
        store.putManifest(REPO, new ManifestPut(m, OCI_MANIFEST, body, Optional.empty(), new byte[0], List.of(c)),
                Optional.of(new Tag(tag)));
        return m;
    }

    void ageEverything(Duration age) throws Exception {
        try (Stream<Path> files = Files.walk(tmp.resolve("oci"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
            }
        }
    }

    @Test
    void dryRunCountsAndKeepsThenGcDeletes() throws Exception {
        FsBlobStore store = new FsBlobStore(tmp.resolve("oci"));
        Digest kept = image(store, "12");
        byte[] orphanBytes = "orphan layer, 25 bytes...".getBytes(StandardCharsets.UTF_8);
        Digest orphan = blob(store, orphanBytes);
        UploadStatus abandoned = store.startUpload(REPO);
        store.append(REPO, abandoned.id(), OptionalLong.of(0), new ByteArrayInputStream(new byte[7]));
        ageEverything(Duration.ofDays(2));
        Path orphanFile = tmp.resolve("oci/blobs/sha256").resolve(orphan.hex());

        Result dry = run(env(), "registry", "gc", "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("(dry run)").contains("would delete")
                .containsPattern("blobs: +1 \\(" + orphanBytes.length + " bytes\\)")
                .containsPattern("uploads: +1 \\(7 bytes\\)")
                .containsPattern("layer links: +1")
                .contains("would free " + (orphanBytes.length + 7) + " bytes");
        assertThat(orphanFile).exists();
        assertThat(tmp.resolve("oci/uploads").resolve(abandoned.id())).exists();

        Result gc = run(env(), "registry", "gc");
        assertThat(gc.exit()).as(gc.err()).isZero();
        assertThat(gc.out()).doesNotContain("dry run").contains("deleted")
                .containsPattern("blobs: +1 \\(" + orphanBytes.length + " bytes\\)")
                .contains("freed " + (orphanBytes.length + 7) + " bytes");
        assertThat(orphanFile).doesNotExist();
        assertThat(tmp.resolve("oci/uploads").resolve(abandoned.id())).doesNotExist();
        assertThat(store.manifest(REPO, kept)).isPresent();

        Result again = run(env(), "registry", "gc");
        assertThat(again.out()).containsPattern("blobs: +0 \\(0 bytes\\)");
    }

    @Test
    void retentionComesFromTheConfigurationFlags() throws Exception {
        FsBlobStore store = new FsBlobStore(tmp.resolve("oci"));
        image(store, "old");
        ageEverything(Duration.ofHours(3));
        Digest newer = image(store, "new");
        ageEverything(Duration.ofHours(2)); // both older than the grace; then "old" is made the older tag again
        Files.setLastModifiedTime(tmp.resolve("oci/repos/images/debian/_manifests/tags/old"),
                FileTime.from(Instant.now().minus(Duration.ofHours(3))));

        Result r = run(env(), "registry", "gc", "--registry-retain-tags=1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("tags: +1").containsPattern("manifests: +1")
                .containsPattern("blobs: +2 ");
        assertThat(store.tags(REPO)).contains(List.of("new"));
        assertThat(store.manifest(REPO, newer)).isPresent();
    }

    @Test
    void withoutRegistryStorageItSaysSoAndFails() {
        Result r = run(env(), "registry", "gc");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("no registry storage at " + tmp.resolve("oci"));
    }
}
