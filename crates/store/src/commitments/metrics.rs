//! Metrics of a plan, overall and per sector and per lead department: from a published
//! snapshot (immutable: what citizens see) or live from the current data (for staff).

use crate::commitments::plans::{Commitment, Plan};
use crate::commitments::publication::Snapshot;
use crate::{Store, StoreError};
use sotong_core::commitments::{CommitmentState, Metrics};
use std::collections::BTreeMap;

/// What metrics are computed from, for one commitment.
#[derive(Debug, Clone)]
struct Fact {
    sector_id: i64,
    department_id: i64,
    status: String,
    progress: i64,
    budget_secured: i64,
    budget_executed: i64,
}

#[derive(Debug, Clone)]
pub struct PlanMetrics {
    pub overall: Metrics,
    /// Sector id → metrics, for every sector with commitments.
    pub by_sector: BTreeMap<i64, Metrics>,
    /// Lead department id → metrics.
    pub by_department: BTreeMap<i64, Metrics>,
}

fn compute(plan: &Plan, facts: &[Fact]) -> PlanMetrics {
    let taxonomy = plan.taxonomy();
    fn state(f: &Fact) -> CommitmentState<'_> {
        CommitmentState {
            status: &f.status,
            progress: f.progress.clamp(0, 100) as u8,
            budget_secured: f.budget_secured,
            budget_executed: f.budget_executed,
        }
    }
    let group = |key: fn(&Fact) -> i64| {
        let mut groups: BTreeMap<i64, Vec<&Fact>> = BTreeMap::new();
        for fact in facts {
            groups.entry(key(fact)).or_default().push(fact);
        }
        groups
            .into_iter()
            .map(|(id, members)| (id, Metrics::compute(&taxonomy, members.into_iter().map(state))))
            .collect()
    };
    PlanMetrics {
        overall: Metrics::compute(&taxonomy, facts.iter().map(state)),
        by_sector: group(|f| f.sector_id),
        by_department: group(|f| f.department_id),
    }
}

impl Store {
    /// Metrics exactly as published in snapshot `snapshot_id`.
    pub async fn published_metrics(&self, plan: &Plan, snapshot_id: i64) -> Result<PlanMetrics, StoreError> {
        let facts: Vec<Fact> = self
            .published_items(snapshot_id)
            .await?
            .into_iter()
            .map(|item| Fact {
                sector_id: item.sector_id,
                department_id: item.lead_department_id,
                budget_secured: item.budget.total(),
                budget_executed: item.report.as_ref().map(|r| r.budget_executed).unwrap_or(0),
                status: item.status,
                progress: item.progress,
            })
            .collect();
        Ok(compute(plan, &facts))
    }

    /// Live metrics for staff: each commitment's report in `period_id` when there is
    /// one (any state), else its current status.
    pub async fn live_metrics(&self, plan: &Plan, period_id: Option<i64>) -> Result<PlanMetrics, StoreError> {
        let commitments: Vec<Commitment> = self.commitments(plan.id).await?;
        let reports = match period_id {
            Some(id) => self.reports(id).await?,
            None => Vec::new(),
        };
        let facts: Vec<Fact> = commitments
            .iter()
            .map(|c| {
                let report = reports.iter().find(|r| r.commitment_id == c.id);
                Fact {
                    sector_id: c.sector_id,
                    department_id: c.lead_department_id,
                    status: report.map(|r| r.status.clone()).unwrap_or_else(|| c.status.clone()),
                    progress: report.map(|r| r.progress).unwrap_or(c.progress),
                    budget_secured: c.budget_total(),
                    budget_executed: report.map(|r| r.budget_executed).unwrap_or(0),
                }
            })
            .collect();
        Ok(compute(plan, &facts))
    }

    /// The snapshot that published `period_id`, if it is published.
    pub async fn snapshot_of_period(&self, period_id: i64) -> Result<Option<Snapshot>, StoreError> {
        let row = sqlx::query_as::<_, Snapshot>(
            "SELECT id, plan_id, period_id, sequence, summary_json, hash, previous_hash, published_at, published_by
             FROM snapshots WHERE period_id = $1",
        )
        .bind(period_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }
}
