package dev.shoal.controller.auth;

import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ErrorBody;
import dev.shoal.controller.http.Principal;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;

/**
 * HTTP Basic authentication for the operator API ({@code AUTH_MODE=basic}). Verified credentials are cached
 * (see {@link CredentialCache}); failures are throttled per client address (see {@link LoginThrottle}).
 */
public final class BasicAuthHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthHandler.class);
    private static final String CHALLENGE = "Basic realm=\"shoal\", charset=\"UTF-8\"";

    private final String user;
    private final PasswordHash hash;
    private final CredentialCache cache;
    private final LoginThrottle throttle;

    public BasicAuthHandler(Handler next, String user, PasswordHash hash, CredentialCache cache, LoginThrottle throttle) {
        super(next);
        this.user = user;
        this.hash = hash;
        this.cache = cache;
        this.throttle = throttle;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String address = Request.getRemoteAddr(request);
        BasicCredentials c = BasicCredentials.parse(header);
        if (c == null) {
            return challenge(response, callback, "authentication required: send HTTP Basic credentials");
        }
        try {
            if (cache.isVerified(c.user(), c.password())) {
                return admit(request, response, callback, c.user());
            }
            Duration wait = throttle.waitFor(address);
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
                ErrorBody.write(response, callback, new ApiException(429, "too_many_requests",
                        "too many failed logins from " + address + "; retry in " + seconds + " s"));
                return true;
            }
            // Always run the hash, even for a wrong user name, so timing does not tell which part was wrong.
            boolean passwordOk = hash.matches(c.password());
            boolean userOk = MessageDigest.isEqual(c.user().getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
            if (passwordOk && userOk) {
                throttle.succeeded(address);
                cache.remember(c.user(), c.password());
                return admit(request, response, callback, c.user());
            }
            throttle.failed(address);
            LOG.atWarn().addKeyValue("remote", address).log("failed API login");
            return challenge(response, callback, "invalid credentials");
        } finally {
            Arrays.fill(c.password(), '\0');
        }
    }

    private boolean admit(Request request, Response response, Callback callback, String name) throws Exception {
        request.setAttribute(Principal.ATTRIBUTE, name);
        return super.handle(request, response, callback);
    }

    private static boolean challenge(Response response, Callback callback, String message) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
        ErrorBody.write(response, callback, new ApiException(401, "unauthorized", message));
        return true;
    }
}
