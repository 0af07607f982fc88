package dev.shoal.controller.media;

import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ErrorBody;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Read-only files from one directory, through Jetty's {@link ResourceService}, which already does GET/HEAD,
 * Content-Length, ETag, Last-Modified, Accept-Ranges, 206 single and multipart ranges, 416 and conditional
 * requests. We never let Jetty map the request path itself: PathMappingsHandler moves the context path, and
 * ResourceHandler's directory and welcome-file logic is exactly what must not run. Callers hand us a relative path
 * they have already validated; we confine it once more, so a symlink cannot lead outside.
 *
 * <p>Why not ResourceHandler's content factories (measured with bench/media/run.sh, 64 KiB ranges of a 400 MiB
 * file, CPU per request about 80 µs before, 40 µs after): they ask the filesystem again on every call (14
 * {@code statx} and 5 {@code access} per request, plus 10 {@code readlink} for our old {@code toRealPath}
 * confinement), which cost more than moving the 64 KiB. Their cache does not help: it only keeps files up to
 * 128 MiB, by loading them into memory. Their file mapping is worse: a file too big for the cache is mapped anew
 * for every request (half the requests/s of reading it). So {@link #serve} describes the file from the
 * {@code lstat} per path segment that confinement needs ({@link FileContent}) and writes ranges from a mapping
 * kept per file ({@link MappedFiles}, which saves the copy into a buffer: a fifth of the CPU per range), counted
 * while responses use it, so it is unmapped when its file has been replaced and the last such response is done.
 */
final class FileServer {
    private static final String ALLOW = "GET, HEAD";
    static final String ISO_TYPE = "application/x-iso9660-image";
    /**
     * One read and one write per 64 KiB range, the size BMCs and the benchmark ask for; Jetty's default of 32 KiB
     * took two of each.
     */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Path root;
    private final ResourceService resources;
    private final MappedFiles mappings = new MappedFiles();

    FileServer(Path root, String cacheControl) {
        this.root = root.toAbsolutePath().normalize();
        ResourceService r = new ResourceService();
        r.setDirAllowed(false);
        r.setAcceptRanges(true);
        r.setEtags(true);
        r.setPrecompressedFormats(List.of());
        if (cacheControl != null) {
            r.setCacheControl(cacheControl);
        }
        this.resources = r;
    }

    /**
     * Jetty's type table has no {@code .iso}, and a response without a type invites sniffing; ISOs get their
     * registered type, other unknown files {@code application/octet-stream}.
     */
    static String contentType(Path file) {
        String name = file.getFileName().toString();
        String type = MimeTypes.DEFAULTS.getMimeByExtension(name);
        if (type != null) {
            return type;
        }
        return name.endsWith(".iso") ? ISO_TYPE : "application/octet-stream";
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
        Found found;
        try {
            found = find(root.resolve(relative.substring(1)), confine.toAbsolutePath().normalize());
        } catch (NoSuchFileException e) {
            found = null;
        }
        if (found == null) {
            notFound(response, callback, "no such file: " + shownAs);
            return;
        }
        ByteBufferPool.Sized buffers = new ByteBufferPool.Sized(request.getComponents().getByteBufferPool(), true,
                BUFFER_SIZE);
        resources.doGet(request, response, callback,
                new FileContent(found.path(), found.attrs(), contentType(found.path()), buffers, mappings));
    }

    private record Found(Path path, BasicFileAttributes attrs) {
    }

    /**
     * The regular file {@code file} if it is inside {@code confine}, else null. The common case costs one
     * {@code lstat} per segment below the root: when no segment is a symlink, the file is where its path says
     * (segments are plain names, never {@code ..}). A symlink anywhere falls back to comparing real paths, so a
     * link that stays inside still works and one that leads out is still refused.
     */
    private Found find(Path file, Path confine) throws IOException {
        Path at = root;
        BasicFileAttributes attrs = null;
        for (Path segment : root.relativize(file)) {
            if (attrs != null && !attrs.isDirectory()) {
                return null; // a file where a directory should be
            }
            at = at.resolve(segment);
            attrs = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                return viaRealPaths(file, confine);
            }
        }
        return attrs != null && attrs.isRegularFile() && file.startsWith(confine) ? new Found(file, attrs) : null;
    }

    private static Found viaRealPaths(Path file, Path confine) throws IOException {
        Path realFile = file.toRealPath();
        if (!realFile.startsWith(confine.toRealPath())) {
            return null;
        }
        BasicFileAttributes attrs = Files.readAttributes(realFile, BasicFileAttributes.class);
        return attrs.isRegularFile() ? new Found(realFile, attrs) : null;
    }
}
