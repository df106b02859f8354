-- Participatory budgeting (module 3, docs/BUDGETING.md) and the shared resident
-- verification it is the first to use. Money is whole won in BIGINT; times are Unix
-- seconds; dates ISO text (KST).

-- Resident verification (core::verification): rosters the city uploads, kept only as
-- keyed hashes (HMAC under the installation's verification key, which is not in the
-- database), one-time voting codes kept as SHA-256, and the accounts verified.
CREATE TABLE verification_rosters (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    entries BIGINT NOT NULL,
    imported_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX verification_rosters_body ON verification_rosters (body_id);

CREATE TABLE verification_roster_entries (
    roster_id BIGINT NOT NULL REFERENCES verification_rosters (id),
    person_key TEXT NOT NULL,
    basis TEXT NOT NULL,
    district TEXT,
    PRIMARY KEY (roster_id, person_key)
);
CREATE INDEX verification_roster_entries_key ON verification_roster_entries (person_key);

CREATE TABLE verification_codes (
    digest TEXT PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    batch TEXT NOT NULL,
    -- The roster entry the code was printed for (its keyed hash), or NULL for a code
    -- issued on its own: then the code's digest is the person key.
    person_key TEXT,
    basis TEXT NOT NULL,
    district TEXT,
    used_by BIGINT REFERENCES users (id),
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX verification_codes_batch ON verification_codes (body_id, batch);

-- An account verified as a resident of a body; one account per person (the unique
-- person key) and one person per account.
CREATE TABLE verified_residents (
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    person_key TEXT NOT NULL,
    method TEXT NOT NULL,
    basis TEXT NOT NULL,
    district TEXT,
    -- Kept for the age rules of later votes; personal data, shown to nobody.
    born_on TEXT,
    verified_at BIGINT NOT NULL,
    PRIMARY KEY (body_id, user_id)
);
CREATE UNIQUE INDEX verified_residents_person ON verified_residents (body_id, person_key);

-- A process (사업 공모부터 사업 추진까지) of a body.
CREATE TABLE budget_processes (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    phase TEXT NOT NULL,
    voting_opens_at BIGINT,
    voting_closes_at BIGINT,
    -- core::verification::Eligibility and core::budgeting::score::ScoreFormula as JSON.
    eligibility TEXT NOT NULL,
    formula TEXT NOT NULL,
    rule TEXT NOT NULL,
    committee_max_score BIGINT NOT NULL,
    -- The plan whose commitments the funded projects become (module 1).
    plan_id BIGINT REFERENCES plans (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX budget_processes_slug ON budget_processes (body_id, slug);

-- Each phase's dates and the rules citizens read for it.
CREATE TABLE budget_phase_notes (
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    phase TEXT NOT NULL,
    starts_on TEXT,
    ends_on TEXT,
    rules TEXT NOT NULL,
    PRIMARY KEY (process_id, phase)
);

-- A pot (사업비 한도): city-wide, or one district's (동), each with its ballot rules.
CREATE TABLE budget_pots (
    id INTEGER PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    name TEXT NOT NULL,
    district TEXT,
    budget BIGINT NOT NULL,
    ballot_kind TEXT NOT NULL,
    max_picks BIGINT,
    min_picks BIGINT,
    points BIGINT,
    max_points_per_project BIGINT,
    position BIGINT NOT NULL
);
CREATE INDEX budget_pots_process ON budget_pots (process_id, position);

CREATE TABLE budget_categories (
    id INTEGER PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    name TEXT NOT NULL,
    -- Most picks in this category within one pot (7 + 3), or NULL.
    max_picks BIGINT,
    position BIGINT NOT NULL
);
CREATE INDEX budget_categories_process ON budget_categories (process_id, position);

CREATE TABLE budget_projects (
    id INTEGER PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    pot_id BIGINT NOT NULL REFERENCES budget_pots (id),
    category_id BIGINT REFERENCES budget_categories (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    location TEXT,
    cost BIGINT NOT NULL,
    state TEXT NOT NULL,
    proposer_id BIGINT REFERENCES users (id),
    show_proposer BIGINT NOT NULL,
    department_id BIGINT REFERENCES organisations (id),
    feasibility TEXT,
    feasibility_reason TEXT,
    estimated_cost BIGINT,
    reviewed_at BIGINT,
    commitment_id BIGINT REFERENCES commitments (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX budget_projects_process ON budget_projects (process_id, pot_id, state);
CREATE INDEX budget_projects_proposer ON budget_projects (proposer_id);

CREATE TABLE budget_stations (
    id INTEGER PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    name TEXT NOT NULL,
    place TEXT NOT NULL
);
CREATE INDEX budget_stations_process ON budget_stations (process_id);

-- Who took part (one per person and process: the primary key), apart from what they
-- voted: nothing here names a ballot. The day only, no time.
CREATE TABLE budget_participations (
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    person_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    station_id BIGINT REFERENCES budget_stations (id),
    voted_on TEXT NOT NULL,
    PRIMARY KEY (process_id, person_key)
);
CREATE INDEX budget_participations_station ON budget_participations (station_id);

-- What was voted: a random id, the choices, their hash and the digest of the voter's
-- receipt code; no person, no time. Without a rowid, rows lie in the order of their
-- random ids, not in the order they were cast.
CREATE TABLE budget_ballots (
    id TEXT PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    channel TEXT NOT NULL,
    station_id BIGINT REFERENCES budget_stations (id),
    content TEXT NOT NULL,
    hash TEXT NOT NULL,
    receipt_digest TEXT
) WITHOUT ROWID;
CREATE INDEX budget_ballots_process ON budget_ballots (process_id, id);
CREATE UNIQUE INDEX budget_ballots_receipt ON budget_ballots (receipt_digest);

-- Paper ballots keyed in by officers, each sheet twice by two different officers;
-- when the two agree the ballot is written. The sheet number is the one written on
-- the paper at the count, never the voter's.
CREATE TABLE budget_paper_entries (
    id INTEGER PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    station_id BIGINT NOT NULL REFERENCES budget_stations (id),
    sheet TEXT NOT NULL,
    entered_by BIGINT NOT NULL REFERENCES users (id),
    content TEXT NOT NULL,
    reconciled BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX budget_paper_entries_once ON budget_paper_entries (station_id, sheet, entered_by);
CREATE INDEX budget_paper_entries_process ON budget_paper_entries (process_id, station_id, sheet);

CREATE TABLE budget_committee_members (
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (process_id, user_id)
);

CREATE TABLE budget_committee_scores (
    project_id BIGINT NOT NULL REFERENCES budget_projects (id),
    member_id BIGINT NOT NULL REFERENCES users (id),
    points BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_id, member_id)
);

-- The published ballot list and results of a process, chained per body like the
-- commitments' snapshots (core::snapshot; docs/VERIFY.md).
CREATE TABLE budget_publications (
    id INTEGER PRIMARY KEY,
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    sequence BIGINT NOT NULL,
    summary_json TEXT NOT NULL,
    hash TEXT NOT NULL,
    previous_hash TEXT,
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id)
);
CREATE UNIQUE INDEX budget_publications_sequence ON budget_publications (body_id, sequence);
CREATE UNIQUE INDEX budget_publications_process ON budget_publications (process_id);

-- Each pot's computed outcome, frozen at publication.
CREATE TABLE budget_results (
    process_id BIGINT NOT NULL REFERENCES budget_processes (id),
    pot_id BIGINT NOT NULL REFERENCES budget_pots (id),
    outcome_json TEXT NOT NULL,
    PRIMARY KEY (process_id, pot_id)
);
