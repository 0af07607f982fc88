package dev.shoal.controller.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * The agent's final word on a job, for the engine to act on (provisioning → succeeded or failed): the
 * engine owns state transitions, this package only records what the agent said.
 */
public record AgentReport(AgentEventType outcome, Optional<String> step, Optional<String> message, long seq,
                          Instant at) {
    public AgentReport {
        if (!outcome.outcome()) {
            throw new IllegalArgumentException(outcome.wire() + " is not an outcome");
        }
    }

    public boolean succeeded() {
        return outcome == AgentEventType.SUCCEEDED;
    }
}
