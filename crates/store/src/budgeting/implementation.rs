//! Implementation (사업 추진): the funded projects become commitments of a plan of the
//! body (module 1), through that module's own `create_commitment`, so their progress
//! is reported every quarter and published like any pledge's.

use super::{invalid, Process};
use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{Commitment, CommitmentInput, Plan};
use crate::{Store, StoreError};
use sotong_core::budgeting::{Phase, ProjectState};

impl Store {
    /// Each funded project not yet a commitment becomes one in `plan`'s `sector_id`,
    /// led by its department (or `department_id`), coded `{prefix}-01`, `-02`, …;
    /// the process remembers the plan. Run again, it adds only what is missing.
    pub async fn implement_funded_projects(
        &self,
        actor: &Actor,
        process: &Process,
        plan: &Plan,
        sector_id: i64,
        department_id: i64,
        prefix: &str,
    ) -> Result<Vec<Commitment>, StoreError> {
        if process.phase != Phase::Implementation {
            return Err(invalid("phase", "implementation_not_now"));
        }
        if plan.body_id != process.body_id {
            return Err(StoreError::NotFound);
        }
        let projects = self.projects(process.id).await?;
        let funded: Vec<_> = projects.iter().filter(|p| p.state == ProjectState::Funded).collect();
        let mut created = Vec::new();
        for (n, project) in funded.iter().enumerate() {
            if project.commitment_id.is_some() {
                continue;
            }
            let summary: String = project.description.chars().take(300).collect();
            let input = CommitmentInput {
                code: format!("{prefix}-{:02}", n + 1),
                sector_id,
                title: project.title.clone(),
                summary,
                lead_department_id: project.department_id.unwrap_or(department_id),
                term_target: "주민참여예산 선정 사업 완료".into(),
                start_date: None,
                end_date: None,
                budget_national: 0,
                budget_provincial: 0,
                budget_city: project.ballot_cost(),
                budget_other: 0,
                status: "on_track".into(),
                progress: 0,
            };
            let commitment = self.create_commitment(actor, plan, &input).await?;
            let mut tx = self.begin().await?;
            sqlx::query("UPDATE budget_projects SET commitment_id = $1, updated_at = $2 WHERE id = $3")
                .bind(commitment.id)
                .bind(crate::now())
                .bind(project.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE budget_processes SET plan_id = $1 WHERE id = $2")
                .bind(plan.id)
                .bind(process.id)
                .execute(&mut *tx)
                .await?;
            let change = Change::new(Some(process.body_id), "budget_project.implement", "budget_project", project.id)
                .after(&serde_json::json!({ "commitment_id": commitment.id, "plan": plan.slug }));
            record(&mut tx, actor, change).await?;
            tx.commit().await?;
            created.push(commitment);
        }
        Ok(created)
    }
}
