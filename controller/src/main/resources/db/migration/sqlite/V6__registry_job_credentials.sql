-- The registry credential a job gives its agent (pull only, one repository, while the job runs). Only the SHA-256
-- of the random token is kept. The engine deletes the row in the transaction that ends the job.
CREATE TABLE registry_job_credentials (
    job_id       TEXT    NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    repository   TEXT    NOT NULL,
    token_sha256 BLOB    NOT NULL CHECK (length(token_sha256) = 32),
    issued_at    INTEGER NOT NULL
);
