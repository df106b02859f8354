//! The committee (주민참여예산위원회): its members score the projects on the ballot
//! inside the platform (0 to the process's maximum; a maximum of 1 is a yes/no vote).
//! The scores count in the final score by the process's formula
//! (core::budgeting::score).

use super::{invalid, process_in, Process};
use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use sotong_core::budgeting::Phase;

impl Store {
    pub async fn set_committee_member(
        &self,
        actor: &Actor,
        process: &Process,
        user_id: i64,
        member: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let sql = if member {
            "INSERT INTO budget_committee_members (process_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM budget_committee_members WHERE process_id = $1 AND user_id = $2"
        };
        sqlx::query(sql).bind(process.id).bind(user_id).execute(&mut *tx).await?;
        let action = if member { "budget_committee.add" } else { "budget_committee.remove" };
        let change = Change::new(Some(process.body_id), action, "budget_process", process.id)
            .after(&serde_json::json!({ "user_id": user_id }));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn committee_members(&self, process_id: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT user_id FROM budget_committee_members WHERE process_id = $1 ORDER BY user_id")
                .bind(process_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn is_committee_member(&self, process_id: i64, user_id: i64) -> Result<bool, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT user_id FROM budget_committee_members WHERE process_id = $1 AND user_id = $2")
                .bind(process_id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// A member's score of a project on the ballot, changeable until the results.
    pub async fn score_project(
        &self,
        actor: &Actor,
        process: &Process,
        project_id: i64,
        member_id: i64,
        points: i64,
    ) -> Result<(), StoreError> {
        if !(0..=process.committee_max_score).contains(&points) {
            return Err(invalid("points", "score_out_of_range"));
        }
        let mut tx = self.begin().await?;
        let current = process_in(&mut tx, process.id).await?;
        if !matches!(current.phase, Phase::Committee | Phase::Voting) {
            return Err(invalid("points", "scoring_closed"));
        }
        let member: Option<(i64,)> =
            sqlx::query_as("SELECT user_id FROM budget_committee_members WHERE process_id = $1 AND user_id = $2")
                .bind(process.id)
                .bind(member_id)
                .fetch_optional(&mut *tx)
                .await?;
        if member.is_none() {
            return Err(invalid("points", "not_a_committee_member"));
        }
        let on_ballot: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM budget_projects WHERE id = $1 AND process_id = $2 AND state = $3")
                .bind(project_id)
                .bind(process.id)
                .bind(sotong_core::budgeting::ProjectState::OnBallot.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if on_ballot.is_none() {
            return Err(invalid("points", "project_not_on_ballot"));
        }
        sqlx::query(
            "INSERT INTO budget_committee_scores (project_id, member_id, points, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (project_id, member_id) DO UPDATE SET points = $3, updated_at = $4",
        )
        .bind(project_id)
        .bind(member_id)
        .bind(points)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let change = Change::new(Some(process.body_id), "budget_committee.score", "budget_project", project_id)
            .after(&serde_json::json!({ "member_id": member_id, "points": points }));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Each project's committee points (the sum of its members' scores) and how many
    /// members scored it.
    pub async fn committee_points(&self, process_id: i64) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT s.project_id, CAST(SUM(s.points) AS BIGINT), COUNT(*) FROM budget_committee_scores s
             JOIN budget_projects p ON p.id = s.project_id WHERE p.process_id = $1
             GROUP BY s.project_id ORDER BY s.project_id",
        )
        .bind(process_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// One member's scores, project id → points.
    pub async fn member_scores(&self, process_id: i64, member_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT s.project_id, s.points FROM budget_committee_scores s
             JOIN budget_projects p ON p.id = s.project_id WHERE p.process_id = $1 AND s.member_id = $2",
        )
        .bind(process_id)
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
