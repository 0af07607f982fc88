package dev.shoal.agent.report;

import java.time.Duration;

/** How often a callback is tried on a connection error or 5xx: {@code attempts} in all, backoff doubling to {@code maxBackoff}. */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {
    /** About a minute in all: long enough for a controller restart, short enough for the job's heartbeat timeout. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(7, Duration.ofSeconds(1), Duration.ofSeconds(16));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    Duration backoff(int failedAttempts) {
        long ms = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 20);
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
