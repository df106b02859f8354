//! Downloads of a published period: CSV in the import format (it imports back
//! unchanged) and JSON with the snapshot's hash and metrics.

use crate::error::{AppError, AppResult};
use crate::scope::PlanScope;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sotong_core::commitments::period::Period;
use sotong_exchange::commitments_csv::{self, Row};
use sotong_store::commitments::plans::Plan;
use sotong_store::commitments::publication::Snapshot;
use sotong_store::{Store, StoreError};

#[derive(Deserialize)]
pub struct ExportQuery {
    period: Option<String>,
}

/// A published period's items as spreadsheet rows, sector and department by name.
pub async fn snapshot_rows(store: &Store, plan: &Plan, snapshot_id: i64) -> Result<Vec<Row>, StoreError> {
    let sectors = store.sectors(plan.id).await?;
    let units = store.units(plan.body_id).await?;
    let items = store.published_items(snapshot_id).await?;
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Row {
            line: i + 2,
            sector: sectors.iter().find(|s| s.id == item.sector_id).map(|s| s.name_ko.clone()).unwrap_or_default(),
            lead_department: units
                .iter()
                .find(|u| u.id == item.lead_department_id)
                .map(|u| u.name_ko.clone())
                .unwrap_or_default(),
            budget_krw: item.budget.total(),
            code: item.code,
            title: item.title,
            status: item.status,
            progress: item.progress,
            target: item.term_target,
            start_date: item.start_date,
            end_date: item.end_date,
        })
        .collect())
}

/// The snapshot of `period` (or the latest), for a public download.
async fn published(state: &AppState, plan: &Plan, period: Option<&str>) -> AppResult<(Snapshot, String)> {
    let periods = state.store.periods(plan.id).await?;
    let snapshots = state.store.snapshots(plan.id).await?;
    let snapshot = match period {
        Some(raw) => {
            let code = Period::parse(raw).map_err(|e| AppError::Invalid(vec![e]))?.code();
            let period = periods.iter().find(|p| p.code == code).ok_or(AppError::NotFound)?;
            snapshots.into_iter().find(|s| s.period_id == period.id).ok_or(AppError::NotFound)?
        }
        None => snapshots.into_iter().last().ok_or(AppError::NotFound)?,
    };
    let code = periods.iter().find(|p| p.id == snapshot.period_id).map(|p| p.code.clone()).unwrap_or_default();
    Ok((snapshot, code))
}

/// `hanbit-pledges-8-2026-Q2.csv`
fn file_name(scope: &PlanScope, code: &str, extension: &str) -> String {
    format!("{}-{}-{code}.{extension}", scope.body.slug, scope.plan.slug)
}

fn download(body: impl IntoResponse, content_type: &'static str, filename: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Published snapshots never change: cache them and let clients revalidate cheaply.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

pub async fn csv(
    State(state): State<AppState>,
    scope: PlanScope,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let plan = &scope.plan;
    let (snapshot, code) = published(&state, plan, query.period.as_deref()).await?;
    let rows = snapshot_rows(&state.store, plan, snapshot.id).await?;
    let body = commitments_csv::write(&rows, &plan.taxonomy());
    Ok(download(body, "text/csv; charset=utf-8", file_name(&scope, &code, "csv")))
}

/// The JSON export of a published period: the plan, the snapshot's place in the
/// chain, its metrics and every commitment as published.
pub async fn snapshot_document(
    store: &Store,
    plan: &Plan,
    snapshot: &Snapshot,
    code: &str,
) -> Result<String, StoreError> {
    let items = store.published_items(snapshot.id).await?;
    let summary: serde_json::Value = serde_json::from_str(&snapshot.summary_json)
        .map_err(|e| StoreError::Unreadable(format!("snapshot {} summary: {e}", snapshot.id)))?;
    let document = serde_json::json!({
        "plan": {"slug": plan.slug, "title_ko": plan.title_ko, "title_en": plan.title_en, "kind": plan.kind},
        "period": code,
        "snapshot": {"sequence": snapshot.sequence, "hash": snapshot.hash, "previous_hash": snapshot.previous_hash, "published_at": snapshot.published_at},
        "metrics": summary["metrics"],
        "commitments": items,
    });
    Ok(serde_json::to_string_pretty(&document).unwrap_or_default())
}

/// The XLSX export of a published period.
pub async fn snapshot_workbook(
    store: &Store,
    plan: &Plan,
    snapshot: &Snapshot,
    code: &str,
) -> Result<Vec<u8>, StoreError> {
    let rows = snapshot_rows(store, plan, snapshot.id).await?;
    let label = Period::parse(code).map(|p| p.label_ko()).unwrap_or_else(|_| code.to_string());
    let title = format!("{} — {label}", plan.title_ko);
    // Writing a workbook to memory only fails on an impossible sheet layout.
    Ok(sotong_exchange::commitments_xlsx::write(&title, &rows, &plan.taxonomy()).unwrap_or_default())
}

pub async fn json(
    State(state): State<AppState>,
    scope: PlanScope,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let plan = &scope.plan;
    let (snapshot, code) = published(&state, plan, query.period.as_deref()).await?;
    let body = snapshot_document(&state.store, plan, &snapshot, &code).await?;
    Ok(download(body, "application/json", file_name(&scope, &code, "json")))
}

pub async fn xlsx(
    State(state): State<AppState>,
    scope: PlanScope,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let plan = &scope.plan;
    let (snapshot, code) = published(&state, plan, query.period.as_deref()).await?;
    let bytes = snapshot_workbook(&state.store, plan, &snapshot, &code).await?;
    let content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(download(bytes, content_type, file_name(&scope, &code, "xlsx")))
}
