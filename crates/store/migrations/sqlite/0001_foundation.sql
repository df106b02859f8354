-- Foundation: organisations, accounts, roles, sessions, login throttling, audit log.
-- Kept in lockstep with ../postgres/0001_foundation.sql (a test compares the schemas).
-- Timestamps are UTC Unix seconds; flags are 0/1 integers on both backends.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES organisations (id),
    body_id BIGINT REFERENCES organisations (id),
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    admin_code TEXT,
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organisations_body_slug ON organisations (slug) WHERE body_id IS NULL;
CREATE UNIQUE INDEX organisations_unit_slug ON organisations (body_id, slug) WHERE body_id IS NOT NULL;
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_superadmin BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    department_id BIGINT REFERENCES organisations (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX memberships_user_body_role ON memberships (user_id, body_id, role);
CREATE INDEX memberships_body ON memberships (body_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    actor_label TEXT NOT NULL,
    body_id BIGINT REFERENCES organisations (id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    ip TEXT NOT NULL,
    request_id TEXT NOT NULL
);
CREATE INDEX audit_log_body ON audit_log (body_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- The audit log is append-only: the database itself refuses edits and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
