//! The commitments module's API: plans, their metrics, sectors, commitments and
//! published snapshots.

use super::ApiError;
use crate::error::{AppError, AppResult};
use crate::html::commitments::search::{self, ListQuery};
use crate::page_cache::{published_json, PublishedJson};
use crate::scope::{BodyScope, PeriodSegment, PlanScope};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sotong_core::commitments::period::Period;
use sotong_core::commitments::Metrics;
use sotong_core::role::Permission;
use sotong_core::FieldError;
use sotong_store::commitments::metrics::PlanMetrics;
use sotong_store::commitments::plans::Plan;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

/// The module's API routes; `api::documented_routes` adds them with one line.
pub fn routes() -> Vec<super::ApiRoute> {
    vec![
        routes!(list_plans),
        routes!(plan_metrics),
        routes!(list_sectors),
        routes!(list_commitments),
        routes!(list_snapshots),
        routes!(get_snapshot),
    ]
}

/// A plan of commitments.
#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    pub id: i64,
    pub slug: String,
    /// pledges, policy_tasks or department_plan
    pub kind: String,
    pub title_ko: String,
    pub title_en: String,
    pub term_start: String,
    pub term_end: String,
    /// quarterly, half_yearly or monthly
    pub cadence: String,
}

impl From<Plan> for PlanDto {
    fn from(p: Plan) -> Self {
        PlanDto {
            id: p.id,
            slug: p.slug,
            kind: p.kind.as_str().to_string(),
            title_ko: p.title_ko,
            title_en: p.title_en,
            term_start: p.term_start,
            term_end: p.term_end,
            cadence: p.cadence.key().to_string(),
        }
    }
}

/// The figures of a set of commitments. Rates are fractions from 0 to 1.
#[derive(Serialize, ToSchema)]
pub struct MetricValues {
    pub total: i64,
    /// Status key → number of commitments (every status of the plan, zeros included).
    pub by_status: BTreeMap<String, i64>,
    /// (완료 + 이행후 계속추진) ÷ total
    pub implementation_rate: f64,
    /// (완료 + 이행후 계속추진 + 정상추진) ÷ total
    pub goal_achievement_rate: f64,
    /// Mean progress in percent.
    pub average_progress: f64,
    pub budget_secured: i64,
    pub budget_executed: i64,
}

impl From<&Metrics> for MetricValues {
    fn from(m: &Metrics) -> Self {
        MetricValues {
            total: m.total,
            by_status: m.by_status.clone(),
            implementation_rate: m.implementation.fraction(),
            goal_achievement_rate: m.goal_achievement.fraction(),
            average_progress: m.average_progress,
            budget_secured: m.budget_secured,
            budget_executed: m.budget_executed,
        }
    }
}

/// The metrics of one sector or one lead department.
#[derive(Serialize, ToSchema)]
pub struct GroupMetricsDto {
    pub id: i64,
    pub name_ko: String,
    pub name_en: String,
    #[serde(flatten)]
    pub metrics: MetricValues,
}

#[derive(Serialize, ToSchema)]
pub struct PlanMetricsDto {
    pub plan: String,
    /// The period the figures are for (`2026-Q1`, `2026-H1`, `2026-03`).
    pub period: Option<String>,
    /// True: from the published, hash-chained snapshot. False: live figures (staff only).
    pub published: bool,
    pub snapshot_hash: Option<String>,
    #[serde(flatten)]
    pub metrics: MetricValues,
    pub sectors: Vec<GroupMetricsDto>,
    pub departments: Vec<GroupMetricsDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct MetricsQuery {
    /// `YYYY-Qn`, `YYYY-Hn` or `YYYY-MM`; the latest published period when absent.
    pub period: Option<String>,
}

/// The plans of a public body.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/plans", tag = "commitments",
    params(("org" = String, Path, description = "slug of the public body")),
    responses((status = 200, body = [PlanDto]), (status = 404, body = ApiError)))]
pub async fn list_plans(
    State(state): State<AppState>,
    BodyScope { body, .. }: BodyScope,
) -> AppResult<PublishedJson<Vec<PlanDto>>> {
    Ok(published_json(state.store.plans_of(body.id).await?.into_iter().map(PlanDto::from).collect()))
}

/// Status counts, implementation and goal-achievement rates of a plan for a period,
/// overall, per sector and per lead department. Published periods are public; staff
/// of the body also get live figures of unpublished periods.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/plans/{plan}/metrics", tag = "commitments",
    params(("org" = String, Path, description = "slug of the public body"),
        ("plan" = String, Path, description = "slug of the plan"), MetricsQuery),
    responses((status = 200, body = PlanMetricsDto), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn plan_metrics(
    State(state): State<AppState>,
    PlanScope { roles, plan, .. }: PlanScope,
    Query(query): Query<MetricsQuery>,
) -> AppResult<PublishedJson<PlanMetricsDto>> {
    let staff = roles.allows(Permission::UseStaffWorkspace);
    let periods = state.store.periods(plan.id).await?;
    let period = match &query.period {
        Some(raw) => {
            let code = Period::parse(raw).map_err(|e| AppError::Invalid(vec![e]))?;
            Some(periods.iter().find(|p| p.code == code.code()).ok_or(AppError::NotFound)?.clone())
        }
        None => {
            // The latest published period, or for staff the latest of all.
            let published = periods.iter().rev().find(|p| !p.is_open()).cloned();
            if staff {
                published.or_else(|| periods.last().cloned())
            } else {
                published
            }
        }
    };
    let snapshot = match &period {
        Some(p) => state.store.snapshot_of_period(p.id).await?,
        None => None,
    };
    let metrics = match (&snapshot, staff) {
        (Some(snapshot), _) => (*state.published.get(&state.store, &plan, snapshot.id).await?).clone(),
        (None, true) => state.store.live_metrics(&plan, period.as_ref().map(|p| p.id)).await?,
        (None, false) if query.period.is_some() => {
            return Err(AppError::Invalid(vec![FieldError::new("period", "not_published")]))
        }
        (None, false) => return Err(AppError::NotFound),
    };
    Ok(published_json(metrics_dto(&state, &plan, period.map(|p| p.code), snapshot.map(|s| s.hash), &metrics).await?))
}

async fn metrics_dto(
    state: &AppState,
    plan: &Plan,
    period: Option<String>,
    snapshot_hash: Option<String>,
    metrics: &PlanMetrics,
) -> AppResult<PlanMetricsDto> {
    let sectors = state.store.sectors(plan.id).await?;
    let units = state.store.units(plan.body_id).await?;
    let group = |id: &i64, m: &Metrics, name_ko: &str, name_en: &str| GroupMetricsDto {
        id: *id,
        name_ko: name_ko.to_string(),
        name_en: name_en.to_string(),
        metrics: m.into(),
    };
    Ok(PlanMetricsDto {
        plan: plan.slug.clone(),
        published: snapshot_hash.is_some(),
        period,
        snapshot_hash,
        metrics: (&metrics.overall).into(),
        sectors: sectors
            .iter()
            .filter_map(|s| metrics.by_sector.get(&s.id).map(|m| group(&s.id, m, &s.name_ko, &s.name_en)))
            .collect(),
        departments: units
            .iter()
            .filter_map(|u| metrics.by_department.get(&u.id).map(|m| group(&u.id, m, &u.name_ko, &u.name_en)))
            .collect(),
    })
}

/// A sector (분야) or strategy of a plan.
#[derive(Serialize, ToSchema)]
pub struct SectorDto {
    pub id: i64,
    pub name_ko: String,
    pub name_en: String,
}

/// A published snapshot: one closed period of a plan and its place in the hash chain.
#[derive(Serialize, ToSchema)]
pub struct SnapshotDto {
    pub sequence: i64,
    pub period: String,
    /// SHA-256 over the snapshot's canonical summary and the previous hash (docs/VERIFY.md).
    pub hash: String,
    pub published_at: i64,
}

/// A commitment as last published (its report text is in the snapshot endpoint).
#[derive(Serialize, ToSchema)]
pub struct CommitmentDto {
    pub code: String,
    pub title: String,
    pub sector: String,
    pub lead_department: String,
    /// Status key of the plan's taxonomy.
    pub status: String,
    pub progress: i64,
    pub budget_krw: i64,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// The sectors or strategies of a plan.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/plans/{plan}/sectors", tag = "commitments",
    params(("org" = String, Path, description = "slug of the public body"), ("plan" = String, Path, description = "slug of the plan")),
    responses((status = 200, body = [SectorDto]), (status = 404, body = ApiError)))]
pub async fn list_sectors(
    State(state): State<AppState>,
    PlanScope { plan, .. }: PlanScope,
) -> AppResult<PublishedJson<Vec<SectorDto>>> {
    let sectors = state.store.sectors(plan.id).await?;
    Ok(published_json(
        sectors.into_iter().map(|s| SectorDto { id: s.id, name_ko: s.name_ko, name_en: s.name_en }).collect(),
    ))
}

/// The published periods of a plan, oldest first, with their hashes.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/plans/{plan}/snapshots", tag = "commitments",
    params(("org" = String, Path, description = "slug of the public body"), ("plan" = String, Path, description = "slug of the plan")),
    responses((status = 200, body = [SnapshotDto]), (status = 404, body = ApiError)))]
pub async fn list_snapshots(
    State(state): State<AppState>,
    PlanScope { plan, .. }: PlanScope,
) -> AppResult<PublishedJson<Vec<SnapshotDto>>> {
    let periods = state.store.periods(plan.id).await?;
    let heads = state.store.snapshot_heads(plan.id).await?;
    Ok(published_json(
        heads
            .into_iter()
            .map(|h| SnapshotDto {
                sequence: h.sequence,
                period: periods.iter().find(|p| p.id == h.period_id).map(|p| p.code.clone()).unwrap_or_default(),
                hash: h.hash,
                published_at: h.published_at,
            })
            .collect(),
    ))
}

/// One published period in full: every commitment as published, with its approved
/// report and indicators, the metrics and the snapshot's hashes (the JSON export).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/plans/{plan}/snapshots/{period}", tag = "commitments",
    params(("org" = String, Path, description = "slug of the public body"), ("plan" = String, Path, description = "slug of the plan"),
        ("period" = String, Path, description = "2026-Q2, 2026-H1 or 2026-03")),
    responses((status = 200, description = "the published period as JSON"), (status = 404, body = ApiError),
        (status = 422, body = ApiError, description = "the period is not written like 2026-Q2, 2026-H1 or 2026-03")))]
pub async fn get_snapshot(
    State(state): State<AppState>,
    PlanScope { plan, .. }: PlanScope,
    Path(PeriodSegment { period }): Path<PeriodSegment>,
) -> AppResult<axum::response::Response> {
    let code = Period::parse(&period).map_err(|e| AppError::Invalid(vec![e]))?.code();
    let period = state.store.period(plan.id, &code).await?.ok_or(AppError::NotFound)?;
    let snapshot = state.store.snapshot_of_period(period.id).await?.ok_or(AppError::NotFound)?;
    let document = crate::html::commitments::exports::snapshot_document(&state.store, &plan, &snapshot, &code).await?;
    Ok(crate::page_cache::Published(([(axum::http::header::CONTENT_TYPE, "application/json")], document))
        .into_response())
}

/// The commitments of a plan as last published, with the list page's filters: a
/// keyword (`ㅊㅇ` finds 창업), sector, status, department and sort; with `page`, 20
/// per page. `X-Total-Count` tells how many match.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/plans/{plan}/commitments", tag = "commitments",
    params(("org" = String, Path, description = "slug of the public body"), ("plan" = String, Path, description = "slug of the plan"), ListQuery),
    responses((status = 200, body = [CommitmentDto], headers(("X-Total-Count" = usize, description = "how many commitments match"))),
        (status = 404, body = ApiError)))]
pub async fn list_commitments(
    State(state): State<AppState>,
    PlanScope { plan, .. }: PlanScope,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let heads = state.store.snapshot_heads(plan.id).await?;
    let candidates = match heads.last() {
        Some(latest) => search::candidates(&state.store, &plan, latest.id, false).await?,
        None => Vec::new(),
    };
    let listing = query.apply(candidates, query.page.map(|_| search::PAGE_SIZE));
    let total = listing.total;
    let rows: Vec<CommitmentDto> = listing
        .rows
        .into_iter()
        .map(|c| CommitmentDto {
            budget_krw: c.item.budget.total(),
            code: c.item.code,
            title: c.item.title,
            sector: c.sector,
            lead_department: c.department,
            status: c.item.status,
            progress: c.item.progress,
            start_date: c.item.start_date,
            end_date: c.item.end_date,
        })
        .collect();
    let mut response = published_json(rows).into_response();
    response.headers_mut().insert("x-total-count", total.into());
    Ok(response)
}
