package dev.shoal.controller.agent;

import dev.shoal.controller.secrets.Secret;
import dev.shoal.controller.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;

/**
 * Per-job bearer tokens for the agent: 32 random bytes, base64url without padding (43 characters), stored
 * only as SHA-256. A password needs a slow hash because people choose guessable ones; a 256-bit random
 * token cannot be guessed, so one SHA-256 round already makes the stored hash useless to a thief, and
 * keeps verification cheap on a path the agent calls every few seconds.
 */
public final class AgentTokens {
    static final int TOKEN_BYTES = 32;
    /** Compared against when a job has no credential, so an unknown job costs the same as a wrong token. */
    private static final byte[] NO_TOKEN = new byte[32];

    private final Database db;
    private final SecureRandom random;
    private final InstantSource clock;

    public AgentTokens(Database db, SecureRandom random, InstantSource clock) {
        this.db = db;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Issues the job's token, replacing any earlier one: the engine calls this each time it (re)builds the
     * task ISO, and a new ISO is a new agent session, so the sequence, heartbeat and outcome start over
     * too. The token is returned once and never stored in the clear.
     *
     * @throws IllegalArgumentException if there is no such job
     */
    public AgentToken issue(String jobId) {
        byte[] raw = new byte[TOKEN_BYTES];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        db.write(h -> {
            boolean exists = h.createQuery("SELECT 1 FROM jobs WHERE id = :id").bind("id", jobId)
                    .mapTo(Integer.class).findOne().isPresent();
            if (!exists) {
                throw new IllegalArgumentException("no job " + jobId);
            }
            h.createUpdate("""
                    INSERT INTO agent_credentials (job_id, token_sha256, issued_at) VALUES (:id, :hash, :now)
                    ON CONFLICT (job_id) DO UPDATE SET token_sha256 = excluded.token_sha256,
                        issued_at = excluded.issued_at, last_seq = 0, last_seen_at = NULL, outcome = NULL,
                        outcome_step = NULL, outcome_message = NULL, outcome_seq = NULL, outcome_at = NULL""")
                    .bind("id", jobId).bind("hash", hash(token)).bind("now", clock.millis())
                    .execute();
            return null;
        });
        return new AgentToken(jobId, Secret.of(token));
    }

    /**
     * True when {@code presented} is the live token of exactly this job. The row is found by job id, not
     * by hash, so a token of another job never matches; the hashes are compared in constant time.
     */
    public boolean verify(String jobId, String presented) {
        Optional<byte[]> stored = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT token_sha256 FROM agent_credentials WHERE job_id = :id").bind("id", jobId)
                .mapTo(byte[].class).findOne());
        byte[] given = hash(presented);
        boolean match = MessageDigest.isEqual(stored.orElse(NO_TOKEN), given);
        return stored.isPresent() && match;
    }

    /** Deletes the credential (and the agent's report with it); the engine calls this when the job ends. */
    public boolean revoke(String jobId) {
        return db.write(h -> h.createUpdate("DELETE FROM agent_credentials WHERE job_id = :id")
                .bind("id", jobId).execute()) > 0;
    }

    static byte[] hash(String token) {
        return Hmac.digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
