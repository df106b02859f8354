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
    vec![("/{org}/verify", axum::routing::get(page).post(verify))]
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
