package dev.shoal.controller.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.util.Locale;

/**
 * Errors Jetty raises itself (an uncaught exception, a malformed request) answer in our JSON error body
 * instead of an HTML page. The message is generic: an exception's text could carry internals.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String reason = HttpStatus.getMessage(code);
        // Only a 500 is our failure; other 5xx Jetty raises itself are about the request (505) or the server's state (503).
        boolean internal = code == 500;
        String errorCode = internal ? "internal_error" : reason.toLowerCase(Locale.ROOT).replace(' ', '_');
        String text = internal ? "the controller failed to handle this request; see its log" : reason;
        // Errors raised before or outside the handler chain (a malformed request) never pass SecurityHeadersHandler.
        SecurityHeadersHandler.addTo(response.getHeaders(), request.isSecure());
        ErrorBody.write(response, callback, new ApiException(code, errorCode, text));
    }
}
