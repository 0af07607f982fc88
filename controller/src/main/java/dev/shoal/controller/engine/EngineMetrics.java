package dev.shoal.controller.engine;

import dev.shoal.controller.jobs.JobState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The engine on /metrics: steps running, the worker limit, draining, and jobs by state. Job counts come from one
 * GROUP BY, cached for a second so that each scrape costs one query whatever the number of states.
 */
public final class EngineMetrics {
    private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();
    private final JobEngine engine;
    private Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    private long countedAt = Long.MIN_VALUE;

    private EngineMetrics(JobEngine engine) {
        this.engine = engine;
    }

    public static void bind(JobEngine engine, MeterRegistry registry) {
        EngineMetrics m = new EngineMetrics(engine);
        Gauge.builder("shoal_engine_steps_running", engine, e -> e.stepsRunning())
                .description("Job steps running now (bounded by WORKER_CONCURRENCY)").register(registry);
        Gauge.builder("shoal_engine_worker_concurrency", engine, e -> e.status().workerConcurrency())
                .description("WORKER_CONCURRENCY in effect").register(registry);
        Gauge.builder("shoal_engine_draining", engine, e -> e.draining() ? 1 : 0)
                .description("1 while no queued job is started").register(registry);
        for (JobState s : JobState.values()) {
            Gauge.builder("shoal_jobs", m, x -> x.count(s)).tag("state", s.wire()).strongReference(true)
                    .description("Jobs by state").register(registry);
        }
    }

    private synchronized double count(JobState s) {
        long now = System.nanoTime();
        if (countedAt == Long.MIN_VALUE || now - countedAt > CACHE_NANOS) {
            counts = engine.jobCounts();
            countedAt = now;
        }
        return counts.getOrDefault(s, 0L);
    }
}
