package dev.shoal.controller.agent;

import java.util.Optional;

/**
 * A validated callback body: {@code {"seq", "type", "step", "message", "progress": {"done", "total"}}}.
 * {@code messageTruncated} records that the agent's line was cut to {@link AgentEventParser#MAX_MESSAGE}.
 */
public record AgentEvent(long seq, AgentEventType type, Optional<String> step, Optional<String> message,
                         boolean messageTruncated, Optional<Progress> progress) {

    /** Units are the agent's (bytes written, usually); {@code total} is absent when it is not known yet. */
    public record Progress(long done, Optional<Long> total) {
    }
}
