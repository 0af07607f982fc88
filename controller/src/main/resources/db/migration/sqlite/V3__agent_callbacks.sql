-- Per-job agent credentials and what the agent last reported (DESIGN.md, "Agent callbacks").
-- Only the SHA-256 of the bearer token is kept: the token is 32 random bytes, so a fast hash is enough
-- (nothing to brute-force), and a copy of this file does not let anyone call back as the agent.
-- last_seq makes replays and out-of-order deliveries fail; last_seen_at feeds the engine's heartbeat timeout;
-- outcome is the agent's final word, for the engine to turn into a state transition.
-- The row is deleted (revoked) when the job ends; ON DELETE CASCADE covers jobs removed by retention.
CREATE TABLE agent_credentials (
    job_id          TEXT    NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    token_sha256    BLOB    NOT NULL CHECK (length(token_sha256) = 32),
    issued_at       INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    last_seen_at    INTEGER,
    outcome         TEXT    CHECK (outcome IN ('succeeded', 'failed')),
    outcome_step    TEXT,
    outcome_message TEXT,
    outcome_seq     INTEGER,
    outcome_at      INTEGER
);
