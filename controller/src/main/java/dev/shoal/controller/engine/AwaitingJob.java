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
}
