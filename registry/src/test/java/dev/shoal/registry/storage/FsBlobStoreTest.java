package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.name.InvalidNameException;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.name.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FsBlobStoreTest {
    static final RepositoryName REPO = new RepositoryName("library/debian");
    static final RepositoryName OTHER = new RepositoryName("other");

    @TempDir
    Path root;

    static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void chunkedUploadCommitsVerifiedBlobAndRemovesItsTempFiles() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        UploadStatus u = store.startUpload(REPO);
        assertThat(store.append(REPO, u.id(), OptionalLong.of(0), in(bytes("hello "))).offset()).isEqualTo(6);
        assertThat(store.append(REPO, u.id(), OptionalLong.of(6), in(bytes("world"))).offset()).isEqualTo(11);
        Digest d = Digest.of(DigestAlgorithm.SHA256, bytes("hello world"));
        assertThat(store.stat(REPO, d)).isEmpty(); // nothing visible before commit
        BlobInfo info = store.commit(REPO, u.id(), d);
        assertThat(info).isEqualTo(new BlobInfo(d, 11));
        assertThat(Files.readString(root.resolve("blobs/sha256/" + d.hex()))).isEqualTo("hello world");
        assertThat(root.resolve("uploads/" + u.id())).doesNotExist();
        try (OpenBlob b = store.open(REPO, d).orElseThrow()) {
            ByteBuffer buf = ByteBuffer.allocate(20);
            b.channel().read(buf);
            assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }
        assertThatThrownBy(() -> store.uploadStatus(REPO, u.id())).isInstanceOf(UploadUnknownException.class);
    }

    @Test
    void blobIsVisibleOnlyInRepositoriesThatReceivedOrMountedIt() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        Digest d = push(store, REPO, bytes("layer"));
        assertThat(store.stat(OTHER, d)).isEmpty();
        assertThat(store.open(OTHER, d)).isEmpty();
        assertThat(store.mount(new RepositoryName("third"), OTHER, d)).isEmpty();
        assertThat(store.mount(OTHER, REPO, d)).contains(new BlobInfo(d, 5));
        assertThat(store.stat(OTHER, d)).isPresent();
        assertThat(store.deleteBlob(REPO, d)).isTrue();
        assertThat(store.stat(REPO, d)).isEmpty();
        assertThat(store.stat(OTHER, d)).isPresent();
        assertThat(store.deleteBlob(REPO, d)).isFalse();
    }

    @Test
    void outOfOrderChunkIsRefusedWithTheCurrentOffset() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        UploadStatus u = store.startUpload(REPO);
        store.append(REPO, u.id(), OptionalLong.of(0), in(bytes("abc")));
        assertThatThrownBy(() -> store.append(REPO, u.id(), OptionalLong.of(5), in(bytes("x"))))
                .isInstanceOfSatisfying(UploadOffsetException.class, e -> assertThat(e.offset()).isEqualTo(3));
        assertThat(store.uploadStatus(REPO, u.id()).offset()).isEqualTo(3);
    }

    @Test
    void wrongDigestDiscardsTheUploadAndPublishesNothing() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        UploadStatus u = store.startUpload(REPO);
        store.append(REPO, u.id(), OptionalLong.empty(), in(bytes("abc")));
        Digest wrong = Digest.of(DigestAlgorithm.SHA256, bytes("abd"));
        assertThatThrownBy(() -> store.commit(REPO, u.id(), wrong)).isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(Digest.of(DigestAlgorithm.SHA256, bytes("abc")).toString());
        assertThat(root.resolve("blobs/sha256/" + wrong.hex())).doesNotExist();
        assertThat(root.resolve("uploads/" + u.id())).doesNotExist();
    }

    @Test
    void sha512CommitHashesTheFileOnceMore() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        UploadStatus u = store.startUpload(REPO);
        store.append(REPO, u.id(), OptionalLong.empty(), in(bytes("abc")));
        Digest d = Digest.of(DigestAlgorithm.SHA512, bytes("abc"));
        assertThat(store.commit(REPO, u.id(), d).size()).isEqualTo(3);
        assertThat(root.resolve("blobs/sha512/" + d.hex())).hasContent("abc");
    }

    @Test
    void uploadResumesAfterRestartByHashingThePartialFileOnce() throws Exception {
        String id;
        {
            FsBlobStore first = new FsBlobStore(root);
            id = first.startUpload(REPO).id();
            first.append(REPO, id, OptionalLong.of(0), in(bytes("part one, ")));
        }
        FsBlobStore second = new FsBlobStore(root);
        assertThat(second.uploadStatus(REPO, id).offset()).isEqualTo(10);
        assertThatThrownBy(() -> second.uploadStatus(OTHER, id)).isInstanceOf(UploadUnknownException.class);
        second.append(REPO, id, OptionalLong.of(10), in(bytes("part two")));
        Digest d = Digest.of(DigestAlgorithm.SHA256, bytes("part one, part two"));
        assertThat(second.commit(REPO, id, d).size()).isEqualTo(18);
    }

    @Test
    void bytesReceivedBeforeAStreamFailsStayAndTheUploadResumesThere() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        String id = store.startUpload(REPO).id();
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n == 4) {
                    throw new IOException("connection reset");
                }
                return "abcd".charAt(n++);
            }
        };
        assertThatThrownBy(() -> store.append(REPO, id, OptionalLong.of(0), broken)).hasMessage("connection reset");
        assertThat(store.uploadStatus(REPO, id).offset()).isEqualTo(4);
        store.append(REPO, id, OptionalLong.of(4), in(bytes("ef")));
        assertThat(store.commit(REPO, id, Digest.of(DigestAlgorithm.SHA256, bytes("abcdef"))).size()).isEqualTo(6);
    }

    @Test
    void uploadIdsThatAreNotUuidsAreUnknown() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        for (String id : List.of("../../blobs", "x", "", "123E4567-E89B-12D3-A456-426614174000")) {
            assertThatThrownBy(() -> store.uploadStatus(REPO, id)).isInstanceOf(UploadUnknownException.class);
        }
        assertThatThrownBy(() -> store.cancelUpload(REPO, "00000000-0000-0000-0000-000000000000"))
                .isInstanceOf(UploadUnknownException.class);
    }

    @Test
    void twoConcurrentPushesOfTheSameBlobBothSucceedWithOneFile() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        byte[] content = new byte[3 << 20];
        Arrays.fill(content, (byte) 7);
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        CyclicBarrier barrier = new CyclicBarrier(2);
        Callable<BlobInfo> push = () -> {
            String id = store.startUpload(REPO).id();
            store.append(REPO, id, OptionalLong.empty(), in(content));
            barrier.await();
            return store.commit(REPO, id, d);
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<BlobInfo> a = pool.submit(push);
            Future<BlobInfo> b = pool.submit(push);
            assertThat(a.get()).isEqualTo(new BlobInfo(d, content.length));
            assertThat(b.get()).isEqualTo(new BlobInfo(d, content.length));
        }
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files.toList()).containsExactly(root.resolve("blobs/sha256/" + d.hex()));
        }
        try (Stream<Path> uploads = Files.list(root.resolve("uploads"))) {
            assertThat(uploads.toList()).isEmpty();
        }
        assertThat(Files.size(root.resolve("blobs/sha256/" + d.hex()))).isEqualTo(content.length);
    }

    @Test
    void manifestsTagsAndReferrers() throws Exception {
        FsBlobStore store = new FsBlobStore(root);
        byte[] body = bytes("{\"schemaVersion\":2}");
        Digest m = Digest.of(DigestAlgorithm.SHA256, body);
        store.putManifest(REPO, new ManifestPut(m, "application/vnd.oci.image.manifest.v1+json", body,
                Optional.empty(), new byte[0]), Optional.of(new Tag("v1")));
        store.putManifest(REPO, new ManifestPut(m, "application/vnd.oci.image.manifest.v1+json", body,
                Optional.empty(), new byte[0]), Optional.of(new Tag("latest")));
        assertThat(store.resolveTag(REPO, new Tag("v1"))).contains(m);
        assertThat(store.manifest(REPO, m).orElseThrow().mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(store.manifest(OTHER, m)).isEmpty();
        assertThat(store.stat(REPO, m)).contains(new BlobInfo(m, body.length)); // manifests are blobs too
        assertThat(store.tags(REPO)).contains(List.of("latest", "v1"));
        assertThat(store.tags(OTHER)).isEmpty();

        byte[] sig = bytes("{\"schemaVersion\":2,\"subject\":{}}");
        Digest s = Digest.of(DigestAlgorithm.SHA256, sig);
        store.putManifest(REPO, new ManifestPut(s, "application/vnd.oci.image.manifest.v1+json", sig,
                Optional.of(m), bytes("{\"digest\":\"" + s + "\"}")), Optional.empty());
        assertThat(store.referrers(REPO, m)).hasSize(1);
        assertThat(new String(store.referrers(REPO, m).getFirst(), StandardCharsets.UTF_8)).contains(s.toString());

        assertThat(store.deleteTag(REPO, new Tag("latest"))).isTrue();
        assertThat(store.tags(REPO)).contains(List.of("v1"));
        assertThat(store.deleteManifest(REPO, s)).isTrue();
        assertThat(store.referrers(REPO, m)).isEmpty();
        assertThat(store.deleteManifest(REPO, m)).isTrue();
        assertThat(store.tags(REPO)).contains(List.of()); // its tags went with it
        assertThat(store.manifest(REPO, m)).isEmpty();
        assertThat(store.deleteManifest(REPO, m)).isFalse();
    }

    @Test
    void repositoryNamesFollowTheSpecGrammar() {
        for (String ok : List.of("a", "library/debian", "a.b_c__d---e/f0", "x/y/z")) {
            assertThat(new RepositoryName(ok).value()).isEqualTo(ok);
        }
        for (String bad : List.of("", "..", "a/../b", "../a", "a/..", "A", "a/", "/a", "a//b", "a..b", "a___b", "-a",
                "a.", "a b", "a/./b", "x".repeat(256))) {
            assertThatThrownBy(() -> new RepositoryName(bad)).as(bad).isInstanceOf(InvalidNameException.class);
        }
        assertThatThrownBy(() -> new Tag(".hidden")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> new Tag("a".repeat(129))).isInstanceOf(InvalidNameException.class);
        assertThat(new Tag("v1.0_rc-1").value()).isEqualTo("v1.0_rc-1");
    }

    static Digest push(BlobStore store, RepositoryName repo, byte[] content) throws Exception {
        String id = store.startUpload(repo).id();
        store.append(repo, id, OptionalLong.empty(), in(content));
        return store.commit(repo, id, Digest.of(DigestAlgorithm.SHA256, content)).digest();
    }
}
