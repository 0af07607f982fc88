package dev.shoal.controller.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Anything no other handler claims: a JSON 404, like every other error. */
public final class NotFoundHandler extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        ErrorBody.write(response, callback, ApiException.notFound("no such endpoint: " + request.getHttpURI().getDecodedPath()));
        return true;
    }
}
