//! A period's complaints as CSV or XLSX, for the city's own reporting: the staff who
//! answer complaints download those of their departments (body-wide staff, all) filed
//! in `[from, to]`, at most a year. The filer's name and contact are not in it (the
//! report needs counts and deadlines, not people), nor the complaint's text.

use super::ComplaintUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::voice::answers::departments_of;
use crate::i18n::Tr;
use crate::scope::BodyScope;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::FieldError;
use sotong_exchange::table::Table;
use sotong_store::orgs::Org;
use sotong_store::voice::complaints::{Complaint, ComplaintCategory, ComplaintFilter};

/// The longest period one download covers.
const MAX_DAYS: i64 = 366;

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// `csv` (the default) or `xlsx`.
    #[serde(default)]
    format: String,
}

/// The export form's action and its default period (this month so far).
pub fn defaults(body: &Org, today: &str) -> (String, String, String) {
    (ComplaintUrls::new(body).inbox("/export"), format!("{}01", &today[..8]), today.to_string())
}

fn period(query: &ExportQuery) -> Result<(i64, i64), Vec<FieldError>> {
    let from = super::due_of_date(&query.from).map(|t| t - 18 * 3600);
    let to = super::due_of_date(&query.to).map(|t| t + 6 * 3600);
    match (from, to) {
        (Some(from), Some(to)) if to > from && to - from <= MAX_DAYS * 86_400 => Ok((from, to)),
        (Some(_), Some(_)) => Err(vec![FieldError::new("to", "export_period")]),
        (from, to) => Err([
            from.is_none().then(|| FieldError::new("from", "invalid_date")),
            to.is_none().then(|| FieldError::new("to", "invalid_date")),
        ]
        .into_iter()
        .flatten()
        .collect()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    scope.require(Permission::AnswerCitizens)?;
    let (from, to) = period(&query).map_err(AppError::Invalid)?;
    let filter = ComplaintFilter {
        departments: departments_of(&scope.roles),
        filed_from: Some(from),
        filed_to: Some(to),
        limit: 100_000,
        ..Default::default()
    };
    let ((mut complaints, _), categories, units) = tokio::try_join!(
        state.store.complaints(scope.body.id, &filter),
        state.store.complaint_categories(scope.body.id),
        state.store.units(scope.body.id),
    )?;
    complaints.reverse();
    let t = ctx.tr();
    let table = Table {
        title: format!("민원 {}~{}", query.from.trim(), query.to.trim()),
        headers: HEADERS.iter().map(|k| t.t(k).to_string()).collect(),
        rows: complaints.iter().map(|c| row(c, &categories, &units, &t)).collect(),
    };
    let name = format!("complaints-{}-{}-{}", scope.body.slug, query.from.trim(), query.to.trim());
    let (bytes, content_type, extension) = match query.format.as_str() {
        "xlsx" => (
            table.to_xlsx().map_err(|e| AppError::Internal(anyhow::anyhow!("complaints workbook: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _ => (table.to_csv(), "text/csv; charset=utf-8", "csv"),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{extension}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

const HEADERS: [&str; 15] = [
    "complaint_export.number",
    "complaint_export.filed",
    "complaint_export.category",
    "complaint_export.kind",
    "complaint_export.title",
    "complaint_export.visibility",
    "complaint_export.state",
    "complaint_export.department",
    "complaint_export.due",
    "complaint_export.answered",
    "complaint_export.on_time",
    "complaint_export.extensions",
    "complaint_export.satisfaction",
    "complaint_export.repeat_of",
    "complaint_export.case",
];

fn row(c: &Complaint, categories: &[ComplaintCategory], units: &[Org], t: &Tr) -> Vec<String> {
    let category = categories.iter().find(|k| k.id == c.category_id).map(|k| k.name.clone()).unwrap_or_default();
    let department =
        c.department_id.and_then(|d| units.iter().find(|u| u.id == d)).map(|u| u.name(t.is_en()).to_string());
    let finished = c.answered_at.or(c.closed_at);
    let on_time = match finished {
        _ if c.state.is_open() => "complaint_export.in_progress",
        Some(at) if at <= c.due_at => "complaint_export.kept",
        Some(_) => "complaint_export.late",
        None => "complaint_export.not_applicable",
    };
    vec![
        c.id.to_string(),
        t.date_time(c.created_at),
        category,
        t.t(&format!("complaint_kind.{}", c.kind)).to_string(),
        c.title.clone(),
        t.t(if c.is_public() { "complaint_new.public" } else { "complaint_new.private" }).to_string(),
        t.t(&format!("complaint_state.{}", c.state.as_str())).to_string(),
        department.unwrap_or_default(),
        t.date_time(c.due_at),
        finished.map(|at| t.date_time(at)).unwrap_or_default(),
        t.t(on_time).to_string(),
        c.extensions.to_string(),
        c.satisfaction.map(|s| t.t(&format!("satisfaction.s{s}")).to_string()).unwrap_or_default(),
        c.repeat_of.map(|id| id.to_string()).unwrap_or_default(),
        c.case_id.map(|id| id.to_string()).unwrap_or_default(),
    ]
}
