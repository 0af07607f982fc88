package dev.shoal.controller.media;

import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.store.AtomicFiles;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;

import java.io.IOException;
import java.time.InstantSource;

/** The two file-serving handlers of DESIGN.md's HTTP surface, built from the configuration. */
public record MediaHandlers(TaskMediaHandler media, StaticFilesHandler statics) {
    public static final String MEDIA_MAPPING = "/media/*";
    public static final String STATIC_MAPPING = "/static/*";

    /** Needs SIGNED_URL_SECRET, which LocalBootstrap guarantees in local mode and the loader in production. */
    public static MediaHandlers create(ControllerConfig config, InstantSource clock) throws IOException {
        var paths = config.paths();
        // ResourceFactory wants the directories to exist; prepareDirectories makes them too, this keeps us standalone
        AtomicFiles.ensureDirectory(paths.taskIsoDir());
        AtomicFiles.ensureDirectory(paths.staticDir());
        UrlSigner signer = new UrlSigner(config.secrets().signedUrl()
                .orElseThrow(() -> new IllegalStateException("SIGNED_URL_SECRET is not set")));
        return new MediaHandlers(new TaskMediaHandler(paths.taskIsoDir(), signer, clock),
                new StaticFilesHandler(paths.staticDir()));
    }

    /** Adds {@code /media/*} and {@code /static/*} to the controller's path mappings. */
    public void addTo(PathMappingsHandler paths) {
        paths.addMapping(PathSpec.from(MEDIA_MAPPING), media);
        paths.addMapping(PathSpec.from(STATIC_MAPPING), statics);
    }

    public Handler mediaHandler() {
        return media;
    }

    public Handler staticHandler() {
        return statics;
    }
}
