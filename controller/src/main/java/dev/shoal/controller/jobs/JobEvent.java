package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

/** One entry of a job's event log: a transition, a step, or a line the agent reported. */
public record JobEvent(long seq, Instant at, String step, String message, Optional<JsonNode> details) {
}
