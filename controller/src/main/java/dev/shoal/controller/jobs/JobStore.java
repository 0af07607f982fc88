package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.secrets.Secret;
import dev.shoal.controller.secrets.SecretBox;
import dev.shoal.controller.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Jobs and their events in the database. Secrets go in sealed, and are erased when a job ends. */
public final class JobStore {
    private final Database db;
    private final Jdbi jdbi;
    private final SecretBox box;
    private final JobIds ids;
    private final InstantSource clock;

    public JobStore(Database db, SecretBox box, JobIds ids, InstantSource clock) {
        this.db = db;
        this.jdbi = db.jdbi();
        this.box = box;
        this.ids = ids;
        this.clock = clock;
    }

    public record Page(List<Job> items, Optional<String> nextAfterId) {
    }

    public Job create(JobRequest req, String actor) {
        String id = ids.next();
        long now = clock.millis();
        byte[] password = box.seal(req.bmcPassword(), context(id, "bmc_password"));
        byte[] recipeSecrets = req.recipeSecrets().isEmpty() ? null : box.seal(secretsJson(req.recipeSecrets()),
                context(id, "recipe_secrets"));
        db.write(h -> {
            h.createUpdate("""
                    INSERT INTO jobs (id, state, step, server_key, server_json, bmc_password, recipe_json, recipe_secrets,
                                      labels_json, created_at, updated_at)
                    VALUES (:id, 'queued', 'start', :key, :server, :pw, :recipe, :secrets, :labels, :now, :now)""")
                    .bind("id", id).bind("key", req.serverKey()).bind("server", Json.text(req.server()))
                    .bind("pw", password).bind("recipe", Json.text(req.recipe())).bind("secrets", recipeSecrets)
                    .bind("labels", Json.text(req.labels())).bind("now", now)
                    .execute();
            appendEvent(h, id, "accepted", "job queued by " + actor, Optional.empty());
            return null;
        });
        return get(id).orElseThrow();
    }

    public Optional<Job> get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> job(rs)).findOne());
    }

    /** Newest first; {@code afterId} is the last id of the previous page. */
    public Page list(Set<JobState> states, int limit, Optional<String> afterId) {
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE 1 = 1");
        if (!states.isEmpty()) {
            sql.append(" AND state IN (").append(states.stream().map(s -> "'" + s.wire() + "'")
                    .collect(Collectors.joining(", "))).append(")");
        }
        afterId.ifPresent(a -> sql.append(" AND id < :after"));
        sql.append(" ORDER BY id DESC LIMIT :limit");
        List<Job> rows = jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("limit", limit + 1);
            afterId.ifPresent(a -> q.bind("after", a));
            return q.map((rs, ctx) -> job(rs)).list();
        });
        if (rows.size() > limit) {
            List<Job> page = rows.subList(0, limit);
            return new Page(List.copyOf(page), Optional.of(page.getLast().id()));
        }
        return new Page(rows, Optional.empty());
    }

    public List<JobEvent> events(String jobId, long afterSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM job_events WHERE job_id = :id AND seq > :after ORDER BY seq LIMIT :limit")
                .bind("id", jobId).bind("after", afterSeq).bind("limit", limit)
                .map((rs, ctx) -> new JobEvent(rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("step"), rs.getString("message"),
                        Optional.ofNullable(rs.getString("details_json")).map(Json::parse)))
                .list());
    }

    public enum CancelOutcome { CANCELLED, REQUESTED, ALREADY_ENDED, FINISHING, NOT_FOUND }

    /**
     * A queued job is cancelled at once (nothing has touched its server). A running one is marked, and the
     * engine powers the server off and ejects media before it ends the job.
     */
    public CancelOutcome cancel(String id, String actor) {
        return db.write(h -> {
            Optional<String> state = h.createQuery("SELECT state FROM jobs WHERE id = :id").bind("id", id)
                    .mapTo(String.class).findOne();
            if (state.isEmpty()) {
                return CancelOutcome.NOT_FOUND;
            }
            JobState s = JobState.fromWire(state.get()).orElseThrow();
            long now = clock.millis();
            if (s.terminal()) {
                return CancelOutcome.ALREADY_ENDED;
            }
            if (s == JobState.SUCCEEDED) {
                // the OS is on the disk: the engine is only ejecting and booting it, which a cancel would not undo
                return CancelOutcome.FINISHING;
            }
            if (s == JobState.QUEUED) {
                h.createUpdate("""
                        UPDATE jobs SET state = 'cancelled', step = NULL, cancel_requested = 1, updated_at = :now,
                                        ended_at = :now, bmc_password = NULL, recipe_secrets = NULL
                        WHERE id = :id""").bind("id", id).bind("now", now).execute();
                appendEvent(h, id, "cancelled", "job cancelled by " + actor + " before it started", Optional.empty());
                return CancelOutcome.CANCELLED;
            }
            h.createUpdate("UPDATE jobs SET cancel_requested = 1, updated_at = :now WHERE id = :id")
                    .bind("id", id).bind("now", now).execute();
            appendEvent(h, id, "cancel-requested", "cancel requested by " + actor, Optional.empty());
            return CancelOutcome.REQUESTED;
        });
    }

    /** The BMC password, for the engine; empty once the job has ended and its secrets were erased. */
    public Optional<Secret> bmcPassword(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT bmc_password FROM jobs WHERE id = :id").bind("id", id)
                        .mapTo(byte[].class).findOne())
                .map(sealed -> box.openSecret(sealed, context(id, "bmc_password")));
    }

    /**
     * The recipe's secret fields by path ({@code pull_secret}, {@code config_drive.user_data}), for the task ISO;
     * empty once the job has ended and its secrets were erased.
     */
    public Map<String, Secret> recipeSecrets(String id) {
        Optional<byte[]> sealed = jdbi.withHandle(h -> h.createQuery("SELECT recipe_secrets FROM jobs WHERE id = :id")
                .bind("id", id).mapTo(byte[].class).findOne());
        if (sealed.isEmpty() || sealed.get() == null) {
            return Map.of();
        }
        JsonNode o = Json.parse(box.open(sealed.get(), context(id, "recipe_secrets")));
        Map<String, Secret> out = new java.util.LinkedHashMap<>();
        o.properties().forEach(e -> out.put(e.getKey(), Secret.of(e.getValue().asText())));
        return out;
    }

    void appendEvent(Handle h, String jobId, String step, String message, Optional<JsonNode> details) {
        EventLog.append(h, jobId, clock.millis(), step, message, details);
    }

    private byte[] secretsJson(Map<String, Secret> secrets) {
        ObjectNode o = Json.object();
        secrets.forEach((k, v) -> o.put(k, v.reveal()));
        return Json.bytes(o);
    }

    private static String context(String jobId, String column) {
        return "job:" + jobId + ":" + column;
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"),
                JobState.fromWire(rs.getString("state")).orElseThrow(),
                Optional.ofNullable(rs.getString("step")),
                (ObjectNode) Json.parse(rs.getString("server_json")),
                (ObjectNode) Json.parse(rs.getString("recipe_json")),
                (ObjectNode) Json.parse(rs.getString("labels_json")),
                rs.getInt("cancel_requested") != 0,
                Optional.ofNullable(rs.getString("error_json")).map(Json::parse),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")),
                optionalInstant(rs, "started_at"),
                optionalInstant(rs, "ended_at"));
    }

    private static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
}
