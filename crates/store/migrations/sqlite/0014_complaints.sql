-- Complaints (민원, "시장에게 바란다") on the statutory clock (REFERENCE "Complaints":
-- 민원 처리에 관한 법률 and its 시행령). Times are Unix seconds; deadlines are moments
-- (a period of up to 5 days ends within a working day, core::workdays).

-- A body's rules for complaints; a body without a row uses the defaults
-- (core::voice::complaints::ComplaintRules).
CREATE TABLE complaint_settings (
    body_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    repeat_similarity_percent BIGINT NOT NULL,
    group_similarity_percent BIGINT NOT NULL,
    retention_years BIGINT NOT NULL
);

-- What citizens can complain about (Open311 services): each with the complaint kind
-- that fixes its period and the department that receives it first.
CREATE TABLE complaint_categories (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL,
    department_id BIGINT REFERENCES organisations (id),
    keywords TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX complaint_categories_code ON complaint_categories (body_id, code);

-- Many people filing the same matter, handled and answered as one case (다수인·중복민원).
CREATE TABLE complaint_cases (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    -- The 민원조정위원회's deliberation, needed before closing a 다수인관련민원 (시행령 제26조).
    committee_decision TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX complaint_cases_body ON complaint_cases (body_id);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    category_id BIGINT NOT NULL REFERENCES complaint_categories (id),
    kind TEXT NOT NULL,
    -- The filer: an account, or (Open311) a name and contact only. Personal data is
    -- cleared after the retention period (personal_purged_at); the answer stays.
    filer_id BIGINT REFERENCES users (id),
    filer_name TEXT,
    filer_email TEXT,
    filer_phone TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    is_public BIGINT NOT NULL,
    address TEXT,
    lat TEXT,
    lon TEXT,
    state TEXT NOT NULL,
    department_id BIGINT REFERENCES organisations (id),
    assigned_at BIGINT,
    receipt_due_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    extensions BIGINT NOT NULL DEFAULT 0,
    interim_notified_at BIGINT,
    answer_outcome TEXT,
    answer_body TEXT,
    answer_unit TEXT,
    answer_officer TEXT,
    answer_contact TEXT,
    refusal_reason TEXT,
    remedies TEXT,
    answered_at BIGINT,
    satisfaction BIGINT,
    reexamination_reason TEXT,
    reexamination_at BIGINT,
    -- The first filing of the same matter by the same person (반복민원), when this is a repeat.
    repeat_of BIGINT REFERENCES complaints (id),
    case_id BIGINT REFERENCES complaint_cases (id),
    -- 이송: the complaint this one became in another body, or came from.
    transferred_to BIGINT REFERENCES complaints (id),
    transferred_from BIGINT REFERENCES complaints (id),
    closed_at BIGINT,
    source TEXT NOT NULL,
    personal_purged_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX complaints_body_created ON complaints (body_id, created_at);
CREATE INDEX complaints_body_state_due ON complaints (body_id, state, due_at);
CREATE INDEX complaints_department ON complaints (department_id, state, due_at);
CREATE INDEX complaints_filer ON complaints (filer_id);
CREATE INDEX complaints_repeat_of ON complaints (repeat_of);
CREATE INDEX complaints_case ON complaints (case_id);

-- What happened to a complaint, in order: assignment, transfer, extension, answer,
-- rating, notes. Internal ones (notes) are never shown to the filer.
CREATE TABLE complaint_events (
    id INTEGER PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    kind TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    detail TEXT,
    internal BIGINT NOT NULL,
    department_id BIGINT REFERENCES organisations (id),
    due_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);

-- Answers staff reuse for common matters.
CREATE TABLE complaint_templates (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX complaint_templates_body ON complaint_templates (body_id);

-- Keys an administrator issues to the systems that file complaints through Open311
-- (only their SHA-256 is kept).
CREATE TABLE open311_keys (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    key_sha256 TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX open311_keys_key ON open311_keys (key_sha256);
