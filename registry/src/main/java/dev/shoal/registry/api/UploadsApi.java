package dev.shoal.registry.api;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.InvalidDigestException;
import dev.shoal.registry.name.InvalidNameException;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.storage.BlobInfo;
import dev.shoal.registry.storage.BlobStore;
import dev.shoal.registry.storage.DigestMismatchException;
import dev.shoal.registry.storage.UploadOffsetException;
import dev.shoal.registry.storage.UploadStatus;
import dev.shoal.registry.storage.UploadUnknownException;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The push side of blobs: {@code POST /v2/{name}/blobs/uploads/} (new upload, monolithic with {@code ?digest=},
 * cross-repository mount with {@code ?mount=&from=}), and on {@code /v2/{name}/blobs/uploads/{id}}: {@code PATCH}
 * (a chunk), {@code PUT ?digest=} (optional last chunk, then commit), {@code GET} (progress), {@code DELETE}.
 */
final class UploadsApi {
    private final BlobStore store;

    UploadsApi(BlobStore store) {
        this.store = store;
    }

    void start(Exchange ex, RepositoryName name) throws IOException, RegistryError {
        String mount = ex.query("mount");
        if (mount != null) {
            Digest digest = digest(mount);
            Optional<RepositoryName> from = sourceRepository(ex.query("from"));
            Optional<BlobInfo> mounted = from.isPresent() ? store.mount(name, from.get(), digest) : Optional.empty();
            if (mounted.isPresent()) {
                created(ex, name, digest);
                return;
            }
            // the spec's fallback: the client gets an ordinary upload and pushes the blob itself
        }
        String digestParam = ex.query("digest");
        if (digestParam != null) {
            Digest digest = digest(digestParam);
            UploadStatus u = store.startUpload(name);
            try {
                store.append(name, u.id(), OptionalLong.empty(), ex.body());
                store.commit(name, u.id(), digest);
            } catch (UploadUnknownException | UploadOffsetException | DigestMismatchException | IOException
                     | RuntimeException e) {
                cancelQuietly(name, u.id());
                throw translate(e, name, u.id());
            }
            created(ex, name, digest);
            return;
        }
        UploadStatus u = store.startUpload(name);
        progress(ex, 202, name, u);
    }

    void patch(Exchange ex, RepositoryName name, String id) throws IOException, RegistryError {
        Optional<ContentRange> range = ContentRange.parse(ex.header(HttpHeader.CONTENT_RANGE.asString()));
        long declared = ex.request.getLength();
        if (range.isPresent() && declared >= 0 && declared != range.get().length()) {
            throw new RegistryError(ErrorCode.RANGE_INVALID, "Content-Range covers " + range.get().length()
                    + " bytes but Content-Length is " + declared);
        }
        UploadStatus u;
        try {
            u = store.append(name, id, range.map(r -> OptionalLong.of(r.start())).orElse(OptionalLong.empty()), ex.body());
        } catch (UploadUnknownException | UploadOffsetException | IOException e) {
            throw translate(e, name, id);
        }
        if (range.isPresent() && u.offset() != range.get().end() + 1) {
            throw new RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, 400, "chunk ended at byte " + u.offset()
                    + ", Content-Range said " + (range.get().end() + 1), progressHeaders(name, u));
        }
        progress(ex, 202, name, u);
    }

    void put(Exchange ex, RepositoryName name, String id) throws IOException, RegistryError {
        String digestParam = ex.query("digest");
        if (digestParam == null) {
            throw new RegistryError(ErrorCode.DIGEST_INVALID, "the digest query parameter is required to finish an upload");
        }
        Digest digest = digest(digestParam);
        Optional<ContentRange> range = ContentRange.parse(ex.header(HttpHeader.CONTENT_RANGE.asString()));
        try {
            store.append(name, id, range.map(r -> OptionalLong.of(r.start())).orElse(OptionalLong.empty()), ex.body());
            store.commit(name, id, digest);
        } catch (UploadUnknownException | UploadOffsetException | DigestMismatchException | IOException e) {
            throw translate(e, name, id);
        }
        created(ex, name, digest);
    }

    void status(Exchange ex, RepositoryName name, String id) throws IOException, RegistryError {
        try {
            progress(ex, 204, name, store.uploadStatus(name, id));
        } catch (UploadUnknownException e) {
            throw translate(e, name, id);
        }
    }

    void cancel(Exchange ex, RepositoryName name, String id) throws IOException, RegistryError {
        try {
            store.cancelUpload(name, id);
        } catch (UploadUnknownException e) {
            throw translate(e, name, id);
        }
        ex.empty(204);
    }

    private void progress(Exchange ex, int status, RepositoryName name, UploadStatus u) {
        progressHeaders(name, u).forEach(ex::header);
        ex.empty(status);
    }

    private static Map<String, String> progressHeaders(RepositoryName name, UploadStatus u) {
        return Map.of(HttpHeader.LOCATION.asString(), Locations.upload(name, u.id()),
                HttpHeader.RANGE.asString(), Locations.uploadRange(u.offset()),
                Headers.UPLOAD_UUID, u.id());
    }

    private static void created(Exchange ex, RepositoryName name, Digest digest) {
        ex.header(HttpHeader.LOCATION.asString(), Locations.blob(name, digest));
        ex.header(Headers.CONTENT_DIGEST, digest.toString());
        ex.empty(201);
    }

    private static Digest digest(String s) throws RegistryError {
        try {
            return Digest.parse(s);
        } catch (InvalidDigestException e) {
            throw new RegistryError(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }

    private static Optional<RepositoryName> sourceRepository(String from) {
        if (from == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RepositoryName(from));
        } catch (InvalidNameException e) {
            return Optional.empty(); // nothing to mount from: fall back to a new upload
        }
    }

    private void cancelQuietly(RepositoryName name, String id) {
        try {
            store.cancelUpload(name, id);
        } catch (IOException | UploadUnknownException ignored) {
            // already ended (a digest mismatch discards the upload itself)
        }
    }

    /** Maps store outcomes to spec errors; a storage IOException is rethrown for the handler's 500. */
    private RegistryError translate(Exception e, RepositoryName name, String id) throws IOException {
        return switch (e) {
            case UploadUnknownException u -> new RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, u.getMessage());
            case UploadOffsetException o -> new RegistryError(ErrorCode.RANGE_INVALID, 416, o.getMessage(),
                    progressHeaders(name, new UploadStatus(id, o.offset())));
            case DigestMismatchException d -> new RegistryError(ErrorCode.DIGEST_INVALID, d.getMessage());
            case ClientBodyException c -> new RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, c.getMessage()
                    + "; ask for the upload's status and resume from its Range");
            case IOException io -> throw io;
            case RuntimeException r -> throw r;
            default -> throw new IllegalStateException(e);
        };
    }
}
