package dev.shoal.bmcsim.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** The few Jetty core calls the simulator's handlers share: read a bounded body, write a reply. */
public final class JettyIo {
    /** Redfish request bodies are small; a BMC would refuse anything near this size. */
    public static final int MAX_BODY = 1 << 20;

    private JettyIo() {
    }

    public static byte[] readBody(Request request) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("request body is larger than " + MAX_BODY + " bytes");
            }
            return body;
        }
    }

    public static void write(Request request, Response response, Callback callback, HttpReply reply) {
        response.setStatus(reply.status());
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (reply.body() == null) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return;
        }
        byte[] body = Json.bytes(reply.body());
        if (reply.gzip()) {
            body = gzip(body);
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        if (!reply.headers().containsKey("Content-Type")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
    }

    private static byte[] gzip(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
