//! The participatory-budgeting module's pages (docs/BUDGETING.md): the public side —
//! processes, projects, the ballot and its receipt, results explained (`public`,
//! `ballot`, `ideas`) — and the back office (`staff`). Resident verification is a
//! shared service with its own page (`html::verification`).

pub mod ballot;
pub mod ideas;
pub mod public;
pub mod review;
pub mod setup;
pub mod staff;
pub mod stations;
pub mod urls;

use crate::i18n::Tr;
use crate::AppState;
use axum::routing::{get, post, MethodRouter};
use sotong_core::budgeting::ballot::BallotKind;
use sotong_core::budgeting::results::Why;
use sotong_core::budgeting::{OutcomeRule, Phase};
use sotong_store::budgeting::projects::Project;
use sotong_store::budgeting::{Category, Pot, Process, ProcessSetup};
use urls::BudgetUrls;

/// The module's pages; `crate::page_routes` adds them to the one route table.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/{org}/budgeting", get(public::list)),
        ("/{org}/budgeting/{process}", get(public::process_page)),
        ("/{org}/budgeting/{process}/projects/{id}", get(public::project_page)),
        ("/{org}/budgeting/{process}/ideas/new", get(ideas::form).post(ideas::submit)),
        ("/{org}/budgeting/{process}/ballot", get(ballot::form).post(ballot::cast)),
        ("/{org}/budgeting/{process}/receipt", get(ballot::receipt_form).post(ballot::check_receipt)),
        ("/{org}/budgeting/{process}/results", get(public::results_page)),
        ("/{org}/budgeting/{process}/ballots.txt", get(public::ballot_list)),
        ("/{org}/budgeting/{process}/pots/{pot}/ballots.pb", get(public::pabulib)),
        ("/{org}/budgeting/{process}/committee", get(review::committee).post(review::score)),
        ("/{org}/staff/budgeting", get(staff::list)),
        ("/{org}/staff/budgeting/new", get(setup::new_form).post(setup::create)),
        ("/{org}/staff/budgeting/{process}", get(staff::process_page)),
        ("/{org}/staff/budgeting/{process}/pots", post(setup::add_pot)),
        ("/{org}/staff/budgeting/{process}/categories", post(setup::add_category)),
        ("/{org}/staff/budgeting/{process}/notes", post(setup::set_note)),
        ("/{org}/staff/budgeting/{process}/committee", post(setup::committee_member)),
        ("/{org}/staff/budgeting/{process}/stations", post(setup::add_station)),
        ("/{org}/staff/budgeting/{process}/stations/{station}", get(stations::page)),
        ("/{org}/staff/budgeting/{process}/stations/{station}/check-in", post(stations::check_in)),
        ("/{org}/staff/budgeting/{process}/stations/{station}/paper", post(stations::paper)),
        ("/{org}/staff/budgeting/{process}/projects/{id}", get(review::page)),
        ("/{org}/staff/budgeting/{process}/projects/{id}/feasibility", post(review::review)),
        ("/{org}/staff/budgeting/{process}/projects/{id}/selection", post(review::select)),
        ("/{org}/staff/budgeting/{process}/phase", post(staff::advance)),
        ("/{org}/staff/budgeting/{process}/publish", post(staff::publish)),
    ]
}

/// A process as a card in a list.
pub struct ProcessCard {
    pub url: String,
    pub title: String,
    pub phase: String,
    pub phase_key: &'static str,
}

impl ProcessCard {
    pub fn new(process: &Process, urls: &BudgetUrls, t: &Tr) -> ProcessCard {
        ProcessCard {
            url: urls.process(&process.slug),
            title: process.title.clone(),
            phase: phase_label(t, process.phase),
            phase_key: process.phase.as_str(),
        }
    }
}

pub fn phase_label(t: &Tr, phase: Phase) -> String {
    t.t(&format!("budget_phase.{}", phase.as_str())).to_string()
}

/// A project as the public sees it in a list.
pub struct ProjectCard {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub cost: String,
    pub category: Option<String>,
    pub location: Option<String>,
    pub state: String,
    pub state_key: &'static str,
    pub feasibility: Option<String>,
}

impl ProjectCard {
    pub fn new(project: &Project, process: &Process, categories: &[Category], urls: &BudgetUrls, t: &Tr) -> ProjectCard {
        ProjectCard {
            id: project.id,
            url: urls.project(&process.slug, project.id),
            title: project.title.clone(),
            cost: t.krw_readable(project.ballot_cost()),
            category: category_name(categories, project.category_id),
            location: project.location.clone(),
            state: t.t(&format!("budget_project_state.{}", project.state.as_str())).to_string(),
            state_key: project.state.as_str(),
            feasibility: project.feasibility().map(|f| t.t(&format!("feasibility.{}", f.as_str())).to_string()),
        }
    }
}

pub fn category_name(categories: &[Category], id: Option<i64>) -> Option<String> {
    id.and_then(|id| categories.iter().find(|c| c.id == id)).map(|c| c.name.clone())
}

/// What a pot's ballot asks, in a sentence: "최대 3개까지 고릅니다", "예산 안에서",
/// "10점을 나누어 줍니다 (사업당 최대 5점)", with the category quotas.
pub fn pot_rules(pot: &Pot, categories: &[Category], t: &Tr) -> String {
    let mut parts = Vec::new();
    match pot.ballot_kind {
        BallotKind::Approval | BallotKind::Knapsack => {
            if let Some(max) = pot.max_picks {
                parts.push(t.f1("ballot_rule.max_picks", max));
            }
            if let Some(min) = pot.min_picks {
                parts.push(t.f1("ballot_rule.min_picks", min));
            }
            if pot.ballot_kind == BallotKind::Knapsack {
                parts.push(t.f1("ballot_rule.knapsack", t.krw_readable(pot.budget)));
            }
        }
        BallotKind::Cumulative => {
            parts.push(t.f1("ballot_rule.points", pot.points.unwrap_or(0)));
            if let Some(max) = pot.max_points_per_project {
                parts.push(t.f1("ballot_rule.max_points", max));
            }
        }
    }
    for category in categories.iter().filter(|c| c.max_picks.is_some()) {
        parts.push(t.f2("ballot_rule.quota", &category.name, category.max_picks.unwrap_or(0)));
    }
    if parts.is_empty() {
        parts.push(t.t("ballot_rule.any").to_string());
    }
    parts.join(" · ")
}

/// The pots of a setup with their projects on the ballot (or, before the vote, every
/// public project of the pot).
pub struct PotView {
    pub id: i64,
    pub name: String,
    pub district: Option<String>,
    pub budget: String,
    pub rules: String,
    pub kind: &'static str,
    pub projects: Vec<ProjectCard>,
}

pub fn pot_views(setup: &ProcessSetup, projects: &[Project], urls: &BudgetUrls, t: &Tr, ballot_only: bool) -> Vec<PotView> {
    setup
        .pots
        .iter()
        .map(|pot| PotView {
            id: pot.id,
            name: pot.name.clone(),
            district: pot.district.clone(),
            budget: t.krw_readable(pot.budget),
            rules: pot_rules(pot, &setup.categories, t),
            kind: pot.ballot_kind.as_str(),
            projects: projects
                .iter()
                .filter(|p| p.pot_id == pot.id && p.state.is_public() && (!ballot_only || p.state.is_on_ballot()))
                .map(|p| ProjectCard::new(p, &setup.process, &setup.categories, urls, t))
                .collect(),
        })
        .collect()
}

/// Why a project was funded or not, in words (docs/BUDGETING.md "Results").
pub fn explain(t: &Tr, why: &Why, rule: OutcomeRule) -> String {
    let score = |s: &str| match rule {
        OutcomeRule::GreedyCombined => t.f1("result_why.points", t.decimal(s)),
        _ => t.f1("result_why.votes", t.decimal(s)),
    };
    match why {
        Why::Funded { rank, score: s, money_before } => {
            t.f("result_why.funded", &[&rank.to_string(), &score(s), &t.krw_readable(*money_before)])
        }
        Why::DidNotFit { rank, score: s, money_left } => {
            t.f("result_why.did_not_fit", &[&rank.to_string(), &score(s), &t.krw_readable(*money_left)])
        }
        Why::Bought { step, max_payment, supporters, paying_everything } => t.f(
            "result_why.bought",
            &[&step.to_string(), &t.number(*supporters), &t.krw(*max_payment), &t.number(*paying_everything)],
        ),
        Why::Unaffordable { supporters, money_left, shortfall } => {
            t.f("result_why.unaffordable", &[&t.number(*supporters), &t.krw(*money_left), &t.krw(*shortfall)])
        }
        Why::NoSupporters => t.t("result_why.no_supporters").to_string(),
        Why::Free => t.t("result_why.free").to_string(),
        Why::CompletedByGreedy { rank, score: s, money_before } => {
            t.f("result_why.completed", &[&t.krw_readable(*money_before), &rank.to_string(), &score(s)])
        }
    }
}

/// The module's entries among the back office's tools: (link, name, what it is for).
pub fn tools(body: &sotong_store::orgs::Org, roles: &sotong_core::role::RoleSet, t: &Tr) -> Vec<(String, String, String)> {
    use sotong_core::role::Permission;
    let mut tools = Vec::new();
    if staff::BUDGET_STAFF.iter().any(|p| roles.allows(*p)) {
        let urls = BudgetUrls::new(body);
        tools.push((urls.staff_list(), t.t("budget_staff.title").to_string(), t.t("budget_staff.lead").to_string()));
    }
    if roles.allows(Permission::ManageResidents) {
        let url = crate::urls::body(body, "/staff/residents");
        tools.push((url, t.t("residents.title").to_string(), t.t("residents.tool").to_string()));
    }
    tools
}

pub fn rule_label(t: &Tr, rule: OutcomeRule) -> String {
    t.t(&format!("outcome_rule.{}", rule.as_str())).to_string()
}

/// The choices of a select over an enum: (value, label in the current language).
fn options<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str, prefix: &str, t: &crate::i18n::Tr) -> Vec<(String, String)> {
    all.iter().map(|&v| (key(v).to_string(), t.t(&format!("{prefix}.{}", key(v))).to_string())).collect()
}
