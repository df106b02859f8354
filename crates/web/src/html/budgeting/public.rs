//! The public side of participatory budgeting: a body's processes, a process with its
//! phases, pots and projects, a project's page, the results explained, and the
//! published ballot list and Pabulib files anyone can recount.

use super::urls::BudgetUrls;
use super::{explain, phase_label, pot_views, rule_label, PotView, ProcessCard};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::{ok, published_page, BodyNav, Shell};
use crate::i18n::Tr;
use crate::scope::{BodyScope, ProcessScope};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sotong_core::budgeting::results::PotResult;
use sotong_core::budgeting::score::hundredths;
use sotong_core::budgeting::{OutcomeRule, Phase};
use sotong_store::budgeting::ballots::Turnout;
use sotong_store::budgeting::ProcessSetup;
use sotong_store::now;

#[derive(Template)]
#[template(path = "budgeting/list.html")]
struct ListPage {
    shell: Shell,
    processes: Vec<ProcessCard>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    let shell = Shell::new(&ctx, "budgeting.title");
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let processes = state.store.processes(scope.body.id).await?;
    let title = shell.title.clone();
    let page = ListPage {
        processes: processes.iter().map(|p| ProcessCard::new(p, &urls, &t)).collect(),
        shell: shell
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting")
            .with_description(t.t("budgeting.lead"))
            .with_breadcrumbs(vec![(title, String::new())]),
    };
    Ok(respond(&ctx, &page))
}

/// One step of the process's timeline.
pub struct PhaseStep {
    pub label: String,
    pub dates: Option<String>,
    pub rules: Option<String>,
    /// `done`, `current` or `upcoming`.
    pub status: &'static str,
}

fn timeline(setup: &ProcessSetup, t: &Tr) -> Vec<PhaseStep> {
    let current = setup.process.phase;
    Phase::ALL
        .iter()
        .map(|&phase| {
            let note = setup.notes.iter().find(|n| n.phase == phase);
            let dates = note.and_then(|n| match (&n.starts_on, &n.ends_on) {
                (Some(from), Some(to)) => Some(format!("{} ~ {}", t.iso_date(from), t.iso_date(to))),
                (Some(from), None) => Some(t.f1("budgeting.from", t.iso_date(from))),
                (None, Some(to)) => Some(t.f1("budgeting.until", t.iso_date(to))),
                (None, None) => None,
            });
            PhaseStep {
                label: phase_label(t, phase),
                dates,
                rules: note.map(|n| n.rules.clone()).filter(|r| !r.is_empty()),
                status: if phase == current {
                    "current"
                } else if phase.is_before(current) {
                    "done"
                } else {
                    "upcoming"
                },
            }
        })
        .collect()
}

/// What the visitor can do now, shown above the projects.
pub struct Actions {
    pub ideas_url: Option<String>,
    pub ballot_url: Option<String>,
    pub results_url: Option<String>,
    pub receipt_url: String,
    pub voting_closes: Option<String>,
}

#[derive(Template)]
#[template(path = "budgeting/process.html")]
struct ProcessPage {
    shell: Shell,
    phase: String,
    phase_key: &'static str,
    paragraphs: Vec<String>,
    steps: Vec<PhaseStep>,
    pots: Vec<PotView>,
    total_budget: String,
    actions: Actions,
    /// (people, "online n, on site m") once voting has begun.
    turnout: Option<(String, String)>,
    rule: String,
}

pub async fn process_page(State(state): State<AppState>, ctx: Ctx, scope: ProcessScope) -> AppResult<Response> {
    let process = scope.process.clone();
    let shell = Shell::new(&ctx, "budgeting.title").with_title(process.title.clone());
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let (setup, projects, turnout) = tokio::try_join!(
        state.store.process_setup(process.clone()),
        state.store.projects(process.id),
        state.store.turnout(process.id)
    )?;
    let published = process.phase.shows_results() && state.store.publication(process.id).await?.is_some();
    let voting = process.is_voting_open(now());
    let actions = Actions {
        ideas_url: process.phase.accepts_ideas().then(|| urls.new_idea(&process.slug)),
        ballot_url: voting.then(|| urls.ballot(&process.slug)),
        results_url: published.then(|| urls.results(&process.slug)),
        receipt_url: urls.receipt(&process.slug),
        voting_closes: process.voting_closes_at.filter(|_| voting).map(|at| t.date_time(at)),
    };
    let ballot_only = !process.phase.is_before(Phase::Voting);
    let page = ProcessPage {
        phase: phase_label(&t, process.phase),
        phase_key: process.phase.as_str(),
        paragraphs: paragraphs(&process.description),
        steps: timeline(&setup, &t),
        pots: pot_views(&setup, &projects, &urls, &t, ballot_only),
        total_budget: t.krw_readable(setup.pots.iter().map(|p| p.budget).sum::<i64>()),
        turnout: (!process.phase.is_before(Phase::Voting))
            .then(|| (t.f1("budgeting.people", t.number(turnout.total())), turnout_line(&t, &turnout))),
        rule: rule_label(&t, process.rule),
        actions,
        shell: shell
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting")
            .with_description(process.description.clone())
            .with_breadcrumbs(vec![
                (t.t("budgeting.title").to_string(), urls.list()),
                (process.title.clone(), String::new()),
            ]),
    };
    Ok(respond(&ctx, &page))
}

fn turnout_line(t: &Tr, turnout: &Turnout) -> String {
    t.f2("budgeting.channels", t.number(turnout.online), t.number(turnout.paper))
}

pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

#[derive(Template)]
#[template(path = "budgeting/project.html")]
struct ProjectPage {
    shell: Shell,
    project: super::ProjectCard,
    paragraphs: Vec<String>,
    pot: String,
    proposer: Option<String>,
    feasibility_reason: Option<String>,
    estimated_cost: Option<String>,
    proposed_cost: String,
    result: Option<ProjectOutcome>,
    process_url: String,
}

/// A project's line in the published result.
pub struct ProjectOutcome {
    pub selected: bool,
    pub reasons: Vec<String>,
    pub votes: String,
    pub combined: Option<String>,
}

pub async fn project_page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Path(IdPath { id, .. }): Path<IdPath>,
) -> AppResult<Response> {
    let process = scope.process.clone();
    let project = state.store.project(process.id, id).await?.filter(|p| p.state.is_public()).ok_or(AppError::NotFound)?;
    let shell = Shell::new(&ctx, "budgeting.title").with_title(project.title.clone());
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let setup = state.store.process_setup(process.clone()).await?;
    let proposer = match (project.show_proposer.0, project.proposer_id) {
        (true, Some(user)) => state.store.user(user).await?.map(|u| sotong_core::text::masked_name(&u.display_name)),
        _ => None,
    };
    let results = state.store.published_results(process.id).await?;
    let result = results.iter().flat_map(|r| r.projects.iter().map(move |p| (r, p))).find(|(_, p)| p.id == project.id).map(
        |(pot, p)| ProjectOutcome {
            selected: p.selected,
            reasons: p.reasons.iter().map(|w| explain(&t, w, pot.rule)).collect(),
            votes: t.number(p.resident_votes),
            combined: process.formula.0.uses_committee().then(|| hundredths(p.combined)),
        },
    );
    let pot = setup.pots.iter().find(|p| p.id == project.pot_id).map(|p| p.name.clone()).unwrap_or_default();
    let page = ProjectPage {
        project: super::ProjectCard::new(&project, &process, &setup.categories, &urls, &t),
        paragraphs: paragraphs(&project.description),
        pot,
        proposer,
        feasibility_reason: project.feasibility_reason.clone(),
        estimated_cost: project.estimated_cost.map(|c| t.krw_readable(c)),
        proposed_cost: t.krw_readable(project.cost),
        result,
        process_url: urls.process(&process.slug),
        shell: shell
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting")
            .with_description(project.description.clone())
            .with_breadcrumbs(vec![
                (t.t("budgeting.title").to_string(), urls.list()),
                (process.title.clone(), urls.process(&process.slug)),
                (project.title.clone(), String::new()),
            ]),
    };
    Ok(respond(&ctx, &page))
}

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    process: String,
    pub id: i64,
}

#[derive(Deserialize)]
pub struct PotPath {
    #[allow(dead_code)]
    process: String,
    pot: i64,
}

/// A pot's published result as a page shows it.
pub struct PotResultView {
    pub name: String,
    pub summary: String,
    pub budget: String,
    pub spent: String,
    pub voters: String,
    pub rule: String,
    pub warning: Option<String>,
    pub rows: Vec<ResultRow>,
    pub comparison: Vec<ComparisonRow>,
    pub pabulib_url: String,
}

pub struct ResultRow {
    pub rank: usize,
    pub url: String,
    pub title: String,
    pub cost: String,
    pub online: String,
    pub paper: String,
    pub committee: String,
    pub combined: String,
    pub selected: bool,
    pub reasons: Vec<String>,
}

pub struct ComparisonRow {
    pub rule: String,
    pub official: bool,
    pub projects: Vec<String>,
    pub spent: String,
    pub satisfied: String,
}

fn result_view(result: &PotResult, slug: &str, urls: &BudgetUrls, t: &Tr, official: OutcomeRule) -> PotResultView {
    let title_of = |id: i64| result.projects.iter().find(|p| p.id == id).map(|p| p.title.clone()).unwrap_or_default();
    PotResultView {
        name: result.name.clone(),
        summary: t.f(
            "results.summary",
            &[&t.krw_readable(result.budget), &t.krw_readable(result.total_cost), &t.number(result.voters)],
        ),
        budget: t.krw_readable(result.budget),
        spent: t.krw_readable(result.total_cost),
        voters: t.number(result.voters),
        rule: rule_label(t, result.rule),
        warning: result.committee_outweighs.map(|w| t.f1("results.outweighs", t.number(w))),
        rows: result
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| ResultRow {
                rank: i + 1,
                url: urls.project(slug, p.id),
                title: p.title.clone(),
                cost: t.krw_readable(p.cost),
                online: t.number(p.online_votes),
                paper: t.number(p.paper_votes),
                committee: t.number(p.committee_points),
                combined: hundredths(p.combined),
                selected: p.selected,
                reasons: p.reasons.iter().map(|w| explain(t, w, result.rule)).collect(),
            })
            .collect(),
        comparison: result
            .comparison
            .iter()
            .map(|c| ComparisonRow {
                rule: rule_label(t, c.rule),
                official: c.rule == official,
                projects: c.selected.iter().map(|&id| title_of(id)).collect(),
                spent: t.krw_readable(c.total_cost),
                satisfied: format!("{}.{}%", c.voters_satisfied_permille / 10, c.voters_satisfied_permille % 10),
            })
            .collect(),
        pabulib_url: urls.pabulib(slug, result.pot_id),
    }
}

#[derive(Template)]
#[template(path = "budgeting/results.html")]
struct ResultsPage {
    shell: Shell,
    pots: Vec<PotResultView>,
    uses_committee: bool,
    formula: String,
    hash: String,
    ballots_url: String,
    process_url: String,
    receipt_url: String,
}

pub async fn results_page(State(state): State<AppState>, ctx: Ctx, scope: ProcessScope) -> AppResult<Response> {
    let process = scope.process.clone();
    let publication = state.store.publication(process.id).await?.ok_or(AppError::NotFound)?;
    let results = state.store.published_results(process.id).await?;
    let shell = Shell::new(&ctx, "results.title");
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let formula = &process.formula.0;
    let title = shell.title.clone();
    let page = ResultsPage {
        pots: results.iter().map(|r| result_view(r, &process.slug, &urls, &t, process.rule)).collect(),
        uses_committee: formula.uses_committee(),
        formula: t.f(
            "results.formula",
            &[
                &formula.resident_percent.to_string(),
                &formula.committee_percent.to_string(),
                &formula.paper_weight.to_string(),
                t.t(&format!("normalisation.{}", formula.normalisation.as_str())),
            ],
        ),
        hash: publication.hash,
        ballots_url: urls.ballot_list(&process.slug),
        process_url: urls.process(&process.slug),
        receipt_url: urls.receipt(&process.slug),
        shell: shell
            .with_title(format!("{} {title}", process.title))
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting")
            .with_breadcrumbs(vec![
                (t.t("budgeting.title").to_string(), urls.list()),
                (process.title.clone(), urls.process(&process.slug)),
                (title.clone(), String::new()),
            ]),
    };
    Ok(respond(&ctx, &page))
}

/// The published ballot list: `{ballot id} {ballot hash}` per line, in id order —
/// what the publication's `ballots_digest` is the SHA-256 of (docs/VERIFY.md).
pub async fn ballot_list(State(state): State<AppState>, scope: ProcessScope) -> AppResult<Response> {
    state.store.publication(scope.process.id).await?.ok_or(AppError::NotFound)?;
    let ballots = state.store.ballots(scope.process.id).await?;
    let mut text = String::with_capacity(ballots.len() * 98);
    for b in &ballots {
        text.push_str(&b.id);
        text.push(' ');
        text.push_str(&b.hash);
        text.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// A pot's anonymised ballots as a Pabulib `.pb` file whose declared rule, computed
/// by `sotong pb compute --rule official`, gives the published outcome.
pub async fn pabulib(State(state): State<AppState>, scope: ProcessScope, Path(PotPath { pot, .. }): Path<PotPath>) -> AppResult<Response> {
    state.store.publication(scope.process.id).await?.ok_or(AppError::NotFound)?;
    let inputs = state.store.count_inputs(&scope.process).await?;
    let index = inputs.pots.iter().position(|(p, _)| p.id == pot).ok_or(AppError::NotFound)?;
    let mut election = sotong_core::budgeting::results::export(&inputs.pot_count(index), &scope.process.formula.0, scope.process.rule);
    election.meta.insert(2, ("unit".to_string(), scope.body.name_ko.clone()));
    election.meta.insert(3, ("instance".to_string(), scope.process.slug.clone()));
    let text = pb::pabulib::to_string(&election);
    let name = format!("{}_{}_{}.pb", scope.body.slug, scope.process.slug, pot);
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        text,
    )
        .into_response())
}

/// Anonymous visitors get the page from the page cache; signed-in people their own.
fn respond(ctx: &Ctx, page: &impl Template) -> Response {
    if ctx.user.is_none() {
        published_page(page)
    } else {
        ok(page)
    }
}
