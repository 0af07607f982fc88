package dev.shoal.controller.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/** Writes DESIGN.md's error body; every handler that fails outside {@code /v2/} answers with this. */
public final class ErrorBody {
    private ErrorBody() {
    }

    public static ObjectNode of(ApiException e) {
        ObjectNode error = Json.object();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (!e.details().isEmpty()) {
            ArrayNode details = error.putArray("details");
            e.details().forEach(d -> details.addObject().put("field", d.field()).put("message", d.message()));
        }
        ObjectNode body = Json.object();
        body.set("error", error);
        return body;
    }

    public static void write(Response response, Callback callback, ApiException e) {
        response.setStatus(e.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(Json.bytes(of(e))), callback);
    }
}
