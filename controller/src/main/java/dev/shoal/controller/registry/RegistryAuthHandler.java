package dev.shoal.controller.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.auth.BasicCredentials;
import dev.shoal.controller.auth.CredentialCache;
import dev.shoal.controller.auth.LoginThrottle;
import dev.shoal.controller.auth.PasswordHash;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.http.Principal;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * {@code REGISTRY_AUTH_MODE=basic} in front of /v2/. Three kinds of caller:
 * <ul>
 * <li>users of {@code REGISTRY_USERS_FILE} pull from every repository; they push too, unless
 *     {@code REGISTRY_PUSH_USERS} names who may (then only those);</li>
 * <li>a job's agent ({@code job-<id>} with the token its task ISO carries) pulls its own image's repository, and only
 *     while the job runs;</li>
 * <li>nobody else: 401 with a Basic challenge, in the distribution-spec error body.</li>
 * </ul>
 * A user's verified password is cached (bcrypt costs tens of milliseconds, and a pull is dozens of requests), and
 * failed logins are throttled per address, as for the operator API.
 */
public final class RegistryAuthHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryAuthHandler.class);
    static final String CHALLENGE = "Basic realm=\"shoal-registry\", charset=\"UTF-8\"";

    private final HtpasswdUsers users;
    private final Optional<Set<String>> pushUsers;
    private final JobPullCredentials jobs;
    private final CredentialCache cache;
    private final LoginThrottle throttle;
    private volatile long seenGeneration;

    public RegistryAuthHandler(Handler registry, HtpasswdUsers users, Optional<Set<String>> pushUsers, JobPullCredentials jobs,
                               CredentialCache cache, LoginThrottle throttle) {
        super(registry);
        this.users = users;
        this.pushUsers = pushUsers.map(Set::copyOf);
        this.jobs = jobs;
        this.cache = cache;
        this.throttle = throttle;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        BasicCredentials c = BasicCredentials.parse(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (c == null) {
            return refuse(response, callback, 401, "UNAUTHORIZED", "authentication required");
        }
        String address = Request.getRemoteAddr(request);
        String path = request.getHttpURI().getPath();
        RegistryPaths target = RegistryPaths.of(path);
        boolean reading = RegistryPaths.readOnly(request.getMethod());
        try {
            if (c.user().startsWith(JobPullCredentials.USER_PREFIX)) {
                if (reading && target.repository().isPresent() && jobs.allows(c.user(), c.password(), target.repository().get())) {
                    return admit(request, response, callback, c.user());
                }
                LOG.atInfo().addKeyValue("remote", address).addKeyValue("user", c.user()).log("registry: job credential refused");
                return refuse(response, callback, reading ? 401 : 403, reading ? "UNAUTHORIZED" : "DENIED",
                        "a job's registry credential pulls its own image while the job runs, nothing else");
            }
            long g = users.generation();
            if (g != seenGeneration) { // users changed: a removed user or password must stop working at once
                cache.clear();
                seenGeneration = g;
            }
            if (!cache.isVerified(c.user(), c.password())) {
                Duration wait = throttle.waitFor(address);
                if (!wait.isZero()) {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, Math.max(1, (wait.toMillis() + 999) / 1000));
                    return refuse(response, callback, 429, "TOOMANYREQUESTS", "too many failed logins from " + address);
                }
                Optional<PasswordHash> hash = users.hash(c.user());
                if (hash.isEmpty() || !hash.get().matches(c.password())) {
                    throttle.failed(address);
                    LOG.atWarn().addKeyValue("remote", address).log("failed registry login");
                    return refuse(response, callback, 401, "UNAUTHORIZED", "invalid credentials");
                }
                throttle.succeeded(address);
                cache.remember(c.user(), c.password());
            }
            if (!reading && pushUsers.isPresent() && !pushUsers.get().contains(c.user())) {
                return refuse(response, callback, 403, "DENIED", "user " + c.user() + " may pull but not push (REGISTRY_PUSH_USERS)");
            }
            return admit(request, response, callback, c.user());
        } finally {
            Arrays.fill(c.password(), '\0');
        }
    }

    /** SIGHUP: reads the users file again and drops cached passwords, so a removed user is out at once. */
    public void reloadUsers() {
        if (users.reload()) {
            cache.clear();
        }
    }

    private boolean admit(Request request, Response response, Callback callback, String user) throws Exception {
        request.setAttribute(Principal.ATTRIBUTE, user);
        return super.handle(request, response, callback);
    }

    /** The distribution-spec error body; 401 carries the challenge clients answer with credentials. */
    static boolean refuse(Response response, Callback callback, int status, String code, String message) {
        ObjectNode body = Json.object();
        ObjectNode e = body.putArray("errors").addObject();
        e.put("code", code);
        e.put("message", message);
        e.putNull("detail");
        response.setStatus(status);
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        response.write(true, ByteBuffer.wrap(Json.bytes(body)), callback);
        return true;
    }
}
