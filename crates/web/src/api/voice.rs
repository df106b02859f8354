//! The citizen-voice API: proposals (read, submit), supports, assignment and answers,
//! and notices (read, publish) — under the same permissions, abuse limits and CSRF rule
//! as the pages. Authors are never named: no account, name or e-mail is in a proposal.

use super::ApiError;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::html::voice::answers::{load_for_staff, may_answer};
use crate::html::voice::views::kst_today;
use crate::limits::{self, Write};
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sotong_core::format::rfc3339;
use sotong_core::role::Permission;
use sotong_core::voice::notices::{NewNotice, NoticeCategory};
use sotong_core::voice::proposals::{Answer, NewProposal, ProposalCategory, ProposalState};
use sotong_core::FieldError;
use sotong_store::now;
use sotong_store::orgs::Org;
use sotong_store::voice::notices::Notice;
use sotong_store::voice::proposals::{Proposal, ProposalFilter, ProposalSort, Supported};
use sotong_store::StoreError;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn routes() -> Vec<super::ApiRoute> {
    vec![
        routes!(list_proposals, create_proposal),
        routes!(get_proposal),
        routes!(support_proposal),
        routes!(assign_proposal),
        routes!(answer_proposal),
        routes!(list_notices, create_notice),
        routes!(get_notice),
        routes!(complaint_figures),
    ]
}

const PAGE_SIZE: i64 = 20;

/// A department's answer to a proposal: the result and who answers (unit, officer,
/// contact, as every notice to a citizen names them).
#[derive(Serialize, ToSchema)]
pub struct AnswerDto {
    /// `accepted` (수용), `partially_accepted` (부분수용), `rejected` (불수용), `long_term` (장기검토).
    pub result: String,
    pub text: String,
    pub unit: String,
    pub officer: String,
    pub contact: String,
    /// RFC 3339.
    pub answered_at: String,
}

/// A policy proposal as the public sees it. Its author is not named.
#[derive(Serialize, ToSchema)]
pub struct ProposalDto {
    pub id: i64,
    pub title: String,
    pub text: String,
    /// `transport`, `environment`, `welfare`, `safety`, `economy`, `culture`,
    /// `education`, `urban`, `administration`, `other`.
    pub category: String,
    pub location: Option<String>,
    /// `received` (접수), `reviewing` (검토중), `answered` (답변완료), `withdrawn` (철회).
    pub state: String,
    pub supports: i64,
    /// Reached its support threshold: 답변 대상.
    pub answer_due: bool,
    /// The answer's last day (KST), once assigned or 답변 대상.
    pub due_on: Option<String>,
    /// Past that day without an answer.
    pub overdue: bool,
    /// The department in charge (its slug), once assigned.
    pub department: Option<String>,
    /// RFC 3339.
    pub submitted_at: String,
    pub answer: Option<AnswerDto>,
}

fn proposal_dto(proposal: Proposal, units: &[Org]) -> ProposalDto {
    let at = now();
    let answer = match (&proposal.answer_result, &proposal.answer_body, proposal.answered_at) {
        (Some(result), Some(text), Some(answered_at)) => Some(AnswerDto {
            result: result.clone(),
            text: text.clone(),
            unit: proposal.answer_unit.clone().unwrap_or_default(),
            officer: proposal.answer_officer.clone().unwrap_or_default(),
            contact: proposal.answer_contact.clone().unwrap_or_default(),
            answered_at: rfc3339(answered_at),
        }),
        _ => None,
    };
    ProposalDto {
        overdue: proposal.is_overdue(at),
        answer_due: proposal.is_answer_due(),
        department: proposal.department_id.and_then(|id| units.iter().find(|u| u.id == id)).map(|u| u.slug.clone()),
        id: proposal.id,
        title: proposal.title,
        text: proposal.body,
        category: proposal.category.to_string(),
        location: proposal.location,
        state: proposal.state.to_string(),
        supports: proposal.support_count,
        due_on: proposal.due_on,
        submitted_at: rfc3339(proposal.created_at),
        answer,
    }
}

/// A page of proposals and how many match.
#[derive(Serialize, ToSchema)]
pub struct ProposalPageDto {
    pub total: i64,
    pub page: i64,
    pub items: Vec<ProposalDto>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    /// `received`, `reviewing`, `answered` or `withdrawn`; all when absent.
    pub state: Option<String>,
    pub category: Option<String>,
    /// `newest` (the default) or `supports`.
    pub sort: Option<String>,
    /// From 1; pages of 20.
    pub page: Option<i64>,
}

/// A body's visible proposals, newest (or most supported) first, 20 per page.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/proposals", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body"), ProposalQuery),
    responses((status = 200, body = ProposalPageDto), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn list_proposals(
    State(state): State<AppState>,
    BodyScope { body, .. }: BodyScope,
    Query(query): Query<ProposalQuery>,
) -> AppResult<Response> {
    let mut errors = Vec::new();
    let parsed_state = match query.state.as_deref() {
        None | Some("") => None,
        Some(s) => ProposalState::try_from(s.to_string())
            .map_err(|_| errors.push(FieldError::new("state", "invalid_choice")))
            .ok(),
    };
    let category = match query.category.as_deref() {
        None | Some("") => None,
        Some(c) => ProposalCategory::parse(c).map_err(|e| errors.push(e)).ok(),
    };
    let sort = match query.sort.as_deref() {
        None | Some("") | Some("newest") => ProposalSort::Newest,
        Some("supports") => ProposalSort::MostSupported,
        Some(_) => {
            errors.push(FieldError::new("sort", "invalid_choice"));
            ProposalSort::Newest
        }
    };
    let page = query.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        errors.push(FieldError::new("page", "invalid_count"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let filter = ProposalFilter {
        state: parsed_state,
        category,
        sort,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
        ..Default::default()
    };
    let ((rows, total), units) = tokio::try_join!(state.store.proposals(body.id, &filter), state.store.units(body.id))?;
    let items = rows.into_iter().map(|p| proposal_dto(p, &units)).collect();
    Ok(crate::page_cache::published_json(ProposalPageDto { total, page, items }).into_response())
}

/// One proposal with its answer. A hidden one is not found (but by the body's staff).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/proposals/{id}", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body"), ("id" = i64, Path, description = "the proposal")),
    responses((status = 200, body = ProposalDto), (status = 404, body = ApiError)))]
pub async fn get_proposal(
    State(state): State<AppState>,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    let proposal = state.store.proposal(scope.body.id, id).await?.ok_or(AppError::NotFound)?;
    if !proposal.is_public() && !scope.roles.allows(Permission::ModerateContent) {
        return Err(AppError::NotFound);
    }
    let units = state.store.units(scope.body.id).await?;
    Ok(axum::Json(proposal_dto(proposal, &units)).into_response())
}

/// A proposal to submit. Fields not listed here are refused (422), not ignored.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProposalDto {
    /// 5–100 characters.
    pub title: String,
    /// 20–5,000 characters.
    pub text: String,
    pub category: String,
    pub location: Option<String>,
}

/// Submits a proposal as the signed-in person (session cookie and `X-CSRF-Token`;
/// 5 a day per account).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/proposals", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body")),
    request_body = NewProposalDto,
    responses((status = 201, body = ProposalDto), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn create_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Json(input): Json<NewProposalDto>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let new = NewProposal::parse(&input.title, &input.text, &input.category, input.location.as_deref().unwrap_or(""))
        .map_err(|errors| AppError::Invalid(named_as_in_the_api(errors)))?;
    if !limits::allow(&state, &ctx, user.id, Write::Proposal).await? {
        return Err(limits::refused(Write::Proposal));
    }
    let proposal = state.store.create_proposal(&ctx.actor(), scope.body.id, user.id, &new).await?;
    let units = state.store.units(scope.body.id).await?;
    Ok((StatusCode::CREATED, axum::Json(proposal_dto(proposal, &units))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportDto {
    /// Take one's support back (until the proposal reaches its threshold).
    #[serde(default)]
    pub withdraw: bool,
}

/// What a support did.
#[derive(Serialize, ToSchema)]
pub struct SupportResultDto {
    /// Whether this person supports the proposal now.
    pub supporting: bool,
    /// Whether this request changed anything (a second support changes nothing).
    pub changed: bool,
    pub supports: i64,
}

/// Supports a proposal (공감) as the signed-in person — once, however often it is
/// asked — or takes the support back.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/proposals/{id}/supports", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body"), ("id" = i64, Path, description = "the proposal")),
    request_body = SupportDto,
    responses((status = 200, body = SupportResultDto), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn support_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Json(input): Json<SupportDto>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let proposal =
        state.store.proposal(scope.body.id, id).await?.filter(Proposal::is_public).ok_or(AppError::NotFound)?;
    let changed = if input.withdraw {
        invalid_as_422(state.store.withdraw_support(&ctx.actor(), &proposal, user.id).await)?
    } else {
        if !limits::allow(&state, &ctx, user.id, Write::Support).await? {
            return Err(limits::refused(Write::Support));
        }
        let rules = state.store.proposal_rules(scope.body.id).await?;
        let supported = invalid_as_422(state.store.support_proposal(&ctx.actor(), &proposal, user.id, &rules).await)?;
        matches!(supported, Supported::Added { .. })
    };
    let supports = state.store.proposal(scope.body.id, id).await?.map(|p| p.support_count).unwrap_or(0);
    let supporting = state.store.has_supported(id, user.id).await?;
    Ok(axum::Json(SupportResultDto { supporting, changed, supports }).into_response())
}

/// The forms call a title `subject` and a text `content` (or `answer`); the API's
/// fields are `title` and `text`, so its errors name those.
fn named_as_in_the_api(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| match e.field {
            "subject" => FieldError::new("title", e.code),
            "content" | "answer" => FieldError::new("text", e.code),
            _ => e,
        })
        .collect()
}

fn invalid_as_422<T>(result: Result<T, StoreError>) -> AppResult<T> {
    result.map_err(|e| match e {
        StoreError::Invalid(field) => AppError::Invalid(vec![field]),
        other => other.into(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentDto {
    /// The slug of the department that answers.
    pub department: String,
}

/// Assigns a proposal to a department (coordinators); the answer deadline starts.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/proposals/{id}/assignment", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body"), ("id" = i64, Path, description = "the proposal")),
    request_body = AssignmentDto,
    responses((status = 200, body = ProposalDto), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn assign_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Json(input): Json<AssignmentDto>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let proposal = load_for_staff(&state, &scope, id).await?;
    let department = state
        .store
        .unit(scope.body.id, input.department.trim())
        .await?
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("department", "invalid_choice")]))?;
    let rules = state.store.proposal_rules(scope.body.id).await?;
    let assigned = invalid_as_422(
        state.store.assign_proposal(&ctx.actor(), &scope.body.slug, &proposal, department.id, &rules).await,
    )?;
    let units = state.store.units(scope.body.id).await?;
    Ok(axum::Json(proposal_dto(assigned, &units)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInputDto {
    /// `accepted`, `partially_accepted`, `rejected` or `long_term`.
    pub result: String,
    pub text: String,
    pub officer: String,
    pub contact: String,
}

/// Answers an assigned proposal (the assigned department's officers, coordinators).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/proposals/{id}/answer", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body"), ("id" = i64, Path, description = "the proposal")),
    request_body = AnswerInputDto,
    responses((status = 200, body = ProposalDto), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn answer_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Json(input): Json<AnswerInputDto>,
) -> AppResult<Response> {
    let proposal = load_for_staff(&state, &scope, id).await?;
    if !may_answer(&scope, &proposal) {
        return Err(AppError::Forbidden);
    }
    let answer = Answer::parse(&input.result, &input.text, &input.officer, &input.contact)
        .map_err(|errors| AppError::Invalid(named_as_in_the_api(errors)))?;
    let answered =
        invalid_as_422(state.store.answer_proposal(&ctx.actor(), &scope.body.slug, &proposal, &answer).await)?;
    let units = state.store.units(scope.body.id).await?;
    Ok(axum::Json(proposal_dto(answered, &units)).into_response())
}

/// A city notice (시정알림).
#[derive(Serialize, ToSchema)]
pub struct NoticeDto {
    pub id: i64,
    pub title: String,
    pub text: String,
    /// `general`, `public_notice`, `event`, `recruitment`, `tender`, `press`.
    pub category: String,
    pub pinned: bool,
    /// First and last day on display (KST); no last day: until taken down.
    pub publish_on: String,
    pub expires_on: Option<String>,
}

impl From<Notice> for NoticeDto {
    fn from(n: Notice) -> Self {
        NoticeDto {
            id: n.id,
            title: n.title,
            text: n.body,
            category: n.category.to_string(),
            pinned: n.pinned.0,
            publish_on: n.publish_on,
            expires_on: n.expires_on,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoticePageDto {
    pub total: i64,
    pub page: i64,
    pub items: Vec<NoticeDto>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    pub category: Option<String>,
    /// From 1; pages of 20.
    pub page: Option<i64>,
}

/// The notices on display today, pinned first, 20 per page.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/notices", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body"), NoticeQuery),
    responses((status = 200, body = NoticePageDto), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn list_notices(
    State(state): State<AppState>,
    BodyScope { body, .. }: BodyScope,
    Query(query): Query<NoticeQuery>,
) -> AppResult<Response> {
    let mut errors = Vec::new();
    let category = match query.category.as_deref() {
        None | Some("") => None,
        Some(c) => NoticeCategory::parse(c).map_err(|e| errors.push(e)).ok(),
    };
    let page = query.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        errors.push(FieldError::new("page", "invalid_count"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (rows, total) =
        state.store.public_notices(body.id, category, &kst_today(now()), (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let items = rows.into_iter().map(NoticeDto::from).collect();
    Ok(crate::page_cache::published_json(NoticePageDto { total, page, items }).into_response())
}

/// One notice on display (staff who publish notices also see the others).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/notices/{id}", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body"), ("id" = i64, Path, description = "the notice")),
    responses((status = 200, body = NoticeDto), (status = 404, body = ApiError)))]
pub async fn get_notice(
    State(state): State<AppState>,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    let notice = state.store.notice(scope.body.id, id).await?.ok_or(AppError::NotFound)?;
    if !notice.is_public_on(&kst_today(now())) && !scope.roles.allows(Permission::PublishNotices) {
        return Err(AppError::NotFound);
    }
    Ok(axum::Json(NoticeDto::from(notice)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNoticeDto {
    pub title: String,
    pub text: String,
    pub category: String,
    #[serde(default)]
    pub pinned: bool,
    /// `2026-12-01`; today when absent.
    pub publish_on: Option<String>,
    pub expires_on: Option<String>,
}

/// Publishes a notice (coordinators and administrators).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/notices", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body")),
    request_body = NewNoticeDto,
    responses((status = 201, body = NoticeDto), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_notice(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Json(input): Json<NewNoticeDto>,
) -> AppResult<Response> {
    scope.require(Permission::PublishNotices)?;
    let new = NewNotice::parse(
        &input.title,
        &input.text,
        &input.category,
        input.pinned,
        input.publish_on.as_deref().unwrap_or(""),
        input.expires_on.as_deref().unwrap_or(""),
        &kst_today(now()),
    )
    .map_err(|errors| AppError::Invalid(named_as_in_the_api(errors)))?;
    let notice = state.store.create_notice(&ctx.actor(), scope.body.id, &new).await?;
    Ok((StatusCode::CREATED, axum::Json(NoticeDto::from(notice))).into_response())
}

/// One department's complaints on the statutory clock (REFERENCE "Complaints").
#[derive(Serialize, ToSchema)]
pub struct ComplaintFiguresDto {
    /// The department's slug; none for complaints not yet given to a department.
    pub department: Option<String>,
    pub name: String,
    /// Waiting for their answer (접수, 배정, 처리중).
    pub open: i64,
    /// Open and past their deadline now.
    pub overdue: i64,
    /// Answered in the 365 days before `at`.
    pub answered: i64,
    /// Of those, answered after their deadline.
    pub answered_late: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintFiguresPageDto {
    /// When the figures were counted (RFC 3339): overdue depends on it.
    pub at: String,
    pub departments: Vec<ComplaintFiguresDto>,
}

/// Per department of a body, how many complaints are open and overdue now, and how
/// many were answered, and answered late, in the last 365 days — the coordinator's figures, for evaluations and the city's own
/// reporting. Counts only: no complaint, filer or text.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/complaints/figures", tag = "voice",
    params(("org" = String, Path, description = "slug of the public body")),
    responses((status = 200, body = ComplaintFiguresPageDto), (status = 404, body = ApiError)))]
pub async fn complaint_figures(
    State(state): State<AppState>,
    ctx: Ctx,
    BodyScope { body, .. }: BodyScope,
) -> AppResult<Response> {
    let at = now();
    let (figures, units) = tokio::try_join!(state.store.complaint_figures(body.id, at), state.store.units(body.id))?;
    let english = ctx.tr().is_en();
    let departments = figures
        .into_iter()
        .map(|f| {
            let unit = f.department_id.and_then(|id| units.iter().find(|u| u.id == id));
            ComplaintFiguresDto {
                department: unit.map(|u| u.slug.clone()),
                name: unit
                    .map(|u| u.name(english).to_string())
                    .unwrap_or_else(|| ctx.tr().t("inbox.unassigned").to_string()),
                open: f.open,
                overdue: f.overdue,
                answered: f.answered,
                answered_late: f.answered_late,
            }
        })
        .collect();
    Ok(axum::Json(ComplaintFiguresPageDto { at: rfc3339(at), departments }).into_response())
}
