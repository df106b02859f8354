//! Reporting periods, progress reports and their review. Closing a period into a
//! published snapshot, and verifying the chains, is `publication`.
//!
//! Report states: `draft` → `submitted` → `approved`, or `submitted` → `returned`
//! (with the coordinator's comment) → `submitted` again. Only approved reports are
//! published. A closed period refuses every further change.

use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{Commitment, Plan};
use crate::error::ConflictAs;
use crate::{now, Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sotong_core::commitments::period::Period;
use sotong_core::commitments::states::{PeriodState, ReportState};
use sotong_core::FieldError;
use sqlx::{Any, Transaction};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct ReportingPeriod {
    pub id: i64,
    pub plan_id: i64,
    pub code: String,
    pub due_date: String,
    #[sqlx(try_from = "String")]
    pub state: PeriodState,
    pub closed_at: Option<i64>,
    pub closed_by: Option<i64>,
}

impl ReportingPeriod {
    pub fn is_open(&self) -> bool {
        self.state == PeriodState::Open
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct ProgressReport {
    pub id: i64,
    pub commitment_id: i64,
    pub period_id: i64,
    #[sqlx(try_from = "String")]
    pub state: ReportState,
    pub status: String,
    pub progress: i64,
    pub achievements: String,
    pub problems: String,
    pub next_steps: String,
    pub budget_executed: i64,
    pub links: String,
    pub review_comment: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<i64>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub updated_at: i64,
}

/// What the report page shows of one commitment in one period.
#[derive(Debug, Clone)]
pub struct ReportPageData {
    pub report: Option<ProgressReport>,
    pub changes: Vec<crate::commitments::changes::ChangeRequest>,
    pub indicators: Vec<crate::commitments::indicators::Indicator>,
    /// indicator id → the actual recorded for the period.
    pub actuals: std::collections::HashMap<i64, String>,
}

#[derive(sqlx::FromRow)]
struct IndicatorWithActual {
    #[sqlx(flatten)]
    indicator: crate::commitments::indicators::Indicator,
    actual: Option<String>,
}

/// A checked report (`ReportInput::parse` in core): written as given.
pub use sotong_core::commitments::report::ReportInput;

pub(crate) const PERIOD_COLUMNS: crate::columns::Columns =
    crate::columns::Columns("id, plan_id, code, due_date, state, closed_at, closed_by");
pub(crate) const REPORT_COLUMNS: crate::columns::Columns = crate::columns::Columns(
    "id, commitment_id, period_id, state, status, progress, achievements, problems, next_steps, \
     budget_executed, links, review_comment, submitted_by, submitted_at, reviewed_by, reviewed_at, updated_at",
);

pub(crate) fn invalid(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Invalid(FieldError::new(field, code))
}

/// Opens a reporting period inside the caller's transaction.
pub(crate) async fn open_period_in(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    plan: &Plan,
    period: Period,
    due_date: &str,
) -> Result<ReportingPeriod, StoreError> {
    if period.cadence != plan.cadence() {
        return Err(invalid("period", "wrong_cadence"));
    }
    let created = sqlx::query_as::<_, ReportingPeriod>(&format!(
        "INSERT INTO reporting_periods (plan_id, code, due_date, state) VALUES ($1, $2, $3, $4) RETURNING {PERIOD_COLUMNS}"
    ))
    .bind(plan.id)
    .bind(period.code())
    .bind(due_date)
    .bind(PeriodState::Open.as_str())
    .fetch_one(&mut **tx)
    .await
    .conflict_as("period", "period_exists")?;
    let change = Change::new(Some(plan.body_id), "period.open", "reporting_period", created.id).after(&created);
    record(tx, actor, change).await?;
    Ok(created)
}

/// Serialises the writes of one period: a report saved while the period closes
/// either lands before the snapshot is taken or is refused.
pub(crate) async fn lock_period(
    backend: crate::Backend,
    tx: &mut Transaction<'static, Any>,
    period: &ReportingPeriod,
) -> Result<(), StoreError> {
    crate::dialect::lock_keys(backend, tx, &[format!("period:{}", period.id)]).await
}

/// Locks the period (as `lock_period`) and checks, inside the transaction, that it is
/// still open: what every write into a period — a report, an actual, an import —
/// starts with.
pub(crate) async fn lock_open_period(
    backend: crate::Backend,
    tx: &mut Transaction<'static, Any>,
    period: &ReportingPeriod,
) -> Result<(), StoreError> {
    lock_period(backend, tx, period).await?;
    let (state,): (String,) = sqlx::query_as("SELECT state FROM reporting_periods WHERE id = $1")
        .bind(period.id)
        .fetch_one(&mut **tx)
        .await?;
    match PeriodState::try_from(state).map_err(StoreError::Unreadable)? {
        PeriodState::Open => Ok(()),
        PeriodState::Closed => Err(invalid("period", "period_closed")),
    }
}

/// Records an indicator's actual value for the period (replacing an earlier one),
/// inside a transaction that has passed [`Store::editable_report`].
pub(crate) async fn write_actual(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    plan: &Plan,
    commitment: &Commitment,
    indicator_id: i64,
    period: &ReportingPeriod,
    value: &str,
) -> Result<(), StoreError> {
    // Only an indicator of this commitment (else nothing is written: not found).
    let written = sqlx::query(
        "INSERT INTO indicator_actuals (indicator_id, period_id, value)
         SELECT id, $2, $3 FROM indicators WHERE id = $1 AND commitment_id = $4
         ON CONFLICT (indicator_id, period_id) DO UPDATE SET value = excluded.value",
    )
    .bind(indicator_id)
    .bind(period.id)
    .bind(value)
    .bind(commitment.id)
    .execute(&mut **tx)
    .await?;
    if written.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let change = Change::new(Some(plan.body_id), "indicator.actual", "indicator", indicator_id)
        .after(&json!({"period": period.code, "value": value}));
    record(tx, actor, change).await
}

impl Store {
    pub async fn open_period(
        &self,
        actor: &Actor,
        plan: &Plan,
        period: Period,
        due_date: &str,
    ) -> Result<ReportingPeriod, StoreError> {
        let mut tx = self.begin().await?;
        let created = open_period_in(&mut tx, actor, plan, period, due_date).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn periods(&self, plan_id: i64) -> Result<Vec<ReportingPeriod>, StoreError> {
        let rows = sqlx::query_as::<_, ReportingPeriod>(&format!(
            "SELECT {PERIOD_COLUMNS} FROM reporting_periods WHERE plan_id = $1 ORDER BY code"
        ))
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    pub async fn period(&self, plan_id: i64, code: &str) -> Result<Option<ReportingPeriod>, StoreError> {
        let row = sqlx::query_as::<_, ReportingPeriod>(&format!(
            "SELECT {PERIOD_COLUMNS} FROM reporting_periods WHERE plan_id = $1 AND code = $2"
        ))
        .bind(plan_id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// Every report of a period, keyed by commitment.
    pub async fn reports(&self, period_id: i64) -> Result<Vec<ProgressReport>, StoreError> {
        let rows = sqlx::query_as::<_, ProgressReport>(&format!(
            "SELECT {REPORT_COLUMNS} FROM progress_reports WHERE period_id = $1 ORDER BY commitment_id"
        ))
        .bind(period_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// One commitment's report in a period, if written.
    pub async fn report(
        &self,
        commitment: &Commitment,
        period: &ReportingPeriod,
    ) -> Result<Option<ProgressReport>, StoreError> {
        let row = sqlx::query_as::<_, ProgressReport>(&format!(
            "SELECT {REPORT_COLUMNS} FROM progress_reports WHERE commitment_id = $1 AND period_id = $2"
        ))
        .bind(commitment.id)
        .bind(period.id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// What the report page of a commitment shows for a period, in three queries run
    /// at once: the report, the change requests, and the indicators joined with this
    /// period's actuals.
    pub async fn report_page(
        &self,
        commitment: &Commitment,
        period: &ReportingPeriod,
    ) -> Result<ReportPageData, StoreError> {
        let with_actuals = async {
            sqlx::query_as::<_, IndicatorWithActual>(&format!(
                "SELECT {}, a.value AS actual
                 FROM indicators i LEFT JOIN indicator_actuals a ON a.indicator_id = i.id AND a.period_id = $2
                 WHERE i.commitment_id = $1 ORDER BY i.sort_order, i.id",
                crate::commitments::indicators::INDICATOR_COLUMNS.of("i")
            ))
            .bind(commitment.id)
            .bind(period.id)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::from)
        };
        let (report, changes, with_actuals) =
            tokio::try_join!(self.report(commitment, period), self.change_requests(commitment.id), with_actuals)?;
        let actuals = with_actuals.iter().filter_map(|i| Some((i.indicator.id, i.actual.clone()?))).collect();
        let indicators = with_actuals.into_iter().map(|i| i.indicator).collect();
        Ok(ReportPageData { report, changes, indicators, actuals })
    }

    /// Saves the officer's report for a commitment and period, with its indicator
    /// actuals, as a draft or submitted — all in one transaction, after one check that
    /// the period is open and the report is not awaiting review or approved.
    pub async fn save_report(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        period: &ReportingPeriod,
        input: &ReportInput,
    ) -> Result<ProgressReport, StoreError> {
        let submit = input.submit;
        let mut tx = self.begin().await?;
        let before = self.editable_report(&mut tx, commitment, period).await?;
        for (indicator_id, value) in &input.actuals {
            write_actual(&mut tx, actor, plan, commitment, *indicator_id, period, value).await?;
        }
        let at = now();
        let state = ReportState::after_save(before.as_ref().map(|r| r.state), submit).map_err(StoreError::Invalid)?;
        let (submitted_by, submitted_at) = if submit { (actor.user_id, Some(at)) } else { (None, None) };
        let saved = sqlx::query_as::<_, ProgressReport>(&format!(
            "INSERT INTO progress_reports (commitment_id, period_id, state, status, progress, achievements, problems,
                 next_steps, budget_executed, links, review_comment, submitted_by, submitted_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11, $12, $13)
             ON CONFLICT (commitment_id, period_id) DO UPDATE SET
                 state = excluded.state, status = excluded.status, progress = excluded.progress,
                 achievements = excluded.achievements, problems = excluded.problems, next_steps = excluded.next_steps,
                 budget_executed = excluded.budget_executed, links = excluded.links,
                 submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
             RETURNING {REPORT_COLUMNS}"
        ))
        .bind(commitment.id)
        .bind(period.id)
        .bind(state.as_str())
        .bind(&input.status)
        .bind(input.progress)
        .bind(&input.achievements)
        .bind(&input.problems)
        .bind(&input.next_steps)
        .bind(input.budget_executed)
        .bind(&input.links)
        .bind(submitted_by)
        .bind(submitted_at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let action = if submit { "report.submit" } else { "report.save_draft" };
        let mut change = Change::new(Some(plan.body_id), action, "progress_report", saved.id).after(&saved);
        // A first save has no row before it: record none, not a JSON null.
        if let Some(before) = &before {
            change = change.before(before);
        }
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// The one state check before a report or its actuals change, inside the change's
    /// transaction: the period (locked against a concurrent close) is still open and
    /// the report, if any, is a draft or returned. Returns the report as it was.
    pub(crate) async fn editable_report(
        &self,
        tx: &mut Transaction<'static, Any>,
        commitment: &Commitment,
        period: &ReportingPeriod,
    ) -> Result<Option<ProgressReport>, StoreError> {
        lock_open_period(self.backend, tx, period).await?;
        let before = sqlx::query_as::<_, ProgressReport>(&format!(
            "SELECT {REPORT_COLUMNS} FROM progress_reports WHERE commitment_id = $1 AND period_id = $2"
        ))
        .bind(commitment.id)
        .bind(period.id)
        .fetch_optional(&mut **tx)
        .await?;
        ReportState::after_save(before.as_ref().map(|r| r.state), false).map_err(StoreError::Invalid)?;
        Ok(before)
    }

    /// The coordinator approves a submitted report, or returns it with a comment.
    pub async fn review_report(
        &self,
        actor: &Actor,
        plan: &Plan,
        report_id: i64,
        approve: bool,
        comment: &str,
    ) -> Result<ProgressReport, StoreError> {
        if !approve && comment.trim().is_empty() {
            return Err(invalid("review_comment", "required"));
        }
        let mut tx = self.begin().await?;
        let before = sqlx::query_as::<_, ProgressReport>(&format!(
            "SELECT {cols} FROM progress_reports r
             JOIN reporting_periods p ON p.id = r.period_id
             WHERE r.id = $1 AND p.plan_id = $2 AND p.state = $3",
            cols = REPORT_COLUMNS.of("r")
        ))
        .bind(report_id)
        .bind(plan.id)
        .bind(PeriodState::Open.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let next = before.state.after_review(approve).map_err(StoreError::Invalid)?;
        let reviewed = sqlx::query_as::<_, ProgressReport>(&format!(
            "UPDATE progress_reports SET state = $1, review_comment = $2, reviewed_by = $3, reviewed_at = $4, updated_at = $4
             WHERE id = $5 RETURNING {REPORT_COLUMNS}"
        ))
        .bind(next.as_str())
        .bind(comment.trim())
        .bind(actor.user_id)
        .bind(now())
        .bind(report_id)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(
            Some(plan.body_id),
            if approve { "report.approve" } else { "report.return" },
            "progress_report",
            report_id,
        )
        .before(&before)
        .after(&reviewed);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(reviewed)
    }
}
