//! Setting up plans in the back office (coordinators): the body's plans with links to
//! their reporting, and a new plan with its term, reporting cadence and sectors —
//! without the command line.

use super::urls::PlanUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::BodyScope;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::commitments::period::Cadence;
use sotong_core::commitments::states::PlanKind;
use sotong_core::role::Permission;
use sotong_core::FieldError;
use sotong_store::commitments::plans::NewPlan;
use sotong_store::StoreError;

#[derive(Deserialize, Default)]
pub struct PlanForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title_ko: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    term_start: String,
    #[serde(default)]
    term_end: String,
    #[serde(default)]
    cadence: String,
    /// One sector per line.
    #[serde(default)]
    sectors: String,
}

#[derive(Template)]
#[template(path = "commitments/setup.html")]
struct SetupPage {
    shell: Shell,
    /// (title, overview link, kind label)
    plans: Vec<(String, String, String)>,
    kinds: Vec<(&'static str, String)>,
    cadences: Vec<(&'static str, String)>,
    form: PlanForm,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: PlanForm,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "setup.title");
    let t = shell.t;
    let plans = state
        .store
        .plans_of(body.id)
        .await?
        .into_iter()
        .map(|p| {
            let kind = t.t(&format!("plan_kind.{}", p.kind)).to_string();
            (p.title(t.is_en()).to_string(), PlanUrls::new(body, &p).staff(), kind)
        })
        .collect();
    let page = SetupPage {
        plans,
        kinds: PlanKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.t(&format!("plan_kind.{}", k.as_str())).to_string()))
            .collect(),
        cadences: [Cadence::Quarterly, Cadence::HalfYearly, Cadence::Monthly]
            .iter()
            .map(|c| (c.key(), t.t(&format!("setup.cadence_{}", c.key())).to_string()))
            .collect(),
        form,
        errors: FormErrors::new(t, errors),
        shell: shell.with_body(BodyNav::new(body, roles, &t), "staff"),
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn plans(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require(Permission::ManagePlans)?;
    page(&state, &ctx, &scope, PlanForm { cadence: "quarterly".into(), ..Default::default() }, Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<PlanForm>,
) -> AppResult<Response> {
    scope.require(Permission::ManagePlans)?;
    let new = NewPlan::parse(
        &form.slug,
        &form.kind,
        &form.title_ko,
        &form.title_en,
        &form.term_start,
        &form.term_end,
        &form.cadence,
    );
    let sectors: Vec<String> =
        form.sectors.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    let mut errors = match &new {
        Ok(_) => Vec::new(),
        Err(errors) => errors.clone(),
    };
    if sectors.iter().any(|s| s.chars().count() > 60) {
        errors.push(FieldError::new("sectors", "too_long"));
    }
    let new = match new {
        Ok(new) if errors.is_empty() => new,
        _ => return page(&state, &ctx, &scope, form, errors).await,
    };
    match state.store.create_plan_with_sectors(&ctx.actor(), scope.body.id, &new, &sectors).await {
        Ok(plan) => Ok(Redirect::to(&PlanUrls::new(&scope.body, &plan).staff()).into_response()),
        Err(StoreError::Invalid(error)) => page(&state, &ctx, &scope, form, vec![error]).await,
        Err(other) => Err(AppError::from(other)),
    }
}
