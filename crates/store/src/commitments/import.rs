//! Importing a commitments spreadsheet into a plan, all or nothing.
//!
//! The rows were parsed by `sotong_exchange::commitments_csv`; here the lead
//! departments are resolved against the public body's units (an unknown one is an
//! error on its line, unless the import may create departments), then every row is
//! applied in one transaction: sectors are created as needed, commitments are created
//! or updated by code, and with a period each row's status becomes that period's
//! approved report (the coordinator who imports vouches for it).

use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{
    insert_commitment, sector_named_in, Commitment, CommitmentInput, Plan, COMMITMENT_COLUMNS,
};
use crate::commitments::reports::ReportingPeriod;
use crate::orgs::Org;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::commitments::period::Period;
use sotong_exchange::commitments_csv::{ImportError, Row};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub approved_reports: usize,
    pub departments_created: usize,
}

pub enum ImportFailure {
    /// Problems in the file, by line; nothing was changed.
    Rows(Vec<ImportError>),
    Store(StoreError),
}

impl From<StoreError> for ImportFailure {
    fn from(error: StoreError) -> Self {
        ImportFailure::Store(error)
    }
}

impl From<sqlx::Error> for ImportFailure {
    fn from(error: sqlx::Error) -> Self {
        ImportFailure::Store(error.into())
    }
}

fn matches_unit(unit: &Org, written: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    unit.slug == written || squeeze(&unit.name_ko) == squeeze(written) || unit.name_en.eq_ignore_ascii_case(written)
}

impl Store {
    pub async fn import_commitments(
        &self,
        actor: &Actor,
        plan: &Plan,
        rows: &[Row],
        period: Option<Period>,
        create_departments: bool,
    ) -> Result<ImportSummary, ImportFailure> {
        let units = self.units(plan.body_id).await?;
        let mut missing: Vec<(usize, &str)> = Vec::new();
        for row in rows {
            if !units.iter().any(|u| matches_unit(u, &row.lead_department)) {
                missing.push((row.line, &row.lead_department));
            }
        }
        if !missing.is_empty() && !create_departments {
            let errors = missing
                .iter()
                .map(|(line, name)| ImportError::new(*line, "lead_department", "unknown_department", name))
                .collect();
            return Err(ImportFailure::Rows(errors));
        }

        let mut tx = self.begin().await?;
        let period = match period {
            Some(code) => Some(self.period_to_import_into(&mut tx, actor, plan, code).await?),
            None => None,
        };
        let mut summary = ImportSummary { rows: rows.len(), ..Default::default() };
        let mut department_ids: HashMap<String, i64> = HashMap::new();
        for (_, name) in &missing {
            if department_ids.contains_key(*name) {
                continue;
            }
            let slug = format!("imported-{}", units.len() + department_ids.len() + 1);
            let created = sqlx::query_as::<_, (i64,)>(
                "INSERT INTO organisations (parent_id, body_id, kind, slug, name_ko, name_en, admin_code, sort_order, created_at)
                 VALUES ($1, $1, 'department', $2, $3, $3, NULL,
                     (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM organisations WHERE parent_id = $1), $4)
                 RETURNING id",
            )
            .bind(plan.body_id)
            .bind(&slug)
            .bind(*name)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new(Some(plan.body_id), "org.create", "organisation", created.0)
                .after(&serde_json::json!({"slug": slug, "name_ko": name, "kind": "department", "via": "import"}));
            record(&mut tx, actor, change).await?;
            department_ids.insert(name.to_string(), created.0);
            summary.departments_created += 1;
        }

        for row in rows {
            let lead = units
                .iter()
                .find(|u| matches_unit(u, &row.lead_department))
                .map(|u| u.id)
                .or_else(|| department_ids.get(&row.lead_department).copied())
                .ok_or(StoreError::NotFound)?;
            let sector = sector_named_in(&mut tx, actor, plan, &row.sector, "").await?;
            let existing = sqlx::query_as::<_, Commitment>(&format!(
                "SELECT {COMMITMENT_COLUMNS} FROM commitments WHERE plan_id = $1 AND code = $2"
            ))
            .bind(plan.id)
            .bind(&row.code)
            .fetch_optional(&mut *tx)
            .await?;
            let commitment = match existing {
                None => {
                    let input = CommitmentInput {
                        code: row.code.clone(),
                        sector_id: sector.id,
                        title: row.title.clone(),
                        summary: String::new(),
                        lead_department_id: lead,
                        term_target: row.target.clone(),
                        start_date: row.start_date.clone(),
                        end_date: row.end_date.clone(),
                        budget_national: 0,
                        budget_provincial: 0,
                        budget_city: 0,
                        budget_other: row.budget_krw,
                        status: row.status.clone(),
                        progress: row.progress,
                    };
                    summary.created += 1;
                    insert_commitment(&mut tx, actor, plan, &input).await?
                }
                Some(before) => {
                    summary.updated += 1;
                    update_from_row(&mut tx, actor, plan, &before, row, sector.id, lead).await?
                }
            };
            if let Some(period) = &period {
                approve_imported_report(&mut tx, actor, plan, &commitment, period, row).await?;
                summary.approved_reports += 1;
            }
        }
        let change = Change::new(Some(plan.body_id), "commitments.import", "plan", plan.id).after(&summary);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(summary)
    }
}

/// Updates a commitment from a spreadsheet row. The file has one budget column (the
/// total): when it equals the current total the split by source is kept; otherwise
/// the difference goes to 기타, or everything does if the known sources exceed it.
async fn update_from_row(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    plan: &Plan,
    before: &Commitment,
    row: &Row,
    sector_id: i64,
    lead: i64,
) -> Result<Commitment, StoreError> {
    let known = before.budget_national + before.budget_provincial + before.budget_city;
    let (national, provincial, city, other) = if row.budget_krw == before.budget_total() {
        (before.budget_national, before.budget_provincial, before.budget_city, before.budget_other)
    } else if row.budget_krw >= known {
        (before.budget_national, before.budget_provincial, before.budget_city, row.budget_krw - known)
    } else {
        (0, 0, 0, row.budget_krw)
    };
    let after = sqlx::query_as::<_, Commitment>(&format!(
        "UPDATE commitments SET sector_id = $1, title = $2, lead_department_id = $3, term_target = $4, start_date = $5,
             end_date = $6, budget_national = $7, budget_provincial = $8, budget_city = $9, budget_other = $10,
             status = $11, progress = $12, updated_at = $13
         WHERE id = $14 RETURNING {COMMITMENT_COLUMNS}"
    ))
    .bind(sector_id)
    .bind(&row.title)
    .bind(lead)
    .bind(&row.target)
    .bind(row.start_date.as_deref())
    .bind(row.end_date.as_deref())
    .bind(national)
    .bind(provincial)
    .bind(city)
    .bind(other)
    .bind(&row.status)
    .bind(row.progress)
    .bind(now())
    .bind(before.id)
    .fetch_one(&mut **tx)
    .await?;
    let change =
        Change::new(Some(plan.body_id), "commitment.update", "commitment", before.id).before(before).after(&after);
    record(tx, actor, change).await?;
    Ok(after)
}

impl Store {
    /// The open period `code` of the plan, locked against a concurrent close, or a new
    /// one opened in the import's own transaction (so a rejected import leaves none).
    async fn period_to_import_into(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        plan: &Plan,
        code: Period,
    ) -> Result<ReportingPeriod, ImportFailure> {
        let refused =
            |error: &'static str| ImportFailure::Rows(vec![ImportError::new(0, "period", error, &code.code())]);
        let Some(existing) = self.period(plan.id, &code.code()).await? else {
            return match crate::commitments::reports::open_period_in(tx, actor, plan, code, &code.default_due_date())
                .await
            {
                Ok(opened) => Ok(opened),
                Err(StoreError::Invalid(e)) => Err(refused(e.code)),
                Err(other) => Err(other.into()),
            };
        };
        match crate::commitments::reports::lock_open_period(self.backend, tx, &existing).await {
            Ok(()) => Ok(existing),
            Err(StoreError::Invalid(e)) => Err(refused(e.code)),
            Err(other) => Err(other.into()),
        }
    }
}

async fn approve_imported_report(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    plan: &Plan,
    commitment: &Commitment,
    period: &ReportingPeriod,
    row: &Row,
) -> Result<(), StoreError> {
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO progress_reports (commitment_id, period_id, state, status, progress, achievements, problems,
             next_steps, budget_executed, links, review_comment, submitted_by, submitted_at, reviewed_by, reviewed_at, updated_at)
         VALUES ($1, $2, $7, $3, $4, '', '', '', 0, '', '', $5, $6, $5, $6, $6)
         ON CONFLICT (commitment_id, period_id) DO UPDATE SET
             state = excluded.state, status = excluded.status, progress = excluded.progress,
             reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(commitment.id)
    .bind(period.id)
    .bind(&row.status)
    .bind(row.progress)
    .bind(actor.user_id)
    .bind(at)
    .bind(sotong_core::commitments::states::ReportState::Approved.as_str())
    .fetch_one(&mut **tx)
    .await?;
    let change =
        Change::new(Some(plan.body_id), "report.import_approved", "progress_report", id).after(&serde_json::json!({
            "commitment": commitment.code, "period": period.code, "status": row.status, "progress": row.progress
        }));
    record(tx, actor, change).await?;
    Ok(())
}
