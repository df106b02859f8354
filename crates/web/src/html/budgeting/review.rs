//! A project's way to the ballot in the back office: its department records the
//! feasibility review (가능 / 조건부 가능 / 불가, with the reason and an estimated
//! cost), the one who runs the process records the committee's selection, and the
//! committee's members score the projects on the ballot on their own page.

use super::setup::Fields;
use super::urls::BudgetUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::ProcessScope;
use super::public::IdPath;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use sotong_core::budgeting::{Feasibility, FeasibilityReview, Phase, ProjectState};
use sotong_core::role::Permission;
use sotong_core::FieldError;
use sotong_store::budgeting::projects::Project;
use sotong_store::StoreError;

#[derive(Template)]
#[template(path = "budgeting/staff_project.html")]
struct ProjectReviewPage {
    shell: Shell,
    project: Project,
    pot: String,
    category: Option<String>,
    cost: String,
    state: String,
    feasibility: Option<String>,
    estimated_cost: Option<String>,
    department: Option<String>,
    can_review: bool,
    can_select: bool,
    fields: Fields,
    errors: FormErrors,
    feasibilities: Vec<(String, String)>,
    review_action: String,
    select_action: String,
    back: String,
    done: Option<String>,
}

impl ProjectReviewPage {
    fn value<'a>(&'a self, name: &str) -> &'a str {
        self.fields.get(name)
    }
}

/// Who may review this project: its own department's officers (or, before it has
/// one, any department's), and body-wide reviewers.
fn may_review(scope: &ProcessScope, project: &Project) -> bool {
    match project.department_id {
        Some(department) => scope.roles.allows_in(Permission::ReviewProjects, department),
        None => scope.roles.allows(Permission::ReviewProjects),
    }
}

async fn staff_project(state: &AppState, scope: &ProcessScope, id: i64) -> AppResult<Project> {
    state.store.project(scope.process.id, id).await?.ok_or(AppError::NotFound)
}

async fn review_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &ProcessScope,
    project: Project,
    fields: Fields,
    errors: Vec<FieldError>,
    done: Option<String>,
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "budget_review.title").with_title(project.title.clone());
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let setup = state.store.process_setup(scope.process.clone()).await?;
    let department = match project.department_id {
        Some(id) => state.store.org(id).await?.map(|d| d.name(ctx.tr().is_en()).to_string()),
        None => None,
    };
    let slug = &scope.process.slug;
    let base = urls.staff_process(slug, &format!("/projects/{}", project.id));
    let phase = scope.process.phase;
    let page = ProjectReviewPage {
        pot: setup.pots.iter().find(|p| p.id == project.pot_id).map(|p| p.name.clone()).unwrap_or_default(),
        category: super::category_name(&setup.categories, project.category_id),
        cost: t.krw_readable(project.cost),
        state: t.t(&format!("budget_project_state.{}", project.state.as_str())).to_string(),
        feasibility: project.feasibility().map(|f| t.t(&format!("feasibility.{}", f.as_str())).to_string()),
        estimated_cost: project.estimated_cost.map(|c| t.krw_readable(c)),
        department,
        can_review: phase.accepts_feasibility() && may_review(scope, &project),
        can_select: phase.accepts_committee()
            && scope.roles.allows(Permission::RunBudgeting)
            && project.state == ProjectState::Reviewed,
        fields,
        errors: FormErrors::new(t, errors),
        feasibilities: super::options(&Feasibility::ALL, Feasibility::as_str, "feasibility", &t),
        review_action: format!("{base}/feasibility"),
        select_action: format!("{base}/selection"),
        back: urls.staff_process(slug, ""),
        done: done.map(|key| t.t(&format!("budget_review.done_{key}")).to_string()),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (t.t("budget_staff.title").to_string(), urls.staff_list()),
            (scope.process.title.clone(), urls.staff_process(slug, "")),
            (project.title.clone(), String::new()),
        ]),
        project,
    };
    let status = page.errors.status();
    Ok(render(status, &page))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Path(IdPath { id, .. }): Path<IdPath>,
    axum::extract::Query(query): axum::extract::Query<crate::html::DoneQuery>,
) -> AppResult<Response> {
    scope.require_any(&[Permission::RunBudgeting, Permission::ReviewProjects])?;
    let project = staff_project(&state, &scope, id).await?;
    let fields = Fields(vec![
        ("feasibility".into(), project.feasibility.clone().unwrap_or_default()),
        ("reason".into(), project.feasibility_reason.clone().unwrap_or_default()),
        ("estimated_cost".into(), project.estimated_cost.map(sotong_core::format::group_thousands).unwrap_or_default()),
    ]);
    let done = query.known(&["review", "selected", "left_off"]);
    review_page(&state, &ctx, &scope, project, fields, Vec::new(), done).await
}

fn back_to(scope: &ProcessScope, project: &Project, done: &str) -> Response {
    let urls = BudgetUrls::new(&scope.body);
    let url = urls.staff_process(&scope.process.slug, &format!("/projects/{}?done={done}", project.id));
    Redirect::to(&url).into_response()
}

pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Path(IdPath { id, .. }): Path<IdPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::ReviewProjects)?;
    let project = staff_project(&state, &scope, id).await?;
    if !may_review(&scope, &project) {
        return Err(AppError::Forbidden);
    }
    let fields = Fields(pairs);
    let estimated = sotong_core::budgeting::typed_amount("estimated_cost", fields.get("estimated_cost"));
    let parsed = FeasibilityReview::parse(fields.get("feasibility"), fields.get("reason"), estimated.clone().ok().flatten());
    let review = match (parsed, &estimated) {
        (Ok(review), Ok(_)) => review,
        (parsed, _) => {
            let errors = sotong_core::budgeting::with_typed_amount(parsed.err().unwrap_or_default(), &estimated);
            return review_page(&state, &ctx, &scope, project, fields, errors, None).await;
        }
    };
    // The finding is recorded for the project's department, or the reviewer's own.
    let department = project.department_id.or_else(|| scope.roles.departments_allowing(Permission::ReviewProjects).first().copied());
    match state.store.review_project(&ctx.actor(), &scope.process, &project, department, &review).await {
        Ok(project) => Ok(back_to(&scope, &project, "review")),
        Err(StoreError::Invalid(e)) => review_page(&state, &ctx, &scope, project, fields, vec![e], None).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn select(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Path(IdPath { id, .. }): Path<IdPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let project = staff_project(&state, &scope, id).await?;
    let fields = Fields(pairs);
    let on_ballot = fields.get("on_ballot") == "1";
    match state.store.select_project(&ctx.actor(), &scope.process, &project, on_ballot).await {
        Ok(project) => Ok(back_to(&scope, &project, if on_ballot { "selected" } else { "left_off" })),
        Err(StoreError::Invalid(e)) => review_page(&state, &ctx, &scope, project, fields, vec![e], None).await,
        Err(other) => Err(other.into()),
    }
}

/// A project on a member's scoring sheet.
pub struct ScoreLine {
    pub id: i64,
    pub title: String,
    pub pot: String,
    pub cost: String,
    pub url: String,
    pub points: String,
}

#[derive(Template)]
#[template(path = "budgeting/committee.html")]
struct CommitteePage {
    shell: Shell,
    lines: Vec<ScoreLine>,
    max_score: i64,
    open: bool,
    errors: FormErrors,
    action: String,
    saved: bool,
}

async fn committee_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &ProcessScope,
    member_id: i64,
    entered: Option<&Fields>,
    errors: Vec<FieldError>,
    saved: bool,
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "committee.title");
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let process = &scope.process;
    let (setup, projects, scores) = tokio::try_join!(
        state.store.process_setup(process.clone()),
        state.store.projects(process.id),
        state.store.member_scores(process.id, member_id)
    )?;
    let lines = projects
        .iter()
        .filter(|p| p.state == ProjectState::OnBallot)
        .map(|p| {
            let stored = scores.iter().find(|(id, _)| *id == p.id).map(|(_, points)| points.to_string());
            let typed = entered.map(|f| f.get(&format!("score_{}", p.id)).to_string());
            ScoreLine {
                id: p.id,
                title: p.title.clone(),
                pot: setup.pots.iter().find(|pot| pot.id == p.pot_id).map(|pot| pot.name.clone()).unwrap_or_default(),
                cost: t.krw_readable(p.ballot_cost()),
                url: urls.project(&process.slug, p.id),
                points: typed.or(stored).unwrap_or_default(),
            }
        })
        .collect();
    let title = shell.title.clone();
    let page = CommitteePage {
        lines,
        max_score: process.committee_max_score,
        open: matches!(process.phase, Phase::Committee | Phase::Voting),
        errors: FormErrors::new(t, errors),
        action: urls.committee(&process.slug),
        saved,
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting").with_breadcrumbs(vec![
            (t.t("budgeting.title").to_string(), urls.list()),
            (process.title.clone(), urls.process(&process.slug)),
            (title, String::new()),
        ]),
    };
    let status = page.errors.status();
    Ok(render(status, &page))
}

/// The signed-in committee member, or 403 for anyone else.
async fn member(state: &AppState, ctx: &Ctx, scope: &ProcessScope) -> AppResult<i64> {
    let user = ctx.require_user()?;
    match state.store.is_committee_member(scope.process.id, user.id).await? {
        true => Ok(user.id),
        false => Err(AppError::Forbidden),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    saved: String,
}

pub async fn committee(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    axum::extract::Query(query): axum::extract::Query<Saved>,
) -> AppResult<Response> {
    let member_id = member(&state, &ctx, &scope).await?;
    committee_page(&state, &ctx, &scope, member_id, None, Vec::new(), query.saved == "1").await
}

/// Saves every score the member typed (`score_{project}`, empty: unchanged); a score
/// out of range names its project's field and nothing is saved.
pub async fn score(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let member_id = member(&state, &ctx, &scope).await?;
    let fields = Fields(pairs);
    let mut scores = Vec::new();
    let mut errors = Vec::new();
    for (name, value) in &fields.0 {
        let (Some(id), value) = (name.strip_prefix("score_").and_then(|id| id.parse::<i64>().ok()), value.trim()) else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        match value.parse::<i64>() {
            Ok(points) if (0..=scope.process.committee_max_score).contains(&points) => scores.push((id, points)),
            _ => errors.push(FieldError::new("points", "score_out_of_range")),
        }
    }
    // Every score is checked before any is saved: a sheet is taken whole or not at all.
    let on_ballot: Vec<i64> = state
        .store
        .projects(scope.process.id)
        .await?
        .into_iter()
        .filter(|p| p.state == ProjectState::OnBallot)
        .map(|p| p.id)
        .collect();
    if scores.iter().any(|(id, _)| !on_ballot.contains(id)) {
        errors.push(FieldError::new("points", "project_not_on_ballot"));
    }
    if !matches!(scope.process.phase, Phase::Committee | Phase::Voting) {
        errors.push(FieldError::new("points", "scoring_closed"));
    }
    if !errors.is_empty() {
        errors.dedup();
        return committee_page(&state, &ctx, &scope, member_id, Some(&fields), errors, false).await;
    }
    for (project_id, points) in scores {
        match state.store.score_project(&ctx.actor(), &scope.process, project_id, member_id, points).await {
            Ok(()) => {}
            Err(StoreError::Invalid(e)) => {
                return committee_page(&state, &ctx, &scope, member_id, Some(&fields), vec![e], false).await
            }
            Err(other) => return Err(other.into()),
        }
    }
    let urls = BudgetUrls::new(&scope.body);
    Ok(Redirect::to(&format!("{}?saved=1", urls.committee(&scope.process.slug))).into_response())
}
