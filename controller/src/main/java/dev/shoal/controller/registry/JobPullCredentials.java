package dev.shoal.controller.registry;

import dev.shoal.controller.secrets.Secret;
import dev.shoal.controller.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;

/**
 * The registry credential a job gives its agent: user {@code job-<job id>}, a random token, good for pulling from
 * the one repository the job's image is in and only while the job runs (the engine deletes it in the transaction
 * that ends the job). Stored as SHA-256, like the agent's callback token: 256 random bits need no slow hash.
 */
public final class JobPullCredentials {
    public static final String USER_PREFIX = "job-";
    private static final byte[] NO_TOKEN = new byte[32];

    private final Database db;
    private final SecureRandom random;
    private final InstantSource clock;

    public JobPullCredentials(Database db, SecureRandom random, InstantSource clock) {
        this.db = db;
        this.random = random;
        this.clock = clock;
    }

    public record Issued(String username, Secret password, String repository) {
    }

    /** A new credential for this job and repository, replacing any earlier one. */
    public Issued issue(String jobId, String repository) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        db.write(h -> h.createUpdate("""
                        INSERT INTO registry_job_credentials (job_id, repository, token_sha256, issued_at)
                        VALUES (:id, :repo, :hash, :now)
                        ON CONFLICT (job_id) DO UPDATE SET repository = excluded.repository,
                            token_sha256 = excluded.token_sha256, issued_at = excluded.issued_at""")
                .bind("id", jobId).bind("repo", repository).bind("hash", sha256(token)).bind("now", clock.millis())
                .execute());
        return new Issued(USER_PREFIX + jobId, Secret.of(token), repository);
    }

    /** True when {@code user} is a job's registry user, {@code token} its live token, and {@code repository} its image's. */
    public boolean allows(String user, char[] token, String repository) {
        if (!user.startsWith(USER_PREFIX)) {
            return false;
        }
        String jobId = user.substring(USER_PREFIX.length());
        Optional<Row> row = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT repository, token_sha256 FROM registry_job_credentials WHERE job_id = :id")
                .bind("id", jobId).map((rs, ctx) -> new Row(rs.getString(1), rs.getBytes(2))).findOne());
        boolean tokenOk = MessageDigest.isEqual(row.map(Row::hash).orElse(NO_TOKEN), sha256(new String(token)));
        return row.isPresent() && tokenOk && row.get().repository().equals(repository);
    }

    private record Row(String repository, byte[] hash) {
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
