package dev.shoal.controller.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Maps {@code METHOD /path/{param}} templates to endpoints. A path that matches with another method is
 * 405 with {@code Allow}; no match is 404. The route table is public so the OpenAPI test can compare it
 * with the published document.
 */
public final class Router extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    public record Route(String method, String template, Endpoint endpoint) {
        Optional<Map<String, String>> match(String path) {
            String[] want = template.split("/", -1);
            String[] got = path.split("/", -1);
            if (want.length != got.length) {
                return Optional.empty();
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}")) {
                    if (got[i].isEmpty()) {
                        return Optional.empty();
                    }
                    params.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else if (!want[i].equals(got[i])) {
                    return Optional.empty();
                }
            }
            return Optional.of(params);
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, template, endpoint));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getDecodedPath();
        String method = request.getMethod();
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
                request.setAttribute(Principal.ROUTE_ATTRIBUTE, route.template());
                run(route, new ApiRequest(request, params.get()), request, response, callback);
                return true;
            }
            allowed.add(route.method());
        }
        if (!allowed.isEmpty()) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
            ErrorBody.write(response, callback, new ApiException(405, "method_not_allowed",
                    method + " is not allowed on " + path + "; use " + String.join(", ", allowed)));
            return true;
        }
        ErrorBody.write(response, callback, ApiException.notFound("no such endpoint: " + path));
        return true;
    }

    private void run(Route route, ApiRequest call, Request request, Response response, Callback callback) {
        ApiResponse reply;
        try {
            reply = route.endpoint().handle(call);
        } catch (ApiException e) {
            ErrorBody.write(response, callback, e);
            return;
        } catch (Exception e) {
            LOG.error("{} {} failed", route.method(), route.template(), e);
            ErrorBody.write(response, callback, new ApiException(500, "internal_error",
                    "the controller failed to handle this request; see its log"));
            return;
        }
        response.setStatus(reply.status());
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] body = Json.bytes(reply.body());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, request.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }
}
