//! The ballot: a verified resident votes once in each pot open to them, the whole
//! ballot checked on submit (no cart kept on the server) with a Korean message for
//! every broken rule; the receipt code shown once; receipts checked later.

use super::urls::BudgetUrls;
use super::{category_name, pot_rules};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{render, BodyNav, Shell};
use crate::i18n::Tr;
use crate::limits::{self, Write};
use crate::scope::ProcessScope;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use sotong_core::budgeting::ballot::{Ballot, BallotKind, Violation};
use sotong_core::format::kst_date_after;
use sotong_store::budgeting::projects::Project;
use sotong_store::budgeting::ProcessSetup;
use sotong_store::verification::Verified;
use sotong_store::{now, StoreError};
use std::collections::BTreeMap;

/// A project on the ballot form, with what the voter chose.
pub struct Choice {
    pub id: i64,
    pub title: String,
    pub cost: String,
    pub category: Option<String>,
    pub url: String,
    pub picked: bool,
    pub points: String,
}

pub struct PotForm {
    pub id: i64,
    pub name: String,
    pub budget: String,
    pub rules: String,
    pub cumulative: bool,
    pub max_points: i64,
    pub choices: Vec<Choice>,
    pub problems: Vec<String>,
}

/// Where the visitor stands before the ballot.
pub enum Standing {
    /// Not verified as a resident of the body: the link to verify and come back.
    NeedsVerification(String),
    /// Verified but not admitted by this process's rules.
    NotEligible(String),
    AlreadyVoted,
    Closed(String),
    Ready(Vec<PotForm>),
}

#[derive(Template)]
#[template(path = "budgeting/ballot.html")]
struct BallotPage {
    shell: Shell,
    standing: Standing,
    problems: Vec<String>,
    action: String,
    receipt_url: String,
    process_url: String,
}

#[derive(Template)]
#[template(path = "budgeting/receipt.html")]
struct ReceiptPage {
    shell: Shell,
    /// Just cast: the code, shown this once.
    issued: Option<String>,
    checked: Option<ReceiptResult>,
    code: String,
    action: String,
    process_url: String,
    results_url: Option<String>,
}

pub struct ReceiptResult {
    pub found: bool,
    pub hash: String,
    pub channel: String,
    pub published: bool,
}

/// The verified resident behind the signed-in account, and whether this process
/// admits them.
async fn standing(state: &AppState, ctx: &Ctx, scope: &ProcessScope) -> AppResult<Result<(Verified, ProcessSetup, Vec<Project>), Standing>> {
    let t = ctx.tr();
    let urls = BudgetUrls::new(&scope.body);
    let user = ctx.require_user()?;
    let process = &scope.process;
    if let Some(reason) = process.voting_closed_reason(now()) {
        return Ok(Err(Standing::Closed(t.error(reason.code))));
    }
    let Some(verified) = state.store.verified(scope.body.id, user.id).await? else {
        return Ok(Err(Standing::NeedsVerification(urls.verify(&urls.ballot(&process.slug)))));
    };
    let last_day = kst_date_after(process.voting_closes_at.unwrap_or(now()) - 1, 0);
    if let Err(e) = process.eligibility.0.check(verified.born_on.as_deref(), verified.basis, &last_day) {
        return Ok(Err(Standing::NotEligible(t.error(e.code))));
    }
    if state.store.has_participated(process.id, &verified.person_key).await? {
        return Ok(Err(Standing::AlreadyVoted));
    }
    let (setup, projects) =
        tokio::try_join!(state.store.process_setup(process.clone()), state.store.projects(process.id))?;
    Ok(Ok((verified, setup, projects)))
}

fn pot_forms(
    setup: &ProcessSetup,
    projects: &[Project],
    verified: &Verified,
    chosen: &Ballot,
    problems: &[Violation],
    t: &Tr,
    urls: &BudgetUrls,
) -> Vec<PotForm> {
    setup
        .pots
        .iter()
        .filter(|pot| pot.open_to(verified.district.as_deref()))
        .map(|pot| {
            let picks = chosen.pots.get(&pot.id);
            PotForm {
                id: pot.id,
                name: pot.name.clone(),
                budget: t.krw_readable(pot.budget),
                rules: pot_rules(pot, &setup.categories, t),
                cumulative: pot.ballot_kind == BallotKind::Cumulative,
                max_points: pot.max_points_per_project.or(pot.points).unwrap_or(1),
                choices: projects
                    .iter()
                    .filter(|p| p.pot_id == pot.id && p.state == sotong_core::budgeting::ProjectState::OnBallot)
                    .map(|p| {
                        let given = picks.and_then(|c| c.get(&p.id)).copied();
                        Choice {
                            id: p.id,
                            title: p.title.clone(),
                            cost: t.krw_readable(p.ballot_cost()),
                            category: category_name(&setup.categories, p.category_id),
                            url: urls.project(&setup.process.slug, p.id),
                            picked: given.is_some(),
                            points: given.map(|g| g.to_string()).unwrap_or_default(),
                        }
                    })
                    .collect(),
                problems: problems
                    .iter()
                    .filter(|v| v.pot_id() == Some(pot.id))
                    .map(|v| violation_text(v, setup, projects, t))
                    .collect(),
            }
        })
        .collect()
}

/// A broken rule in words, naming the pot, the category or the project.
pub fn violation_text(violation: &Violation, setup: &ProcessSetup, projects: &[Project], t: &Tr) -> String {
    let pot = |id: i64| setup.pots.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap_or_default();
    let project = |id: i64| projects.iter().find(|p| p.id == id).map(|p| p.title.clone()).unwrap_or_else(|| id.to_string());
    let key = format!("ballot_violation.{}", violation.code());
    match *violation {
        Violation::Empty => t.t(&key).to_string(),
        Violation::UnknownPot { pot_id } => t.f1(&key, pot(pot_id)),
        Violation::UnknownProject { pot_id, project_id } => t.f2(&key, pot(pot_id), project_id),
        Violation::TooManyPicks { pot_id, max, chosen } | Violation::TooFewPicks { pot_id, min: max, chosen } => {
            t.f(&key, &[&pot(pot_id), &max.to_string(), &chosen.to_string()])
        }
        Violation::QuotaExceeded { pot_id, category_id, max, chosen } => t.f(
            &key,
            &[&pot(pot_id), &category_name(&setup.categories, Some(category_id)).unwrap_or_default(), &max.to_string(), &chosen.to_string()],
        ),
        Violation::OverBudget { pot_id, budget, chosen_cost } => {
            t.f(&key, &[&pot(pot_id), &t.krw_readable(budget), &t.krw_readable(chosen_cost)])
        }
        Violation::NotAPick { pot_id, project_id } | Violation::BadPoints { pot_id, project_id } => {
            t.f2(&key, pot(pot_id), project(project_id))
        }
        Violation::TooManyPointsOnProject { pot_id, project_id, max, given } => {
            t.f(&key, &[&pot(pot_id), &project(project_id), &max.to_string(), &given.to_string()])
        }
        Violation::TooManyPoints { pot_id, max, given } => t.f(&key, &[&pot(pot_id), &max.to_string(), &given.to_string()]),
    }
}

fn page_shell(ctx: &Ctx, scope: &ProcessScope, key: &str) -> Shell {
    let shell = Shell::new(ctx, key);
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let title = shell.title.clone();
    shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting").with_breadcrumbs(vec![
        (t.t("budgeting.title").to_string(), urls.list()),
        (scope.process.title.clone(), urls.process(&scope.process.slug)),
        (title, String::new()),
    ])
}

fn ballot_page(ctx: &Ctx, scope: &ProcessScope, standing: Standing, problems: Vec<String>, status: StatusCode) -> Response {
    let urls = BudgetUrls::new(&scope.body);
    let slug = &scope.process.slug;
    let page = BallotPage {
        shell: page_shell(ctx, scope, "ballot.title"),
        standing,
        problems,
        action: urls.ballot(slug),
        receipt_url: urls.receipt(slug),
        process_url: urls.process(slug),
    };
    render(status, &page)
}

pub async fn form(State(state): State<AppState>, ctx: Ctx, scope: ProcessScope) -> AppResult<Response> {
    let standing = match standing(&state, &ctx, &scope).await? {
        Err(standing) => standing,
        Ok((verified, setup, projects)) => {
            let urls = BudgetUrls::new(&scope.body);
            Standing::Ready(pot_forms(&setup, &projects, &verified, &Ballot::default(), &[], &ctx.tr(), &urls))
        }
    };
    Ok(ballot_page(&ctx, &scope, standing, Vec::new(), StatusCode::OK))
}

/// The form's fields: `pick` = a chosen project's id (one per checked box),
/// `points_{project}` = n on a cumulative ballot; each put in its project's pot.
fn read_ballot(fields: &[(String, String)], projects: &[Project]) -> Ballot {
    let mut pots: BTreeMap<i64, BTreeMap<i64, i64>> = BTreeMap::new();
    for (name, value) in fields {
        let (id, points) = if name == "pick" {
            (value.as_str(), Some(1))
        } else if let Some(id) = name.strip_prefix("points_") {
            if value.trim().is_empty() {
                continue;
            }
            // Not a whole number: kept as 0, which the check reports on its project.
            (id, Some(value.trim().parse::<i64>().unwrap_or(0)))
        } else {
            continue;
        };
        let Ok(id) = id.parse::<i64>() else { continue };
        let pot = projects.iter().find(|p| p.id == id).map_or(0, |p| p.pot_id);
        if let Some(points) = points {
            pots.entry(pot).or_default().insert(id, points);
        }
    }
    Ballot { pots }
}

pub async fn cast(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let user = ctx.require_user()?;
    let (verified, setup, projects) = match standing(&state, &ctx, &scope).await? {
        Err(standing) => {
            let status = match standing {
                Standing::NeedsVerification(_) | Standing::NotEligible(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::CONFLICT,
            };
            return Ok(ballot_page(&ctx, &scope, standing, Vec::new(), status));
        }
        Ok(ready) => ready,
    };
    let submitted = read_ballot(&fields, &projects);
    let urls = BudgetUrls::new(&scope.body);
    if !limits::allow(&state, &ctx, user.id, Write::Ballot).await? {
        let forms = pot_forms(&setup, &projects, &verified, &submitted, &[], &t, &urls);
        let problems = vec![t.t("ballot.too_many").to_string()];
        return Ok(ballot_page(&ctx, &scope, Standing::Ready(forms), problems, StatusCode::TOO_MANY_REQUESTS));
    }
    let sheet = setup.ballot_sheet(&projects);
    let open = sheet.open_to(verified.district.as_deref());
    let checked = match submitted.clone().check(&open) {
        Ok(checked) => checked,
        Err(violations) => {
            let general: Vec<String> = violations
                .iter()
                .filter(|v| v.pot_id().is_none() || !open.iter().any(|p| Some(p.pot_id) == v.pot_id()))
                .map(|v| violation_text(v, &setup, &projects, &t))
                .collect();
            let forms = pot_forms(&setup, &projects, &verified, &submitted, &violations, &t, &urls);
            let mut problems = vec![t.t("ballot.problems").to_string()];
            problems.extend(general);
            return Ok(ballot_page(&ctx, &scope, Standing::Ready(forms), problems, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    match state.store.cast_ballot(&ctx.actor(), &scope.process, &verified.person_key, &checked).await {
        Ok(receipt) => Ok(receipt_page(&ctx, &scope, Some(receipt.code), None, String::new(), StatusCode::OK)),
        Err(StoreError::Invalid(e)) if e.code == "already_voted" => {
            Ok(ballot_page(&ctx, &scope, Standing::AlreadyVoted, Vec::new(), StatusCode::CONFLICT))
        }
        Err(StoreError::Invalid(e)) => Ok(ballot_page(&ctx, &scope, Standing::Closed(t.error(e.code)), Vec::new(), StatusCode::CONFLICT)),
        Err(other) => Err(other.into()),
    }
}

fn receipt_page(
    ctx: &Ctx,
    scope: &ProcessScope,
    issued: Option<String>,
    checked: Option<ReceiptResult>,
    code: String,
    status: StatusCode,
) -> Response {
    let urls = BudgetUrls::new(&scope.body);
    let slug = &scope.process.slug;
    let key = if issued.is_some() { "receipt.cast_title" } else { "receipt.title" };
    let page = ReceiptPage {
        shell: page_shell(ctx, scope, key),
        issued,
        checked,
        code,
        action: urls.receipt(slug),
        process_url: urls.process(slug),
        results_url: scope.process.phase.shows_results().then(|| urls.results(slug)),
    };
    render(status, &page)
}

pub async fn receipt_form(ctx: Ctx, scope: ProcessScope) -> AppResult<Response> {
    Ok(receipt_page(&ctx, &scope, None, None, String::new(), StatusCode::OK))
}

#[derive(Deserialize)]
pub struct ReceiptForm {
    #[serde(default)]
    code: String,
}

pub async fn check_receipt(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(form): Form<ReceiptForm>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let found = state.store.check_receipt(scope.process.id, &form.code).await?;
    let published = state.store.publication(scope.process.id).await?.is_some();
    let checked = match found {
        Some(found) => ReceiptResult {
            found: true,
            hash: found.hash,
            channel: t.t(&format!("ballot_channel.{}", found.channel.as_str())).to_string(),
            published,
        },
        None => ReceiptResult { found: false, hash: String::new(), channel: String::new(), published },
    };
    let status = if checked.found { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok(receipt_page(&ctx, &scope, None, Some(checked), form.code.trim().to_string(), status))
}
