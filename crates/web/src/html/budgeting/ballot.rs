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
    /// Verified but not admitted by this process's rules (the error code says why).
    NotEligible(&'static str),
    AlreadyVoted,
    /// Voting not open (not yet, or any more): the error code.
    Closed(&'static str),
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

impl Standing {
    /// The error code of a standing that refuses a ballot (the API's field error).
    pub fn code(&self) -> &'static str {
        match self {
            Standing::NeedsVerification(_) => "needs_verification",
            Standing::NotEligible(code) | Standing::Closed(code) => code,
            Standing::AlreadyVoted => "already_voted",
            Standing::Ready(_) => "ballot",
        }
    }
}

/// A verified resident admitted to this process, with what their ballot is checked
/// against: what both the ballot page and the API cast with.
pub struct Voter {
    pub verified: Verified,
    pub setup: ProcessSetup,
    pub projects: Vec<Project>,
}

/// The verified resident behind the signed-in account, and whether this process
/// admits them.
pub async fn voter(state: &AppState, ctx: &Ctx, scope: &ProcessScope) -> AppResult<Result<Voter, Standing>> {
    let urls = BudgetUrls::new(&scope.body);
    let user = ctx.require_user()?;
    let process = &scope.process;
    if let Some(reason) = process.voting_closed_reason(now()) {
        return Ok(Err(Standing::Closed(reason.code)));
    }
    let Some(verified) = state.store.verified(scope.body.id, user.id).await? else {
        return Ok(Err(Standing::NeedsVerification(urls.verify(&urls.ballot(&process.slug)))));
    };
    let last_day = kst_date_after(process.voting_closes_at.unwrap_or(now()) - 1, 0);
    if let Err(e) = process.eligibility.0.check(verified.born_on.as_deref(), verified.basis, &last_day) {
        return Ok(Err(Standing::NotEligible(e.code)));
    }
    if state.store.has_participated(process.id, &verified.person_key).await? {
        return Ok(Err(Standing::AlreadyVoted));
    }
    let (setup, projects) =
        tokio::try_join!(state.store.process_setup(process.clone()), state.store.projects(process.id))?;
    Ok(Ok(Voter { verified, setup, projects }))
}

/// What casting a ballot did.
pub enum Cast {
    Done(sotong_store::budgeting::ballots::Receipt),
    Refused(Standing),
    /// Too many attempts in a short time (the abuse limit).
    Limited,
    /// The ballot broke these rules; nothing was stored.
    Broken(Vec<Violation>),
}

/// Casts `submitted` for the voter: the attempt limit, the whole ballot checked
/// against the pots open to them, then the store's one-person-one-ballot write.
pub async fn cast_for(state: &AppState, ctx: &Ctx, scope: &ProcessScope, voter: &Voter, submitted: Ballot) -> AppResult<Cast> {
    let user = ctx.require_user()?;
    if !limits::allow(state, ctx, user.id, Write::Ballot).await? {
        return Ok(Cast::Limited);
    }
    let sheet = voter.setup.ballot_sheet(&voter.projects);
    let checked = match sheet.check(voter.verified.district.as_deref(), submitted) {
        Ok(checked) => checked,
        Err(violations) => return Ok(Cast::Broken(violations)),
    };
    match state.store.cast_ballot(&ctx.actor(), &scope.process, &voter.verified.person_key, &checked).await {
        Ok(receipt) => Ok(Cast::Done(receipt)),
        Err(StoreError::Invalid(e)) if e.code == "already_voted" => Ok(Cast::Refused(Standing::AlreadyVoted)),
        Err(StoreError::Invalid(e)) => Ok(Cast::Refused(Standing::Closed(e.code))),
        Err(other) => Err(other.into()),
    }
}

/// A ballot from (project, points) picks, each put in its project's pot (a project
/// not of this process goes to pot 0, which the check reports).
pub fn ballot_of(picks: impl IntoIterator<Item = (i64, i64)>, projects: &[Project]) -> Ballot {
    let mut pots: BTreeMap<i64, BTreeMap<i64, i64>> = BTreeMap::new();
    for (id, points) in picks {
        let pot = projects.iter().find(|p| p.id == id).map_or(0, |p| p.pot_id);
        pots.entry(pot).or_default().insert(id, points);
    }
    Ballot { pots }
}

/// The ballot's fieldsets: the pots `open` lets this voter vote in (by their 동 on the
/// web; every pot for the officers keying in paper), with what was chosen.
pub fn pot_forms(
    setup: &ProcessSetup,
    projects: &[Project],
    open: impl Fn(&sotong_store::budgeting::Pot) -> bool,
    chosen: &Ballot,
    problems: &[Violation],
    t: &Tr,
    urls: &BudgetUrls,
) -> Vec<PotForm> {
    setup
        .pots
        .iter()
        .filter(|pot| open(pot))
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
    let standing = match voter(&state, &ctx, &scope).await? {
        Err(standing) => standing,
        Ok(v) => {
            let urls = BudgetUrls::new(&scope.body);
            let district = v.verified.district.as_deref();
            let forms = pot_forms(&v.setup, &v.projects, |pot| pot.open_to(district), &Ballot::default(), &[], &ctx.tr(), &urls);
            Standing::Ready(forms)
        }
    };
    Ok(ballot_page(&ctx, &scope, standing, Vec::new(), StatusCode::OK))
}

/// The form's fields: `pick` = a chosen project's id (one per checked box),
/// `points_{project}` = n on a cumulative ballot (a value that is not a whole number
/// is kept as 0, which the check reports on its project).
pub fn read_ballot(fields: &[(String, String)], projects: &[Project]) -> Ballot {
    let picks = fields.iter().filter_map(|(name, value)| {
        if name == "pick" {
            return value.trim().parse::<i64>().ok().map(|id| (id, 1));
        }
        let id = name.strip_prefix("points_")?.parse::<i64>().ok()?;
        (!value.trim().is_empty()).then(|| (id, value.trim().parse::<i64>().unwrap_or(0)))
    });
    ballot_of(picks.collect::<Vec<_>>(), projects)
}

pub async fn cast(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let voter = match voter(&state, &ctx, &scope).await? {
        Err(standing) => return Ok(refused(&ctx, &scope, standing)),
        Ok(voter) => voter,
    };
    let submitted = read_ballot(&fields, &voter.projects);
    let urls = BudgetUrls::new(&scope.body);
    let Voter { verified, setup, projects } = &voter;
    let again = |violations: &[Violation], problems: Vec<String>, status| {
        let district = verified.district.as_deref();
        let forms = pot_forms(setup, projects, |pot| pot.open_to(district), &submitted, violations, &t, &urls);
        ballot_page(&ctx, &scope, Standing::Ready(forms), problems, status)
    };
    match cast_for(&state, &ctx, &scope, &voter, submitted.clone()).await? {
        Cast::Done(receipt) => Ok(receipt_page(&ctx, &scope, Some(receipt.code), None, String::new(), StatusCode::OK)),
        Cast::Refused(standing) => Ok(refused(&ctx, &scope, standing)),
        Cast::Limited => Ok(again(&[], vec![t.t("ballot.too_many").to_string()], StatusCode::TOO_MANY_REQUESTS)),
        Cast::Broken(violations) => {
            // Rules no open pot's fieldset can show are listed at the top.
            let open: Vec<i64> =
                setup.pots.iter().filter(|p| p.open_to(verified.district.as_deref())).map(|p| p.id).collect();
            let mut problems = vec![t.t("ballot.problems").to_string()];
            problems.extend(
                violations
                    .iter()
                    .filter(|v| v.pot_id().is_none_or(|pot| !open.contains(&pot)))
                    .map(|v| violation_text(v, setup, projects, &t)),
            );
            Ok(again(&violations, problems, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// The ballot page of a refused standing: 403 for who may not vote, 409 for a vote
/// that cannot be taken now (already voted, closed).
fn refused(ctx: &Ctx, scope: &ProcessScope, standing: Standing) -> Response {
    let status = match standing {
        Standing::NeedsVerification(_) | Standing::NotEligible(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::CONFLICT,
    };
    ballot_page(ctx, scope, standing, Vec::new(), status)
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
