-- The job queue (store::jobs): work done after a change, outside the request that
-- made it, by whichever server process claims it first. A job is claimed by setting
-- its lease (`UPDATE … RETURNING`, so two processes never claim one row); a process
-- that dies mid-job lets the lease run out and another takes it over. Handlers are
-- idempotent: a job may run again after a crash.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    leased_until BIGINT,
    done_at BIGINT,
    failed_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL AND failed_at IS NULL;

-- A public body's webhooks: where to send which events, and the key that signs them.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    description TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX webhooks_org ON webhooks (org_id);

-- Every attempt to deliver an event, for the administrators' delivery log.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
    job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    attempt BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL,
    succeeded BIGINT NOT NULL,
    next_attempt_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- Files on proposals (their author's) and notices (staff's) can be taken off again;
-- the row and the bytes stay, as with the commitments' files.
ALTER TABLE voice_attachments ADD COLUMN removed_at BIGINT;
