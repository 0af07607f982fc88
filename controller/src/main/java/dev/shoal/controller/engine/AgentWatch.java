package dev.shoal.controller.engine;

import dev.shoal.controller.agent.AgentEventType;
import dev.shoal.controller.config.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what becomes of a job waiting for its agent, in the order an operator would ask: did someone cancel it,
 * did the agent report, has it gone silent, has nothing happened for too long. A pure function of the job and the
 * time, so each rule is tested on its own.
 */
public final class AgentWatch {
    private final Duration heartbeatTimeout;
    private final Duration agentBootTimeout;
    private final Duration stuckTimeout;

    public AgentWatch(Duration heartbeatTimeout, Duration agentBootTimeout, Duration stuckTimeout) {
        this.heartbeatTimeout = heartbeatTimeout;
        this.agentBootTimeout = agentBootTimeout;
        this.stuckTimeout = stuckTimeout;
    }

    public sealed interface Verdict {
        /** Nothing to do yet. */
        record Wait() implements Verdict {
        }

        record Succeeded(String message) implements Verdict {
        }

        /** @param step where it went wrong: the agent's step, or {@code await-agent} for a timeout */
        record Failed(String step, String reason) implements Verdict {
        }

        record Cancel() implements Verdict {
        }
    }

    public Verdict judge(AwaitingJob job, Instant now) {
        if (job.cancelRequested()) {
            return new Verdict.Cancel();
        }
        if (job.report().isPresent()) {
            var r = job.report().get();
            String message = r.message().orElse("");
            if (r.outcome() == AgentEventType.SUCCEEDED) {
                return new Verdict.Succeeded(message.isEmpty() ? "the agent reported success" : message);
            }
            return new Verdict.Failed(r.step().orElse("agent"),
                    "the agent reported a failure" + (message.isEmpty() ? "" : ": " + message));
        }
        if (!now.isBefore(job.deadline())) {
            return new Verdict.Failed(Step.AWAIT_AGENT.wire(), "the job's deadline (" + job.deadline()
                    + ") passed before the agent reported; the task ISO URL has expired");
        }
        Optional<Instant> seen = job.agentLastSeen();
        if (seen.isEmpty()) {
            if (!now.isBefore(job.waitingSince().plus(agentBootTimeout))) {
                return new Verdict.Failed(Step.AWAIT_AGENT.wire(), "the agent never called back within "
                        + Durations.format(agentBootTimeout) + " of power-on (AGENT_BOOT_TIMEOUT): did the server boot the "
                        + "maintenance ISO, and can it reach the controller?");
            }
        } else if (!now.isBefore(seen.get().plus(heartbeatTimeout))) {
            return new Verdict.Failed(Step.AWAIT_AGENT.wire(), "the agent went silent: no heartbeat since " + seen.get()
                    + ", longer than AGENT_HEARTBEAT_TIMEOUT (" + Durations.format(heartbeatTimeout) + ")");
        }
        if (!now.isBefore(job.lastEventAt().plus(stuckTimeout))) {
            return new Verdict.Failed(Step.AWAIT_AGENT.wire(), "no progress since " + job.lastEventAt()
                    + ", longer than JOB_STUCK_TIMEOUT (" + Durations.format(stuckTimeout) + ")");
        }
        return new Verdict.Wait();
    }
}
