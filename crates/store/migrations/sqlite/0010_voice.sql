-- Citizen voice (module 2): policy proposals with supports, answers, comments and
-- reports (신고); city notices; files on both. Times are Unix seconds, dates ISO text.

-- A body's rules for proposals; a body without a row uses the defaults
-- (core::voice::proposals::ProposalRules).
CREATE TABLE voice_settings (
    body_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    support_threshold BIGINT NOT NULL,
    support_window_days BIGINT NOT NULL,
    answer_days BIGINT NOT NULL,
    threshold_answer_days BIGINT NOT NULL,
    comments_enabled BIGINT NOT NULL
);

CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    location TEXT,
    state TEXT NOT NULL,
    moderation TEXT NOT NULL,
    hidden_reason TEXT,
    -- Kept with each support in the same transaction; the supports table is the truth.
    support_count BIGINT NOT NULL DEFAULT 0,
    department_id BIGINT REFERENCES organisations (id),
    assigned_at BIGINT,
    threshold_reached_at BIGINT,
    due_on TEXT,
    answer_result TEXT,
    answer_body TEXT,
    answer_unit TEXT,
    answer_officer TEXT,
    answer_contact TEXT,
    answered_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX proposals_body_created ON proposals (body_id, created_at);
CREATE INDEX proposals_department ON proposals (department_id, state);
CREATE INDEX proposals_author ON proposals (author_id);

-- One support per person per proposal, held by the primary key whatever the
-- concurrency (CONSUL #2415 lacked this).
CREATE TABLE proposal_supports (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_supports_user ON proposal_supports (user_id);

-- Who is told when a proposal moves: its author and supporters follow it by default.
CREATE TABLE proposal_follows (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_follows_user ON proposal_follows (user_id);

CREATE TABLE proposal_comments (
    id INTEGER PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    moderation TEXT NOT NULL,
    hidden_reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX proposal_comments_proposal ON proposal_comments (proposal_id, id);

-- Reports (신고) of a proposal or a comment: one per person per thing; enough of them
-- hide it until a moderator decides (resolved_at).
CREATE TABLE content_reports (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE UNIQUE INDEX content_reports_once ON content_reports (subject_kind, subject_id, reporter_id);
CREATE INDEX content_reports_open ON content_reports (body_id, resolved_at);

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    pinned BIGINT NOT NULL,
    publish_on TEXT NOT NULL,
    expires_on TEXT,
    author_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Taken down by staff: kept, no longer public.
    withdrawn_at BIGINT
);
CREATE INDEX notices_body_publish ON notices (body_id, publish_on);

-- Files on a proposal (its author's) or a notice (staff's); bytes in `files`.
CREATE TABLE voice_attachments (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES files (sha256),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX voice_attachments_owner ON voice_attachments (owner_kind, owner_id);
