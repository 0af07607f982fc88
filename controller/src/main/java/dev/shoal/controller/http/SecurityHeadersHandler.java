package dev.shoal.controller.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Headers every response carries, whatever handler answers (errors included). The API is JSON only, so the
 * content policy forbids everything a browser could run; API answers are never cached.
 */
public final class SecurityHeadersHandler extends Handler.Wrapper {
    private final boolean tls;

    public SecurityHeadersHandler(Handler next, boolean tls) {
        super(next);
        this.tls = tls;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields.Mutable h = response.getHeaders();
        addTo(h, tls);
        if (request.getHttpURI().getDecodedPath().startsWith("/api/")) {
            h.put("Cache-Control", "no-store");
        }
        return super.handle(request, response, callback);
    }

    /** The headers that do not depend on the path; {@link JsonErrorHandler} adds them to the errors Jetty raises itself. */
    static void addTo(HttpFields.Mutable h, boolean tls) {
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        if (tls) {
            h.put("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
