package dev.shoal.controller.media;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.file.Path;

/**
 * {@code GET|HEAD /static/...} → files under STATIC_DIR, without authentication (036 §6: the maintenance ISO at
 * {@code STATIC_DIR/isos/bootc-maintenance.iso}, vendor ISOs beside it). So nothing secret may live there, and
 * nothing but plain files is shown: no directory listings, no dotfiles (editors' and rsync's temporaries, and
 * IsoWriter's {@code .name.tmp} files while an image is being written), no symlink leading out of STATIC_DIR.
 */
public final class StaticFilesHandler extends Handler.Abstract {
    public static final String PREFIX = "/static/";

    private final Path staticDir;
    private final FileServer files;

    public StaticFilesHandler(Path staticDir) {
        this.staticDir = staticDir.toAbsolutePath().normalize();
        this.files = new FileServer(staticDir, null);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getDecodedPath(); // full path; see TaskMediaHandler
        if (FileServer.refuseMethod(request, response, callback)) {
            return true;
        }
        if (path == null || !path.startsWith(PREFIX) || !safe(path.substring(PREFIX.length()))) {
            FileServer.notFound(response, callback, "no such file: " + (path == null ? "" : path));
            return true;
        }
        files.serve(path.substring(PREFIX.length() - 1), staticDir, request, response, callback, path);
        return true;
    }

    /** Every segment a plain visible name: not empty (so no trailing slash, no listing), no leading dot, no '\'. */
    static boolean safe(String relative) {
        if (relative.isEmpty()) {
            return false;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".") || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
                return false;
            }
        }
        return true;
    }
}
