package dev.shoal.controller.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs registry GC periodically while the controller serves. The first run comes after the interval or ten
 * minutes, whichever is shorter, so a controller that restarts more often than the interval still collects.
 */
public final class RegistryGcSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryGcSchedule.class);
    static final Duration FIRST_RUN_AT_MOST = Duration.ofMinutes(10);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("registry-gc").daemon(true).factory());

    public RegistryGcSchedule(RegistryGc gc, Duration every) {
        Duration first = every.compareTo(FIRST_RUN_AT_MOST) < 0 ? every : FIRST_RUN_AT_MOST;
        timer.scheduleWithFixedDelay(() -> {
            try {
                gc.run(false);
            } catch (Exception e) {
                LOG.warn("registry garbage collection failed", e);
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
