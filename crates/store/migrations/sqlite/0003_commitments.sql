-- Commitments (module 1): plans, sectors, commitments and their details, reporting
-- periods, progress reports, change requests, and published hash-chained snapshots.
-- Dates are ISO text (YYYY-MM-DD); amounts are integer KRW; times are Unix seconds.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    title_ko TEXT NOT NULL,
    title_en TEXT NOT NULL,
    term_start TEXT NOT NULL,
    term_end TEXT NOT NULL,
    cadence TEXT NOT NULL,
    taxonomy_json TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX plans_body_slug ON plans (body_id, slug);

CREATE TABLE sectors (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    name_ko TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);
CREATE UNIQUE INDEX sectors_plan_name ON sectors (plan_id, name_ko);

CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    sector_id BIGINT NOT NULL REFERENCES sectors (id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    lead_department_id BIGINT NOT NULL REFERENCES organisations (id),
    term_target TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    budget_national BIGINT NOT NULL DEFAULT 0,
    budget_provincial BIGINT NOT NULL DEFAULT 0,
    budget_city BIGINT NOT NULL DEFAULT 0,
    budget_other BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    progress BIGINT NOT NULL DEFAULT 0,
    sort_order BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX commitments_plan_code ON commitments (plan_id, code);
CREATE INDEX commitments_plan_sector ON commitments (plan_id, sector_id);
CREATE INDEX commitments_lead ON commitments (lead_department_id);

CREATE TABLE commitment_collaborators (
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    department_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (commitment_id, department_id)
);

CREATE TABLE commitment_yearly_targets (
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    year BIGINT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (commitment_id, year)
);

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    target_value TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);
CREATE INDEX indicators_commitment ON indicators (commitment_id);

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    title TEXT NOT NULL,
    due_date TEXT NOT NULL,
    done_date TEXT
);
CREATE INDEX milestones_commitment ON milestones (commitment_id);

CREATE TABLE commitment_links (
    id INTEGER PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    title TEXT NOT NULL,
    url TEXT NOT NULL
);
CREATE INDEX commitment_links_commitment ON commitment_links (commitment_id);

CREATE TABLE reporting_periods (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    code TEXT NOT NULL,
    due_date TEXT NOT NULL,
    state TEXT NOT NULL,
    closed_at BIGINT,
    closed_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX reporting_periods_plan_code ON reporting_periods (plan_id, code);

CREATE TABLE progress_reports (
    id INTEGER PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    period_id BIGINT NOT NULL REFERENCES reporting_periods (id),
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    progress BIGINT NOT NULL,
    achievements TEXT NOT NULL,
    problems TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    budget_executed BIGINT NOT NULL,
    links TEXT NOT NULL,
    review_comment TEXT NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    submitted_at BIGINT,
    reviewed_by BIGINT REFERENCES users (id),
    reviewed_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX progress_reports_commitment_period ON progress_reports (commitment_id, period_id);
CREATE INDEX progress_reports_period_state ON progress_reports (period_id, state);

CREATE TABLE indicator_actuals (
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    period_id BIGINT NOT NULL REFERENCES reporting_periods (id),
    value TEXT NOT NULL,
    PRIMARY KEY (indicator_id, period_id)
);

CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    decision TEXT NOT NULL,
    decision_note TEXT NOT NULL,
    requested_by BIGINT REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT
);
CREATE INDEX change_requests_commitment ON change_requests (commitment_id);

-- A published period: its canonical content and its place in the plan's hash chain.
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    period_id BIGINT NOT NULL REFERENCES reporting_periods (id),
    sequence BIGINT NOT NULL,
    summary_json TEXT NOT NULL,
    hash TEXT NOT NULL,
    previous_hash TEXT,
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX snapshots_plan_sequence ON snapshots (plan_id, sequence);
CREATE UNIQUE INDEX snapshots_period ON snapshots (period_id);

-- One commitment as published in a snapshot, with the hash of its own content so a
-- verification can name exactly which published row was altered.
CREATE TABLE snapshot_items (
    snapshot_id BIGINT NOT NULL REFERENCES snapshots (id),
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    code TEXT NOT NULL,
    content_json TEXT NOT NULL,
    item_hash TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, commitment_id)
);

CREATE TABLE follows (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    commitment_id BIGINT REFERENCES commitments (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX follows_user_target ON follows (user_id, plan_id, commitment_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    emailed_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
