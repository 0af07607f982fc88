package dev.shoal.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.agent.StepFailure;
import dev.shoal.agent.task.RegistryAccess;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Pulls a disk image stored as an OCI artifact: {@code oci://host[:port]/repository[:tag|@digest]}. The manifest (an
 * index is resolved to its linux/amd64 entry, or its only one) must name one layer, or one whose
 * {@code org.opencontainers.image.title} says it is a disk image; that blob is streamed, and checked against its own
 * digest on the way, besides the job's checksum. The controller's registry is reached at task.json's
 * {@code registry.url} with the job's pull credential; any other host over https without credentials.
 */
public final class OciImageSource implements ImageSource {
    static final String ACCEPT_MANIFESTS = String.join(", ",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json");
    static final String TITLE = "org.opencontainers.image.title";
    private static final List<String> DISK_SUFFIXES = List.of(".raw", ".img", ".qcow2", ".gz", ".xz", ".zst", ".zstd");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Optional<RegistryAccess> access;

    public OciImageSource(HttpClient client, Optional<RegistryAccess> access) {
        this.client = client;
        this.access = access;
    }

    /** {@code oci://host[:port]/name[:tag|@digest]}, split. */
    record Reference(String authority, String repository, String reference) {
        static Reference parse(URI url) throws StepFailure {
            String authority = url.getRawAuthority();
            String path = url.getPath() == null ? "" : url.getPath().replaceFirst("^/", "");
            if (authority == null || path.isEmpty()) {
                throw fail(url, "not oci://host[:port]/repository[:tag|@digest]");
            }
            int at = path.indexOf('@');
            if (at > 0) {
                return new Reference(authority, path.substring(0, at), path.substring(at + 1));
            }
            int colon = path.lastIndexOf(':');
            if (colon > path.lastIndexOf('/')) {
                return new Reference(authority, path.substring(0, colon), path.substring(colon + 1));
            }
            return new Reference(authority, path, "latest");
        }
    }

    @Override
    public Download open(URI url) throws StepFailure {
        Reference ref = Reference.parse(url);
        Optional<RegistryAccess> creds = access.filter(a -> ref.authority().equalsIgnoreCase(a.url().getRawAuthority()));
        String base = creds.map(a -> a.url().toString().replaceFirst("/+$", "")).orElse("https://" + ref.authority());
        JsonNode manifest = manifest(url, base, ref.repository(), ref.reference(), creds);
        if (manifest.has("manifests")) {
            manifest = manifest(url, base, ref.repository(), chooseFromIndex(url, manifest), creds);
        }
        JsonNode layer = chooseLayer(url, manifest);
        String digest = layer.path("digest").asText();
        long size = layer.path("size").asLong(-1);
        HttpResponse<InputStream> blob = send(url, base + "/v2/" + ref.repository() + "/blobs/" + digest, "*/*", creds);
        return new Download(new VerifyingStream(blob.body(), digest), size >= 0 ? OptionalLong.of(size) : OptionalLong.empty());
    }

    private JsonNode manifest(URI url, String base, String repository, String reference, Optional<RegistryAccess> creds)
            throws StepFailure {
        HttpResponse<InputStream> r = send(url, base + "/v2/" + repository + "/manifests/" + reference, ACCEPT_MANIFESTS, creds);
        try (InputStream in = r.body()) {
            return JSON.readTree(in.readNBytes(4 << 20));
        } catch (IOException e) {
            throw fail(url, "its manifest " + reference + " is not JSON: " + e.getMessage());
        }
    }

    private static String chooseFromIndex(URI url, JsonNode index) throws StepFailure {
        List<JsonNode> entries = new ArrayList<>();
        index.path("manifests").forEach(entries::add);
        if (entries.size() == 1) {
            return entries.getFirst().path("digest").asText();
        }
        for (JsonNode m : entries) {
            JsonNode p = m.path("platform");
            if (p.path("os").asText().equals("linux") && p.path("architecture").asText().equals("amd64")) {
                return m.path("digest").asText();
            }
        }
        throw fail(url, "its index has " + entries.size() + " manifests and none for linux/amd64");
    }

    private static JsonNode chooseLayer(URI url, JsonNode manifest) throws StepFailure {
        List<JsonNode> layers = new ArrayList<>();
        manifest.path("layers").forEach(layers::add);
        if (layers.size() == 1) {
            return layers.getFirst();
        }
        List<JsonNode> disks = layers.stream().filter(l -> {
            String title = l.path("annotations").path(TITLE).asText("").toLowerCase(Locale.ROOT);
            return DISK_SUFFIXES.stream().anyMatch(title::endsWith);
        }).toList();
        if (disks.size() == 1) {
            return disks.getFirst();
        }
        throw fail(url, "its manifest has " + layers.size() + " layers and " + disks.size() + " titled as a disk image ("
                + String.join(", ", DISK_SUFFIXES) + "); push the image as a single-layer artifact");
    }

    private HttpResponse<InputStream> send(URI url, String target, String accept, Optional<RegistryAccess> creds)
            throws StepFailure {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).GET().header("Accept", accept);
        creds.ifPresent(a -> b.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((a.username() + ":" + a.password()).getBytes(StandardCharsets.UTF_8))));
        HttpResponse<InputStream> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new StepFailure(HttpImageSource.STEP, "cannot pull " + url + ": " + HttpImageSource.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure(HttpImageSource.STEP, "pull of " + url + " interrupted", e);
        }
        if (r.statusCode() != 200) {
            String detail;
            try (InputStream in = r.body()) {
                JsonNode err = JSON.readTree(in.readNBytes(64 << 10)).path("errors").path(0);
                detail = err.isMissingNode() ? "" : " " + err.path("code").asText() + ": " + err.path("message").asText();
            } catch (IOException e) {
                detail = "";
            }
            throw fail(url, "GET " + target.replaceFirst("^https?://[^/]+", "") + " answered HTTP " + r.statusCode() + detail);
        }
        return r;
    }

    private static StepFailure fail(URI url, String why) {
        return new StepFailure(HttpImageSource.STEP, "cannot pull " + url + ": " + why);
    }

    /** The blob as served, failing at its end if it does not hash to the digest the manifest gave. */
    static final class VerifyingStream extends FilterInputStream {
        private final String digest;
        private final MessageDigest md;
        private boolean checked;

        VerifyingStream(InputStream in, String digest) throws StepFailure {
            super(in);
            this.digest = digest;
            String alg = digest.startsWith("sha512:") ? "SHA-512" : digest.startsWith("sha256:") ? "SHA-256" : null;
            if (alg == null) {
                throw new StepFailure(HttpImageSource.STEP, "layer digest " + digest + " is neither sha256 nor sha512");
            }
            try {
                this.md = MessageDigest.getInstance(alg);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                md.update((byte) b);
            } else {
                check();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                md.update(buf, off, n);
            } else if (n < 0) {
                check();
            }
            return n;
        }

        private void check() throws IOException {
            if (checked) {
                return;
            }
            checked = true;
            String got = digest.substring(0, digest.indexOf(':') + 1) + HexFormat.of().formatHex(md.digest());
            if (!got.equals(digest)) {
                throw new IOException("the blob does not match its digest " + digest + " (got " + got + ")");
            }
        }
    }
}
