package dev.shoal.controller.engine;

import dev.shoal.controller.agent.AgentKeys;
import dev.shoal.controller.agent.AgentToken;
import dev.shoal.controller.agent.AgentTokens;
import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.controller.media.TaskFile;
import dev.shoal.controller.media.TaskIsoWriter;
import dev.shoal.controller.registry.JobPullCredentials;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code prepare-task}: a fresh agent token, then {@code TASK_ISO_DIR/{job_id}/task.iso}. Running it again (after a
 * crash) issues a new token and rewrites the image, which invalidates nothing the server has seen yet: the BMC is
 * only told of the ISO by the next step.
 */
final class PrepareTask implements StepAction {
    private final JobStore jobs;
    private final AgentTokens tokens;
    private final AgentKeys keys;
    private final TaskIsoWriter writer;
    private final EngineSettings settings;
    private final Optional<Path> caCertFile;
    private final Optional<JobPullCredentials> registry;

    /** @param registry present when this controller serves a registry, whose images jobs may name as oci:// */
    PrepareTask(JobStore jobs, AgentTokens tokens, AgentKeys keys, TaskIsoWriter writer, EngineSettings settings,
                Optional<Path> caCertFile, Optional<JobPullCredentials> registry) {
        this.registry = registry;
        this.jobs = jobs;
        this.tokens = tokens;
        this.keys = keys;
        this.writer = writer;
        this.settings = settings;
        this.caCertFile = caCertFile;
    }

    @Override
    public String run(Job job, StepEvents events) throws StepFailure {
        try {
            Optional<String> ca = caCertFile.isPresent() ? Optional.of(Files.readString(caCertFile.get())) : Optional.empty();
            AgentToken token = tokens.issue(job.id());
            Path iso = writer.write(new TaskFile(job.id(), TaskJson.of(job, settings.controllerUrl(), token,
                    keys.forJob(job.id()), heartbeat(), jobs.recipeSecrets(job.id()), ca, pullCredential(job))));
            return "task ISO written (" + Files.size(iso) + " bytes, volume " + TaskIsoWriter.VOLUME_ID
                    + "); the agent's token was issued";
        } catch (IOException e) {
            throw new StepFailure("could not write the task ISO under TASK_ISO_DIR: " + e.getMessage(), Optional.empty(), e);
        }
    }

    /**
     * A pull credential for the job's image when it is {@code oci://} on this controller (same host and port as
     * CONTROLLER_URL): good for that repository only, deleted when the job ends. Images elsewhere get none.
     */
    private Optional<JobPullCredentials.Issued> pullCredential(Job job) {
        URI url = URI.create(job.recipe().path("url").asText(""));
        URI self = settings.controllerUrl();
        if (registry.isEmpty() || !"oci".equalsIgnoreCase(url.getScheme()) || url.getRawAuthority() == null
                || !url.getRawAuthority().equalsIgnoreCase(self.getRawAuthority())) {
            return Optional.empty();
        }
        String path = url.getPath().replaceFirst("^/", "");
        int at = path.indexOf('@');
        int colon = path.lastIndexOf(':');
        String repository = at > 0 ? path.substring(0, at) : colon > path.lastIndexOf('/') ? path.substring(0, colon) : path;
        return Optional.of(registry.get().issue(job.id(), repository));
    }

    private Duration heartbeat() {
        return settings.heartbeatInterval();
    }
}
