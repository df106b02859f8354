//! The back office's side of proposals: the queue (unassigned, a department's own,
//! 답변 대상, overdue, answered), a proposal with its assignment and answer forms,
//! and the body's rules. Coordinators assign; the assigned department (or a
//! coordinator) answers; officers see their departments' proposals.

use super::urls::VoiceUrls;
use super::views::{kst_today, ProposalView};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::pagination::{requested, Pagination};
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::voice::proposals::{Answer, AnswerResult, ProposalRules, ProposalState};
use sotong_core::FieldError;
use sotong_store::now;
use sotong_store::orgs::Org;
use sotong_store::voice::proposals::{Proposal, ProposalFilter, ProposalSort};
use sotong_store::StoreError;

const PAGE_SIZE: usize = 30;

/// Which part of the queue is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Unassigned,
    Mine,
    AnswerDue,
    Overdue,
    Answered,
}

impl View {
    const ALL: [View; 5] = [View::Unassigned, View::Mine, View::AnswerDue, View::Overdue, View::Answered];

    fn key(self) -> &'static str {
        match self {
            View::Unassigned => "unassigned",
            View::Mine => "mine",
            View::AnswerDue => "answer_due",
            View::Overdue => "overdue",
            View::Answered => "answered",
        }
    }
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    view: String,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "voice/staff_proposals.html")]
struct QueuePage {
    shell: Shell,
    /// (key, label, url, current)
    tabs: Vec<(&'static str, String, String, bool)>,
    rows: Vec<(ProposalView, String)>,
    pagination: Pagination,
    label: String,
    rules_url: Option<String>,
    moderation_url: Option<String>,
}

/// The departments whose proposals and complaints this person answers; none = the
/// whole body (body-wide staff).
pub(crate) fn departments_of(roles: &sotong_core::role::RoleSet) -> Option<Vec<i64>> {
    if roles.allows_body_wide(Permission::AnswerCitizens) {
        None
    } else {
        Some(roles.departments_allowing(Permission::AnswerCitizens))
    }
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<QueueQuery>,
) -> AppResult<Response> {
    scope.require(Permission::AnswerCitizens)?;
    let departments = departments_of(&scope.roles);
    let BodyScope { body, roles, .. } = &scope;
    let shell = Shell::new(&ctx, "staff_proposals.title");
    let t = shell.t;
    let urls = VoiceUrls::new(body);
    let default = if departments.is_some() { View::Mine } else { View::Unassigned };
    let view = View::ALL.into_iter().find(|v| v.key() == query.view).unwrap_or(default);
    let at = now();
    let page = requested(query.page.as_deref());
    // Hidden proposals wait in the moderators' queue, not here.
    let mut filter = ProposalFilter {
        sort: ProposalSort::DueFirst,
        offset: ((page - 1) * PAGE_SIZE) as i64,
        limit: PAGE_SIZE as i64,
        ..Default::default()
    };
    match view {
        View::Unassigned => filter.state = Some(ProposalState::Received),
        View::Mine => filter.state = Some(ProposalState::Reviewing),
        View::AnswerDue => filter.answer_due = true,
        View::Overdue => filter.overdue_before = Some(kst_today(at)),
        View::Answered => {
            filter.state = Some(ProposalState::Answered);
            filter.sort = ProposalSort::Newest;
        }
    }
    // An officer sees only their department's proposals (in every view).
    let (rows, total) = match &departments {
        None => state.store.proposals(body.id, &filter).await?,
        Some(ids) => match ids.first() {
            Some(first) => {
                state.store.proposals(body.id, &ProposalFilter { department_id: Some(*first), ..filter }).await?
            }
            None => (Vec::new(), 0),
        },
    };
    let units = state.store.units(body.id).await?;
    let base = urls.staff_proposals("");
    let view_key = view.key();
    let pagination = Pagination::new(total as usize, PAGE_SIZE, page, |n| {
        if n > 1 {
            format!("{base}?view={view_key}&page={n}")
        } else {
            format!("{base}?view={view_key}")
        }
    });
    let page = QueuePage {
        tabs: View::ALL
            .into_iter()
            .filter(|v| departments.is_none() || *v != View::Unassigned)
            .map(|v| {
                (
                    v.key(),
                    t.t(&format!("staff_proposals.view_{}", v.key())).to_string(),
                    format!("{base}?view={}", v.key()),
                    v == view,
                )
            })
            .collect(),
        rows: rows
            .iter()
            .map(|p| (ProposalView::new(p, body, &units, &t, at), urls.staff_proposal(p.id, "")))
            .collect(),
        pagination,
        label: t.t("proposals.pages").to_string(),
        rules_url: roles.allows(Permission::AssignCitizenCases).then(|| urls.rules()),
        moderation_url: roles.allows(Permission::ModerateContent).then(|| urls.moderation("")),
        shell: shell.with_body(BodyNav::new(body, roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(body)),
            (t.t("staff_proposals.title").to_string(), String::new()),
        ]),
    };
    Ok(render(axum::http::StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    department: String,
}

#[derive(Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    result: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    officer: String,
    #[serde(default)]
    contact: String,
}

#[derive(Template)]
#[template(path = "voice/staff_proposal.html")]
struct StaffProposalPage {
    shell: Shell,
    p: ProposalView,
    proposal: Proposal,
    public_url: String,
    body_paragraphs: Vec<String>,
    can_assign: bool,
    can_answer: bool,
    assign_url: String,
    answer_url: String,
    departments: Vec<(String, String)>,
    assign: AssignForm,
    answer: AnswerForm,
    results: Vec<(&'static str, String)>,
    assign_errors: FormErrors,
    answer_errors: FormErrors,
    saved: bool,
}

/// Whether this person may answer this proposal: body-wide, or for its department.
pub(crate) fn may_answer(scope: &BodyScope, proposal: &Proposal) -> bool {
    match proposal.department_id {
        Some(department) => scope.roles.allows_in(Permission::AnswerCitizens, department),
        None => scope.roles.allows_body_wide(Permission::AnswerCitizens),
    }
}

async fn staff_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    proposal: Proposal,
    forms: (AssignForm, Vec<FieldError>, AnswerForm, Vec<FieldError>),
    saved: bool,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "staff_proposal.title");
    let t = shell.t;
    let urls = VoiceUrls::new(body);
    let units = state.store.units(body.id).await?;
    let (assign, assign_errors, mut answer, answer_errors) = forms;
    if answer.officer.is_empty() && answer_errors.is_empty() {
        if let Some(user) = &ctx.user {
            answer.officer = user.display_name.clone();
        }
        answer.contact = proposal
            .department_id
            .and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.phone.clone())
            .unwrap_or_default();
    }
    let can_answer = may_answer(scope, &proposal) && proposal.state == ProposalState::Reviewing;
    let page = StaffProposalPage {
        p: ProposalView::new(&proposal, body, &units, &t, now()),
        public_url: urls.proposal(proposal.id),
        body_paragraphs: proposal.body.split("\n\n").map(str::to_string).collect(),
        can_assign: roles.allows(Permission::AssignCitizenCases) && proposal.state.is_open(),
        can_answer,
        assign_url: urls.assign(proposal.id),
        answer_url: urls.answer(proposal.id),
        departments: departments_for_assignment(&units, t.is_en()),
        assign,
        answer,
        results: AnswerResult::ALL
            .iter()
            .map(|r| (r.as_str(), t.t(&format!("answer_result.{r}")).to_string()))
            .collect(),
        assign_errors: FormErrors::new(t, assign_errors),
        answer_errors: FormErrors::new(t, answer_errors),
        saved,
        shell: shell
            .with_title(proposal.title.clone())
            .with_body(BodyNav::new(body, roles, &t), "staff")
            .with_breadcrumbs(vec![
                (t.t("nav.staff").to_string(), crate::urls::staff(body)),
                (t.t("staff_proposals.title").to_string(), urls.staff_proposals("")),
                (proposal.title.clone(), String::new()),
            ]),
        proposal,
    };
    let status = if page.assign_errors.any() || page.answer_errors.any() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok(render(status, &page))
}

/// Departments that can answer (not bureaus): (id, name).
fn departments_for_assignment(units: &[Org], english: bool) -> Vec<(String, String)> {
    units
        .iter()
        .filter(|u| u.kind().key() != "bureau")
        .map(|u| (u.id.to_string(), u.name(english).to_string()))
        .collect()
}

pub(crate) async fn load_for_staff(state: &AppState, scope: &BodyScope, id: i64) -> AppResult<Proposal> {
    scope.require(Permission::AnswerCitizens)?;
    let proposal = super::proposals::load(state, &scope.body, id).await?;
    let visible = scope.roles.allows_body_wide(Permission::AnswerCitizens)
        || proposal.department_id.is_some_and(|d| scope.roles.allows_in(Permission::AnswerCitizens, d));
    if !visible {
        return Err(AppError::Forbidden);
    }
    Ok(proposal)
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

pub async fn proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Query(query): Query<SavedQuery>,
) -> AppResult<Response> {
    let proposal = load_for_staff(&state, &scope, id).await?;
    let forms = (AssignForm::default(), Vec::new(), AnswerForm::default(), Vec::new());
    staff_page(&state, &ctx, &scope, proposal, forms, !query.saved.is_empty()).await
}

pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let proposal = load_for_staff(&state, &scope, id).await?;
    let Ok(department) = form.department.trim().parse::<i64>() else {
        let forms = (form, vec![FieldError::new("department", "invalid_choice")], AnswerForm::default(), Vec::new());
        return staff_page(&state, &ctx, &scope, proposal, forms, false).await;
    };
    let rules = state.store.proposal_rules(scope.body.id).await?;
    match state.store.assign_proposal(&ctx.actor(), &scope.body.slug, &proposal, department, &rules).await {
        Ok(_) => Ok(Redirect::to(&VoiceUrls::new(&scope.body).staff_proposal(id, "?saved=1")).into_response()),
        Err(StoreError::Invalid(error)) => {
            let forms = (form, vec![error], AnswerForm::default(), Vec::new());
            staff_page(&state, &ctx, &scope, proposal, forms, false).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let proposal = load_for_staff(&state, &scope, id).await?;
    if !may_answer(&scope, &proposal) {
        return Err(AppError::Forbidden);
    }
    let answer = match Answer::parse(&form.result, &form.answer, &form.officer, &form.contact) {
        Ok(answer) => answer,
        Err(errors) => {
            let forms = (AssignForm::default(), Vec::new(), form, errors);
            return staff_page(&state, &ctx, &scope, proposal, forms, false).await;
        }
    };
    match state.store.answer_proposal(&ctx.actor(), &scope.body.slug, &proposal, &answer).await {
        Ok(_) => Ok(Redirect::to(&VoiceUrls::new(&scope.body).staff_proposal(id, "?saved=1")).into_response()),
        Err(StoreError::Invalid(error)) => {
            let forms = (AssignForm::default(), Vec::new(), form, vec![error]);
            staff_page(&state, &ctx, &scope, proposal, forms, false).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct RulesForm {
    #[serde(default)]
    support_threshold: String,
    #[serde(default)]
    support_window_days: String,
    #[serde(default)]
    answer_days: String,
    #[serde(default)]
    threshold_answer_days: String,
    #[serde(default)]
    comments_enabled: String,
}

#[derive(Template)]
#[template(path = "voice/rules.html")]
struct RulesPage {
    shell: Shell,
    form: RulesForm,
    errors: FormErrors,
    saved: bool,
}

fn rules_page(ctx: &Ctx, scope: &BodyScope, form: RulesForm, errors: Vec<FieldError>, saved: bool) -> Response {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "proposal_rules.title");
    let t = shell.t;
    let urls = VoiceUrls::new(body);
    let page = RulesPage {
        form,
        errors: FormErrors::new(t, errors),
        saved,
        shell: shell.with_body(BodyNav::new(body, roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(body)),
            (t.t("staff_proposals.title").to_string(), urls.staff_proposals("")),
            (t.t("proposal_rules.title").to_string(), String::new()),
        ]),
    };
    render(page.errors.status(), &page)
}

pub async fn rules_form(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<SavedQuery>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let rules = state.store.proposal_rules(scope.body.id).await?;
    let form = RulesForm {
        support_threshold: rules.support_threshold.to_string(),
        support_window_days: rules.support_window_days.to_string(),
        answer_days: rules.answer_days.to_string(),
        threshold_answer_days: rules.threshold_answer_days.to_string(),
        comments_enabled: if rules.comments_enabled { "1".into() } else { String::new() },
    };
    Ok(rules_page(&ctx, &scope, form, Vec::new(), !query.saved.is_empty()))
}

pub async fn save_rules(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<RulesForm>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let rules = ProposalRules::parse(
        &form.support_threshold,
        &form.support_window_days,
        &form.answer_days,
        &form.threshold_answer_days,
        !form.comments_enabled.is_empty(),
    );
    match rules {
        Ok(rules) => {
            state.store.set_proposal_rules(&ctx.actor(), scope.body.id, &rules).await?;
            Ok(Redirect::to(&format!("{}?saved=1", VoiceUrls::new(&scope.body).rules())).into_response())
        }
        Err(errors) => Ok(rules_page(&ctx, &scope, form, errors, false)),
    }
}
