package dev.shoal.controller.registry;

import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.registry.storage.GarbageCollector;
import dev.shoal.registry.storage.GcPolicy;
import dev.shoal.registry.storage.GcReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/** One registry garbage collection with the configured grace, upload timeout and retention: run, log, count. */
public final class RegistryGc {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryGc.class);

    private final GarbageCollector collector;
    private final ControllerConfig.RegistryGc settings;
    private final Optional<RegistryGcMetrics> metrics;

    public RegistryGc(GarbageCollector collector, ControllerConfig.RegistryGc settings, Optional<RegistryGcMetrics> metrics) {
        this.collector = collector;
        this.settings = settings;
        this.metrics = metrics;
    }

    public GcReport run(boolean dryRun) throws IOException {
        GcReport r = collector.run(new GcPolicy(settings.grace(), settings.uploadTimeout(), settings.retainTags(), dryRun));
        if (!dryRun) {
            metrics.ifPresent(m -> m.record(r));
        }
        LOG.atInfo().addKeyValue("dry_run", dryRun).addKeyValue("blobs", r.blobsDeleted())
                .addKeyValue("manifests", r.manifestsRemoved()).addKeyValue("tags", r.tagsRemoved())
                .addKeyValue("layer_links", r.layerLinksRemoved()).addKeyValue("uploads", r.uploadsDeleted())
                .addKeyValue("temp_files", r.tempFilesDeleted()).addKeyValue("bytes_freed", r.freedBytes())
                .addKeyValue("duration_ms", r.took().toMillis())
                .log(dryRun ? "registry garbage collection (dry run) would free" : "registry garbage collection freed");
        return r;
    }
}
