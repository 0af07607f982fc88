package dev.shoal.controller.jobs;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.UUID;

/**
 * UUIDv7 job ids (RFC 9562), monotonic within this process: sorting ids sorts jobs by creation, which is
 * what cursor paging relies on. The 12-bit rand_a field counts within a millisecond (RFC 9562 method 1).
 */
public final class JobIds {
    private final InstantSource clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    private int counter;

    public JobIds(InstantSource clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public synchronized String next() {
        long ms = clock.millis();
        if (ms > lastMillis) {
            lastMillis = ms;
            counter = random.nextInt(1 << 10); // leave headroom for many ids in one millisecond
        } else if (++counter >= 1 << 12) {
            lastMillis++; // counter exhausted: borrow the next millisecond rather than go backwards
            counter = 0;
        }
        long msb = (lastMillis << 16) | (0x7L << 12) | counter;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
