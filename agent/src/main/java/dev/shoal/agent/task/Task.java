package dev.shoal.agent.task;

import java.time.Duration;
import java.util.Optional;

/**
 * A parsed task.json. {@code heartbeatInterval} is the controller's choice of heartbeat interval
 * ({@code heartbeat_interval_seconds}); when present it wins over {@code --heartbeat}, because the controller sets
 * its heartbeat timeout from it. {@code registry} is how to pull an {@code oci://} image from the controller's registry.
 */
public record Task(Callback callback, Recipe recipe, Optional<Duration> heartbeatInterval, Optional<RegistryAccess> registry) {
}
