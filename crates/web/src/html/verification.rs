//! Resident verification (주민 확인), the shared service's page: a signed-in person
//! verifies once per public body — with a one-time voting code the city printed or
//! sent, or with the name, date of birth and mobile number the city's roster holds —
//! and returns to the vote that sent them (participatory budgeting now, polls next).
//! Attempts are rate-limited, so neither codes nor roster entries can be tried out.

use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::limits::{self, Write};
use crate::scope::BodyScope;
use crate::security::{hmac_sha256_hex, sha256_hex};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::verification::{normalise_code, PersonDetails};
use sotong_core::FieldError;
use sotong_store::orgs::Org;
use sotong_store::StoreError;

pub fn routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    use axum::routing::{get, post};
    vec![
        ("/{org}/verify", get(page).post(verify)),
        ("/{org}/staff/residents", get(staff_page)),
        (
            "/{org}/staff/residents/roster",
            post(import_roster).layer(axum::extract::DefaultBodyLimit::max(crate::html::files::UPLOAD_ROUTE_LIMIT)),
        ),
        ("/{org}/staff/residents/codes", post(issue_codes)),
    ]
}

/// The keyed hash of a person's details under the installation's verification key:
/// what rosters hold and check-ins look up. None without a configured key.
pub fn person_key(state: &AppState, details: &PersonDetails) -> Option<String> {
    state.config.verification_key.as_ref().map(|key| hmac_sha256_hex(key, details.keyed_message().as_bytes()))
}

/// A voting code's digest, as stored.
pub fn code_digest(code: &str) -> String {
    sha256_hex(code)
}

#[derive(Deserialize, Default)]
pub struct VerifyQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize, Default)]
pub struct VerifyForm {
    /// `code` or `roster`.
    #[serde(default)]
    method: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    born_on: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "verification/verify.html")]
struct VerifyPage {
    shell: Shell,
    form: VerifyForm,
    errors: FormErrors,
    verified: Option<String>,
    roster_available: bool,
    refusal: Option<String>,
    action: String,
}

/// Only a path of this body's pages is a place to return to.
fn safe_next(body: &Org, next: &str) -> Option<String> {
    let prefix = format!("/{}/", body.slug);
    (next.starts_with(&prefix) && !next.contains("//") && !next.contains('\\')).then(|| next.to_string())
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: VerifyForm,
    errors: Vec<FieldError>,
    refusal: Option<String>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let shell = Shell::new(ctx, "verify_page.title");
    let t = shell.t;
    let verified = state.store.verified(scope.body.id, user.id).await?;
    let roster_available =
        state.config.verification_key.is_some() && !state.store.rosters(scope.body.id).await?.is_empty();
    let title = shell.title.clone();
    let page = VerifyPage {
        form,
        errors: FormErrors::new(t, errors),
        verified: verified.map(|v| {
            t.f2(
                "verify_page.done",
                t.date(v.verified_at),
                t.t(&format!("verification_method.{}", v.method.as_str())),
            )
        }),
        roster_available,
        refusal: refusal.clone(),
        action: crate::urls::body(&scope.body, "/verify"),
        shell: shell
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting")
            .with_breadcrumbs(vec![(title, String::new())]),
    };
    let status = if refusal.is_some() { StatusCode::TOO_MANY_REQUESTS } else { page.errors.status() };
    Ok(render(status, &page))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<VerifyQuery>,
) -> AppResult<Response> {
    let form = VerifyForm { method: "code".into(), next: query.next, ..Default::default() };
    show(&state, &ctx, &scope, form, Vec::new(), None).await
}

pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<VerifyForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    if !limits::allow(&state, &ctx, user.id, Write::Verification).await? {
        let message = ctx.tr().t("verify_page.too_many").to_string();
        return show(&state, &ctx, &scope, form, Vec::new(), Some(message)).await;
    }
    let result = if form.method == "roster" {
        match PersonDetails::parse(&form.name, &form.born_on, &form.phone) {
            Err(errors) => return show(&state, &ctx, &scope, form, errors, None).await,
            Ok(details) => match person_key(&state, &details) {
                None => Err(StoreError::Invalid(FieldError::new("name", "not_on_roster"))),
                Some(key) => {
                    state.store.verify_by_roster(&ctx.actor(), scope.body.id, user.id, &key, &details.born_on).await
                }
            },
        }
    } else {
        match normalise_code(&form.code) {
            Err(error) => return show(&state, &ctx, &scope, form, vec![error], None).await,
            Ok(code) => state.store.verify_by_code(&ctx.actor(), scope.body.id, user.id, &code_digest(&code)).await,
        }
    };
    match result {
        Ok(_) => {
            let next = safe_next(&scope.body, &form.next).unwrap_or_else(|| crate::urls::body(&scope.body, "/verify"));
            Ok(Redirect::to(&next).into_response())
        }
        Err(StoreError::Invalid(error)) => show(&state, &ctx, &scope, form, vec![error], None).await,
        Err(other) => Err(other.into()),
    }
}

/// A line of the roster's problem table.
pub struct ProblemRow {
    pub line: String,
    pub column: String,
    pub message: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "verification/staff.html")]
struct StaffPage {
    shell: Shell,
    counts: Vec<(String, String)>,
    rosters: Vec<(String, String, String)>,
    batches: Vec<(String, String, String)>,
    key_configured: bool,
    problems: Vec<ProblemRow>,
    done: Option<String>,
    errors: FormErrors,
    roster_action: String,
    codes_action: String,
}

async fn staff_view(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    problems: Vec<ProblemRow>,
    done: Option<String>,
    errors: Vec<FieldError>,
) -> AppResult<StaffPage> {
    let shell = Shell::new(ctx, "residents.title");
    let t = shell.t;
    let (counts, rosters, batches) = tokio::try_join!(
        state.store.verified_counts(scope.body.id),
        state.store.rosters(scope.body.id),
        state.store.code_batches(scope.body.id)
    )?;
    let title = shell.title.clone();
    Ok(StaffPage {
        counts: counts
            .iter()
            .map(|(method, n)| (t.t(&format!("verification_method.{}", method.as_str())).to_string(), t.number(*n)))
            .collect(),
        rosters: rosters.iter().map(|r| (r.name.clone(), t.number(r.entries), t.date(r.created_at))).collect(),
        batches: batches.iter().map(|b| (b.batch.clone(), t.number(b.issued), t.number(b.used))).collect(),
        key_configured: state.config.verification_key.is_some(),
        problems,
        done,
        errors: FormErrors::new(t, errors),
        roster_action: format!("{}?_csrf={}", crate::urls::body(&scope.body, "/staff/residents/roster"), shell.csrf),
        codes_action: crate::urls::body(&scope.body, "/staff/residents/codes"),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (title, String::new()),
        ]),
    })
}

/// The residents' rosters and voting codes of a body: counts, imports, batches.
pub async fn staff_page(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require(sotong_core::role::Permission::ManageResidents)?;
    Ok(crate::html::ok(&staff_view(&state, &ctx, &scope, Vec::new(), None, Vec::new()).await?))
}

/// Imports a roster whole or not at all: every bad line named; the details kept only
/// as keyed hashes.
pub async fn import_roster(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    use sotong_exchange::commitments_csv::ImportError;
    scope.require(sotong_core::role::Permission::ManageResidents)?;
    let (mut file, mut name) = (Vec::new(), String::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| crate::error::AppError::BadRequest("multipart"))? {
        match field.name() {
            Some("file") => file = field.bytes().await.map_err(|_| crate::error::AppError::PayloadTooLarge)?.to_vec(),
            Some("name") => name = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let t = ctx.tr();
    let fail = |errors: Vec<ImportError>| {
        errors
            .iter()
            .map(|e| ProblemRow {
                line: if e.line == 0 { "-".into() } else { e.line.to_string() },
                column: e.column.clone(),
                message: t.t(&format!("import.{}", e.code)).to_string(),
                value: e.value.clone(),
            })
            .collect::<Vec<_>>()
    };
    let refused = |problems: Vec<ProblemRow>, errors: Vec<FieldError>| async {
        let page = staff_view(&state, &ctx, &scope, problems, None, errors).await?;
        Ok::<_, crate::error::AppError>(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    let name = match sotong_core::text::required_line("name", &name, 100) {
        Ok(name) => name,
        Err(error) => return refused(Vec::new(), vec![error]).await,
    };
    if state.config.verification_key.is_none() {
        return refused(Vec::new(), vec![FieldError::new("file", "verification_key_missing")]).await;
    }
    if file.is_empty() {
        return refused(fail(vec![ImportError::new(0, "file", "empty_file", "")]), Vec::new()).await;
    }
    let lines = match sotong_exchange::roster::parse(&file) {
        Ok(lines) => lines,
        Err(errors) => return refused(fail(errors), Vec::new()).await,
    };
    let entries: Vec<sotong_store::verification::RosterEntry> = lines
        .iter()
        .filter_map(|line| {
            person_key(&state, &line.details).map(|person_key| sotong_store::verification::RosterEntry {
                person_key,
                basis: line.basis,
                district: line.district.clone(),
            })
        })
        .collect();
    let roster = state.store.import_roster(&ctx.actor(), scope.body.id, &name, &entries).await?;
    let done = t.f2("residents.imported", t.number(lines.len() as i64), t.number(roster.entries));
    Ok(crate::html::ok(&staff_view(&state, &ctx, &scope, Vec::new(), Some(done), Vec::new()).await?))
}

#[derive(Deserialize, Default)]
pub struct CodesForm {
    #[serde(default)]
    batch: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    district: String,
}

/// At most this many codes in one batch (a 동's households, printed at once).
const CODES_PER_BATCH: i64 = 20_000;

/// Issues a batch of voting codes and hands them over as a CSV for printing — the
/// only time they exist in clear; the database keeps their SHA-256.
pub async fn issue_codes(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<CodesForm>,
) -> AppResult<Response> {
    scope.require(sotong_core::role::Permission::ManageResidents)?;
    let mut errors = Vec::new();
    let batch = sotong_core::text::required_line("batch", &form.batch, 100).map_err(|e| errors.push(e)).ok();
    let count = form.count.trim().parse::<i64>().ok().filter(|n| (1..=CODES_PER_BATCH).contains(n));
    if count.is_none() {
        errors.push(FieldError::new("count", "invalid_count"));
    }
    let district = sotong_core::text::optional_line("district", &form.district, 40).map_err(|e| errors.push(e)).ok();
    let (Some(batch), Some(count), Some(district)) = (batch, count, district) else {
        let page = staff_view(&state, &ctx, &scope, Vec::new(), None, errors).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let codes: Vec<sotong_store::verification::IssuedCode> = (0..count)
        .map(|_| {
            let mut random = [0u8; sotong_core::verification::CODE_LENGTH];
            getrandom::getrandom(&mut random).expect("operating-system random source");
            let code = sotong_core::verification::voting_code(&random);
            sotong_store::verification::IssuedCode {
                digest: code_digest(&code),
                code,
                person_key: None,
                basis: sotong_core::verification::Basis::Resident,
                district: district.clone(),
            }
        })
        .collect();
    state.store.issue_codes(&ctx.actor(), scope.body.id, &batch, &codes).await?;
    let t = ctx.tr();
    let rows: Vec<Vec<String>> =
        codes.iter().map(|c| vec![c.code.clone(), c.district.clone().unwrap_or_default(), batch.clone()]).collect();
    let table = sotong_exchange::table::Table {
        title: batch.clone(),
        headers: ["residents.csv_code", "residents.csv_district", "residents.csv_batch"].map(|k| t.t(k).to_string()).to_vec(),
        rows,
    };
    let csv = table.to_csv();
    let name = format!("{}-voting-codes.csv", scope.body.slug);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        csv,
    )
        .into_response())
}
