//! Projects of a process: ideas citizens submit in the proposals phase (or staff
//! enter), the department's feasibility finding (가능 / 조건부 / 불가, with reason and
//! estimated cost), and the committee's choice of what goes on the ballot.

use super::{invalid, process_in, Process};
use crate::audit::{record, Actor, Change};
use crate::columns::{Columns, Flag};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::budgeting::{Feasibility, FeasibilityReview, NewProject, ProjectState};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Project {
    pub id: i64,
    pub process_id: i64,
    pub pot_id: i64,
    pub category_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub location: Option<String>,
    pub cost: i64,
    #[sqlx(try_from = "String")]
    pub state: ProjectState,
    pub proposer_id: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub show_proposer: Flag,
    pub department_id: Option<i64>,
    pub feasibility: Option<String>,
    pub feasibility_reason: Option<String>,
    pub estimated_cost: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub commitment_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const PROJECT_COLUMNS: Columns = Columns(
    "id, process_id, pot_id, category_id, title, description, location, cost, state, proposer_id, show_proposer, \
     department_id, feasibility, feasibility_reason, estimated_cost, reviewed_at, commitment_id, created_at, updated_at",
);

impl Project {
    pub fn feasibility(&self) -> Option<Feasibility> {
        self.feasibility.clone().and_then(|f| Feasibility::try_from(f).ok())
    }

    /// What the project costs on the ballot: the department's estimate once given.
    pub fn ballot_cost(&self) -> i64 {
        self.estimated_cost.unwrap_or(self.cost)
    }
}

/// Who submits: a citizen in the proposals phase, or staff entering a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitter {
    Citizen(i64),
    Staff,
}

impl Store {
    /// A project of the process; a citizen's only while the process takes ideas.
    pub async fn submit_project(
        &self,
        actor: &Actor,
        process: &Process,
        submitter: Submitter,
        new: &NewProject,
    ) -> Result<Project, StoreError> {
        let mut tx = self.begin().await?;
        let current = process_in(&mut tx, process.id).await?;
        if matches!(submitter, Submitter::Citizen(_)) && !current.phase.accepts_ideas() {
            return Err(invalid("title", "ideas_closed"));
        }
        if current.phase.accepts_ballots() || current.phase.shows_results() {
            return Err(invalid("phase", "process_rules_locked"));
        }
        check_pot_and_category(&mut tx, process.id, new.pot_id, new.category_id).await?;
        let proposer = match submitter {
            Submitter::Citizen(user) => Some(user),
            Submitter::Staff => None,
        };
        let at = now();
        let project = sqlx::query_as::<_, Project>(&format!(
            "INSERT INTO budget_projects (process_id, pot_id, category_id, title, description, location, cost, state,
                proposer_id, show_proposer, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {PROJECT_COLUMNS}"
        ))
        .bind(process.id)
        .bind(new.pot_id)
        .bind(new.category_id)
        .bind(&new.title)
        .bind(&new.description)
        .bind(&new.location)
        .bind(new.cost)
        .bind(ProjectState::Submitted.as_str())
        .bind(proposer)
        .bind(i64::from(new.show_proposer && proposer.is_some()))
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let change =
            Change::new(Some(process.body_id), "budget_project.create", "budget_project", project.id).after(&project);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(project)
    }

    /// The department's finding. Who may record it (the project's department, or
    /// the coordinator) is the caller's check.
    pub async fn review_project(
        &self,
        actor: &Actor,
        process: &Process,
        project: &Project,
        department_id: Option<i64>,
        review: &FeasibilityReview,
    ) -> Result<Project, StoreError> {
        let mut tx = self.begin().await?;
        let current = process_in(&mut tx, process.id).await?;
        if !current.phase.accepts_feasibility() {
            return Err(invalid("feasibility", "review_closed"));
        }
        let state = project.state.review().map_err(StoreError::Invalid)?;
        let at = now();
        let updated = sqlx::query_as::<_, Project>(&format!(
            "UPDATE budget_projects SET state = $1, feasibility = $2, feasibility_reason = $3, estimated_cost = $4,
                department_id = COALESCE($5, department_id), reviewed_at = $6, updated_at = $6
             WHERE id = $7 AND process_id = $8 RETURNING {PROJECT_COLUMNS}"
        ))
        .bind(state.as_str())
        .bind(review.feasibility.as_str())
        .bind(&review.reason)
        .bind(review.estimated_cost)
        .bind(department_id)
        .bind(at)
        .bind(project.id)
        .bind(process.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let change = Change::new(Some(process.body_id), "budget_project.review", "budget_project", project.id)
            .before(project)
            .after(&updated);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// The committee puts a project on the ballot (or leaves it off), in the
    /// committee phase.
    pub async fn select_project(
        &self,
        actor: &Actor,
        process: &Process,
        project: &Project,
        on_ballot: bool,
    ) -> Result<Project, StoreError> {
        let mut tx = self.begin().await?;
        let current = process_in(&mut tx, process.id).await?;
        if !current.phase.accepts_committee() {
            return Err(invalid("selection", "selection_closed"));
        }
        let state = project.state.select(project.feasibility(), on_ballot).map_err(StoreError::Invalid)?;
        let updated = sqlx::query_as::<_, Project>(&format!(
            "UPDATE budget_projects SET state = $1, updated_at = $2 WHERE id = $3 AND process_id = $4
             RETURNING {PROJECT_COLUMNS}"
        ))
        .bind(state.as_str())
        .bind(now())
        .bind(project.id)
        .bind(process.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let change = Change::new(Some(process.body_id), "budget_project.select", "budget_project", project.id)
            .before(&serde_json::json!({ "state": project.state }))
            .after(&serde_json::json!({ "state": state }));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn project(&self, process_id: i64, id: i64) -> Result<Option<Project>, StoreError> {
        let row = sqlx::query_as::<_, Project>(&format!(
            "SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE process_id = $1 AND id = $2"
        ))
        .bind(process_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// Every project of a process, by pot and then id.
    pub async fn projects(&self, process_id: i64) -> Result<Vec<Project>, StoreError> {
        let rows = sqlx::query_as::<_, Project>(&format!(
            "SELECT {PROJECT_COLUMNS} FROM budget_projects WHERE process_id = $1 ORDER BY pot_id, id"
        ))
        .bind(process_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}

async fn check_pot_and_category(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    process_id: i64,
    pot_id: i64,
    category_id: Option<i64>,
) -> Result<(), StoreError> {
    let pot: Option<(i64,)> = sqlx::query_as("SELECT id FROM budget_pots WHERE id = $1 AND process_id = $2")
        .bind(pot_id)
        .bind(process_id)
        .fetch_optional(&mut **tx)
        .await?;
    if pot.is_none() {
        return Err(invalid("pot", "unknown_pot"));
    }
    if let Some(category_id) = category_id {
        let category: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM budget_categories WHERE id = $1 AND process_id = $2")
                .bind(category_id)
                .bind(process_id)
                .fetch_optional(&mut **tx)
                .await?;
        if category.is_none() {
            return Err(invalid("category", "unknown_category"));
        }
    }
    Ok(())
}
