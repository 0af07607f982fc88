package dev.shoal.redfish.transport;

import java.time.Duration;

/**
 * Timeouts and retries (REDFISH_TIMEOUT, REDFISH_RETRIES), the backoff between attempts, and how many
 * requests one BMC gets at once (BMCs are small computers; several fall over under parallel requests).
 */
public record RedfishSettings(Duration timeout, int retries, Duration backoffBase, Duration backoffMax, int maxConcurrent,
                              AuthMode auth) {
    public enum AuthMode { AUTO, SESSION, BASIC }

    public static RedfishSettings defaults() {
        return new RedfishSettings(Duration.ofSeconds(30), 5, Duration.ofMillis(500), Duration.ofSeconds(10), 4, AuthMode.AUTO);
    }

    public RedfishSettings withBackoff(Duration base, Duration max) {
        return new RedfishSettings(timeout, retries, base, max, maxConcurrent, auth);
    }

    public RedfishSettings withRetries(int n) {
        return new RedfishSettings(timeout, n, backoffBase, backoffMax, maxConcurrent, auth);
    }

    public RedfishSettings withTimeout(Duration t) {
        return new RedfishSettings(t, retries, backoffBase, backoffMax, maxConcurrent, auth);
    }

    public RedfishSettings withAuth(AuthMode a) {
        return new RedfishSettings(timeout, retries, backoffBase, backoffMax, maxConcurrent, a);
    }

    /** Exponential backoff: base, 2·base, 4·base ... capped. */
    Duration backoff(int attempt) {
        long ms = backoffBase.toMillis() << Math.min(attempt, 20);
        return Duration.ofMillis(Math.min(ms, backoffMax.toMillis()));
    }
}
