//! The back office of participatory budgeting: a body's processes, and a process's
//! page where the one who runs it sets it up (`setup`'s forms), moves it to its next
//! phase and, once the vote has closed, looks at the count and publishes the results;
//! departments reach their projects' reviews and officers their stations from it.

use super::urls::BudgetUrls;
use super::{phase_label, rule_label, ProcessCard};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use super::setup::Fields;
use crate::html::{ok, render, BodyNav, FormErrors, Shell};
use crate::scope::{BodyScope, ProcessScope};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::budgeting::ballot::BallotKind;
use sotong_core::budgeting::Phase;
use sotong_core::FieldError;
use sotong_core::role::Permission;
use sotong_store::StoreError;

#[derive(Template)]
#[template(path = "budgeting/staff_list.html")]
struct StaffList {
    shell: Shell,
    processes: Vec<(ProcessCard, String)>,
    new_url: Option<String>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require_any(BUDGET_STAFF)?;
    let shell = Shell::new(&ctx, "budget_staff.title");
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let processes = state.store.processes(scope.body.id).await?;
    let title = shell.title.clone();
    let page = StaffList {
        processes: processes.iter().map(|p| (ProcessCard::new(p, &urls, &t), urls.staff_process(&p.slug, ""))).collect(),
        new_url: scope.roles.allows(Permission::RunBudgeting).then(|| urls.staff_new()),
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

/// A setup form as posted, shown again with its errors on the process page.
pub struct StaffForm {
    pub name: &'static str,
    pub fields: Fields,
    pub errors: Vec<FieldError>,
}

impl StaffForm {
    pub fn new(name: &'static str, pairs: Vec<(String, String)>) -> StaffForm {
        StaffForm { name, fields: Fields(pairs), errors: Vec::new() }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> StaffForm {
        self.errors = errors;
        self
    }
}

/// A project in the back office's list, with its review page.
pub struct StaffProject {
    pub title: String,
    pub pot: String,
    pub cost: String,
    pub state: String,
    pub feasibility: String,
    pub url: String,
}

pub struct StationLine {
    pub name: String,
    pub place: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "budgeting/staff_process.html")]
struct StaffProcess {
    shell: Shell,
    phase: String,
    next: Option<(&'static str, String)>,
    rule: String,
    turnout: String,
    projects: Vec<StaffProject>,
    count: Vec<CountLine>,
    can_publish: bool,
    runs: bool,
    can_setup: bool,
    published: Option<String>,
    public_url: String,
    committee_url: String,
    phase_action: String,
    publish_action: String,
    problem: Option<String>,
    done: Option<String>,
    pots: Vec<super::PotView>,
    categories: Vec<(String, String)>,
    notes: Vec<(String, String, String)>,
    members: Vec<(String, String)>,
    stations: Vec<StationLine>,
    kinds: Vec<(String, String)>,
    phases: Vec<(String, String)>,
    form: Option<StaffForm>,
    form_errors: FormErrors,
    no_errors: FormErrors,
    /// The process's back-office address; the setup forms post below it.
    base: String,
}

impl StaffProcess {
    /// A field's value in the form `form`, as posted when that form came back.
    fn value<'a>(&'a self, form: &str, name: &str) -> &'a str {
        self.form.as_ref().filter(|f| f.name == form).map_or("", |f| f.fields.get(name))
    }

    /// The form that came back with errors: its fields' ids end in `-{name}`.
    fn form_name(&self) -> &str {
        self.form.as_ref().map_or("", |f| f.name)
    }

    fn errors(&self, form: &str) -> &FormErrors {
        match &self.form {
            Some(f) if f.name == form => &self.form_errors,
            _ => &self.no_errors,
        }
    }

    /// The address a setup form posts to.
    fn post_to(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.base)
    }
}

/// Who works on a process in the back office: who runs it, the departments that
/// review its projects, and the officers of its polling stations.
pub const BUDGET_STAFF: &[Permission] =
    &[Permission::RunBudgeting, Permission::ReviewProjects, Permission::StaffPollingStations];

async fn process_view(
    state: &AppState,
    ctx: &Ctx,
    scope: &ProcessScope,
    problem: Option<String>,
    done: Option<String>,
    form: Option<StaffForm>,
) -> AppResult<StaffProcess> {
    let process = &scope.process;
    let shell = Shell::new(ctx, "budget_staff.title").with_title(process.title.clone());
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let (setup, projects, turnout, publication, member_ids, stations) = tokio::try_join!(
        state.store.process_setup(process.clone()),
        state.store.projects(process.id),
        state.store.turnout(process.id),
        state.store.publication(process.id),
        state.store.committee_members(process.id),
        state.store.stations(process.id),
    )?;
    let runs = scope.roles.allows(Permission::RunBudgeting);
    // The count is shown to staff only once the vote has closed.
    let count = if process.phase == Phase::Results && runs {
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
    let mut members = Vec::new();
    for id in member_ids {
        if let Some(user) = state.store.user(id).await? {
            members.push((user.display_name, user.email));
        }
    }
    let pot_name = |id: i64| setup.pots.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap_or_default();
    let errors = form.as_ref().map(|f| f.errors.clone()).unwrap_or_default();
    Ok(StaffProcess {
        phase: phase_label(&t, process.phase),
        next: process.phase.next().filter(|_| runs).map(|n| (n.as_str(), phase_label(&t, n))),
        rule: rule_label(&t, process.rule),
        turnout: t.f("budgeting.turnout", &[&t.number(turnout.total()), &t.number(turnout.online), &t.number(turnout.paper)]),
        projects: projects
            .iter()
            .map(|p| StaffProject {
                title: p.title.clone(),
                pot: pot_name(p.pot_id),
                cost: t.krw_readable(p.ballot_cost()),
                state: t.t(&format!("budget_project_state.{}", p.state.as_str())).to_string(),
                feasibility: p.feasibility().map(|f| t.t(&format!("feasibility.{}", f.as_str())).to_string()).unwrap_or_default(),
                url: urls.staff_process(&process.slug, &format!("/projects/{}", p.id)),
            })
            .collect(),
        count,
        can_publish: runs && process.phase == Phase::Results && publication.is_none(),
        runs,
        can_setup: runs && process.phase.is_before(Phase::Voting),
        published: publication.map(|p| p.hash),
        public_url: urls.process(&process.slug),
        committee_url: urls.committee(&process.slug),
        phase_action: urls.staff_process(&process.slug, "/phase"),
        publish_action: urls.staff_process(&process.slug, "/publish"),
        problem,
        done: done.map(|key| t.t(&format!("budget_staff.done_{key}")).to_string()),
        pots: super::pot_views(&setup, &[], &urls, &t, false),
        categories: setup
            .categories
            .iter()
            .map(|c| (c.name.clone(), c.max_picks.map(|m| t.f1("budget_setup.quota", m)).unwrap_or_default()))
            .collect(),
        notes: setup
            .notes
            .iter()
            .map(|n| {
                let dates = [n.starts_on.as_deref(), n.ends_on.as_deref()].map(|d| d.map(|d| t.iso_date(d)).unwrap_or_default());
                (phase_label(&t, n.phase), format!("{} ~ {}", dates[0], dates[1]), n.rules.clone())
            })
            .collect(),
        members,
        stations: stations
            .into_iter()
            .map(|s| StationLine {
                url: urls.staff_process(&process.slug, &format!("/stations/{}", s.id)),
                name: s.name,
                place: s.place,
            })
            .collect(),
        kinds: super::options(&BallotKind::ALL, BallotKind::as_str, "ballot_kind", &t),
        phases: Phase::ALL.iter().map(|p| (p.as_str().to_string(), phase_label(&t, *p))).collect(),
        form,
        form_errors: FormErrors::new(t, errors),
        no_errors: FormErrors::none(t),
        base: urls.staff_process(&process.slug, ""),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (t.t("budget_staff.title").to_string(), urls.staff_list()),
            (process.title.clone(), String::new()),
        ]),
    })
}

/// The process page again with a setup form's errors (422).
pub async fn process_response(
    state: &AppState,
    ctx: &Ctx,
    scope: &ProcessScope,
    form: Option<StaffForm>,
) -> AppResult<Response> {
    let page = process_view(state, ctx, scope, None, None, form).await?;
    let status = if page.form_errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(status, &page))
}

/// What `?done=` may say after a staff action.
const DONE: &[&str] =
    &["phase", "published", "created", "pot", "category", "note", "member", "member_removed", "station"];

pub async fn process_page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    axum::extract::Query(query): axum::extract::Query<crate::html::DoneQuery>,
) -> AppResult<Response> {
    scope.require_any(BUDGET_STAFF)?;
    let done = query.known(DONE);
    Ok(ok(&process_view(&state, &ctx, &scope, None, done, None).await?))
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
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &process_view(state, ctx, scope, Some(message), None, None).await?))
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
