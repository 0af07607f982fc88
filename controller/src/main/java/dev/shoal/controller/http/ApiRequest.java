package dev.shoal.controller.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** What an endpoint sees of a request: path parameters, query, the JSON body and who is calling. */
public final class ApiRequest {
    private final Request request;
    private final Map<String, String> pathParams;
    private Fields query;

    ApiRequest(Request request, Map<String, String> pathParams) {
        this.request = request;
        this.pathParams = pathParams;
    }

    public String path(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route has no parameter " + name);
        }
        return v;
    }

    public Optional<String> query(String name) {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                // Jetty's HttpException.IllegalArgumentException / IllegalStateException: bad %-encoding or not UTF-8
                if (e instanceof org.eclipse.jetty.http.HttpException) {
                    throw new ApiException(400, "bad_request", "the query string is not valid UTF-8 URL encoding");
                }
                throw e;
            }
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /** The authenticated user, or "anonymous" when AUTH_MODE=none. */
    public String principal() {
        Object p = request.getAttribute(Principal.ATTRIBUTE);
        return p == null ? "anonymous" : p.toString();
    }

    /** The body as JSON; refuses other content types and bodies over {@code maxBytes}. */
    public JsonNode jsonBody(int maxBytes) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "send the body as Content-Type: application/json");
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new ApiException(400, "bad_request", "request body could not be read: " + e.getMessage());
        }
        if (body.length > maxBytes) {
            throw new ApiException(413, "payload_too_large", "request body is larger than " + maxBytes + " bytes");
        }
        if (body.length == 0) {
            throw new ApiException(400, "invalid_request", "request body is empty; send a JSON object");
        }
        return Json.parse(body);
    }

    public Request jetty() {
        return request;
    }
}
