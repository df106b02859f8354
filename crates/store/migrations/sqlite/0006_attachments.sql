-- Attachments: files kept in the database, content-addressed by their SHA-256, so
-- every server on one database serves every file and `sotong backup` (or pg_dump)
-- copies them with everything else. A file is stored once however often attached.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    content BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

-- A file attached to a commitment (period_id NULL) or to its report of one period.
-- Removing one from an unpublished report keeps the row (removed_at): what a person
-- submitted is never lost, and the audit log names it.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    period_id BIGINT REFERENCES reporting_periods (id),
    sha256 TEXT NOT NULL REFERENCES files (sha256),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX attachments_commitment ON attachments (commitment_id);

-- Which files a body has published (derived from its snapshots, which prove it): the
-- public may download exactly these.
CREATE TABLE published_files (
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    sha256 TEXT NOT NULL REFERENCES files (sha256),
    PRIMARY KEY (body_id, sha256)
);
