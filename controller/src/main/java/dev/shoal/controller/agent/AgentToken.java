package dev.shoal.controller.agent;

import dev.shoal.controller.secrets.Secret;

/**
 * A freshly issued bearer token, handed out once for the task ISO. It is a {@link Secret}, so it prints as a
 * mask; {@code reveal()} it only to write task.json.
 */
public record AgentToken(String jobId, Secret value) {
}
