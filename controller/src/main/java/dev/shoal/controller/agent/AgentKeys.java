package dev.shoal.controller.agent;

import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.secrets.Secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Derives per-job signing keys: {@code job_key = HMAC-SHA256(WEBHOOK_SECRET, "shoal-agent:" + job_id)}.
 * Deriving instead of storing means WEBHOOK_SECRET never leaves the controller and a job's key dies with
 * the secret; a leaked task ISO exposes one job's key, not the others'. During a rotation (036 §10) keys
 * derived from WEBHOOK_SECRET_PREVIOUS are still accepted, so jobs whose task ISO was written before the
 * rotation keep reporting; new task ISOs always get the key from the current secret.
 */
public final class AgentKeys {
    static final String CONTEXT = "shoal-agent:";

    private final Secret current;
    private final Optional<Secret> previous;

    public AgentKeys(Secret current, Optional<Secret> previous) {
        this.current = current;
        this.previous = previous;
    }

    /** From the configuration; LocalBootstrap fills in WEBHOOK_SECRET for local runs, production requires it. */
    public static AgentKeys from(ControllerConfig.Secrets secrets) {
        return new AgentKeys(secrets.webhook().orElseThrow(() ->
                new IllegalStateException("WEBHOOK_SECRET is not set; agent callbacks cannot be verified")),
                secrets.webhookPrevious());
    }

    /** The key to write into a new task ISO: always from the current secret. */
    public JobKey forJob(String jobId) {
        return derive(current, jobId);
    }

    /** Every key a callback for this job may be signed with: current first, then the previous secret's. */
    public List<JobKey> accepted(String jobId) {
        List<JobKey> keys = new ArrayList<>(2);
        keys.add(derive(current, jobId));
        previous.ifPresent(p -> keys.add(derive(p, jobId)));
        return List.copyOf(keys);
    }

    private static JobKey derive(Secret secret, String jobId) {
        return new JobKey(Hmac.sha256(secret.utf8(), (CONTEXT + jobId).getBytes(StandardCharsets.UTF_8)));
    }
}
