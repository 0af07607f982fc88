package dev.shoal.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.agent.AgentEventType;
import dev.shoal.controller.agent.AgentReport;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.jobs.EventLog;
import dev.shoal.controller.jobs.JobState;
import dev.shoal.controller.store.Database;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's reads and writes of the jobs table. Every transition is one write transaction that checks the job
 * is still where the caller thinks it is (state, step, lease owner), changes it, and logs the event; a caller that
 * lost a race gets {@code false} and changes nothing.
 */
public final class JobTable {
    static final String ACTIVE = "('provisioning', 'succeeded')";

    private final Database db;
    private final InstantSource clock;

    public JobTable(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Queued jobs that are first in line for a server nobody is provisioning, oldest first. */
    public List<String> startable(int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT j.id FROM jobs j
                        WHERE j.state = 'queued' AND j.cancel_requested = 0
                          AND NOT EXISTS (SELECT 1 FROM jobs a WHERE a.server_key = j.server_key AND a.state IN %s)
                          AND NOT EXISTS (SELECT 1 FROM jobs o WHERE o.server_key = j.server_key AND o.state = 'queued'
                                                                 AND o.id < j.id)
                        ORDER BY j.id LIMIT :n""".formatted(ACTIVE))
                .bind("n", limit).mapTo(String.class).list());
    }

    /** queued → provisioning, if the job is still queued and its server still free. */
    public boolean start(String id, Duration lifetime) {
        return db.write(h -> {
            long now = clock.millis();
            int n = h.createUpdate("""
                            UPDATE jobs SET state = 'provisioning', step = :step, step_started_at = :now, step_attempts = 0,
                                started_at = :now, updated_at = :now, deadline_at = :deadline
                            WHERE id = :id AND state = 'queued' AND cancel_requested = 0
                              AND NOT EXISTS (SELECT 1 FROM jobs a WHERE a.server_key = jobs.server_key AND a.state IN %s)"""
                            .formatted(ACTIVE))
                    .bind("step", Step.PREPARE_TASK.wire()).bind("now", now).bind("deadline", now + lifetime.toMillis())
                    .bind("id", id).execute();
            if (n == 1) {
                EventLog.append(h, id, now, "state", "queued → provisioning: the server is free, the job starts",
                        Optional.of(details("from", "queued", "to", "provisioning")));
            }
            return n == 1;
        });
    }

    /** Jobs whose next step needs a worker and that no live lease holds. */
    public List<String> runnable(int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT id FROM jobs
                        WHERE step IN (%s) AND state IN %s AND (lease_owner IS NULL OR lease_expires_at < :now)
                        ORDER BY updated_at, id LIMIT :n""".formatted(Step.workerStepsSql(), ACTIVE))
                .bind("now", clock.millis()).bind("n", limit).mapTo(String.class).list());
    }

    public Optional<Lease> claim(String id, String owner, Duration ttl) {
        return db.write(h -> {
            long now = clock.millis();
            Optional<Row> row = h.createQuery("""
                            SELECT step, lease_owner, lease_expires_at, step_attempts FROM jobs
                            WHERE id = :id AND state IN %s""".formatted(ACTIVE))
                    .bind("id", id)
                    .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4)))
                    .findOne();
            if (row.isEmpty()) {
                return Optional.<Lease>empty();
            }
            Row r = row.get();
            Optional<Step> step = Optional.ofNullable(r.step()).flatMap(Step::fromWire).filter(Step::needsWorker);
            boolean held = r.owner() != null && r.expiresAt() >= now;
            if (step.isEmpty() || held) {
                return Optional.<Lease>empty();
            }
            h.createUpdate("""
                            UPDATE jobs SET lease_owner = :owner, lease_expires_at = :until, step_attempts = step_attempts + 1
                            WHERE id = :id""")
                    .bind("owner", owner).bind("until", now + ttl.toMillis()).bind("id", id).execute();
            boolean tookOver = r.owner() != null && !r.owner().equals(owner);
            int attempt = r.attempts() + 1;
            if (tookOver) {
                EventLog.append(h, id, now, step.get().wire(), "taking over " + step.get().wire() + " from a controller whose "
                        + "lease expired at " + Instant.ofEpochMilli(r.expiresAt()) + "; running it again (attempt " + attempt + ")",
                        Optional.empty());
            } else if (attempt > 1) {
                EventLog.append(h, id, now, step.get().wire(), "running " + step.get().wire() + " again (attempt " + attempt
                        + "); the previous run did not finish", Optional.empty());
            }
            return Optional.of(new Lease(id, step.get(), owner, attempt, tookOver));
        });
    }

    /** Extends the leases this owner holds on the given jobs, so a long step is not taken over while it runs. */
    public void renew(String owner, Collection<String> ids, Duration ttl) {
        if (ids.isEmpty()) {
            return;
        }
        db.write(h -> h.createUpdate("UPDATE jobs SET lease_expires_at = :until WHERE lease_owner = :owner AND id IN (<ids>)")
                .bind("until", clock.millis() + ttl.toMillis()).bind("owner", owner).bindList("ids", List.copyOf(ids))
                .execute());
    }

    /** Gives back leases without finishing the steps, so that another start resumes them at once. */
    public void release(String owner) {
        db.write(h -> h.createUpdate("UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = :owner")
                .bind("owner", owner).execute());
    }

    /** The step is done: move on to {@code next}, optionally changing state, and log it. */
    public boolean advance(Lease l, Step next, Optional<JobState> state, String message) {
        return db.write(h -> {
            long now = clock.millis();
            int n = h.createUpdate("""
                            UPDATE jobs SET step = :next, state = COALESCE(:state, state), step_started_at = :now,
                                step_attempts = 0, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                            WHERE id = :id AND lease_owner = :owner AND step = :step""")
                    .bind("next", next.wire()).bind("state", state.map(JobState::wire).orElse(null)).bind("now", now)
                    .bind("id", l.jobId()).bind("owner", l.owner()).bind("step", l.step().wire()).execute();
            if (n == 1) {
                EventLog.append(h, l.jobId(), now, l.step().wire(), message, Optional.empty());
                state.ifPresent(s -> EventLog.append(h, l.jobId(), now, "state", "→ " + s.wire(),
                        Optional.of(details("to", s.wire()))));
            }
            return n == 1;
        });
    }

    /** The job will end as {@code ending} after the clean-up step has powered the server off and ejected media. */
    public boolean toCleanup(Lease l, JobState ending, Optional<JsonNode> error, String message) {
        return toCleanup(l.jobId(), l.step(), l.owner(), ending, error, message);
    }

    /**
     * The one write behind both ways into clean-up: from a worker's step (guarded by its lease) and from
     * {@code await-agent} (no lease: the owner is empty and the step is the guard).
     */
    private boolean toCleanup(String id, Step from, String owner, JobState ending, Optional<JsonNode> error, String message) {
        return db.write(h -> {
            long now = clock.millis();
            int n = h.createUpdate("""
                            UPDATE jobs SET step = 'cleanup', ending = :ending, error_json = COALESCE(:error, error_json),
                                step_started_at = :now, step_attempts = 0, lease_owner = NULL, lease_expires_at = NULL,
                                updated_at = :now
                            WHERE id = :id AND step = :step AND state IN %s AND COALESCE(lease_owner, '') = :owner"""
                            .formatted(ACTIVE))
                    .bind("ending", ending.wire()).bind("error", error.map(Json::text).orElse(null)).bind("now", now)
                    .bind("id", id).bind("owner", owner).bind("step", from.wire()).execute();
            if (n == 1) {
                EventLog.append(h, id, now, from.wire(), message, error);
            }
            return n == 1;
        });
    }

    /**
     * Ends the job: its terminal state, the secrets erased (BMC password, recipe secrets) and the agent's callback
     * token and registry credential revoked, in the same transaction, so no ended job keeps a secret even for a moment.
     */
    public boolean end(Lease l, JobState terminal, Optional<JsonNode> error, String message) {
        return db.write(h -> {
            long now = clock.millis();
            int n = h.createUpdate("""
                            UPDATE jobs SET state = :state, step = NULL, ending = NULL, error_json = COALESCE(:error, error_json),
                                lease_owner = NULL, lease_expires_at = NULL, updated_at = :now, ended_at = :now,
                                bmc_password = NULL, recipe_secrets = NULL
                            WHERE id = :id AND lease_owner = :owner AND step = :step""")
                    .bind("state", terminal.wire()).bind("error", error.map(Json::text).orElse(null)).bind("now", now)
                    .bind("id", l.jobId()).bind("owner", l.owner()).bind("step", l.step().wire()).execute();
            if (n == 1) {
                h.createUpdate("DELETE FROM agent_credentials WHERE job_id = :id").bind("id", l.jobId()).execute();
                h.createUpdate("DELETE FROM registry_job_credentials WHERE job_id = :id").bind("id", l.jobId()).execute();
                EventLog.append(h, l.jobId(), now, l.step().wire(), message, error);
                EventLog.append(h, l.jobId(), now, "state", "→ " + terminal.wire() + "; the job's secrets were erased",
                        Optional.of(details("to", terminal.wire())));
            }
            return n == 1;
        });
    }

    /** A step's own event (a BMC action, a note), outside any transition. */
    public void event(String id, String step, String message, Optional<JsonNode> details) {
        db.write(h -> {
            EventLog.append(h, id, clock.millis(), step, message, details);
            return null;
        });
    }

    /** When the job must be over; the task ISO URL expires then. */
    public Optional<Instant> deadline(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT deadline_at FROM jobs WHERE id = :id AND deadline_at IS NOT NULL")
                .bind("id", id).mapTo(Long.class).findOne()).map(Instant::ofEpochMilli);
    }

    /** The clean-up outcome a job was given, once its step is {@code cleanup}. */
    public Optional<JobState> ending(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT ending FROM jobs WHERE id = :id AND ending IS NOT NULL")
                .bind("id", id).mapTo(String.class).findOne()).flatMap(JobState::fromWire);
    }

    public boolean cancelRequested(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT cancel_requested FROM jobs WHERE id = :id")
                .bind("id", id).mapTo(Integer.class).findOne()).orElse(0) != 0;
    }

    /** Jobs waiting for their agent, with what {@link AgentWatch} judges them by. */
    public List<AwaitingJob> awaiting() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT j.id, j.step_started_at, j.deadline_at, j.cancel_requested, c.last_seen_at, c.outcome,
                               c.outcome_step, c.outcome_message, c.outcome_seq, c.outcome_at,
                               (SELECT MAX(e.at) FROM job_events e WHERE e.job_id = j.id) AS last_event
                        FROM jobs j LEFT JOIN agent_credentials c ON c.job_id = j.id
                        WHERE j.step = 'await-agent' AND j.state = 'provisioning'""")
                .map((rs, ctx) -> {
                    long seen = rs.getLong(5);
                    Optional<Instant> lastSeen = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(seen));
                    Optional<AgentReport> report = Optional.ofNullable(rs.getString(6))
                            .flatMap(AgentEventType::fromWire)
                            .map(type -> {
                                try {
                                    return new AgentReport(type, Optional.ofNullable(rs.getString(7)),
                                            Optional.ofNullable(rs.getString(8)), rs.getLong(9), Instant.ofEpochMilli(rs.getLong(10)));
                                } catch (java.sql.SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
                    return new AwaitingJob(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), lastSeen, report,
                            Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4) != 0);
                })
                .list());
    }

    /** The agent watch's transitions: no worker holds an awaiting job, so the step itself is the guard. */
    public boolean agentSucceeded(String id, String message) {
        return db.write(h -> {
            long now = clock.millis();
            int n = h.createUpdate("""
                            UPDATE jobs SET state = 'succeeded', step = 'finish', step_started_at = :now, step_attempts = 0,
                                updated_at = :now
                            WHERE id = :id AND step = 'await-agent' AND state = 'provisioning'""")
                    .bind("now", now).bind("id", id).execute();
            if (n == 1) {
                EventLog.append(h, id, now, Step.AWAIT_AGENT.wire(), message, Optional.empty());
                EventLog.append(h, id, now, "state", "provisioning → succeeded", Optional.of(details("from", "provisioning", "to", "succeeded")));
            }
            return n == 1;
        });
    }

    public boolean agentEnded(String id, JobState ending, Optional<JsonNode> error, String message) {
        return toCleanup(id, Step.AWAIT_AGENT, "", ending, error, message);
    }

    /** Job counts by state, for the engine's status. */
    public Map<JobState, Long> counts() {
        Map<JobState, Long> out = new EnumMap<>(JobState.class);
        db.jdbi().withHandle(h -> h.createQuery("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list())
                .forEach(e -> JobState.fromWire(e.getKey()).ifPresent(s -> out.put(s, e.getValue())));
        return out;
    }

    private static JsonNode details(String... kv) {
        var o = Json.object();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return o;
    }

    private record Row(String step, String owner, long expiresAt, int attempts) {
    }
}
