package dev.shoal.bmcsim.bmc;

import dev.shoal.bmcsim.http.HttpReply;
import dev.shoal.bmcsim.http.JettyIo;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Jetty side of every BMC listener: finds the BMC by the connector the request came in on (each BMC
 * has its own), turns the request into an {@link Incoming}, and writes the service's answer, or closes
 * the connection without one when a fault says so.
 */
public final class BmcHandler extends Handler.Abstract {
    private final Function<String, RedfishService> byConnector;

    public BmcHandler(Function<String, RedfishService> byConnector) {
        this.byConnector = byConnector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        RedfishService service = byConnector.apply(request.getConnectionMetaData().getConnector().getName());
        if (service == null) {
            return false;
        }
        Map<String, String> headers = new HashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getName().toLowerCase(Locale.ROOT), f.getValue());
        }
        byte[] body;
        try {
            body = JettyIo.readBody(request);
        } catch (IOException e) {
            JettyIo.write(request, response, callback, HttpReply.empty(400));
            return true;
        }
        String path = request.getHttpURI().getDecodedPath();
        RedfishService.Outcome outcome = service.handle(new Incoming(request.getMethod(), path == null ? "/" : path, headers, body));
        if (outcome.drop()) {
            // Close the socket under the request: the client sees a connection closed with no answer.
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new EofException("connection dropped by the fault plan"));
            return true;
        }
        JettyIo.write(request, response, callback, outcome.reply());
        return true;
    }
}
