package dev.shoal.registry.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.Digester;
import dev.shoal.registry.digest.InvalidDigestException;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.name.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@link BlobStore} on a local filesystem, laid out as {@link FsLayout} describes. Durability: blobs, manifests,
 * tags and links are fsynced and renamed into place; upload chunks are not fsynced one by one (the digest check at
 * commit catches any tail a crash lost, and the client resumes from the offset we report).
 */
public final class FsBlobStore implements BlobStore {

    private final FsLayout layout;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentHashMap<String, UploadSession> sessions = new ConcurrentHashMap<>();
    /**
     * Uploads that stream at once: two per core (a stream keeps more than one core busy, and a slow client holds its
     * stream while it dawdles), at least four. Idle stage threads end after a minute, so a store needs no closing.
     */
    private static final int UPLOAD_STREAMS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private final UploadWriter uploadWriter = new UploadWriter(new AlignedBuffers(),
            Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("upload-stage-", 0).factory()),
            UPLOAD_STREAMS);
    private final boolean uploadsMayUseDirectIo;

    public FsBlobStore(Path root) throws IOException {
        this.layout = new FsLayout(root);
        DurableFiles.createDirectory(layout.blobs());
        DurableFiles.createDirectory(layout.uploads());
        DurableFiles.createDirectory(layout.repos());
        this.uploadsMayUseDirectIo = UploadFile.mayUseDirectIo(layout.uploads());
    }

    public Path root() {
        return layout.root();
    }

    /** A collector over this store's files; it may also run in another process (see {@link GarbageCollector}). */
    public GarbageCollector garbageCollector(java.time.Clock clock) {
        return new GarbageCollector(layout.root(), clock);
    }

    // ---- blobs

    @Override
    public Optional<BlobInfo> stat(RepositoryName repo, Digest digest) throws IOException {
        if (!visible(repo, digest)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BlobInfo(digest, Files.size(layout.blob(digest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<OpenBlob> open(RepositoryName repo, Digest digest) throws IOException {
        if (!visible(repo, digest)) {
            return Optional.empty();
        }
        try {
            FileChannel ch = FileChannel.open(layout.blob(digest), StandardOpenOption.READ);
            return Optional.of(new OpenBlob(new BlobInfo(digest, ch.size()), ch));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** A repository sees the layers it received or mounted, and its own manifests (which are blobs too). */
    private boolean visible(RepositoryName repo, Digest digest) {
        return Files.exists(layout.layerLink(repo, digest)) || Files.exists(layout.revision(repo, digest));
    }

    @Override
    public Optional<BlobInfo> mount(RepositoryName to, RepositoryName from, Digest digest) throws IOException {
        Optional<BlobInfo> info = stat(from, digest);
        if (info.isPresent() && !link(to, digest)) {
            return Optional.empty(); // collected between stat and link: the client uploads it instead
        }
        return info;
    }

    /**
     * Makes the blob visible in {@code repo} and marks blob and link as just used; false if the blob is gone.
     * Touching is what makes this safe against a concurrent {@link GarbageCollector} sweep: the sweep claims a file by
     * renaming it and then rechecks the claimed file's mtime. A touch that lands before the rename is seen by that
     * recheck (the file is young again, the sweep puts it back); a touch after the rename finds no file, and we write
     * the link anew (or report the blob gone). Either way nothing we just linked is lost.
     */
    private boolean link(RepositoryName repo, Digest digest) throws IOException {
        if (!DurableFiles.touch(layout.blob(digest))) {
            return false;
        }
        touchOrWriteLink(repo, digest);
        return true;
    }

    private void touchOrWriteLink(RepositoryName repo, Digest digest) throws IOException {
        Path link = layout.layerLink(repo, digest);
        if (!DurableFiles.touch(link)) {
            DurableFiles.write(link, digest.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public boolean deleteBlob(RepositoryName repo, Digest digest) throws IOException {
        return Files.deleteIfExists(layout.layerLink(repo, digest));
    }

    // ---- uploads

    @Override
    public UploadStatus startUpload(RepositoryName repo) throws IOException {
        String id = UUID.randomUUID().toString();
        Path dir = layout.upload(id);
        Files.createDirectory(dir);
        DurableFiles.write(layout.uploadRepository(id), repo.value().getBytes(StandardCharsets.UTF_8));
        Files.createFile(layout.uploadData(id));
        sessions.put(id, new UploadSession(id, repo.value(), layout.uploadData(id), new Digester(UploadSession.RUNNING), 0));
        return new UploadStatus(id, 0);
    }

    /**
     * The session of {@code id} in {@code repo}, locked; recovered from disk after a restart. The caller unlocks.
     * An id that is not a UUID, or belongs to another repository, is unknown: ids are never paths.
     */
    private UploadSession lockSession(RepositoryName repo, String id) throws IOException, UploadUnknownException {
        UploadSession s = session(repo, id);
        s.lock.lock();
        // ended (committed or cancelled) while we waited, or recovered from a directory being removed
        if (s.ended() || !Files.exists(s.data)) {
            if (!s.ended()) {
                sessions.remove(s.id, s);
            }
            s.lock.unlock();
            throw new UploadUnknownException(id);
        }
        return s;
    }

    /** The session of {@code id} in {@code repo}, not locked. */
    private UploadSession session(RepositoryName repo, String id) throws IOException, UploadUnknownException {
        String uuid = canonicalUuid(id).orElseThrow(() -> new UploadUnknownException(id));
        UploadSession s = sessions.get(uuid);
        if (s == null) {
            s = recover(uuid).orElseThrow(() -> new UploadUnknownException(id));
            UploadSession prior = sessions.putIfAbsent(uuid, s);
            s = prior != null ? prior : s;
        }
        if (s.ended() || !s.repository.equals(repo.value())) {
            throw new UploadUnknownException(id);
        }
        return s;
    }

    private Optional<UploadSession> recover(String uuid) throws IOException {
        try {
            String repo = Files.readString(layout.uploadRepository(uuid), StandardCharsets.UTF_8);
            if (!Files.isRegularFile(layout.uploadData(uuid))) {
                return Optional.empty();
            }
            return Optional.of(new UploadSession(uuid, repo, layout.uploadData(uuid), null,
                    Files.size(layout.uploadData(uuid))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> canonicalUuid(String id) {
        try {
            UUID u = UUID.fromString(id);
            return u.toString().equals(id) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public UploadStatus uploadStatus(RepositoryName repo, String uploadId) throws IOException, UploadUnknownException {
        // no lock: a status request answers at once, even while a PATCH is streaming into the upload
        UploadSession s = session(repo, uploadId);
        return new UploadStatus(s.id, s.offset());
    }

    @Override
    public UploadStatus append(RepositoryName repo, String uploadId, OptionalLong start, InputStream data)
            throws IOException, UploadUnknownException, UploadOffsetException {
        UploadSession s = lockSession(repo, uploadId);
        try {
            long offset = s.offset();
            if (start.isPresent() && start.getAsLong() != offset) {
                throw new UploadOffsetException(start.getAsLong(), offset);
            }
            Digester digester = s.digester();
            s.synced(digester.count());
            // anything past the hashed length is the tail of a write that failed; it was never acknowledged
            try (UploadFile file = UploadFile.open(s.data, digester.count(), uploadsMayUseDirectIo)) {
                try {
                    uploadWriter.copy(data, file, digester, s::synced, s.hashing());
                } finally {
                    s.synced(file.end());
                }
            }
            return new UploadStatus(s.id, s.offset());
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public BlobInfo commit(RepositoryName repo, String uploadId, Digest expected)
            throws IOException, UploadUnknownException, DigestMismatchException {
        UploadSession s = lockSession(repo, uploadId);
        try {
            Digester running = s.digester();
            Digest actual = expected.algorithm() == running.algorithm()
                    ? running.current()
                    : UploadSession.hashFile(s.data, expected.algorithm()).current();
            if (!actual.equals(expected)) {
                end(s);
                throw new DigestMismatchException(expected, actual);
            }
            long size = running.count();
            Path blob = layout.blob(expected);
            if (DurableFiles.touch(blob)) {
                // same digest, same bytes: another push got there first, ours is redundant (and the touch keeps
                // the existing blob from a sweep running now, see link)
                Files.deleteIfExists(s.data);
            } else {
                DurableFiles.fsync(s.data);
                // the data file's mtime is its last append, possibly long ago: the new blob must start young
                DurableFiles.touch(s.data);
                DurableFiles.moveIntoPlace(s.data, blob);
            }
            if (!link(repo, expected)) {
                throw new IOException("blob " + expected + " vanished right after its commit");
            }
            end(s);
            return new BlobInfo(expected, size);
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public void cancelUpload(RepositoryName repo, String uploadId) throws IOException, UploadUnknownException {
        UploadSession s = lockSession(repo, uploadId);
        try {
            end(s);
        } finally {
            s.lock.unlock();
        }
    }

    private void end(UploadSession s) throws IOException {
        s.end();
        sessions.remove(s.id, s);
        DurableFiles.deleteTree(layout.upload(s.id));
    }

    // ---- manifests and tags

    @Override
    public void putManifest(RepositoryName repo, ManifestPut m, Optional<Tag> tag) throws IOException {
        // order matters: content, then the repository's revision, then referrer index, then the tag, so every
        // name that becomes visible points at something already complete
        // everything it references is marked as just used first, so a sweep that marked before this revision
        // existed cannot take it (see link); the API checked that each is visible, so a missing one was collected
        // in between and the client must push it again
        for (Digest ref : m.references()) {
            if (!touchReferenced(layout.blob(ref))) {
                throw new BlobGoneException(ref);
            }
            if (!Files.exists(layout.revision(repo, ref))) {
                touchOrWriteLink(repo, ref); // a layer is visible only through its link, which a sweep may remove
            }
        }
        Path blob = layout.blob(m.digest());
        if (!DurableFiles.touch(blob)) {
            DurableFiles.write(blob, m.content());
        }
        ObjectNode rev = json.createObjectNode();
        rev.put("mediaType", m.mediaType());
        m.subject().ifPresent(subject -> rev.put("subject", subject.toString()));
        DurableFiles.write(layout.revision(repo, m.digest()), json.writeValueAsBytes(rev));
        if (m.subject().isPresent()) {
            DurableFiles.write(layout.referrer(repo, m.subject().get(), m.digest()), m.referrerDescriptor());
        }
        if (tag.isPresent()) {
            DurableFiles.write(layout.tag(repo, tag.get()), m.digest().toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Touches a blob a manifest references. A sweep that finds the blob young again after claiming it puts it back
     * within microseconds; one short wait lets a manifest put that hit exactly that window succeed.
     */
    private static boolean touchReferenced(Path blob) throws IOException {
        if (DurableFiles.touch(blob)) {
            return true;
        }
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return DurableFiles.touch(blob);
    }

    private Optional<JsonNode> revision(RepositoryName repo, Digest digest) throws IOException {
        try {
            return Optional.of(json.readTree(Files.readAllBytes(layout.revision(repo, digest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repo, Digest digest) throws IOException {
        Optional<JsonNode> rev = revision(repo, digest);
        if (rev.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] content = Files.readAllBytes(layout.blob(digest));
            return Optional.of(new StoredManifest(digest, rev.get().path("mediaType").asText(), content));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Digest> resolveTag(RepositoryName repo, Tag tag) throws IOException {
        try {
            return Optional.of(Digest.parse(Files.readString(layout.tag(repo, tag), StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (InvalidDigestException e) {
            throw new IOException("corrupt tag file " + layout.tag(repo, tag) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean deleteManifest(RepositoryName repo, Digest digest) throws IOException {
        Optional<JsonNode> rev = revision(repo, digest);
        if (rev.isEmpty()) {
            return false;
        }
        // tags first, so no tag is ever left pointing at a manifest the repository no longer has
        for (String t : tags(repo).orElse(List.of())) {
            Tag tag = new Tag(t);
            if (resolveTag(repo, tag).filter(digest::equals).isPresent()) {
                Files.deleteIfExists(layout.tag(repo, tag));
            }
        }
        JsonNode subject = rev.get().get("subject");
        if (subject != null && subject.isTextual()) {
            Files.deleteIfExists(layout.referrer(repo, Digest.parse(subject.asText()), digest));
        }
        return Files.deleteIfExists(layout.revision(repo, digest));
    }

    @Override
    public boolean deleteTag(RepositoryName repo, Tag tag) throws IOException {
        return Files.deleteIfExists(layout.tag(repo, tag));
    }

    @Override
    public Optional<List<String>> tags(RepositoryName repo) throws IOException {
        if (!Files.isDirectory(layout.repo(repo))) {
            return Optional.empty();
        }
        return Optional.of(listNames(layout.tags(repo)));
    }

    @Override
    public List<byte[]> referrers(RepositoryName repo, Digest subject) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String name : listNames(layout.referrers(repo, subject))) {
            try {
                out.add(Files.readAllBytes(layout.referrers(repo, subject).resolve(name)));
            } catch (NoSuchFileException e) {
                // deleted while we listed
            }
        }
        return out;
    }

    /** File names in {@code dir}, sorted, without our temp files; empty if the directory does not exist. */
    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".tmp-"))
                    .sorted()
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
