package dev.shoal.controller.engine;

import dev.shoal.controller.agent.AgentKeys;
import dev.shoal.controller.agent.AgentToken;
import dev.shoal.controller.agent.AgentTokens;
import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.controller.media.TaskFile;
import dev.shoal.controller.media.TaskIsoWriter;

import java.io.IOException;
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

    PrepareTask(JobStore jobs, AgentTokens tokens, AgentKeys keys, TaskIsoWriter writer, EngineSettings settings,
                Optional<Path> caCertFile) {
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
                    keys.forJob(job.id()), heartbeat(), jobs.recipeSecrets(job.id()), ca)));
            return "task ISO written (" + Files.size(iso) + " bytes, volume " + TaskIsoWriter.VOLUME_ID
                    + "); the agent's token was issued";
        } catch (IOException e) {
            throw new StepFailure("could not write the task ISO under TASK_ISO_DIR: " + e.getMessage(), Optional.empty(), e);
        }
    }

    private Duration heartbeat() {
        return settings.heartbeatInterval();
    }
}
