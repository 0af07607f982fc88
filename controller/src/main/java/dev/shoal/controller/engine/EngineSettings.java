package dev.shoal.controller.engine;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What the engine needs from the configuration. The worker count and draining can change while it runs
 * (admin endpoint, SIGHUP); these cannot.
 *
 * @param controllerUrl how BMCs and agents reach this controller (task ISO URLs, task.json's controller_url)
 * @param maintenanceIso what BMCs boot; a job fails at boot-iso with a clear reason when it is not configured
 * @param maxStepAttempts how often a step may be started before the job fails: a step that keeps dying with the
 *                        controller should not be retried for ever
 */
public record EngineSettings(URI controllerUrl, Optional<URI> maintenanceIso, Duration leaseTtl, Duration stuckTimeout,
                             Duration heartbeatTimeout, Duration agentBootTimeout, Duration tick, int maxStepAttempts) {
    /** The agent beats this often, so that a few lost beats do not fail a job. */
    public Duration heartbeatInterval() {
        long s = Math.max(1, heartbeatTimeout.toSeconds() / 4);
        return Duration.ofSeconds(Math.min(s, 3600));
    }

    /** The longest a job may take after it starts; the task ISO URL is valid until then. */
    public Duration jobLifetime() {
        return agentBootTimeout.plus(stuckTimeout).plus(leaseTtl.multipliedBy(2));
    }
}
