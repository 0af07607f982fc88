package dev.shoal.controller.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the task ISO retention sweep soon after start and then every few hours (036 §11), logging what it freed. */
public final class RetentionSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("retention").daemon(true).factory());

    public RetentionSchedule(TaskIsoRetention retention, Duration firstRun, Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                TaskIsoRetention.Freed f = retention.sweep();
                if (f.directories() > 0) {
                    LOG.atInfo().addKeyValue("directories", f.directories()).addKeyValue("bytes", f.bytes())
                            .log("task ISO retention freed disk space");
                }
            } catch (Exception e) {
                LOG.warn("task ISO retention sweep failed", e);
            }
        }, firstRun.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
