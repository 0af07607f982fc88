package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.name.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Mark, sweep, upload expiry and tag retention on real files; ages are set through file mtimes. */
class GarbageCollectorTest {
    static final RepositoryName REPO = new RepositoryName("library/debian");
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final Duration GRACE = Duration.ofHours(1);
    static final GcPolicy COLLECT = new GcPolicy(GRACE, Duration.ofHours(24), 0, false);

    @TempDir
    Path root;

    record Image(Digest manifest, Digest config, Digest layer, int size) {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Digest blob(FsBlobStore store, String content) throws Exception {
        byte[] b = bytes(content);
        UploadStatus u = store.startUpload(REPO);
        store.append(REPO, u.id(), OptionalLong.of(0), new ByteArrayInputStream(b));
        return store.commit(REPO, u.id(), Digest.of(DigestAlgorithm.SHA256, b)).digest();
    }

    static String descriptor(String mediaType, Digest d, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + size + "}";
    }

    /** An image (config, one layer, manifest), tagged if {@code tag} is given, optionally a referrer of {@code subject}. */
    Image image(FsBlobStore store, String name, Optional<String> tag, Optional<Image> subject) throws Exception {
        Digest config = blob(store, "{\"config\":\"" + name + "\"}");
        Digest layer = blob(store, "layer of " + name);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config, bytes("{\"config\":\"" + name + "\"}").length)
                + ",\"layers\":[" + descriptor("application/vnd.oci.image.layer.v1.tar", layer, bytes("layer of " + name).length) + "]"
                + subject.map(s -> ",\"subject\":" + descriptor(OCI_MANIFEST, s.manifest(), s.size())).orElse("") + "}";
        byte[] body = bytes(json);
        Digest m = Digest.of(DigestAlgorithm.SHA256, body);
        store.putManifest(REPO, new ManifestPut(m, OCI_MANIFEST, body, subject.map(Image::manifest),
                bytes(descriptor(OCI_MANIFEST, m, body.length)), List.of(config, layer)), tag.map(Tag::new));
        return new Image(m, config, layer, body.length);
    }

    Digest index(FsBlobStore store, String tag, Image... children) throws IOException {
        List<String> ds = new ArrayList<>();
        for (Image c : children) {
            ds.add(descriptor(OCI_MANIFEST, c.manifest(), c.size()));
        }
        byte[] body = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[" + String.join(",", ds) + "]}");
        Digest d = Digest.of(DigestAlgorithm.SHA256, body);
        store.putManifest(REPO, new ManifestPut(d, OCI_INDEX, body, Optional.empty(), new byte[0],
                Stream.of(children).map(Image::manifest).toList()), Optional.of(new Tag(tag)));
        return d;
    }

    /** Makes every file under the store {@code age} old, as if it had been written then. */
    void age(Duration age) throws IOException {
        FileTime then = FileTime.from(Instant.now().minus(age));
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, then);
            }
        }
    }

    Path blobFile(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm().id()).resolve(d.hex());
    }

    Path link(Digest d) {
        return root.resolve("repos").resolve(REPO.value()).resolve("_layers").resolve(d.algorithm().id()).resolve(d.hex());
    }

    GcReport collect(FsBlobStore store, GcPolicy policy) throws IOException {
        return store.garbageCollector(Clock.systemUTC()).run(policy);
    }

    @Test
    void sweepsOldUnreferencedBlobsAndTheirLinksAndKeepsReferencedAndYoungOnes() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        Image img = image(store, "a", Optional.of("v1"), Optional.empty());
        Digest orphan = blob(store, "pushed, never referenced");
        age(Duration.ofHours(2));
        Digest young = blob(store, "pushed just now, manifest on its way");

        GcReport dry = collect(store, new GcPolicy(GRACE, Duration.ofHours(24), 0, true));
        assertThat(dry.blobsDeleted()).isEqualTo(1);
        assertThat(blobFile(orphan)).exists(); // a dry run removes nothing

        GcReport r = collect(store, COLLECT);
        assertThat(r.blobsDeleted()).isEqualTo(1);
        assertThat(r.blobBytes()).isEqualTo(bytes("pushed, never referenced").length);
        assertThat(r.layerLinksRemoved()).isEqualTo(1);
        assertThat(blobFile(orphan)).doesNotExist();
        assertThat(link(orphan)).doesNotExist();
        assertThat(store.stat(REPO, orphan)).isEmpty();
        assertThat(store.stat(REPO, young)).isPresent();
        for (Digest d : List.of(img.manifest(), img.config(), img.layer())) {
            assertThat(store.stat(REPO, d)).as("%s", d).isPresent();
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
        }
    }

    @Test
    void aBlobCommittedOrReferencedAgainIsYoungAndKept() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        Digest recommitted = blob(store, "pushed twice");
        Digest config = blob(store, "{\"config\":\"late\"}");
        Digest layer = blob(store, "layer of late");
        age(Duration.ofHours(2));
        blob(store, "pushed twice"); // the second commit finds the blob and touches it
        Image late = image(store, "late", Optional.empty(), Optional.empty()); // its manifest touches config and layer

        GcReport r = collect(store, COLLECT);
        assertThat(r.blobsDeleted()).isZero();
        assertThat(store.stat(REPO, recommitted)).isPresent();
        assertThat(late.config()).isEqualTo(config);
        assertThat(store.stat(REPO, config)).isPresent();
        assertThat(store.stat(REPO, layer)).isPresent();
    }

    @Test
    void anIndexKeepsItsChildrenEvenWithoutTheirRevisions() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        Image child = image(store, "amd64", Optional.empty(), Optional.empty());
        index(store, "multi", child);
        // the child's own revision goes; the index still names it, so its content and blobs stay
        assertThat(store.deleteManifest(REPO, child.manifest())).isTrue();
        age(Duration.ofHours(2));

        GcReport r = collect(store, COLLECT);
        assertThat(r.blobsDeleted()).isZero();
        for (Digest d : List.of(child.manifest(), child.config(), child.layer())) {
            assertThat(blobFile(d)).as("%s", d).exists();
        }

        // once the index goes too, everything is unreferenced and old
        store.deleteManifest(REPO, store.resolveTag(REPO, new Tag("multi")).orElseThrow());
        assertThat(collect(store, COLLECT).blobsDeleted()).isEqualTo(4);
        assertThat(blobFile(child.layer())).doesNotExist();
    }

    @Test
    void retentionKeepsTheNewestTagsAndWhatTheyReach() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        Image shared = image(store, "shared", Optional.empty(), Optional.empty());
        Image v1 = image(store, "v1", Optional.of("v1"), Optional.empty());
        Digest oldIndex = index(store, "old-multi", shared);
        Image v2 = image(store, "v2", Optional.of("v2"), Optional.empty());
        Image sig1 = image(store, "sig-of-v1", Optional.empty(), Optional.of(v1));
        Image sig2 = image(store, "sig-of-v2", Optional.empty(), Optional.of(v2));
        Image pinned = image(store, "pushed-by-digest", Optional.empty(), Optional.empty());
        Digest newIndex = index(store, "new-multi", shared, v2); // shares a child with old-multi
        age(Duration.ofHours(2));
        Path tags = root.resolve("repos").resolve(REPO.value()).resolve("_manifests/tags");
        setAge(tags.resolve("v1"), Duration.ofHours(4));
        setAge(tags.resolve("old-multi"), Duration.ofHours(3));
        setAge(tags.resolve("v2"), Duration.ofHours(2));
        setAge(tags.resolve("new-multi"), Duration.ofMinutes(90));

        GcReport dry = collect(store, new GcPolicy(GRACE, Duration.ofHours(24), 2, true));
        assertThat(dry.tagsRemoved()).isEqualTo(2);
        assertThat(store.tags(REPO)).contains(List.of("new-multi", "old-multi", "v1", "v2"));

        GcReport r = collect(store, new GcPolicy(GRACE, Duration.ofHours(24), 2, false));
        assertThat(r.tagsRemoved()).isEqualTo(2);
        assertThat(store.tags(REPO)).contains(List.of("new-multi", "v2"));
        // v1, its referrer (its subject is gone) and the old index lose their revisions; the shared child stays
        assertThat(store.manifest(REPO, v1.manifest())).isEmpty();
        assertThat(store.manifest(REPO, sig1.manifest())).isEmpty();
        assertThat(store.manifest(REPO, oldIndex)).isEmpty();
        assertThat(store.referrers(REPO, v1.manifest())).isEmpty();
        assertThat(store.manifest(REPO, shared.manifest())).isPresent();
        assertThat(store.manifest(REPO, newIndex)).isPresent();
        // a referrer of a kept subject is kept, and so is an untagged manifest retention never led to
        assertThat(store.manifest(REPO, sig2.manifest())).isPresent();
        assertThat(store.referrers(REPO, v2.manifest())).hasSize(1);
        assertThat(store.manifest(REPO, pinned.manifest())).isPresent();
        assertThat(r.manifestsRemoved()).isEqualTo(3);
        // and the sweep of the same run freed what only they referenced
        assertThat(blobFile(v1.layer())).doesNotExist();
        assertThat(blobFile(sig1.config())).doesNotExist();
        assertThat(blobFile(oldIndex)).doesNotExist();
        assertThat(r.blobsDeleted()).isEqualTo(3 + 3 + 1); // v1 and sig1 (manifest, config, layer), old index
        for (Image kept : List.of(shared, v2, sig2, pinned)) {
            assertThat(store.stat(REPO, kept.layer())).as(kept.toString()).isPresent();
        }
    }

    @Test
    void retentionZeroKeepsEveryTag() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        image(store, "a", Optional.of("a"), Optional.empty());
        image(store, "b", Optional.of("b"), Optional.empty());
        age(Duration.ofHours(2));
        assertThat(collect(store, COLLECT).tagsRemoved()).isZero();
        assertThat(store.tags(REPO)).contains(List.of("a", "b"));
    }

    @Test
    void abandonedUploadsArePurgedAndActiveOnesKept() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        UploadStatus abandoned = store.startUpload(REPO);
        store.append(REPO, abandoned.id(), OptionalLong.of(0), new ByteArrayInputStream(bytes("half a layer")));
        UploadStatus active = store.startUpload(REPO);
        store.append(REPO, active.id(), OptionalLong.of(0), new ByteArrayInputStream(bytes("first chunk")));
        setAge(root.resolve("uploads").resolve(abandoned.id()).resolve("data"), Duration.ofHours(25));
        setAge(root.resolve("uploads").resolve(active.id()).resolve("data"), Duration.ofHours(23));

        GcReport r = collect(store, COLLECT);
        assertThat(r.uploadsDeleted()).isEqualTo(1);
        assertThat(r.uploadBytes()).isEqualTo(bytes("half a layer").length);
        assertThat(root.resolve("uploads").resolve(abandoned.id())).doesNotExist();
        assertThat(store.uploadStatus(REPO, active.id()).offset()).isEqualTo(11);
        store.append(REPO, active.id(), OptionalLong.of(11), new ByteArrayInputStream(bytes(", second")));
        Digest d = Digest.of(DigestAlgorithm.SHA256, bytes("first chunk, second"));
        assertThat(store.commit(REPO, active.id(), d).size()).isEqualTo(19);
    }

    @Test
    void leftoverTempFilesOlderThanTheUploadTimeoutGo() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        Path crashed = root.resolve("blobs/sha256/.tmp-0000");
        Files.createDirectories(crashed.getParent());
        Files.writeString(crashed, "half-written");
        Path fresh = root.resolve("blobs/sha256/.tmp-0001");
        Files.writeString(fresh, "being written");
        setAge(crashed, Duration.ofHours(25));
        assertThat(collect(store, COLLECT).tempFilesDeleted()).isEqualTo(1);
        assertThat(crashed).doesNotExist();
        assertThat(fresh).exists();
    }

    static void setAge(Path p, Duration age) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
    }
}
