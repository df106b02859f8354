//! Uploading a commitments spreadsheet in the back office (coordinators). The same
//! rules as `sotong import commitments`: all or nothing, every error shown by line and
//! column, in Korean.

use super::urls::PlanUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::PlanScope;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use sotong_core::commitments::period::Period;
use sotong_core::role::Permission;
use sotong_exchange::commitments_csv::{self, ImportError};
use sotong_store::commitments::import::{ImportFailure, ImportSummary};

/// Largest spreadsheet accepted (a 1,000-row plan is about 150 KB).
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

pub struct ErrorRow {
    pub line: String,
    pub column: String,
    pub message: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "commitments/import.html")]
struct ImportPage {
    shell: Shell,
    urls: PlanUrls,
    plan_title: String,
    errors: Vec<ErrorRow>,
    /// The upload form's fields: a file's problems are listed by line in `errors`.
    field_errors: FormErrors,
    /// What a successful import did, as a sentence.
    done: Option<String>,
    period: String,
}

async fn page(
    ctx: &Ctx,
    scope: &PlanScope,
    errors: Vec<ImportError>,
    summary: Option<ImportSummary>,
    period: String,
) -> AppResult<Response> {
    let PlanScope { body, roles, plan, .. } = scope;
    let shell = Shell::new(ctx, "import.title");
    let t = shell.t;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ImportPage {
        urls: PlanUrls::new(&body, &plan),
        plan_title: plan.title(t.is_en()).to_string(),
        field_errors: FormErrors::none(t),
        errors: errors
            .iter()
            .map(|e| ErrorRow {
                line: if e.line == 0 { "-".into() } else { e.line.to_string() },
                column: e.column.clone(),
                message: t.t(&format!("import.{}", e.code)).to_string(),
                value: e.value.clone(),
            })
            .collect(),
        done: summary.map(|s| {
            let counts =
                [s.rows, s.created, s.updated, s.approved_reports, s.departments_created].map(|n| n.to_string());
            t.f("import.done", &counts.each_ref().map(String::as_str))
        }),
        period,
        shell: shell.with_body(BodyNav::new(body, roles, &t), "staff"),
    };
    Ok(render(status, &page))
}

pub async fn form(ctx: Ctx, scope: PlanScope) -> AppResult<Response> {
    scope.require(Permission::ManagePlans)?;
    page(&ctx, &scope, Vec::new(), None, String::new()).await
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    mut multipart: Multipart,
) -> AppResult<Response> {
    scope.require(Permission::ManagePlans)?;
    let plan = &scope.plan;
    let (mut file, mut period_raw, mut create_departments) = (Vec::new(), String::new(), false);
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::BadRequest("multipart"))? {
        match field.name() {
            Some("file") => file = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?.to_vec(),
            Some("period") => period_raw = field.text().await.unwrap_or_default().trim().to_string(),
            Some("create_departments") => create_departments = true,
            _ => {}
        }
    }
    let fail = |errors: Vec<ImportError>| page(&ctx, &scope, errors, None, period_raw.clone());
    if file.is_empty() {
        return fail(vec![ImportError::new(0, "file", "empty_file", "")]).await;
    }
    // An .xlsx is read as the CSV it holds, so both follow one set of rules.
    if sotong_exchange::commitments_xlsx::is_xlsx(&file) {
        file = match sotong_exchange::commitments_xlsx::to_csv(&file) {
            Ok(csv) => csv,
            Err(error) => return fail(vec![error]).await,
        };
    }
    let parsed = match commitments_csv::parse(&file, &plan.taxonomy()) {
        Ok(parsed) => parsed,
        Err(errors) => return fail(errors).await,
    };
    let period = if period_raw.is_empty() {
        None
    } else {
        let Ok(code) = Period::parse(&period_raw) else {
            return fail(vec![ImportError::new(0, "period", "invalid_period", &period_raw)]).await;
        };
        Some(code)
    };
    match state.store.import_commitments(&ctx.actor(), &plan, &parsed.rows, period, create_departments).await {
        Ok(summary) => page(&ctx, &scope, Vec::new(), Some(summary), period_raw).await,
        Err(ImportFailure::Rows(errors)) => fail(errors).await,
        Err(ImportFailure::Store(error)) => Err(error.into()),
    }
}

/// The upload template: `template.xlsx` or `template.csv` (Korean headers, one example).
pub async fn template(
    scope: PlanScope,
    axum::extract::Path((_, _, file)): axum::extract::Path<(String, String, String)>,
) -> AppResult<Response> {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    scope.require(Permission::ManagePlans)?;
    let (bytes, content_type) = match file.as_str() {
        "template.xlsx" => (
            sotong_exchange::commitments_xlsx::template().map_err(|e| AppError::Internal(e.into()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "template.csv" => (sotong_exchange::commitments_xlsx::template_csv(), "text/csv; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"sotong-commitments-{file}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
