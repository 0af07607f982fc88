package dev.shoal.controller.media;

import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ErrorBody;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Read-only files from one directory, through Jetty's {@link ResourceHandler} machinery, which already does
 * GET/HEAD, Content-Length, ETag, Last-Modified, Accept-Ranges, 206 single and multipart ranges, 416 and
 * conditional requests. We never let it map the request path itself: PathMappingsHandler moves the context path,
 * and its directory and welcome-file logic is exactly what must not run. Callers hand us a relative path they
 * have already validated; we confine it once more by real path, so a symlink cannot lead outside.
 */
final class FileServer {
    private static final String ALLOW = "GET, HEAD";
    static final String ISO_TYPE = "application/x-iso9660-image";

    private final Path root;
    private final ResourceHandler resources;

    FileServer(Path root, String cacheControl) {
        this.root = root.toAbsolutePath().normalize();
        ResourceHandler r = new ResourceHandler();
        r.setBaseResource(ResourceFactory.of(r).newResource(this.root));
        r.setDirAllowed(false);
        r.setWelcomeFiles(List.of());
        r.setAcceptRanges(true);
        r.setEtags(true);
        r.setPrecompressedFormats(List.of());
        // stream from a channel: mapping would pin a 1 GiB maintenance ISO in the address space per cache entry
        r.setUseFileMapping(false);
        if (cacheControl != null) {
            r.setCacheControl(cacheControl);
        }
        this.resources = r;
    }

    /** The Jetty handler to keep in the handler tree so its lifecycle (start builds the content factory) runs. */
    ResourceHandler lifecycle() {
        return resources;
    }

    /**
     * Jetty's type table has no {@code .iso}, and a response without a type invites sniffing; ISOs get their
     * registered type, other unknown files {@code application/octet-stream}.
     */
    private static HttpContent typed(HttpContent content) {
        if (content.getContentType() != null) {
            return content;
        }
        String name = content.getResource().getFileName();
        HttpField type = new HttpField(HttpHeader.CONTENT_TYPE,
                name != null && name.endsWith(".iso") ? ISO_TYPE : "application/octet-stream");
        return new HttpContent.Wrapper(content) {
            @Override
            public HttpField getContentType() {
                return type;
            }
        };
    }

    /** Answers 405 for anything but GET and HEAD; true if it did. */
    static boolean refuseMethod(Request request, Response response, Callback callback) {
        String m = request.getMethod();
        if (HttpMethod.GET.is(m) || HttpMethod.HEAD.is(m)) {
            return false;
        }
        response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
        ErrorBody.write(response, callback, new ApiException(405, "method_not_allowed",
                m + " is not allowed here; use " + ALLOW));
        return true;
    }

    static void notFound(Response response, Callback callback, String what) {
        ErrorBody.write(response, callback, ApiException.notFound(what));
    }

    /**
     * Serves {@code relative} (starting with '/', segments already validated) if, after resolving symlinks, it is
     * a regular file inside {@code confine} (a directory under the root, or the root itself).
     */
    void serve(String relative, Path confine, Request request, Response response, Callback callback, String shownAs)
            throws IOException {
        Path realRoot;
        Path realFile;
        try {
            realRoot = confine.toRealPath();
            realFile = root.resolve(relative.substring(1)).toRealPath();
        } catch (NoSuchFileException e) {
            notFound(response, callback, "no such file: " + shownAs);
            return;
        }
        if (!realFile.startsWith(realRoot) || !Files.isRegularFile(realFile)) {
            notFound(response, callback, "no such file: " + shownAs);
            return;
        }
        HttpContent content = resources.getResourceService().getContent(relative, request);
        if (content == null || content.getResource() == null || content.getResource().isDirectory()) {
            notFound(response, callback, "no such file: " + shownAs);
            return;
        }
        resources.getResourceService().doGet(request, response, callback, typed(content));
    }
}
