package dev.shoal.controller.media;

import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ErrorBody;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.file.Path;
import java.time.InstantSource;

/**
 * {@code GET|HEAD /media/tasks/{job_id}/{expires}/{sig}/task.iso} → {@code TASK_ISO_DIR/{job_id}/task.iso}.
 *
 * <p>Statuses, and why: a path without the exact signed shape is 404, like any unknown path. A well-formed path
 * with a wrong signature is 403 {@code invalid_signature}; a genuine but expired one is 403 {@code url_expired}.
 * We answer 403 rather than 404 because the decision is made from the path and the secret alone, before the
 * filesystem is looked at, so it reveals nothing about which jobs or ISOs exist; and an operator whose BMC fails
 * after a SIGNED_URL_SECRET rotation (036 §10) or past the job deadline sees why. A valid signature for a job
 * with no ISO (not written yet, or removed by retention) is 404.
 *
 * <p>Responses carry {@code Cache-Control: no-store}: the ISO holds the job's agent token and keys, so no proxy
 * may keep a copy.
 */
public final class TaskMediaHandler extends Handler.Abstract {
    private final Path taskIsoDir;
    private final UrlSigner signer;
    private final InstantSource clock;
    private final FileServer files;

    public TaskMediaHandler(Path taskIsoDir, UrlSigner signer, InstantSource clock) {
        this.taskIsoDir = taskIsoDir.toAbsolutePath().normalize();
        this.signer = signer;
        this.clock = clock;
        this.files = new FileServer(taskIsoDir, "no-store");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // the full path: under PathMappingsHandler the context path is "/media", so path-in-context would lose it
        String path = request.getHttpURI().getDecodedPath();
        var parsed = TaskIsoPath.parse(path);
        if (parsed.isEmpty()) {
            FileServer.notFound(response, callback, "no such media: " + TaskIsoPath.PREFIX + "...");
            return true;
        }
        if (FileServer.refuseMethod(request, response, callback)) {
            return true;
        }
        TaskIsoPath p = parsed.get();
        switch (signer.verify(p.jobId(), p.expires(), p.signature(), clock.instant())) {
            case VALID -> files.serve(p.fileInTaskDir(), taskIsoDir.resolve(p.jobId()), request, response, callback,
                    "task ISO of job " + p.jobId());
            case EXPIRED -> ErrorBody.write(response, callback, new ApiException(403, "url_expired",
                    "this media URL expired at " + java.time.Instant.ofEpochSecond(Long.parseLong(p.expires()))
                            + "; ask the controller for a new one"));
            case BAD_SIGNATURE -> ErrorBody.write(response, callback, new ApiException(403, "invalid_signature",
                    "the signature in this media URL is not valid (was SIGNED_URL_SECRET rotated?)"));
            case MALFORMED -> FileServer.notFound(response, callback, "no such media: " + TaskIsoPath.PREFIX + "...");
        }
        return true;
    }
}
