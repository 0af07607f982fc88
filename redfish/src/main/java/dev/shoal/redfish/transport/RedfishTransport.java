package dev.shoal.redfish.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * HTTP to one BMC: authentication (a session, falling back to Basic; one re-login on 401), a cap on
 * concurrent requests, retries with backoff on connection errors, 5xx and the vendor's transient 4xx,
 * and ETag-guarded PATCH. Every failure quotes what the BMC said.
 */
public final class RedfishTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedfishTransport.class);
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String DEFAULT_SESSIONS = "/redfish/v1/SessionService/Sessions";

    private final URI base;
    private final Credentials credentials;
    private final RedfishSettings settings;
    private final HttpClient client;
    private final TlsPolicy tls;
    private final Semaphore permits;
    private volatile TransportQuirks quirks = TransportQuirks.GENERIC;
    private volatile String sessionToken;
    private volatile URI sessionUri;
    private volatile boolean basicOnly;
    private volatile boolean identityRefused;
    private volatile JsonNode serviceRoot;

    public RedfishTransport(URI base, Credentials credentials, TlsPolicy tls, RedfishSettings settings) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.credentials = credentials;
        this.settings = settings;
        this.tls = tls;
        this.client = newClient();
        this.permits = new Semaphore(settings.maxConcurrent(), true);
        this.basicOnly = settings.auth() == RedfishSettings.AuthMode.BASIC;
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .sslContext(TrustPolicies.sslContext(tls))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI base() {
        return base;
    }

    public void useQuirks(TransportQuirks q) {
        this.quirks = q;
    }

    public RedfishResponse get(String path) {
        return send("GET", path, null, Optional.empty());
    }

    public RedfishResponse post(String path, JsonNode body) {
        return send("POST", path, body, Optional.empty());
    }

    public RedfishResponse delete(String path) {
        return send("DELETE", path, null, Optional.empty());
    }

    /**
     * PATCH guarded by the resource's ETag. Some BMCs reject their own weak ETags or compare them wrongly:
     * on 412 the PATCH is retried with the strong form, then without If-Match (as sushy does).
     */
    public RedfishResponse patch(String path, JsonNode body, Optional<String> etag) {
        if (etag.isEmpty()) {
            return send("PATCH", path, body, Optional.empty());
        }
        try {
            return send("PATCH", path, body, etag);
        } catch (RedfishException e) {
            if (e.bmcError().map(RedfishError::status).orElse(0) != 412) {
                throw e;
            }
            String tag = etag.get();
            if (tag.startsWith("W/")) {
                try {
                    return send("PATCH", path, body, Optional.of(tag.substring(2)));
                } catch (RedfishException strong) {
                    if (strong.bmcError().map(RedfishError::status).orElse(0) != 412) {
                        throw strong;
                    }
                }
            }
            LOG.debug("PATCH {}: the BMC rejected its own ETag; retrying without If-Match", path);
            return send("PATCH", path, body, Optional.empty());
        }
    }

    private RedfishResponse send(String method, String path, JsonNode body, Optional<String> ifMatch) {
        if (!basicOnly && settings.auth() != RedfishSettings.AuthMode.BASIC && sessionToken == null) {
            login();
        }
        boolean relogged = false;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = exchange(method, path, body, ifMatch, true);
            } catch (IOException e) {
                if (attempt < settings.retries()) {
                    pause(attempt, method, path, e.toString());
                    continue;
                }
                throw new RedfishException(method + " " + path + " failed after " + (attempt + 1) + " attempts", e);
            }
            int status = response.statusCode();
            JsonNode json = parse(decoded(response));
            if (status >= 200 && status < 300) {
                return new RedfishResponse(status, response.headers(), json);
            }
            if (status == 401 && sessionToken != null && !relogged) {
                // sessions expire or get evicted by the BMC; log in again once
                relogged = true;
                sessionToken = null;
                login();
                attempt--;
                continue;
            }
            RedfishError error = RedfishError.of(status, json);
            boolean transientError = status >= 500 ? !quirks.permanentErrors().matches(method, path, error)
                    : quirks.transientErrors().matches(method, path, error);
            if (transientError && attempt < settings.retries()) {
                pause(attempt, method, path, error.toString());
                continue;
            }
            throw new RedfishException(method + " " + path, error);
        }
    }

    private HttpResponse<byte[]> exchange(String method, String path, JsonNode body, Optional<String> ifMatch,
                                          boolean authenticated) throws IOException {
        boolean identity = quirks.acceptEncodingIdentity() && !identityRefused;
        HttpResponse<byte[]> r = sendOnce(build(method, path, body, ifMatch, authenticated, identity));
        if (r.statusCode() == 406 && identity) {
            // some BMCs (iLO, reportedly) refuse "Accept-Encoding: identity", even before we know who they are
            identityRefused = true;
            r = sendOnce(build(method, path, body, ifMatch, authenticated, false));
        }
        return r;
    }

    private HttpRequest build(String method, String path, JsonNode body, Optional<String> ifMatch, boolean authenticated,
                              boolean identity) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path))
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .header("OData-Version", "4.0");
        if (identity) {
            b.header("Accept-Encoding", "identity");
        }
        if (authenticated) {
            String token = sessionToken;
            if (token != null) {
                b.header("X-Auth-Token", token);
            } else {
                b.header("Authorization", basicHeader());
            }
        }
        ifMatch.ifPresent(tag -> b.header("If-Match", tag));
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private HttpResponse<byte[]> sendOnce(HttpRequest request) throws IOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for a request slot");
        }
        try {
            if (quirks.connectionClose()) {
                try (HttpClient once = newClient()) {
                    return once.send(request, HttpResponse.BodyHandlers.ofByteArray());
                }
            }
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            permits.release();
        }
    }

    /** Opens a session (SessionService), or settles on Basic when the BMC has none or refuses one. */
    private synchronized void login() {
        if (sessionToken != null || basicOnly) {
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("UserName", credentials.username()).put("Password", credentials.password());
        String sessions = sessionsPath();
        try {
            HttpResponse<byte[]> r = exchange("POST", sessions, body, Optional.empty(), false);
            Optional<String> token = r.headers().firstValue("X-Auth-Token");
            if ((r.statusCode() == 201 || r.statusCode() == 200) && token.isPresent()) {
                sessionToken = token.get();
                sessionUri = r.headers().firstValue("Location").map(this::resolve)
                        .or(() -> Optional.ofNullable(parse(decoded(r)).path("@odata.id").asText(null)).map(this::resolve))
                        .orElse(null);
                return;
            }
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new RedfishException("logging in to " + base + " as " + credentials.username(),
                        RedfishError.of(r.statusCode(), parse(decoded(r))));
            }
            if (settings.auth() == RedfishSettings.AuthMode.SESSION) {
                throw new RedfishException("the BMC at " + base + " offers no sessions",
                        RedfishError.of(r.statusCode(), parse(decoded(r))));
            }
            LOG.debug("{}: no session ({}), using HTTP Basic", base, r.statusCode());
            basicOnly = true;
        } catch (IOException e) {
            // the request that needed the login will retry and report the connection problem
            LOG.debug("{}: session login failed: {}", base, e.toString());
        }
    }

    private String sessionsPath() {
        try {
            HttpResponse<byte[]> root = exchange("GET", "/redfish/v1/", null, Optional.empty(), false);
            JsonNode body = parse(decoded(root));
            if (root.statusCode() == 200) {
                serviceRoot = body;
            }
            JsonNode links = body.path("Links").path("Sessions").path("@odata.id");
            return links.isTextual() ? links.asText() : DEFAULT_SESSIONS;
        } catch (IOException e) {
            return DEFAULT_SESSIONS;
        }
    }

    /** The service root; the login already read it, so discovery does not ask twice. */
    public JsonNode serviceRoot() {
        if (!basicOnly && settings.auth() != RedfishSettings.AuthMode.BASIC && sessionToken == null) {
            login();
        }
        JsonNode root = serviceRoot;
        if (root == null) {
            root = get("/redfish/v1/").body();
            serviceRoot = root;
        }
        return root;
    }

    /** Ends the session so BMCs with few session slots do not run out (a known way to brick automation). */
    @Override
    public void close() {
        URI s = sessionUri;
        if (sessionToken != null && s != null) {
            try {
                exchange("DELETE", s.getRawPath(), null, Optional.empty(), true);
            } catch (IOException e) {
                LOG.debug("{}: could not delete session: {}", base, e.toString());
            }
        }
        sessionToken = null;
        client.close();
    }

    /** Whether requests currently go with a session token (for tests and {@code bmc info}). */
    public boolean usingSession() {
        return sessionToken != null;
    }

    private URI resolve(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        return URI.create(base + (path.startsWith("/") ? path : "/" + path));
    }

    private String basicHeader() {
        String pair = credentials.username() + ":" + credentials.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private void pause(int attempt, String method, String path, String why) {
        java.time.Duration d = settings.backoff(attempt);
        LOG.debug("{} {} {}: attempt {} failed ({}); retrying in {} ms", base, method, path, attempt + 1, why, d.toMillis());
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedfishException(method + " " + path + " interrupted");
        }
    }

    /**
     * Without Accept-Encoding: identity a BMC may gzip its answers (iLO does); the JDK client does not
     * decompress by itself.
     */
    private static byte[] decoded(HttpResponse<byte[]> r) {
        boolean gzip = r.headers().firstValue("Content-Encoding").map(v -> v.strip().equalsIgnoreCase("gzip")).orElse(false);
        if (!gzip || r.body() == null || r.body().length == 0) {
            return r.body();
        }
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return r.body();
        }
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            // some BMCs answer errors in HTML; keep the text so the operator sees it
            String text = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", text.strip());
            return error;
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
