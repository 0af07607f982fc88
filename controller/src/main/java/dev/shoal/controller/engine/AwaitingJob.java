package dev.shoal.controller.engine;

import dev.shoal.controller.agent.AgentReport;

import java.time.Instant;
import java.util.Optional;

/**
 * A job in {@code await-agent}, with what the agent watch decides on: when the step began, the agent's last
 * callback and final report, the last event (progress), the job's deadline and whether an operator cancelled.
 */
public record AwaitingJob(String id, Instant waitingSince, Optional<Instant> agentLastSeen, Optional<AgentReport> report,
                          Instant lastEventAt, Instant deadline, boolean cancelRequested) {
    /** The same job with every "since" clock starting no earlier than {@code t}; the deadline stays. */
    public AwaitingJob notBefore(Instant t) {
        return new AwaitingJob(id, later(waitingSince, t), agentLastSeen.map(s -> later(s, t)), report, later(lastEventAt, t),
                deadline, cancelRequested);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
