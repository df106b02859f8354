//! The public side of complaints: the board (public complaints only), a citizen's own
//! complaints (private ones too), the separate repeated-complaints board, and a
//! complaint's page — its clock, history and answer — where its filer rates the
//! answer, asks once for a re-examination, or withdraws it.

use super::{load_readable, paragraphs, Access, ComplaintUrls, ComplaintView};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::pagination::{requested, Pagination};
use crate::html::{published_page, render, BodyNav, FormErrors, Shell};
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::text::masked_name;
use sotong_core::voice::complaints::{reason, satisfaction, ComplaintState};
use sotong_core::FieldError;
use sotong_store::now;
use sotong_store::voice::attachments::Owner;
use sotong_store::voice::complaints::{Complaint, ComplaintFilter};
use sotong_store::StoreError;

const PAGE_SIZE: usize = 20;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "voice/complaints/list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<ComplaintView>,
    summary: String,
    new_url: String,
    mine_url: Option<String>,
    repeated_url: String,
    pagination: Pagination,
    label: String,
    /// (key, label, url, current)
    tabs: Vec<(&'static str, String, String, bool)>,
    lead: String,
}

fn board_shell(shell: Shell, scope: &BodyScope, trail: Vec<(String, String)>) -> Shell {
    let t = shell.t;
    let mut crumbs = vec![(t.t("complaints.title").to_string(), ComplaintUrls::new(&scope.body).board())];
    crumbs.extend(trail);
    if crumbs.len() == 1 {
        crumbs[0].1 = String::new();
    }
    shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "complaints").with_breadcrumbs(crumbs)
}

/// The public board: public complaints, newest first, by state.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let shell = Shell::new(&ctx, "complaints.title");
    let t = shell.t;
    let urls = ComplaintUrls::new(&scope.body);
    let states: Vec<ComplaintState> = match query.state.as_str() {
        "open" => vec![ComplaintState::Received, ComplaintState::Assigned, ComplaintState::InProgress],
        "answered" => vec![ComplaintState::Answered],
        "closed" => vec![ComplaintState::Closed, ComplaintState::Transferred, ComplaintState::Withdrawn],
        _ => Vec::new(),
    };
    let page = requested(query.page.as_deref());
    let filter = ComplaintFilter {
        states,
        public_only: true,
        offset: ((page - 1) * PAGE_SIZE) as i64,
        limit: PAGE_SIZE as i64,
        ..Default::default()
    };
    let ((rows, total), categories, units) = tokio::try_join!(
        state.store.complaints(scope.body.id, &filter),
        state.store.complaint_categories(scope.body.id),
        state.store.units(scope.body.id),
    )?;
    let at = now();
    let base = urls.board();
    let key = query.state.clone();
    let pagination = Pagination::new(total as usize, PAGE_SIZE, page, |n| match (key.as_str(), n) {
        ("", 1) => base.clone(),
        ("", n) => format!("{base}?page={n}"),
        (k, 1) => format!("{base}?state={k}"),
        (k, n) => format!("{base}?state={k}&page={n}"),
    });
    let page = ListPage {
        rows: rows.iter().map(|c| ComplaintView::new(c, &scope.body, &categories, &units, &t, at)).collect(),
        summary: if total == 0 {
            t.t("complaints.none").to_string()
        } else {
            t.f1("complaints.found", t.number(total))
        },
        new_url: urls.new_complaint(),
        mine_url: ctx.user.as_ref().map(|_| urls.mine()),
        repeated_url: urls.repeated(),
        pagination,
        label: t.t("complaints.pages").to_string(),
        tabs: ["", "open", "answered", "closed"]
            .into_iter()
            .map(|k| {
                let url = if k.is_empty() { base.clone() } else { format!("{base}?state={k}") };
                (
                    k,
                    t.t(&format!("complaints.tab_{}", if k.is_empty() { "all" } else { k })).to_string(),
                    url,
                    k == query.state,
                )
            })
            .collect(),
        lead: t.t("complaints.lead").to_string(),
        shell: board_shell(shell, &scope, Vec::new()),
    };
    Ok(published_page(&page))
}

#[derive(Template)]
#[template(path = "voice/complaints/mine.html")]
struct MinePage {
    shell: Shell,
    rows: Vec<ComplaintView>,
    new_url: String,
}

/// The signed-in citizen's own complaints in the body, private ones included.
pub async fn mine(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let shell = Shell::new(&ctx, "complaints.mine");
    let t = shell.t;
    let filter = ComplaintFilter { filer_id: Some(user.id), limit: 200, ..Default::default() };
    let ((rows, _), categories, units) = tokio::try_join!(
        state.store.complaints(scope.body.id, &filter),
        state.store.complaint_categories(scope.body.id),
        state.store.units(scope.body.id),
    )?;
    let at = now();
    let title = shell.title.clone();
    let page = MinePage {
        rows: rows.iter().map(|c| ComplaintView::new(c, &scope.body, &categories, &units, &t, at)).collect(),
        new_url: ComplaintUrls::new(&scope.body).new_complaint(),
        shell: board_shell(shell, &scope, vec![(title, String::new())]),
    };
    Ok(render(axum::http::StatusCode::OK, &page))
}

/// A matter filed again and again, as the repeated-complaints board lists it.
pub struct MatterView {
    pub first: ComplaintView,
    pub filings: String,
    pub answers: String,
    pub last_filed: String,
    pub closable: bool,
    pub chain: Vec<ComplaintView>,
}

#[derive(Template)]
#[template(path = "voice/complaints/repeated.html")]
struct RepeatedPage {
    shell: Shell,
    matters: Vec<MatterView>,
    pagination: Pagination,
    label: String,
}

#[derive(Deserialize, Default)]
pub struct PageOnly {
    page: Option<String>,
}

/// The separate board of repeated complaints (반복민원): each matter with its chain of
/// filings and answers; staff see private ones too.
pub async fn repeated(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<PageOnly>,
) -> AppResult<Response> {
    let shell = Shell::new(&ctx, "repeated.title");
    let t = shell.t;
    let staff = scope.roles.allows_body_wide(sotong_core::role::Permission::AnswerCitizens);
    let page = requested(query.page.as_deref());
    let (matters, total) = state.store.repeated_matters(scope.body.id, staff, ((page - 1) * 10) as i64, 10).await?;
    let (categories, units) =
        tokio::try_join!(state.store.complaint_categories(scope.body.id), state.store.units(scope.body.id))?;
    let at = now();
    let mut views = Vec::new();
    for matter in &matters {
        let chain = state.store.repeat_chain(&matter.first).await?;
        views.push(MatterView {
            first: ComplaintView::new(&matter.first, &scope.body, &categories, &units, &t, at),
            filings: t.number(matter.filings),
            answers: t.number(matter.answers),
            last_filed: t.date(matter.last_filed_at),
            closable: matter.filings >= sotong_core::voice::complaints::REPEAT_FILINGS
                && matter.answers >= sotong_core::voice::complaints::REPEAT_ANSWERS,
            chain: chain
                .iter()
                .filter(|c| staff || c.is_public())
                .map(|c| ComplaintView::new(c, &scope.body, &categories, &units, &t, at))
                .collect(),
        });
    }
    let base = ComplaintUrls::new(&scope.body).repeated();
    let pagination =
        Pagination::new(total as usize, 10, page, |n| if n > 1 { format!("{base}?page={n}") } else { base.clone() });
    let title = shell.title.clone();
    let page = RepeatedPage {
        matters: views,
        pagination,
        label: t.t("repeated.pages").to_string(),
        shell: board_shell(shell, &scope, vec![(title, String::new())]),
    };
    if staff {
        Ok(render(axum::http::StatusCode::OK, &page))
    } else {
        Ok(published_page(&page))
    }
}

/// One line of a complaint's history as its filer and the public see it.
pub struct EventView {
    pub when: String,
    pub what: String,
    pub detail: Option<String>,
    pub internal: bool,
}

pub async fn history(
    state: &AppState,
    complaint: &Complaint,
    t: &crate::i18n::Tr,
    staff: bool,
) -> AppResult<Vec<EventView>> {
    let events = state.store.complaint_events(complaint.id, staff).await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let what = match e.due_at {
                Some(due) if e.kind.starts_with("extended") || e.kind == "reexamination" || e.kind == "filed" => {
                    t.f1(&format!("complaint_event.{}", e.kind), t.date_time(due))
                }
                _ => t.f1(&format!("complaint_event.{}", e.kind), ""),
            };
            // Staff names are for staff; the public reads what happened and why.
            let who = if staff { e.actor_name.map(|n| format!(" · {n}")).unwrap_or_default() } else { String::new() };
            EventView {
                when: format!("{}{who}", t.date_time(e.created_at)),
                what,
                detail: e.detail.filter(|_| !matches!(e.kind.as_str(), "linked_repeat" | "merged" | "rated")),
                internal: e.internal.0,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "voice/complaints/complaint.html")]
struct ComplaintPage {
    shell: Shell,
    c: ComplaintView,
    complaint: Complaint,
    filer: String,
    body_paragraphs: Vec<String>,
    answer_paragraphs: Vec<String>,
    answered_on: String,
    outcome: Option<String>,
    history: Vec<EventView>,
    is_filer: bool,
    staff_url: Option<String>,
    rate_url: String,
    reexamine_url: String,
    withdraw_url: String,
    ratings: Vec<(String, String)>,
    current_rating: String,
    can_rate: bool,
    can_reexamine: bool,
    can_withdraw: bool,
    errors: FormErrors,
    reexamination: String,
    notice: Option<String>,
    repeated_url: Option<String>,
    /// The complaint's files; its filer adds and removes them while it is open.
    files: crate::html::files::FilesPart,
}

pub(super) async fn show(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    complaint: Complaint,
    access: Access,
    done: &str,
    form: (String, Vec<FieldError>),
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "complaint.title");
    let t = shell.t;
    let urls = ComplaintUrls::new(&scope.body);
    let at = now();
    let (categories, units, files) = tokio::try_join!(
        state.store.complaint_categories(scope.body.id),
        state.store.units(scope.body.id),
        state.store.voice_files(Owner::Complaint(complaint.id)),
    )?;
    // A refused upload's error goes beside the file field, any other beside its form.
    let (file_errors, errors): (Vec<FieldError>, Vec<FieldError>) = form.1.into_iter().partition(|e| e.field == "file");
    let history = history(state, &complaint, &t, false).await?;
    let answered = complaint.state == ComplaintState::Answered;
    let notice = match done {
        "filed" | "rated" | "reexamined" | "withdrawn" | "attached" | "file_removed" => {
            Some(t.t(&format!("complaint.done_{done}")).to_string())
        }
        _ => None,
    };
    let title = complaint.title.clone();
    let page = ComplaintPage {
        c: ComplaintView::new(&complaint, &scope.body, &categories, &units, &t, at),
        // The public reads a masked name; the filer and staff the name itself.
        filer: match (&complaint.filer_name, access.is_filer || access.handles) {
            (Some(name), true) => name.clone(),
            (Some(name), false) => masked_name(name),
            (None, _) => t.t("complaint.filer_removed").to_string(),
        },
        body_paragraphs: paragraphs(&complaint.body),
        answer_paragraphs: complaint.answer_body.as_deref().map(paragraphs).unwrap_or_default(),
        answered_on: complaint.answered_at.or(complaint.closed_at).map(|a| t.date(a)).unwrap_or_default(),
        outcome: complaint.outcome().map(|o| t.t(&format!("complaint_outcome.{o}")).to_string()),
        history,
        is_filer: access.is_filer,
        staff_url: access.handles.then(|| urls.staff(complaint.id, "")),
        rate_url: urls.complaint(complaint.id, "/rate"),
        reexamine_url: urls.complaint(complaint.id, "/reexamine"),
        withdraw_url: urls.complaint(complaint.id, "/withdraw"),
        ratings: (1..=5).rev().map(|n| (n.to_string(), t.t(&format!("satisfaction.s{n}")).to_string())).collect(),
        current_rating: complaint.satisfaction.map(|s| s.to_string()).unwrap_or_default(),
        can_rate: access.is_filer && complaint.answered_at.is_some(),
        can_reexamine: access.is_filer && answered && complaint.reexamination_at.is_none(),
        can_withdraw: access.is_filer && complaint.state.is_open(),
        errors: FormErrors::new(t, errors),
        reexamination: form.0,
        files: crate::html::files::FilesPart::new(
            t,
            &shell.csrf,
            urls.complaint(complaint.id, "/files"),
            file_errors,
            files.iter().map(|f| crate::html::voice::views::file_view(&scope.body, &t, f)).collect(),
            access.is_filer && complaint.state.is_open(),
            state.config.attachment_max_bytes,
        ),
        notice,
        repeated_url: complaint.repeat_of.map(|_| urls.repeated()),
        shell: board_shell(shell.with_title(title.clone()), scope, vec![(title, String::new())]),
        complaint,
    };
    let status = page.errors.status().max(page.files.status());
    if status.is_success() && done.is_empty() && ctx.user.is_none() {
        Ok(published_page(&page))
    } else {
        Ok(render(status, &page))
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Query(query): Query<crate::html::DoneQuery>,
) -> AppResult<Response> {
    let (complaint, access) = load_readable(&state, &scope, ctx.user.as_ref().map(|u| u.id), id).await?;
    show(&state, &ctx, &scope, complaint, access, &query.done, (String::new(), Vec::new())).await
}

/// The filer's own complaint, or refused.
pub(super) async fn filers(state: &AppState, ctx: &Ctx, scope: &BodyScope, id: i64) -> AppResult<(Complaint, Access)> {
    let user = ctx.require_user()?;
    let (complaint, access) = load_readable(state, scope, Some(user.id), id).await?;
    if !access.is_filer {
        return Err(AppError::Forbidden);
    }
    Ok((complaint, access))
}

#[derive(Deserialize, Default)]
pub struct RateForm {
    #[serde(default)]
    satisfaction: String,
}

pub async fn rate(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<RateForm>,
) -> AppResult<Response> {
    let (complaint, access) = filers(&state, &ctx, &scope, id).await?;
    let rating = match satisfaction(&form.satisfaction) {
        Ok(n) => n,
        Err(e) => return show(&state, &ctx, &scope, complaint, access, "", (String::new(), vec![e])).await,
    };
    match state.store.rate_complaint(&ctx.actor(), &complaint, rating).await {
        Ok(()) => Ok(Redirect::to(&ComplaintUrls::new(&scope.body).complaint(id, "?done=rated")).into_response()),
        Err(StoreError::Invalid(e)) => {
            show(&state, &ctx, &scope, complaint, access, "", (String::new(), vec![e])).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ReexamineForm {
    #[serde(default)]
    reexamination: String,
}

pub async fn reexamine(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<ReexamineForm>,
) -> AppResult<Response> {
    let (complaint, access) = filers(&state, &ctx, &scope, id).await?;
    let why = match reason("reexamination", &form.reexamination) {
        Ok(why) => why,
        Err(e) => return show(&state, &ctx, &scope, complaint, access, "", (form.reexamination, vec![e])).await,
    };
    let calendar = state.store.calendar().await?;
    match state.store.reexamine_complaint(&ctx.actor(), &complaint, &why, &calendar).await {
        Ok(_) => Ok(Redirect::to(&ComplaintUrls::new(&scope.body).complaint(id, "?done=reexamined")).into_response()),
        Err(StoreError::Invalid(e)) => {
            show(&state, &ctx, &scope, complaint, access, "", (form.reexamination, vec![e])).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    let (complaint, access) = filers(&state, &ctx, &scope, id).await?;
    match state.store.withdraw_complaint(&ctx.actor(), &complaint).await {
        Ok(_) => Ok(Redirect::to(&ComplaintUrls::new(&scope.body).complaint(id, "?done=withdrawn")).into_response()),
        Err(StoreError::Invalid(e)) => {
            show(&state, &ctx, &scope, complaint, access, "", (String::new(), vec![e])).await
        }
        Err(other) => Err(other.into()),
    }
}
