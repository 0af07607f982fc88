package dev.shoal.controller.auth;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing per client address: after {@code freeFailures} failures in a row the address must
 * wait, 1 s after the first extra failure and doubling up to {@code maxDelay}. A success clears its record.
 * Waiting clients are refused before any hash is computed, so guessing cannot burn the CPU either.
 */
public final class LoginThrottle {
    private record Record(int failures, long blockedUntil, long lastSeen) {
    }

    private final InstantSource clock;
    private final int freeFailures;
    private final Duration maxDelay;
    private final int maxTracked;
    private final ConcurrentHashMap<String, Record> byAddress = new ConcurrentHashMap<>();

    public LoginThrottle(InstantSource clock, int freeFailures, Duration maxDelay, int maxTracked) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.maxDelay = maxDelay;
        this.maxTracked = maxTracked;
    }

    /** How long this address must still wait; zero when it may try. */
    public Duration waitFor(String address) {
        Record r = byAddress.get(address);
        long now = clock.millis();
        return r == null || r.blockedUntil <= now ? Duration.ZERO : Duration.ofMillis(r.blockedUntil - now);
    }

    public void failed(String address) {
        long now = clock.millis();
        if (byAddress.size() >= maxTracked) {
            long stale = now - maxDelay.toMillis() * 2;
            byAddress.values().removeIf(r -> r.lastSeen < stale);
        }
        byAddress.compute(address, (a, r) -> {
            int failures = (r == null ? 0 : r.failures) + 1;
            long blocked = now;
            if (failures > freeFailures) {
                int doublings = Math.min(failures - freeFailures - 1, 30);
                long delay = Math.min(1000L << doublings, maxDelay.toMillis());
                blocked = now + delay;
            }
            return new Record(failures, blocked, now);
        });
    }

    public void succeeded(String address) {
        byAddress.remove(address);
    }
}
