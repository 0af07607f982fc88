package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.name.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content-addressed blobs, uploads and repositories. Blobs are global and shared, but a repository sees only the
 * blobs it received, mounted or references from its manifests, so a digest learned elsewhere does not open
 * another repository's content. Nothing partial is ever visible: a blob appears only after its digest was
 * verified, and manifests, tags and links appear whole or not at all.
 */
public interface BlobStore {

    // ---- blobs

    /** The blob if it is visible in {@code repo}. */
    Optional<BlobInfo> stat(RepositoryName repo, Digest digest) throws IOException;

    /** Opens the blob if it is visible in {@code repo}. */
    Optional<OpenBlob> open(RepositoryName repo, Digest digest) throws IOException;

    /** Makes a blob visible in {@code from} visible in {@code to} too; empty if {@code from} does not have it. */
    Optional<BlobInfo> mount(RepositoryName to, RepositoryName from, Digest digest) throws IOException;

    /** Removes the blob from {@code repo}'s view; false if it was not there. The content waits for GC. */
    boolean deleteBlob(RepositoryName repo, Digest digest) throws IOException;

    // ---- uploads

    UploadStatus startUpload(RepositoryName repo) throws IOException;

    UploadStatus uploadStatus(RepositoryName repo, String uploadId) throws IOException, UploadUnknownException;

    /**
     * Appends {@code data} to the upload, hashing it as it arrives. With {@code start} present the chunk must
     * begin at the upload's current end. Bytes received before {@code data} fails stay in the upload, so a
     * client can ask for the status and resume where it stopped.
     */
    UploadStatus append(RepositoryName repo, String uploadId, OptionalLong start, InputStream data)
            throws IOException, UploadUnknownException, UploadOffsetException;

    /**
     * Verifies the upload against {@code expected}, makes it the blob of that digest and visible in {@code repo},
     * and ends the upload. On a mismatch the upload is discarded.
     */
    BlobInfo commit(RepositoryName repo, String uploadId, Digest expected)
            throws IOException, UploadUnknownException, DigestMismatchException;

    void cancelUpload(RepositoryName repo, String uploadId) throws IOException, UploadUnknownException;

    // ---- manifests and tags

    /** Stores the manifest (as a blob), makes it visible in {@code repo} and, if given, points {@code tag} at it. */
    void putManifest(RepositoryName repo, ManifestPut manifest, Optional<Tag> tag) throws IOException;

    Optional<StoredManifest> manifest(RepositoryName repo, Digest digest) throws IOException;

    Optional<Digest> resolveTag(RepositoryName repo, Tag tag) throws IOException;

    /** Removes the manifest from {@code repo}, with every tag pointing at it; false if it was not there. */
    boolean deleteManifest(RepositoryName repo, Digest digest) throws IOException;

    boolean deleteTag(RepositoryName repo, Tag tag) throws IOException;

    /** The repository's tags in lexical order; empty if the repository does not exist. */
    Optional<List<String>> tags(RepositoryName repo) throws IOException;

    /** The referrer descriptors (JSON) stored for manifests whose subject is {@code subject}, in a stable order. */
    List<byte[]> referrers(RepositoryName repo, Digest subject) throws IOException;
}
