package dev.shoal.controller.metrics;

import dev.shoal.controller.http.Principal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http_server_requests_seconds}, tagged by route template (not raw path, so
 * job ids do not explode the series count), method and status.
 */
public final class HttpMetricsHandler extends Handler.Wrapper {
    private final MeterRegistry registry;

    public HttpMetricsHandler(Handler next, MeterRegistry registry) {
        super(next);
        this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        Request.addCompletionListener(request, failure -> {
            Object route = request.getAttribute(Principal.ROUTE_ATTRIBUTE);
            Timer.builder("http.server.requests")
                    .tag("method", request.getMethod())
                    .tag("route", route != null ? route.toString() : unrouted(request))
                    .tag("status", Integer.toString(response.getStatus()))
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
        return super.handle(request, response, callback);
    }

    // Requests refused before routing (failed logins, unknown paths) still land in a bounded set of series.
    private static String unrouted(Request request) {
        return request.getHttpURI().getDecodedPath().startsWith("/api/") ? "/api/*" : "other";
    }
}
