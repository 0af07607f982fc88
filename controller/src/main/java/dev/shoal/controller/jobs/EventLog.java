package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.http.Json;
import org.jdbi.v3.core.Handle;

import java.util.Optional;

/**
 * Appends to a job's event log inside the caller's write transaction, so an event is recorded together with the
 * change it describes or not at all. seq = max + 1 per job is safe because every writer holds Database.write's
 * lock and SQLite's IMMEDIATE transaction.
 */
public final class EventLog {
    private EventLog() {
    }

    public static void append(Handle h, String jobId, long at, String step, String message, Optional<JsonNode> details) {
        long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events WHERE job_id = :id")
                .bind("id", jobId).mapTo(Long.class).one();
        h.createUpdate("INSERT INTO job_events (job_id, seq, at, step, message, details_json) "
                        + "VALUES (:id, :seq, :at, :step, :message, :details)")
                .bind("id", jobId).bind("seq", seq).bind("at", at).bind("step", step)
                .bind("message", message).bind("details", details.map(Json::text).orElse(null))
                .execute();
    }
}
