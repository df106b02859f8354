//! Editing a commitment's details (coordinators): text, dates, budget by source,
//! collaborating departments, yearly targets and links — in one audited transaction.

use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{Commitment, Plan, COMMITMENT_COLUMNS};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::FieldError;

/// Everything the edit form sets, already validated by the caller.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommitmentEdit {
    pub title: String,
    pub summary: String,
    pub term_target: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub budget_national: i64,
    pub budget_provincial: i64,
    pub budget_city: i64,
    pub budget_other: i64,
    pub collaborators: Vec<i64>,
    /// (year, target)
    pub yearly_targets: Vec<(i64, String)>,
    /// (title, url)
    pub links: Vec<(String, String)>,
}

/// The details that live beside a commitment's row.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CommitmentDetails {
    pub collaborators: Vec<i64>,
    pub yearly_targets: Vec<(i64, String)>,
    pub links: Vec<(String, String)>,
}

impl Store {
    pub async fn commitment_details(&self, commitment_id: i64) -> Result<CommitmentDetails, StoreError> {
        let collaborators: Vec<(i64,)> = sqlx::query_as(
            "SELECT department_id FROM commitment_collaborators WHERE commitment_id = $1 ORDER BY department_id",
        )
        .bind(commitment_id)
        .fetch_all(&self.pool)
        .await?;
        let yearly_targets: Vec<(i64, String)> =
            sqlx::query_as("SELECT year, target FROM commitment_yearly_targets WHERE commitment_id = $1 ORDER BY year")
                .bind(commitment_id)
                .fetch_all(&self.pool)
                .await?;
        let links: Vec<(String, String)> =
            sqlx::query_as("SELECT title, url FROM commitment_links WHERE commitment_id = $1 ORDER BY id")
                .bind(commitment_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(CommitmentDetails {
            collaborators: collaborators.into_iter().map(|(id,)| id).collect(),
            yearly_targets,
            links,
        })
    }

    pub async fn edit_commitment(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        edit: &CommitmentEdit,
    ) -> Result<Commitment, StoreError> {
        let before_details = self.commitment_details(commitment.id).await?;
        let mut tx = self.begin().await?;
        // Collaborators must be units of the same public body.
        for id in &edit.collaborators {
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM organisations WHERE id = $1 AND body_id = $2")
                .bind(id)
                .bind(plan.body_id)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::Invalid(FieldError::new("collaborators", "invalid_choice")));
            }
        }
        let after = sqlx::query_as::<_, Commitment>(&format!(
            "UPDATE commitments SET title = $1, summary = $2, term_target = $3, start_date = $4, end_date = $5,
                 budget_national = $6, budget_provincial = $7, budget_city = $8, budget_other = $9, updated_at = $10
             WHERE id = $11 RETURNING {COMMITMENT_COLUMNS}"
        ))
        .bind(&edit.title)
        .bind(&edit.summary)
        .bind(&edit.term_target)
        .bind(edit.start_date.as_deref())
        .bind(edit.end_date.as_deref())
        .bind(edit.budget_national)
        .bind(edit.budget_provincial)
        .bind(edit.budget_city)
        .bind(edit.budget_other)
        .bind(now())
        .bind(commitment.id)
        .fetch_one(&mut *tx)
        .await?;
        for table in ["commitment_collaborators", "commitment_yearly_targets", "commitment_links"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE commitment_id = $1"))
                .bind(commitment.id)
                .execute(&mut *tx)
                .await?;
        }
        for id in &edit.collaborators {
            sqlx::query("INSERT INTO commitment_collaborators (commitment_id, department_id) VALUES ($1, $2)")
                .bind(commitment.id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for (year, target) in &edit.yearly_targets {
            sqlx::query("INSERT INTO commitment_yearly_targets (commitment_id, year, target) VALUES ($1, $2, $3)")
                .bind(commitment.id)
                .bind(year)
                .bind(target)
                .execute(&mut *tx)
                .await?;
        }
        for (title, url) in &edit.links {
            sqlx::query("INSERT INTO commitment_links (commitment_id, title, url) VALUES ($1, $2, $3)")
                .bind(commitment.id)
                .bind(title)
                .bind(url)
                .execute(&mut *tx)
                .await?;
        }
        let details = CommitmentDetails {
            collaborators: edit.collaborators.clone(),
            yearly_targets: edit.yearly_targets.clone(),
            links: edit.links.clone(),
        };
        let change = Change::new(Some(plan.body_id), "commitment.edit", "commitment", commitment.id)
            .before(&serde_json::json!({"commitment": commitment, "details": before_details}))
            .after(&serde_json::json!({"commitment": after, "details": details}));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(after)
    }
}
