package dev.shoal.controller.registry;

import dev.shoal.registry.storage.GcReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Registry GC on /metrics. Counter names carry no {@code _total}: the Prometheus registry appends it, so these
 * scrape as {@code shoal_registry_gc_runs_total} and so on.
 */
public final class RegistryGcMetrics {
    private final Counter runs;
    private final Counter blobs;
    private final Counter bytes;
    private final Counter uploads;

    public RegistryGcMetrics(MeterRegistry registry) {
        runs = Counter.builder("shoal_registry_gc_runs").description("Registry garbage collection runs (not dry runs)")
                .register(registry);
        blobs = Counter.builder("shoal_registry_gc_deleted_blobs").description("Unreferenced registry blobs deleted")
                .register(registry);
        bytes = Counter.builder("shoal_registry_gc_freed_bytes")
                .description("Bytes freed by registry GC: deleted blobs and abandoned uploads").register(registry);
        uploads = Counter.builder("shoal_registry_gc_deleted_uploads").description("Abandoned registry uploads deleted")
                .register(registry);
    }

    void record(GcReport r) {
        runs.increment();
        blobs.increment(r.blobsDeleted());
        bytes.increment(r.freedBytes());
        uploads.increment(r.uploadsDeleted());
    }
}
