//! The participatory-budgeting API: processes with their pots, categories and
//! projects; the published results; and ballots cast by the signed-in, verified
//! resident under exactly the rules of the ballot page (`html::budgeting::ballot`).
//! Proposers are never named; a ballot's answer is its receipt.

use super::ApiError;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::html::budgeting::ballot::{ballot_of, cast_for, voter, Cast};
use crate::limits::{self, Write};
use crate::scope::{BodyScope, ProcessScope};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sotong_core::format::rfc3339;
use sotong_core::FieldError;
use sotong_store::budgeting::{Process, ProcessSetup};
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn routes() -> Vec<super::ApiRoute> {
    vec![routes!(list_processes), routes!(get_process), routes!(get_results), routes!(cast_ballot)]
}

/// A process in a list.
#[derive(Serialize, ToSchema)]
pub struct ProcessDto {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// `proposals`, `feasibility`, `committee`, `voting`, `results`, `implementation`.
    pub phase: String,
    /// `greedy_votes`, `greedy_combined`, `equal_shares`.
    pub rule: String,
    /// RFC 3339, when set.
    pub voting_opens_at: Option<String>,
    pub voting_closes_at: Option<String>,
    /// Percent of the final score from resident votes, and from the committee.
    pub resident_percent: i64,
    pub committee_percent: i64,
    /// Youngest age admitted (만 나이 on the vote's last day).
    pub min_age: i64,
    /// `resident`, `worker`, `student`.
    pub bases: Vec<String>,
}

fn process_dto(p: &Process) -> ProcessDto {
    ProcessDto {
        slug: p.slug.clone(),
        title: p.title.clone(),
        description: p.description.clone(),
        phase: p.phase.to_string(),
        rule: p.rule.to_string(),
        voting_opens_at: p.voting_opens_at.map(rfc3339),
        voting_closes_at: p.voting_closes_at.map(rfc3339),
        resident_percent: p.formula.0.resident_percent,
        committee_percent: p.formula.0.committee_percent,
        min_age: p.eligibility.0.min_age,
        bases: p.eligibility.0.bases.iter().map(|b| b.to_string()).collect(),
    }
}

/// A body's processes, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/budgeting", tag = "budgeting",
    params(("org" = String, Path, description = "slug of the public body")),
    responses((status = 200, body = Vec<ProcessDto>), (status = 404, body = ApiError)))]
pub async fn list_processes(State(state): State<AppState>, scope: BodyScope) -> AppResult<Response> {
    let processes = state.store.processes(scope.body.id).await?;
    Ok(axum::Json(processes.iter().map(process_dto).collect::<Vec<_>>()).into_response())
}

/// A pot (사업비 한도) and its ballot rules.
#[derive(Serialize, ToSchema)]
pub struct PotDto {
    pub id: i64,
    pub name: String,
    /// The 동 it is for; none for the whole body.
    pub district: Option<String>,
    /// Whole won.
    pub budget: i64,
    /// `approval`, `knapsack`, `cumulative`.
    pub ballot_kind: String,
    pub max_picks: Option<i64>,
    pub min_picks: Option<i64>,
    pub points: Option<i64>,
    pub max_points_per_project: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryDto {
    pub id: i64,
    pub name: String,
    /// Most picks in this category within one pot.
    pub max_picks: Option<i64>,
}

/// A project. Its proposer is not named.
#[derive(Serialize, ToSchema)]
pub struct ProjectDto {
    pub id: i64,
    pub pot: i64,
    pub category: Option<i64>,
    pub title: String,
    pub description: String,
    pub location: Option<String>,
    /// What it costs on the ballot (the department's estimate once given), whole won.
    pub cost: i64,
    /// `submitted`, `reviewed`, `on_ballot`, `not_selected`, `funded`, `not_funded`.
    pub state: String,
    /// `feasible`, `conditional`, `infeasible`, once reviewed.
    pub feasibility: Option<String>,
    pub feasibility_reason: Option<String>,
}

/// A process with everything its ballot needs.
#[derive(Serialize, ToSchema)]
pub struct ProcessDetailDto {
    pub process: ProcessDto,
    pub pots: Vec<PotDto>,
    pub categories: Vec<CategoryDto>,
    pub projects: Vec<ProjectDto>,
    /// How many took part so far (online, paper); project totals only in the results.
    pub turnout_online: i64,
    pub turnout_paper: i64,
}

fn detail(setup: &ProcessSetup, projects: Vec<sotong_store::budgeting::projects::Project>, turnout: (i64, i64)) -> ProcessDetailDto {
    ProcessDetailDto {
        process: process_dto(&setup.process),
        pots: setup
            .pots
            .iter()
            .map(|p| PotDto {
                id: p.id,
                name: p.name.clone(),
                district: p.district.clone(),
                budget: p.budget,
                ballot_kind: p.ballot_kind.to_string(),
                max_picks: p.max_picks,
                min_picks: p.min_picks,
                points: p.points,
                max_points_per_project: p.max_points_per_project,
            })
            .collect(),
        categories: setup
            .categories
            .iter()
            .map(|c| CategoryDto { id: c.id, name: c.name.clone(), max_picks: c.max_picks })
            .collect(),
        projects: projects
            .into_iter()
            .filter(|p| p.state.is_public())
            .map(|p| ProjectDto {
                cost: p.ballot_cost(),
                id: p.id,
                pot: p.pot_id,
                category: p.category_id,
                title: p.title,
                description: p.description,
                location: p.location,
                state: p.state.to_string(),
                feasibility: p.feasibility,
                feasibility_reason: p.feasibility_reason,
            })
            .collect(),
        turnout_online: turnout.0,
        turnout_paper: turnout.1,
    }
}

/// A process with its pots, categories and projects.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/budgeting/{process}", tag = "budgeting",
    params(("org" = String, Path, description = "slug of the public body"), ("process" = String, Path, description = "the process")),
    responses((status = 200, body = ProcessDetailDto), (status = 404, body = ApiError)))]
pub async fn get_process(State(state): State<AppState>, scope: ProcessScope) -> AppResult<Response> {
    let (setup, projects, turnout) = tokio::try_join!(
        state.store.process_setup(scope.process.clone()),
        state.store.projects(scope.process.id),
        state.store.turnout(scope.process.id)
    )?;
    Ok(axum::Json(detail(&setup, projects, (turnout.online, turnout.paper))).into_response())
}

/// A project's line in a pot's published result.
#[derive(Serialize, ToSchema)]
pub struct ProjectResultDto {
    pub id: i64,
    pub title: String,
    pub cost: i64,
    pub online_votes: i64,
    pub paper_votes: i64,
    pub committee_points: i64,
    /// Hundredths of a point (docs/BUDGETING.md "The final score").
    pub resident_normalised: i64,
    pub committee_normalised: i64,
    pub combined: i64,
    pub selected: bool,
    /// Why, as the rule recorded it (`funded`, `did_not_fit`, `bought`,
    /// `unaffordable`, `no_supporters`, `free`, `completed_by_greedy`, with figures).
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct RuleOutcomeDto {
    pub rule: String,
    pub selected: Vec<i64>,
    pub total_cost: i64,
    /// Share of voters with a funded pick, in tenths of a percent.
    pub voters_satisfied_permille: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PotResultDto {
    pub pot: i64,
    pub name: String,
    pub budget: i64,
    pub voters: i64,
    pub rule: String,
    /// In the order the rule funded them.
    pub selected: Vec<i64>,
    pub total_cost: i64,
    pub projects: Vec<ProjectResultDto>,
    pub comparison: Vec<RuleOutcomeDto>,
    /// How many residents' votes one committee member's weighed, when above the
    /// process's warning threshold.
    pub committee_outweighs: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultsDto {
    /// The publication's hash in the body's chain (docs/VERIFY.md).
    pub publication_hash: String,
    /// RFC 3339.
    pub published_at: String,
    pub ballots: i64,
    pub pots: Vec<PotResultDto>,
}

/// The published results: each pot's outcome, every project's components and reasons,
/// and the other rules' outcomes. Not found until published.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/budgeting/{process}/results", tag = "budgeting",
    params(("org" = String, Path, description = "slug of the public body"), ("process" = String, Path, description = "the process")),
    responses((status = 200, body = ResultsDto), (status = 404, body = ApiError)))]
pub async fn get_results(State(state): State<AppState>, scope: ProcessScope) -> AppResult<Response> {
    let publication = state.store.publication(scope.process.id).await?.ok_or(AppError::NotFound)?;
    let results = state.store.published_results(scope.process.id).await?;
    let summary: serde_json::Value = serde_json::from_str(&publication.summary_json).unwrap_or_default();
    let pots = results
        .into_iter()
        .map(|r| PotResultDto {
            pot: r.pot_id,
            name: r.name,
            budget: r.budget,
            voters: r.voters,
            rule: r.rule.to_string(),
            selected: r.selected,
            total_cost: r.total_cost,
            projects: r
                .projects
                .into_iter()
                .map(|p| ProjectResultDto {
                    id: p.id,
                    title: p.title,
                    cost: p.cost,
                    online_votes: p.online_votes,
                    paper_votes: p.paper_votes,
                    committee_points: p.committee_points,
                    resident_normalised: p.resident_normalised,
                    committee_normalised: p.committee_normalised,
                    combined: p.combined,
                    selected: p.selected,
                    reasons: p.reasons.iter().filter_map(|w| serde_json::to_value(w).ok()).collect(),
                })
                .collect(),
            comparison: r
                .comparison
                .into_iter()
                .map(|c| RuleOutcomeDto {
                    rule: c.rule.to_string(),
                    selected: c.selected,
                    total_cost: c.total_cost,
                    voters_satisfied_permille: c.voters_satisfied_permille,
                })
                .collect(),
            committee_outweighs: r.committee_outweighs,
        })
        .collect();
    let dto = ResultsDto {
        publication_hash: publication.hash,
        published_at: rfc3339(publication.published_at),
        ballots: summary["ballots"].as_i64().unwrap_or(0),
        pots,
    };
    Ok(crate::page_cache::published_json(dto).into_response())
}

/// One pick of a ballot.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickDto {
    pub project: i64,
    /// Cumulative ballots: the points given (1 or more); otherwise leave out (1).
    pub points: Option<i64>,
}

/// A whole ballot: every pick in every pot the voter votes in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotDto {
    pub picks: Vec<PickDto>,
}

/// What a cast ballot gives back: the receipt code (shown this once) and the hash the
/// published ballot list will hold.
#[derive(Serialize, ToSchema)]
pub struct ReceiptDto {
    pub receipt: String,
    pub hash: String,
}

/// Casts the signed-in, verified resident's ballot (session cookie and
/// `X-CSRF-Token`) under the ballot page's rules: checked whole, once per person
/// (field `ballot`: already voted), refused with each broken rule as a field named by
/// its code (`too_many_picks`, `over_budget`, `quota_exceeded`, …); field `ballot` also
/// says when the account is not verified or the vote is not open.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/budgeting/{process}/ballots", tag = "budgeting",
    params(("org" = String, Path, description = "slug of the public body"), ("process" = String, Path, description = "the process")),
    request_body = BallotDto,
    responses((status = 201, body = ReceiptDto), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn cast_ballot(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Json(input): Json<BallotDto>,
) -> AppResult<Response> {
    ctx.require_user()?;
    let voter = match voter(&state, &ctx, &scope).await? {
        Ok(voter) => voter,
        Err(standing) => return Err(AppError::Invalid(vec![FieldError::new("ballot", standing.code())])),
    };
    let submitted = ballot_of(input.picks.iter().map(|p| (p.project, p.points.unwrap_or(1))), &voter.projects);
    match cast_for(&state, &ctx, &scope, &voter, submitted).await? {
        Cast::Done(receipt) => {
            Ok((StatusCode::CREATED, axum::Json(ReceiptDto { receipt: receipt.code, hash: receipt.hash })).into_response())
        }
        Cast::Refused(standing) => Err(AppError::Invalid(vec![FieldError::new("ballot", standing.code())])),
        Cast::Limited => Err(limits::refused(Write::Ballot)),
        Cast::Broken(violations) => {
            // Each broken rule is its own field, named by its code, so none hides another.
            Err(AppError::Invalid(violations.iter().map(|v| FieldError::new(v.code(), v.code())).collect()))
        }
    }
}
