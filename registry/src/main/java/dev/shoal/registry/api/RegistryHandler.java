package dev.shoal.registry.api;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.InvalidDigestException;
import dev.shoal.registry.name.InvalidNameException;
import dev.shoal.registry.storage.BlobStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OCI distribution-spec 1.1 API as a Jetty 12 core handler. It reads the request's full decoded path, which
 * must start with {@code /v2/} (so it works mounted under {@code /v2/*} in a PathMappingsHandler, or alone), and
 * answers every request it is given, with the spec's error body for anything it does not know.
 *
 * <p>It blocks while it streams request bodies to storage, so it runs on the threads Jetty gives blocking handlers
 * (virtual threads in the controller). Authentication is the caller's business: wrap this handler.
 */
public final class RegistryHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

    private final BlobsApi blobs;
    private final UploadsApi uploads;
    private final ManifestsApi manifests;
    private final TagsApi tags;
    private final ReferrersApi referrers;

    public RegistryHandler(BlobStore store) {
        this.blobs = new BlobsApi(store);
        this.uploads = new UploadsApi(store);
        this.manifests = new ManifestsApi(store);
        this.tags = new TagsApi(store);
        this.referrers = new ReferrersApi(store);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Exchange ex = new Exchange(request, response, callback);
        response.getHeaders().put(Headers.API_VERSION, "registry/2.0");
        try {
            dispatch(ex, request.getHttpURI().getDecodedPath());
        } catch (RegistryError e) {
            answer(ex, e);
        } catch (InvalidNameException e) {
            answer(ex, new RegistryError(ErrorCode.NAME_INVALID, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("registry request {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            answer(ex, new RegistryError(ErrorCode.UNKNOWN, "the registry could not complete the request"));
        }
        return true;
    }

    private static void answer(Exchange ex, RegistryError e) throws IOException {
        if (ex.response.isCommitted()) {
            ex.callback.failed(e);
        } else {
            ex.error(e);
        }
    }

    private void dispatch(Exchange ex, String path) throws IOException, RegistryError {
        Optional<Route> route = path == null ? Optional.empty() : Routes.parse(path);
        if (route.isEmpty()) {
            throw new RegistryError(ErrorCode.NOT_FOUND, "no registry endpoint at this path");
        }
        String m = ex.method();
        switch (route.get()) {
            case Route.Base b -> {
                allow(m, Set.of("GET", "HEAD"));
                ex.json(200, ex.newObject());
            }
            case Route.TagsList t -> {
                allow(m, Set.of("GET", "HEAD"));
                tags.list(ex, t.name());
            }
            case Route.Manifest r -> {
                allow(m, Set.of("GET", "HEAD", "PUT", "DELETE"));
                switch (m) {
                    case "PUT" -> manifests.put(ex, r.name(), r.reference());
                    case "DELETE" -> manifests.delete(ex, r.name(), r.reference());
                    default -> manifests.get(ex, r.name(), r.reference());
                }
            }
            case Route.UploadStart u -> {
                allow(m, Set.of("POST"));
                uploads.start(ex, u.name());
            }
            case Route.Upload u -> {
                allow(m, Set.of("GET", "PATCH", "PUT", "DELETE"));
                switch (m) {
                    case "PATCH" -> uploads.patch(ex, u.name(), u.id());
                    case "PUT" -> uploads.put(ex, u.name(), u.id());
                    case "DELETE" -> uploads.cancel(ex, u.name(), u.id());
                    default -> uploads.status(ex, u.name(), u.id());
                }
            }
            case Route.Blob b -> {
                allow(m, Set.of("GET", "HEAD", "DELETE"));
                Digest digest = digest(b.digest());
                if (m.equals("DELETE")) {
                    blobs.delete(ex, b.name(), digest);
                } else {
                    blobs.get(ex, b.name(), digest);
                }
            }
            case Route.Referrers r -> {
                allow(m, Set.of("GET"));
                referrers.list(ex, r.name(), digest(r.digest()));
            }
        }
    }

    private static void allow(String method, Set<String> allowed) throws RegistryError {
        if (!allowed.contains(method)) {
            throw new RegistryError(ErrorCode.UNSUPPORTED, 405, method + " is not supported here",
                    Map.of(HttpHeader.ALLOW.asString(), String.join(", ", allowed.stream().sorted().toList())));
        }
    }

    private static Digest digest(String s) throws RegistryError {
        try {
            return Digest.parse(s);
        } catch (InvalidDigestException e) {
            throw new RegistryError(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }
}
