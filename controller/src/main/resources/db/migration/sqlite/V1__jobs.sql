-- Jobs and their event log. Secrets (BMC password, pull secret, user data) live only in the sealed
-- columns (AES-GCM, see SecretBox) and are set to NULL when the job ends.
CREATE TABLE jobs (
    id               TEXT    NOT NULL PRIMARY KEY,
    state            TEXT    NOT NULL CHECK (state IN ('queued', 'provisioning', 'succeeded', 'complete', 'failed', 'cancelled')),
    server_key       TEXT    NOT NULL,
    server_json      TEXT    NOT NULL,
    bmc_password     BLOB,
    recipe_json      TEXT    NOT NULL,
    recipe_secrets   BLOB,
    labels_json      TEXT    NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    error_json       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    started_at       INTEGER,
    ended_at         INTEGER
);

CREATE TABLE job_events (
    job_id       TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    step         TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    details_json TEXT,
    PRIMARY KEY (job_id, seq)
);

-- Facts about the store itself, e.g. which encryption key its sealed columns were written with.
CREATE TABLE controller_meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
