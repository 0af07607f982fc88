-- One active job per server, enforced by the store itself: two controllers, or a bug, cannot start a second job
-- on a BMC that is already being provisioned. Partial indexes work in SQLite and PostgreSQL alike.
CREATE UNIQUE INDEX jobs_one_active_per_server ON jobs (server_key) WHERE state IN ('provisioning', 'succeeded');
CREATE INDEX jobs_step ON jobs (step) WHERE step IS NOT NULL;
