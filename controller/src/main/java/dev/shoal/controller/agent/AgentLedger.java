package dev.shoal.controller.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.jobs.EventLog;
import dev.shoal.controller.jobs.JobState;
import dev.shoal.controller.store.Database;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Records accepted callbacks: the sequence check, liveness, the outcome and the job event, all in one write
 * transaction, so a callback is either wholly recorded or not at all, and two concurrent deliveries of the
 * same seq cannot both pass the replay check. Also answers the engine's questions (last seen, outcome).
 */
public final class AgentLedger {
    private final Database db;
    private final InstantSource clock;

    public AgentLedger(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Why a callback was not recorded; each maps to a 409 with its own code. */
    public enum Refusal { REPLAYED, JOB_ENDED, OUTCOME_ALREADY_REPORTED, NO_CREDENTIAL }

    /** Either the job's cancel flag after recording (so the agent can stop early), or why nothing was recorded. */
    public record Result(Optional<Refusal> refusal, long lastSeq, boolean cancelRequested) {
    }

    public Result record(String jobId, AgentEvent event) {
        return db.write(h -> {
            Optional<Row> found = h.createQuery("""
                            SELECT c.last_seq, c.outcome, j.state, j.cancel_requested
                            FROM agent_credentials c JOIN jobs j ON j.id = c.job_id WHERE c.job_id = :id""")
                    .bind("id", jobId)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2) != null,
                            JobState.fromWire(rs.getString(3)).orElseThrow(), rs.getInt(4) != 0))
                    .findOne();
            if (found.isEmpty()) { // revoked between the token check and now
                return new Result(Optional.of(Refusal.NO_CREDENTIAL), 0, false);
            }
            Row row = found.get();
            if (event.seq() <= row.lastSeq()) {
                return new Result(Optional.of(Refusal.REPLAYED), row.lastSeq(), row.cancelRequested());
            }
            if (row.state().terminal()) {
                return new Result(Optional.of(Refusal.JOB_ENDED), row.lastSeq(), row.cancelRequested());
            }
            if (event.type().outcome() && row.hasOutcome()) {
                return new Result(Optional.of(Refusal.OUTCOME_ALREADY_REPORTED), row.lastSeq(), row.cancelRequested());
            }
            long now = clock.millis();
            h.createUpdate("UPDATE agent_credentials SET last_seq = :seq, last_seen_at = :now WHERE job_id = :id")
                    .bind("seq", event.seq()).bind("now", now).bind("id", jobId).execute();
            if (event.type().outcome()) {
                h.createUpdate("""
                                UPDATE agent_credentials SET outcome = :outcome, outcome_step = :step,
                                    outcome_message = :message, outcome_seq = :seq, outcome_at = :now
                                WHERE job_id = :id""")
                        .bind("outcome", event.type().wire()).bind("step", event.step().orElse(null))
                        .bind("message", event.message().orElse(null)).bind("seq", event.seq())
                        .bind("now", now).bind("id", jobId).execute();
            }
            // Heartbeats only move last_seen_at: an event every few seconds would bury the log that operators read.
            if (event.type() != AgentEventType.HEARTBEAT) {
                appendEvent(h, jobId, now, event);
            }
            return new Result(Optional.empty(), event.seq(), row.cancelRequested());
        });
    }

    /** When the agent last called back (any accepted callback, heartbeats included): for the heartbeat timeout. */
    public Optional<Instant> lastSeen(String jobId) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT last_seen_at FROM agent_credentials WHERE job_id = :id AND last_seen_at IS NOT NULL")
                .bind("id", jobId).mapTo(Long.class).findOne()).map(Instant::ofEpochMilli);
    }

    /** The agent's succeeded/failed report, if it has made one since its token was issued. */
    public Optional<AgentReport> lastReport(String jobId) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT outcome, outcome_step, outcome_message, outcome_seq, outcome_at
                        FROM agent_credentials WHERE job_id = :id AND outcome IS NOT NULL""")
                .bind("id", jobId)
                .map((rs, ctx) -> new AgentReport(AgentEventType.fromWire(rs.getString(1)).orElseThrow(),
                        Optional.ofNullable(rs.getString(2)), Optional.ofNullable(rs.getString(3)), rs.getLong(4),
                        Instant.ofEpochMilli(rs.getLong(5))))
                .findOne());
    }

    private static void appendEvent(Handle h, String jobId, long now, AgentEvent event) {
        EventLog.append(h, jobId, now, event.step().orElse("agent"), message(event), Optional.of(details(event)));
    }

    private static String message(AgentEvent e) {
        if (e.message().isPresent() && !e.message().get().isEmpty()) {
            return e.message().get();
        }
        return switch (e.type()) {
            case PROGRESS -> e.progress().map(p -> "progress " + p.done() + p.total().map(t -> " of " + t).orElse(""))
                    .orElse("progress");
            case SUCCEEDED -> "agent reported that the recipe succeeded";
            case FAILED -> "agent reported that the recipe failed";
            case LOG, HEARTBEAT -> "agent " + e.type().wire();
        };
    }

    private static ObjectNode details(AgentEvent e) {
        ObjectNode d = Json.object();
        d.put("source", "agent");
        d.put("type", e.type().wire());
        d.put("agent_seq", e.seq());
        e.progress().ifPresent(p -> {
            ObjectNode o = d.putObject("progress");
            o.put("done", p.done());
            p.total().ifPresent(t -> o.put("total", t));
        });
        if (e.messageTruncated()) {
            d.put("truncated", true);
        }
        return d;
    }

    private record Row(long lastSeq, boolean hasOutcome, JobState state, boolean cancelRequested) {
    }
}
