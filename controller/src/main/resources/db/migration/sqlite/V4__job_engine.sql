-- The job engine's persisted progress (DESIGN.md, "Job lifecycle"). A job's work is a sequence of steps; step
-- names the next unfinished one, so a restarted controller resumes there. A worker owns a step only while it runs
-- it (lease_owner until lease_expires_at); a job waiting for its agent has a step but no lease.
-- ending is the terminal state (failed or cancelled) a job reaches once its clean-up step has powered the server
-- off and ejected the media; until then the job stays active, so its server is not given to the next job.
-- step_attempts counts how often the current step was started: a step that keeps dying with the controller is
-- failed instead of retried for ever. deadline_at bounds the whole job; the task ISO URL expires then.
ALTER TABLE jobs ADD COLUMN step             TEXT;
ALTER TABLE jobs ADD COLUMN step_started_at  INTEGER;
ALTER TABLE jobs ADD COLUMN step_attempts    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN lease_owner      TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER;
ALTER TABLE jobs ADD COLUMN ending           TEXT CHECK (ending IN ('failed', 'cancelled'));
ALTER TABLE jobs ADD COLUMN deadline_at      INTEGER;

UPDATE jobs SET step = 'start' WHERE state = 'queued';
