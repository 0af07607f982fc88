package dev.shoal.controller.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One JSON line per request. Only fields that cannot carry a secret are written: no headers, no query
 * string, no body; the signature segment of signed media paths is masked.
 */
public final class AccessLog implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("shoal.access");

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - request.getBeginNanoTime());
        Object user = request.getAttribute(Principal.ATTRIBUTE);
        LOG.atInfo()
                .addKeyValue("method", request.getMethod())
                .addKeyValue("path", SignedPaths.mask(request.getHttpURI().getPath()))
                .addKeyValue("status", response.getStatus())
                .addKeyValue("bytes", Response.getContentBytesWritten(response))
                .addKeyValue("duration_ms", micros / 1000.0)
                .addKeyValue("remote", Request.getRemoteAddr(request))
                .addKeyValue("user", user == null ? "-" : user.toString())
                .log("request");
    }
}
