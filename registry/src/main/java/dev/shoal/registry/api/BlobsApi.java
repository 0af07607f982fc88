package dev.shoal.registry.api;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.storage.BlobStore;
import dev.shoal.registry.storage.OpenBlob;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** {@code GET|HEAD|DELETE /v2/{name}/blobs/{digest}}. */
final class BlobsApi {
    private final BlobStore store;

    BlobsApi(BlobStore store) {
        this.store = store;
    }

    void get(Exchange ex, RepositoryName name, Digest digest) throws IOException, RegistryError {
        Optional<OpenBlob> opened = store.open(name, digest);
        if (opened.isEmpty()) {
            throw new RegistryError(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + name);
        }
        OpenBlob blob = opened.get();
        long size = blob.info().size();
        ex.header(Headers.CONTENT_DIGEST, digest.toString());
        ex.header(HttpHeader.ACCEPT_RANGES.asString(), "bytes");
        // a digest names the bytes forever: it is the strongest ETag there is
        ex.header(HttpHeader.ETAG.asString(), "\"" + digest + "\"");
        ex.header(HttpHeader.CONTENT_TYPE.asString(), "application/octet-stream");
        switch (ByteRange.of(ex.header(HttpHeader.RANGE.asString()), size)) {
            case ByteRange.Whole w -> {
                ex.response.setStatus(200);
                ex.blob(blob, 0, size);
            }
            case ByteRange.Partial(ByteRange r) -> {
                ex.response.setStatus(206);
                ex.header(HttpHeader.CONTENT_RANGE.asString(), "bytes " + r.start() + "-" + r.end() + "/" + size);
                ex.blob(blob, r.start(), r.length());
            }
            case ByteRange.Unsatisfiable u -> {
                blob.close();
                throw new RegistryError(ErrorCode.RANGE_INVALID, 416, "requested range is outside the blob's "
                        + size + " bytes", Map.of(HttpHeader.CONTENT_RANGE.asString(), "bytes */" + size));
            }
        }
    }

    /** Removes the blob from the repository; its content stays until garbage collection. */
    void delete(Exchange ex, RepositoryName name, Digest digest) throws IOException, RegistryError {
        if (!store.deleteBlob(name, digest)) {
            throw new RegistryError(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + name);
        }
        ex.empty(202);
    }
}
