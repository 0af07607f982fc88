package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Optional;

/**
 * A job as stored, without its secrets (those stay sealed in the database).
 *
 * @param step the engine's next unfinished step (see the engine's Step), empty once the job has ended
 */
public record Job(String id, JobState state, Optional<String> step, ObjectNode server, ObjectNode recipe, ObjectNode labels,
                  boolean cancelRequested, Optional<JsonNode> error, Instant createdAt, Instant updatedAt,
                  Optional<Instant> startedAt, Optional<Instant> endedAt) {
}
