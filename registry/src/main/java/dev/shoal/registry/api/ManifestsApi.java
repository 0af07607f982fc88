package dev.shoal.registry.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.digest.InvalidDigestException;
import dev.shoal.registry.manifest.Descriptor;
import dev.shoal.registry.manifest.InvalidManifestException;
import dev.shoal.registry.manifest.ManifestParser;
import dev.shoal.registry.manifest.ParsedManifest;
import dev.shoal.registry.name.InvalidNameException;
import dev.shoal.registry.name.Reference;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.storage.BlobGoneException;
import dev.shoal.registry.storage.BlobInfo;
import dev.shoal.registry.storage.BlobStore;
import dev.shoal.registry.storage.ManifestPut;
import dev.shoal.registry.storage.StoredManifest;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code GET|HEAD|PUT|DELETE /v2/{name}/manifests/{reference}}. */
final class ManifestsApi {
    /** The spec asks registries to accept at least 4 MiB; larger manifests are refused before they fill memory. */
    static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final BlobStore store;
    private final ManifestParser parser = new ManifestParser();
    private final ObjectMapper json = new ObjectMapper();

    ManifestsApi(BlobStore store) {
        this.store = store;
    }

    /** Served as stored, whatever the request's Accept says: the client asked for these exact bytes. */
    void get(Exchange ex, RepositoryName name, String reference) throws IOException, RegistryError {
        Reference ref = reference(reference);
        Optional<Digest> digest = switch (ref) {
            case Reference.ByDigest(Digest d) -> Optional.of(d);
            case Reference.ByTag t -> store.resolveTag(name, t.tag());
        };
        Optional<StoredManifest> m = digest.isPresent() ? store.manifest(name, digest.get()) : Optional.empty();
        if (m.isEmpty()) {
            throw new RegistryError(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + name);
        }
        ex.header(Headers.CONTENT_DIGEST, m.get().digest().toString());
        ex.header(HttpHeader.ETAG.asString(), "\"" + m.get().digest() + "\"");
        ex.bytes(200, m.get().mediaType(), m.get().content());
    }

    void put(Exchange ex, RepositoryName name, String reference) throws IOException, RegistryError {
        Reference ref = reference(reference);
        byte[] content = readLimited(ex.body());
        ParsedManifest parsed;
        try {
            parsed = parser.parse(content, ex.header(HttpHeader.CONTENT_TYPE.asString()));
        } catch (InvalidManifestException e) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
        Digest digest = switch (ref) {
            case Reference.ByDigest(Digest d) -> {
                Digest actual = Digest.of(d.algorithm(), content);
                if (!actual.equals(d)) {
                    throw new RegistryError(ErrorCode.DIGEST_INVALID, "manifest has digest " + actual + ", not " + d);
                }
                yield d;
            }
            case Reference.ByTag t -> Digest.of(DigestAlgorithm.SHA256, content);
        };
        checkReferences(name, parsed);
        Optional<Digest> subject = parsed.subject().map(Descriptor::digest);
        List<Digest> references = Stream.concat(parsed.blobs().stream(), parsed.manifests().stream())
                .map(Descriptor::digest).distinct().toList();
        try {
            store.putManifest(name, new ManifestPut(digest, parsed.mediaType(), content, subject,
                            referrerDescriptor(parsed, digest, content.length), references),
                    ref instanceof Reference.ByTag(var tag) ? Optional.of(tag) : Optional.empty());
        } catch (BlobGoneException e) {
            throw new RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, e.getMessage());
        }
        subject.ifPresent(s -> ex.header(Headers.OCI_SUBJECT, s.toString()));
        ex.header(HttpHeader.LOCATION.asString(), Locations.manifest(name, digest));
        ex.header(Headers.CONTENT_DIGEST, digest.toString());
        ex.empty(201);
    }

    /** Every blob and child manifest must already be in this repository, or the manifest could not be pulled. */
    private void checkReferences(RepositoryName name, ParsedManifest parsed) throws IOException, RegistryError {
        for (Descriptor blob : parsed.blobs()) {
            Optional<BlobInfo> info = store.stat(name, blob.digest());
            if (info.isEmpty()) {
                throw new RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, "blob " + blob.digest() + " is not in " + name);
            }
            if (info.get().size() != blob.size()) {
                throw new RegistryError(ErrorCode.MANIFEST_INVALID, "descriptor of " + blob.digest() + " says "
                        + blob.size() + " bytes, the blob has " + info.get().size());
            }
        }
        for (Descriptor child : parsed.manifests()) {
            if (store.manifest(name, child.digest()).isEmpty()) {
                throw new RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest " + child.digest() + " is not in " + name);
            }
        }
    }

    /** What the subject's referrers list shows for this manifest, as the spec's referrers response defines it. */
    private byte[] referrerDescriptor(ParsedManifest parsed, Digest digest, long size) throws IOException {
        ObjectNode d = json.createObjectNode();
        d.put("mediaType", parsed.mediaType());
        d.put("digest", digest.toString());
        d.put("size", size);
        parsed.artifactType().ifPresent(t -> d.put("artifactType", t));
        if (parsed.annotations() != null && parsed.annotations().isObject()) {
            d.set("annotations", parsed.annotations());
        }
        return json.writeValueAsBytes(d);
    }

    void delete(Exchange ex, RepositoryName name, String reference) throws IOException, RegistryError {
        boolean deleted = switch (reference(reference)) {
            case Reference.ByDigest(Digest d) -> store.deleteManifest(name, d);
            case Reference.ByTag t -> store.deleteTag(name, t.tag());
        };
        if (!deleted) {
            throw new RegistryError(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + name);
        }
        ex.empty(202);
    }

    private static Reference reference(String s) throws RegistryError {
        try {
            return Reference.parse(s);
        } catch (InvalidDigestException e) {
            throw new RegistryError(ErrorCode.DIGEST_INVALID, e.getMessage());
        } catch (InvalidNameException e) {
            throw new RegistryError(ErrorCode.TAG_INVALID, e.getMessage());
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException, RegistryError {
        byte[] content = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        if (content.length > MAX_MANIFEST_BYTES) {
            throw new RegistryError(ErrorCode.SIZE_INVALID, 413, "manifest is larger than " + MAX_MANIFEST_BYTES
                    + " bytes", Map.of());
        }
        return content;
    }
}
