-- Portable SQL (SQLite and PostgreSQL): listing by state newest first, and finding a server's active job.
CREATE INDEX jobs_state_id ON jobs (state, id);
CREATE INDEX jobs_server_state ON jobs (server_key, state);
