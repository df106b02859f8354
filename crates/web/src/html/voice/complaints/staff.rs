//! The back office's side of complaints: an inbox per department (new, due soon,
//! overdue, in progress, answered) with each case's D-day as the law counts it, the
//! coordinator's overdue figures per department, and a complaint with its filer's
//! contact, history and internal notes, and the forms that move it: receive or move
//! it to a department, extend its period, answer it (a case at once, from a template
//! if one fits), note it, and close a repeated one under 법 제23조. Linking, merging and
//! transferring are in `cases`.

use super::board::{history, EventView};
use super::{due_of_date, paragraphs, Access, ComplaintUrls, ComplaintView};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::pagination::{requested, Pagination};
use crate::html::voice::answers::departments_of;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::voice::complaints::{reason, AnswerOutcome, ComplaintAnswer, ComplaintState};
use sotong_core::FieldError;
use sotong_store::now;
use sotong_store::voice::complaints::{Complaint, ComplaintFilter, ComplaintSort};
use sotong_store::StoreError;

const PAGE_SIZE: usize = 30;
/// "Due soon": within two days.
pub(crate) const SOON_SECONDS: i64 = 2 * 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    New,
    DueSoon,
    Overdue,
    InProgress,
    Answered,
}

impl View {
    const ALL: [View; 5] = [View::New, View::DueSoon, View::Overdue, View::InProgress, View::Answered];

    fn key(self) -> &'static str {
        match self {
            View::New => "new",
            View::DueSoon => "due_soon",
            View::Overdue => "overdue",
            View::InProgress => "in_progress",
            View::Answered => "answered",
        }
    }
}

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default)]
    view: String,
    page: Option<String>,
}

/// A department's figures as the coordinator reads them.
pub struct FiguresRow {
    pub department: String,
    pub open: String,
    pub overdue: String,
    pub overdue_count: i64,
    pub answered: String,
    pub answered_late: String,
}

#[derive(Template)]
#[template(path = "voice/complaints/inbox.html")]
struct InboxPage {
    shell: Shell,
    tabs: Vec<(&'static str, String, String, bool)>,
    rows: Vec<(ComplaintView, String)>,
    pagination: Pagination,
    label: String,
    figures: Vec<FiguresRow>,
    repeated_url: String,
    /// The export form: its action, and the default first and last day.
    export: (String, String, String),
}

pub async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<InboxQuery>,
) -> AppResult<Response> {
    scope.require(Permission::AnswerCitizens)?;
    let departments = departments_of(&scope.roles);
    let shell = Shell::new(&ctx, "inbox.title");
    let t = shell.t;
    let urls = ComplaintUrls::new(&scope.body);
    let at = now();
    let view = View::ALL.into_iter().find(|v| v.key() == query.view).unwrap_or(View::New);
    let page = requested(query.page.as_deref());
    let open = vec![ComplaintState::Received, ComplaintState::Assigned, ComplaintState::InProgress];
    let mut filter = ComplaintFilter {
        departments: departments.clone(),
        sort: ComplaintSort::DueFirst,
        offset: ((page - 1) * PAGE_SIZE) as i64,
        limit: PAGE_SIZE as i64,
        ..Default::default()
    };
    match view {
        View::New => filter.states = vec![ComplaintState::Received],
        View::DueSoon => {
            filter.states = open;
            filter.due_before = Some(at + SOON_SECONDS);
        }
        View::Overdue => filter.due_before = Some(at),
        View::InProgress => filter.states = vec![ComplaintState::Assigned, ComplaintState::InProgress],
        View::Answered => {
            filter.states = vec![ComplaintState::Answered, ComplaintState::Closed];
            filter.sort = ComplaintSort::Newest;
        }
    }
    let ((rows, total), categories, units, counts) = tokio::try_join!(
        state.store.complaints(scope.body.id, &filter),
        state.store.complaint_categories(scope.body.id),
        state.store.units(scope.body.id),
        state.store.complaint_inbox_counts(scope.body.id, departments.as_deref(), at, SOON_SECONDS),
    )?;
    let figures = if departments.is_none() {
        state
            .store
            .complaint_figures(scope.body.id, at)
            .await?
            .into_iter()
            .map(|f| FiguresRow {
                department: f
                    .department_id
                    .and_then(|id| units.iter().find(|u| u.id == id))
                    .map(|u| u.name(t.is_en()).to_string())
                    .unwrap_or_else(|| t.t("inbox.unassigned").to_string()),
                open: t.number(f.open),
                overdue: t.number(f.overdue),
                overdue_count: f.overdue,
                answered: t.number(f.answered),
                answered_late: t.number(f.answered_late),
            })
            .collect()
    } else {
        Vec::new()
    };
    let base = urls.inbox("");
    let key = view.key();
    let pagination = Pagination::new(total as usize, PAGE_SIZE, page, |n| {
        if n > 1 {
            format!("{base}?view={key}&page={n}")
        } else {
            format!("{base}?view={key}")
        }
    });
    let count_of = |v: View| match v {
        View::New => Some(counts.new),
        View::DueSoon => Some(counts.due_soon),
        View::Overdue => Some(counts.overdue),
        View::InProgress => Some(counts.in_progress),
        View::Answered => None,
    };
    let page = InboxPage {
        tabs: View::ALL
            .into_iter()
            .map(|v| {
                let label = t.t(&format!("inbox.view_{}", v.key())).to_string();
                let label = match count_of(v) {
                    Some(n) => format!("{label} {}", t.number(n)),
                    None => label,
                };
                (v.key(), label, format!("{base}?view={}", v.key()), v == view)
            })
            .collect(),
        rows: rows
            .iter()
            .map(|c| (ComplaintView::new(c, &scope.body, &categories, &units, &t, at), urls.staff(c.id, "")))
            .collect(),
        pagination,
        label: t.t("complaints.pages").to_string(),
        figures,
        repeated_url: urls.repeated(),
        export: super::export::defaults(&scope.body, &crate::html::voice::views::kst_today(at)),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (t.t("inbox.title").to_string(), String::new()),
        ]),
    };
    Ok(render(axum::http::StatusCode::OK, &page))
}

/// What the forms on the staff page carry back when refused.
#[derive(Deserialize, Default)]
pub struct StaffForm {
    #[serde(default)]
    pub(super) repeat_of: String,
    #[serde(default)]
    pub(super) case_with: String,
    #[serde(default)]
    pub(super) target: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    pub(super) reason: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    consent: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    officer: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    refusal_reason: String,
    #[serde(default)]
    remedies: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    committee_decision: String,
    /// The template the answer was loaded from (the picker shows it chosen).
    #[serde(default)]
    template: String,
}

#[derive(Template)]
#[template(path = "voice/complaints/staff.html")]
struct StaffPage {
    shell: Shell,
    c: ComplaintView,
    complaint: Complaint,
    public_url: String,
    body_paragraphs: Vec<String>,
    history: Vec<EventView>,
    chain: Vec<ComplaintView>,
    case_size: i64,
    case_filers: String,
    multi_person: bool,
    departments: Vec<(String, String)>,
    outcomes: Vec<(&'static str, String)>,
    form: StaffForm,
    errors: FormErrors,
    /// Which form the errors belong to; the others show none.
    failed: &'static str,
    no_errors: FormErrors,
    can_assign: bool,
    can_answer: bool,
    can_close: bool,
    saved: bool,
    assign_url: String,
    extend_url: String,
    answer_url: String,
    note_url: String,
    close_url: String,
    receipt_due: String,
    /// Linking and merging (`cases`): shown to every handler; merging, splitting and
    /// transferring to whoever may assign.
    can_link: bool,
    can_unlink: bool,
    link_url: String,
    unlink_url: String,
    merge_url: String,
    split_url: String,
    transfer_url: String,
    /// Other bodies' categories a complaint can be transferred to: (id, "body — category").
    transfer_targets: Vec<(String, String)>,
    /// The body's answer templates (id, title), loaded into the form by `?template=`.
    templates: Vec<(String, String)>,
    template_url: String,
    templates_url: String,
    /// The filer's files, to read.
    files: crate::html::files::FilesPart,
}

impl StaffPage {
    /// The errors of one of the page's forms: the one that was refused shows them.
    fn errors_of(&self, form: &str) -> &FormErrors {
        if self.failed == form {
            &self.errors
        } else {
            &self.no_errors
        }
    }
}

/// A complaint of the body this person handles, or refused.
pub(super) async fn load_for_staff(state: &AppState, ctx: &Ctx, scope: &BodyScope, id: i64) -> AppResult<Complaint> {
    scope.require(Permission::AnswerCitizens)?;
    let complaint = state.store.complaint(scope.body.id, id).await?.ok_or(AppError::NotFound)?;
    if !Access::of(scope, ctx.user.as_ref().map(|u| u.id), &complaint).handles {
        return Err(AppError::Forbidden);
    }
    Ok(complaint)
}

async fn staff_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    complaint: Complaint,
    mut form: StaffForm,
    failed: (&'static str, Vec<FieldError>),
    saved: bool,
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "staff_complaint.title");
    let t = shell.t;
    let urls = ComplaintUrls::new(&scope.body);
    let at = now();
    let (categories, units, chain, templates, files) = tokio::try_join!(
        state.store.complaint_categories(scope.body.id),
        state.store.units(scope.body.id),
        state.store.repeat_chain(&complaint),
        state.store.complaint_templates(scope.body.id),
        state.store.voice_files(sotong_store::voice::attachments::Owner::Complaint(complaint.id)),
    )?;
    let can_assign = scope.roles.allows(Permission::AssignCitizenCases) && complaint.state.is_open();
    let transfer_targets =
        if can_assign { super::cases::transfer_targets(state, scope, &t).await? } else { Vec::new() };
    let (case_size, case_filers) = match complaint.case_id {
        Some(case_id) => {
            (state.store.case_members(case_id).await?.len() as i64, state.store.case_filers(case_id).await?)
        }
        None => (0, 0),
    };
    if failed.1.is_empty() && form.officer.is_empty() {
        if let Some(user) = &ctx.user {
            form.officer = user.display_name.clone();
        }
        form.contact = complaint
            .department_id
            .and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.phone.clone())
            .unwrap_or_default();
    }
    let answers = chain.iter().filter(|c| c.answered_at.is_some()).count() as i64;
    let title = complaint.title.clone();
    let page = StaffPage {
        c: ComplaintView::new(&complaint, &scope.body, &categories, &units, &t, at),
        public_url: urls.complaint(complaint.id, ""),
        body_paragraphs: paragraphs(&complaint.body),
        history: history(state, &complaint, &t, true).await?,
        chain: chain
            .iter()
            .filter(|c| c.id != complaint.id)
            .map(|c| ComplaintView::new(c, &scope.body, &categories, &units, &t, at))
            .collect(),
        case_size,
        case_filers: t.number(case_filers),
        multi_person: case_filers >= sotong_core::voice::complaints::MULTI_PERSON_FILERS,
        departments: units
            .iter()
            .filter(|u| u.kind().key() != "bureau")
            .map(|u| (u.id.to_string(), u.name(t.is_en()).to_string()))
            .collect(),
        outcomes: AnswerOutcome::ALL
            .iter()
            .map(|o| (o.as_str(), t.t(&format!("complaint_outcome.{o}")).to_string()))
            .collect(),
        form,
        errors: FormErrors::new(t, failed.1),
        failed: failed.0,
        no_errors: FormErrors::none(t),
        can_assign,
        can_answer: matches!(complaint.state, ComplaintState::Assigned | ComplaintState::InProgress),
        can_close: complaint.state.is_open()
            && chain.len() as i64 >= sotong_core::voice::complaints::REPEAT_FILINGS
            && answers >= sotong_core::voice::complaints::REPEAT_ANSWERS,
        saved,
        assign_url: urls.staff(complaint.id, "/assign"),
        extend_url: urls.staff(complaint.id, "/extend"),
        answer_url: urls.staff(complaint.id, "/answer"),
        note_url: urls.staff(complaint.id, "/note"),
        close_url: urls.staff(complaint.id, "/close"),
        receipt_due: t.date_time(complaint.receipt_due_at),
        can_link: complaint.filer_id.is_some() && complaint.state.is_open(),
        can_unlink: chain.len() > 1,
        link_url: urls.staff(complaint.id, "/link"),
        unlink_url: urls.staff(complaint.id, "/unlink"),
        merge_url: urls.staff(complaint.id, "/merge"),
        split_url: urls.staff(complaint.id, "/split"),
        transfer_url: urls.staff(complaint.id, "/transfer"),
        transfer_targets,
        templates: templates.iter().map(|t| (t.id.to_string(), t.title.clone())).collect(),
        template_url: urls.staff(complaint.id, ""),
        templates_url: urls.inbox("/templates"),
        files: crate::html::files::FilesPart::new(
            t,
            &shell.csrf,
            urls.complaint(complaint.id, "/files"),
            Vec::new(),
            files.iter().map(|f| crate::html::voice::views::file_view(&scope.body, &t, f)).collect(),
            false,
            state.config.attachment_max_bytes,
        ),
        shell: shell
            .with_title(title.clone())
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff")
            .with_breadcrumbs(vec![
                (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
                (t.t("inbox.title").to_string(), urls.inbox("")),
                (title, String::new()),
            ]),
        complaint,
    };
    Ok(render(page.errors.status(), &page))
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    saved: String,
    /// An answer template to load into the answer form.
    #[serde(default)]
    template: String,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let mut form = StaffForm::default();
    if let Ok(template_id) = query.template.trim().parse::<i64>() {
        let template = state.store.complaint_template(scope.body.id, template_id).await?;
        form.answer = template.ok_or(AppError::NotFound)?.body;
        form.template = template_id.to_string();
    }
    staff_page(&state, &ctx, &scope, complaint, form, ("", Vec::new()), !query.saved.is_empty()).await
}

/// After a move: the page again, saved; or, refused, the form with its errors.
pub(super) async fn settle(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    complaint: Complaint,
    form: StaffForm,
    which: &'static str,
    result: Result<(), Vec<FieldError>>,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&ComplaintUrls::new(&scope.body).staff(complaint.id, "?saved=1")).into_response()),
        Err(errors) => staff_page(state, ctx, scope, complaint, form, (which, errors), false).await,
    }
}

/// A store result as the forms show it: a rule broken is the form's error.
pub(super) fn checked<T>(result: Result<T, StoreError>) -> AppResult<Result<(), Vec<FieldError>>> {
    match result {
        Ok(_) => Ok(Ok(())),
        Err(StoreError::Invalid(e)) => Ok(Err(vec![e])),
        Err(other) => Err(other.into()),
    }
}

pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let result = match form.department.trim().parse::<i64>() {
        Err(_) => Err(vec![FieldError::new("department", "invalid_choice")]),
        Ok(department) => {
            let why = form.reason.trim();
            let why = (!why.is_empty()).then_some(why);
            checked(state.store.assign_complaint(&ctx.actor(), &complaint, department, why).await)?
        }
    };
    settle(&state, &ctx, &scope, complaint, form, "assign", result).await
}

pub async fn extend(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let due = due_of_date(&form.due_date).ok_or(FieldError::new("due_date", "invalid_date"));
    let why = reason("reason", &form.reason);
    let result = match (due, why) {
        (Ok(due), Ok(why)) => {
            let calendar = state.store.calendar().await?;
            let consent = !form.consent.is_empty();
            checked(state.store.extend_complaint(&ctx.actor(), &complaint, due, &why, consent, &calendar).await)?
        }
        (due, why) => Err([due.err(), why.err()].into_iter().flatten().collect()),
    };
    settle(&state, &ctx, &scope, complaint, form, "extend", result).await
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let parsed = ComplaintAnswer::parse(
        &form.outcome,
        &form.answer,
        &form.officer,
        &form.contact,
        &form.refusal_reason,
        &form.remedies,
    );
    let result = match parsed {
        Ok(answer) => checked(state.store.answer_complaint(&ctx.actor(), &complaint, &answer).await)?,
        Err(errors) => Err(errors),
    };
    settle(&state, &ctx, &scope, complaint, form, "answer", result).await
}

pub async fn note(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let result = match reason("note", &form.note) {
        Ok(text) => checked(state.store.note_complaint(&ctx.actor(), &complaint, &text).await)?,
        Err(e) => Err(vec![e]),
    };
    settle(&state, &ctx, &scope, complaint, form, "note", result).await
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let officer = sotong_core::text::required_line("officer", &form.officer, 40);
    let contact = sotong_core::text::required_line("contact", &form.contact, 60);
    let result = match (officer, contact) {
        (Ok(officer), Ok(contact)) => {
            let decision = form.committee_decision.trim();
            let decision = (!decision.is_empty()).then_some(decision);
            checked(state.store.close_repeated(&ctx.actor(), &complaint, &officer, &contact, decision).await)?
        }
        (officer, contact) => Err([officer.err(), contact.err()].into_iter().flatten().collect()),
    };
    settle(&state, &ctx, &scope, complaint, form, "close", result).await
}
