//! The back office of participatory budgeting: a body's processes, and a process's
//! page where the one who runs it moves it to its next phase and, once the vote has
//! closed, looks at the count and publishes the results.

use super::urls::BudgetUrls;
use super::{phase_label, rule_label, ProcessCard};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{ok, render, BodyNav, Shell};
use crate::scope::{BodyScope, ProcessScope};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::budgeting::Phase;
use sotong_core::role::Permission;
use sotong_store::StoreError;

#[derive(Template)]
#[template(path = "budgeting/staff_list.html")]
struct StaffList {
    shell: Shell,
    processes: Vec<(ProcessCard, String)>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let shell = Shell::new(&ctx, "budget_staff.title");
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let processes = state.store.processes(scope.body.id).await?;
    let title = shell.title.clone();
    let page = StaffList {
        processes: processes.iter().map(|p| (ProcessCard::new(p, &urls, &t), urls.staff_process(&p.slug, ""))).collect(),
        shell: shell
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff")
            .with_breadcrumbs(vec![(t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)), (title, String::new())]),
    };
    Ok(ok(&page))
}

/// One pot's count as staff preview it before publishing.
pub struct CountLine {
    pub pot: String,
    pub voters: String,
    pub funded: String,
    pub spent: String,
    pub warning: Option<String>,
}

#[derive(Template)]
#[template(path = "budgeting/staff_process.html")]
struct StaffProcess {
    shell: Shell,
    phase: String,
    next: Option<(&'static str, String)>,
    rule: String,
    turnout: String,
    projects: Vec<(String, String, String)>,
    count: Vec<CountLine>,
    can_publish: bool,
    published: Option<String>,
    public_url: String,
    phase_action: String,
    publish_action: String,
    problem: Option<String>,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

async fn process_view(
    state: &AppState,
    ctx: &Ctx,
    scope: &ProcessScope,
    problem: Option<String>,
    done: Option<String>,
) -> AppResult<StaffProcess> {
    let process = &scope.process;
    let shell = Shell::new(ctx, "budget_staff.title").with_title(process.title.clone());
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let (projects, turnout, publication) = tokio::try_join!(
        state.store.projects(process.id),
        state.store.turnout(process.id),
        state.store.publication(process.id)
    )?;
    // The count is shown to staff only once the vote has closed.
    let count = if process.phase == Phase::Results {
        state
            .store
            .count_process(process)
            .await?
            .iter()
            .map(|r| CountLine {
                pot: r.name.clone(),
                voters: t.number(r.voters),
                funded: t.number(r.selected.len() as i64),
                spent: t.krw_readable(r.total_cost),
                warning: r.committee_outweighs.map(|w| t.f1("results.outweighs", t.number(w))),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(StaffProcess {
        phase: phase_label(&t, process.phase),
        next: process.phase.next().map(|n| (n.as_str(), phase_label(&t, n))),
        rule: rule_label(&t, process.rule),
        turnout: t.f("budgeting.turnout", &[&t.number(turnout.total()), &t.number(turnout.online), &t.number(turnout.paper)]),
        projects: projects
            .iter()
            .map(|p| {
                (
                    p.title.clone(),
                    t.krw_readable(p.ballot_cost()),
                    t.t(&format!("budget_project_state.{}", p.state.as_str())).to_string(),
                )
            })
            .collect(),
        count,
        can_publish: process.phase == Phase::Results && publication.is_none(),
        published: publication.map(|p| p.hash),
        public_url: urls.process(&process.slug),
        phase_action: urls.staff_process(&process.slug, "/phase"),
        publish_action: urls.staff_process(&process.slug, "/publish"),
        problem,
        done: done.map(|key| t.t(&format!("budget_staff.done_{key}")).to_string()),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (t.t("budget_staff.title").to_string(), urls.staff_list()),
            (process.title.clone(), String::new()),
        ]),
    })
}

pub async fn process_page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    axum::extract::Query(query): axum::extract::Query<Done>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let done = ["phase", "published"].contains(&query.done.as_str()).then_some(query.done);
    Ok(ok(&process_view(&state, &ctx, &scope, None, done).await?))
}

#[derive(Deserialize)]
pub struct PhaseForm {
    #[serde(default)]
    to: String,
}

async fn refused(state: &AppState, ctx: &Ctx, scope: &ProcessScope, error: StoreError) -> AppResult<Response> {
    match error {
        StoreError::Invalid(e) => {
            let message = ctx.tr().error(e.code);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &process_view(state, ctx, scope, Some(message), None).await?))
        }
        other => Err(other.into()),
    }
}

pub async fn advance(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(form): Form<PhaseForm>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let Ok(to) = Phase::try_from(form.to.trim().to_string()) else {
        return refused(&state, &ctx, &scope, StoreError::Invalid(sotong_core::FieldError::new("phase", "phase_not_next"))).await;
    };
    match state.store.advance_phase(&ctx.actor(), &scope.process, to).await {
        Ok(process) => {
            let urls = BudgetUrls::new(&scope.body);
            Ok(Redirect::to(&urls.staff_process(&process.slug, "?done=phase")).into_response())
        }
        Err(error) => refused(&state, &ctx, &scope, error).await,
    }
}

pub async fn publish(State(state): State<AppState>, ctx: Ctx, scope: ProcessScope) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    match state.store.publish_results(&ctx.actor(), &scope.process).await {
        Ok(_) => {
            let urls = BudgetUrls::new(&scope.body);
            Ok(Redirect::to(&urls.staff_process(&scope.process.slug, "?done=published")).into_response())
        }
        Err(error) => refused(&state, &ctx, &scope, error).await,
    }
}
