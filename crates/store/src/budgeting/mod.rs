//! Participatory budgeting (주민참여예산, docs/BUDGETING.md): a body's processes with
//! their phases, pots and categories (`mod`), the projects (`projects`), who voted and
//! what was voted, kept apart (`ballots`). The moves are core's
//! (`core::budgeting`); every change is audited in its own transaction — except
//! what a ballot says, which nothing records beside the voter.

pub mod ballots;
pub mod committee;
pub mod implementation;
pub mod pabulib;
pub mod paper;
pub mod projects;
pub mod publication;

use crate::audit::{record, Actor, Change};
use crate::columns::{Columns, JsonText};
use crate::error::ConflictAs;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::budgeting::ballot::{BallotKind, BallotRules};
use sotong_core::budgeting::score::ScoreFormula;
use sotong_core::budgeting::{NewPot, NewProcess, OutcomeRule, Phase};
use sotong_core::verification::Eligibility;
use sotong_core::FieldError;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Process {
    pub id: i64,
    pub body_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub phase: Phase,
    pub voting_opens_at: Option<i64>,
    pub voting_closes_at: Option<i64>,
    #[sqlx(try_from = "String")]
    pub eligibility: JsonText<Eligibility>,
    #[sqlx(try_from = "String")]
    pub formula: JsonText<ScoreFormula>,
    #[sqlx(try_from = "String")]
    pub rule: OutcomeRule,
    pub committee_max_score: i64,
    pub plan_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const PROCESS_COLUMNS: Columns = Columns(
    "id, body_id, slug, title, description, phase, voting_opens_at, voting_closes_at, eligibility, formula, rule, \
     committee_max_score, plan_id, created_at, updated_at",
);

impl Process {
    /// Ballots are accepted: the voting phase, and within its hours if it has them.
    pub fn is_voting_open(&self, at: i64) -> bool {
        self.phase.accepts_ballots()
            && self.voting_opens_at.is_none_or(|opens| at >= opens)
            && self.voting_closes_at.is_none_or(|closes| at < closes)
    }

    /// Why a ballot cannot be cast now, if it cannot.
    pub fn voting_closed_reason(&self, at: i64) -> Option<FieldError> {
        if self.is_voting_open(at) {
            return None;
        }
        let not_yet = self.phase.is_before(Phase::Voting)
            || (self.phase == Phase::Voting && self.voting_opens_at.is_some_and(|opens| at < opens));
        let code = if not_yet { "voting_not_yet_open" } else { "voting_closed" };
        Some(FieldError::new("ballot", code))
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Pot {
    pub id: i64,
    pub process_id: i64,
    pub name: String,
    pub district: Option<String>,
    pub budget: i64,
    #[sqlx(try_from = "String")]
    pub ballot_kind: BallotKind,
    pub max_picks: Option<i64>,
    pub min_picks: Option<i64>,
    pub points: Option<i64>,
    pub max_points_per_project: Option<i64>,
    pub position: i64,
}

pub(crate) const POT_COLUMNS: Columns = Columns(
    "id, process_id, name, district, budget, ballot_kind, max_picks, min_picks, points, max_points_per_project, position",
);

impl Pot {
    pub fn rules(&self) -> BallotRules {
        BallotRules {
            kind: self.ballot_kind,
            max_picks: self.max_picks,
            min_picks: self.min_picks,
            points: self.points,
            max_points_per_project: self.max_points_per_project,
        }
    }

    /// A voter of `district` (None: unknown) may vote in this pot: a city-wide pot,
    /// or the pot of their own district.
    pub fn open_to(&self, district: Option<&str>) -> bool {
        match &self.district {
            None => true,
            Some(own) => district == Some(own.as_str()),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub process_id: i64,
    pub name: String,
    pub max_picks: Option<i64>,
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct PhaseNote {
    pub process_id: i64,
    #[sqlx(try_from = "String")]
    pub phase: Phase,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub rules: String,
}

/// A process with its pots and categories: what every page of it needs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProcessSetup {
    pub process: Process,
    pub pots: Vec<Pot>,
    pub categories: Vec<Category>,
    pub notes: Vec<PhaseNote>,
}

/// What a process's ballot is checked against, owned once per request: each pot's
/// rules, its projects on the ballot (at their ballot cost) and the category quotas.
pub struct BallotSheet {
    pots: Vec<(Pot, BallotRules, Vec<sotong_core::budgeting::ballot::BallotProject>)>,
    quotas: Vec<sotong_core::budgeting::ballot::CategoryQuota>,
}

impl ProcessSetup {
    pub fn ballot_sheet(&self, projects: &[projects::Project]) -> BallotSheet {
        use sotong_core::budgeting::ballot::{BallotProject, CategoryQuota};
        let pots = self
            .pots
            .iter()
            .map(|pot| {
                let on_ballot = projects
                    .iter()
                    .filter(|p| p.pot_id == pot.id && p.state == sotong_core::budgeting::ProjectState::OnBallot)
                    .map(|p| BallotProject { id: p.id, cost: p.ballot_cost(), category_id: p.category_id })
                    .collect();
                (pot.clone(), pot.rules(), on_ballot)
            })
            .collect();
        let quotas = self
            .categories
            .iter()
            .filter_map(|c| c.max_picks.map(|max_picks| CategoryQuota { category_id: c.id, max_picks }))
            .collect();
        BallotSheet { pots, quotas }
    }
}

impl BallotSheet {
    /// Checks a ballot of a voter of `district` against the pots open to them.
    pub fn check(
        &self,
        district: Option<&str>,
        ballot: sotong_core::budgeting::ballot::Ballot,
    ) -> Result<sotong_core::budgeting::ballot::CheckedBallot, Vec<sotong_core::budgeting::ballot::Violation>> {
        ballot.check(&self.open_to(district))
    }

    /// The pots a voter of `district` votes in, as the ballot check reads them.
    pub fn open_to(&self, district: Option<&str>) -> Vec<sotong_core::budgeting::ballot::PotBallot<'_>> {
        self.pots
            .iter()
            .filter(|(pot, _, _)| pot.open_to(district))
            .map(|(pot, rules, projects)| sotong_core::budgeting::ballot::PotBallot {
                pot_id: pot.id,
                budget: pot.budget,
                rules,
                projects,
                quotas: &self.quotas,
            })
            .collect()
    }
}

fn invalid(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Invalid(FieldError::new(field, code))
}

pub(crate) fn lock_key(process_id: i64) -> String {
    format!("budget_process:{process_id}")
}

impl Store {
    /// A new process, in its proposals phase.
    pub async fn create_process(&self, actor: &Actor, body_id: i64, new: &NewProcess) -> Result<Process, StoreError> {
        if let Some(error) = new.check().into_iter().next() {
            return Err(StoreError::Invalid(error));
        }
        let at = now();
        let mut tx = self.begin().await?;
        let process = sqlx::query_as::<_, Process>(&format!(
            "INSERT INTO budget_processes (body_id, slug, title, description, phase, voting_opens_at, voting_closes_at,
                eligibility, formula, rule, committee_max_score, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING {PROCESS_COLUMNS}"
        ))
        .bind(body_id)
        .bind(new.slug.as_str())
        .bind(new.title.trim())
        .bind(new.description.trim())
        .bind(Phase::Proposals.as_str())
        .bind(new.voting_opens_at)
        .bind(new.voting_closes_at)
        .bind(JsonText::to_text(&new.eligibility))
        .bind(JsonText::to_text(&new.formula))
        .bind(new.rule.as_str())
        .bind(new.committee_max_score)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .conflict_as("slug", "slug_taken")?;
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "budget_process.create", "budget_process", process.id).after(&process),
        )
        .await?;
        tx.commit().await?;
        Ok(process)
    }

    /// Changes what a process says and how it counts, until its vote opens.
    pub async fn update_process(
        &self,
        actor: &Actor,
        process: &Process,
        new: &NewProcess,
    ) -> Result<Process, StoreError> {
        if let Some(error) = new.check().into_iter().next() {
            return Err(StoreError::Invalid(error));
        }
        let mut tx = self.begin().await?;
        crate::dialect::lock_keys(self.backend, &mut tx, &[lock_key(process.id)]).await?;
        let current = process_in(&mut tx, process.id).await?;
        if current.phase.accepts_ballots() || current.phase.shows_results() {
            return Err(invalid("phase", "process_rules_locked"));
        }
        let updated = sqlx::query_as::<_, Process>(&format!(
            "UPDATE budget_processes SET title = $1, description = $2, voting_opens_at = $3, voting_closes_at = $4,
                eligibility = $5, formula = $6, rule = $7, committee_max_score = $8, updated_at = $9
             WHERE id = $10 RETURNING {PROCESS_COLUMNS}"
        ))
        .bind(new.title.trim())
        .bind(new.description.trim())
        .bind(new.voting_opens_at)
        .bind(new.voting_closes_at)
        .bind(JsonText::to_text(&new.eligibility))
        .bind(JsonText::to_text(&new.formula))
        .bind(new.rule.as_str())
        .bind(new.committee_max_score)
        .bind(now())
        .bind(process.id)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(process.body_id), "budget_process.update", "budget_process", process.id)
            .before(&current)
            .after(&updated);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Moves a process to its next phase. Taken under the process's lock, which every
    /// ballot holds shared: no ballot is being cast while the vote closes.
    pub async fn advance_phase(&self, actor: &Actor, process: &Process, to: Phase) -> Result<Process, StoreError> {
        let mut tx = self.begin().await?;
        crate::dialect::lock_keys(self.backend, &mut tx, &[lock_key(process.id)]).await?;
        let current = process_in(&mut tx, process.id).await?;
        current.phase.advance_to(to).map_err(StoreError::Invalid)?;
        if to == Phase::Voting {
            let (on_ballot,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM budget_projects WHERE process_id = $1 AND state = $2")
                    .bind(process.id)
                    .bind(sotong_core::budgeting::ProjectState::OnBallot.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
            if on_ballot == 0 {
                return Err(invalid("phase", "no_projects_on_ballot"));
            }
        }
        let updated = sqlx::query_as::<_, Process>(&format!(
            "UPDATE budget_processes SET phase = $1, updated_at = $2 WHERE id = $3 RETURNING {PROCESS_COLUMNS}"
        ))
        .bind(to.as_str())
        .bind(now())
        .bind(process.id)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(process.body_id), "budget_process.phase", "budget_process", process.id)
            .before(&serde_json::json!({ "phase": current.phase }))
            .after(&serde_json::json!({ "phase": to }));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// The dates and rules citizens read for one phase.
    pub async fn set_phase_note(&self, actor: &Actor, process: &Process, note: &PhaseNote) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO budget_phase_notes (process_id, phase, starts_on, ends_on, rules) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (process_id, phase) DO UPDATE SET starts_on = $3, ends_on = $4, rules = $5",
        )
        .bind(process.id)
        .bind(note.phase.as_str())
        .bind(&note.starts_on)
        .bind(&note.ends_on)
        .bind(note.rules.trim())
        .execute(&mut *tx)
        .await?;
        let change =
            Change::new(Some(process.body_id), "budget_phase.update", "budget_process", process.id).after(note);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_pot(&self, actor: &Actor, process: &Process, new: &NewPot) -> Result<Pot, StoreError> {
        if let Some(error) = new.check().into_iter().next() {
            return Err(StoreError::Invalid(error));
        }
        if process.phase.accepts_ballots() || process.phase.shows_results() {
            return Err(invalid("phase", "process_rules_locked"));
        }
        let mut tx = self.begin().await?;
        let rules = &new.rules;
        let pot = sqlx::query_as::<_, Pot>(&format!(
            "INSERT INTO budget_pots (process_id, name, district, budget, ballot_kind, max_picks, min_picks, points,
                max_points_per_project, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                (SELECT COUNT(*) FROM budget_pots WHERE process_id = $1)) RETURNING {POT_COLUMNS}"
        ))
        .bind(process.id)
        .bind(new.name.trim())
        .bind(new.district.as_deref().map(str::trim))
        .bind(new.budget)
        .bind(rules.kind.as_str())
        .bind(rules.max_picks)
        .bind(rules.min_picks)
        .bind(rules.points)
        .bind(rules.max_points_per_project)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(process.body_id), "budget_pot.create", "budget_pot", pot.id).after(&pot),
        )
        .await?;
        tx.commit().await?;
        Ok(pot)
    }

    pub async fn add_category(
        &self,
        actor: &Actor,
        process: &Process,
        name: &str,
        max_picks: Option<i64>,
    ) -> Result<Category, StoreError> {
        let name = sotong_core::text::required_line("name", name, sotong_core::budgeting::NAME_MAX_CHARS)
            .map_err(StoreError::Invalid)?;
        if max_picks.is_some_and(|m| m < 1) {
            return Err(invalid("max_picks", "amount_not_positive"));
        }
        let mut tx = self.begin().await?;
        let category = sqlx::query_as::<_, Category>(
            "INSERT INTO budget_categories (process_id, name, max_picks, position)
             VALUES ($1, $2, $3, (SELECT COUNT(*) FROM budget_categories WHERE process_id = $1))
             RETURNING id, process_id, name, max_picks, position",
        )
        .bind(process.id)
        .bind(&name)
        .bind(max_picks)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(process.body_id), "budget_category.create", "budget_category", category.id)
            .after(&category);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(category)
    }

    pub async fn process_by_slug(&self, body_id: i64, slug: &str) -> Result<Option<Process>, StoreError> {
        let row = sqlx::query_as::<_, Process>(&format!(
            "SELECT {PROCESS_COLUMNS} FROM budget_processes WHERE body_id = $1 AND slug = $2"
        ))
        .bind(body_id)
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// A body's processes, newest first.
    pub async fn processes(&self, body_id: i64) -> Result<Vec<Process>, StoreError> {
        let rows = sqlx::query_as::<_, Process>(&format!(
            "SELECT {PROCESS_COLUMNS} FROM budget_processes WHERE body_id = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The process with its pots, categories and phase notes, read at once.
    pub async fn process_setup(&self, process: Process) -> Result<ProcessSetup, StoreError> {
        let pots_sql = format!("SELECT {POT_COLUMNS} FROM budget_pots WHERE process_id = $1 ORDER BY position, id");
        let pots = sqlx::query_as::<_, Pot>(&pots_sql).bind(process.id).fetch_all(&self.pool);
        let categories = sqlx::query_as::<_, Category>(
            "SELECT id, process_id, name, max_picks, position FROM budget_categories WHERE process_id = $1 ORDER BY position, id",
        )
        .bind(process.id)
        .fetch_all(&self.pool);
        let notes = sqlx::query_as::<_, PhaseNote>(
            "SELECT process_id, phase, starts_on, ends_on, rules FROM budget_phase_notes WHERE process_id = $1",
        )
        .bind(process.id)
        .fetch_all(&self.pool);
        let (pots, categories, mut notes) = tokio::try_join!(pots, categories, notes)?;
        notes.sort_by_key(|n| Phase::ALL.iter().position(|p| *p == n.phase));
        Ok(ProcessSetup { process, pots, categories, notes })
    }
}

pub(crate) async fn process_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    process_id: i64,
) -> Result<Process, StoreError> {
    sqlx::query_as::<_, Process>(&format!("SELECT {PROCESS_COLUMNS} FROM budget_processes WHERE id = $1"))
        .bind(process_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)
}
