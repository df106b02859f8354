//! Policy proposals, public side: the body's list (filters, sort, pages), a
//! proposal's page (answer, supports, comments), and the two-step form — write, then
//! check on a preview (which works without JavaScript) and submit.

use super::urls::VoiceUrls;
use super::views::{file_view, kst_today, ProposalView};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::files::FilesPart;
use crate::html::pagination::{requested, Pagination};
use crate::html::{published_page, render, BodyNav, FormErrors, Shell};
use crate::limits::{self, Write};
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::text::masked_name;
use sotong_core::voice::proposals::{NewProposal, ProposalCategory, ProposalState};
use sotong_core::FieldError;
use sotong_store::now;
use sotong_store::orgs::Org;
use sotong_store::voice::attachments::Owner;
use sotong_store::voice::moderation::Subject;
use sotong_store::voice::proposals::{Proposal, ProposalFilter, ProposalSort};

pub const PAGE_SIZE: usize = 20;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    sort: String,
    page: Option<String>,
}

impl ListQuery {
    fn url(&self, base: &str, page: usize) -> String {
        let mut pairs = Vec::new();
        for (key, value) in [("state", &self.state), ("category", &self.category), ("sort", &self.sort)] {
            if !value.is_empty() {
                pairs.push(format!("{key}={}", crate::security::url_encode(value)));
            }
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", pairs.join("&"))
        }
    }
}

#[derive(Template)]
#[template(path = "voice/proposals.html")]
struct ListPage {
    shell: Shell,
    new_url: String,
    rows: Vec<ProposalView>,
    summary: String,
    states: Vec<(&'static str, String)>,
    categories: Vec<(&'static str, String)>,
    sorts: Vec<(&'static str, String)>,
    query: ListQuery,
    no_errors: FormErrors,
    pagination: Pagination,
    label: String,
    /// (label, count) of the body's proposals by state, and overdue.
    counts: Vec<(String, String)>,
}

pub fn category_options(t: &crate::i18n::Tr) -> Vec<(&'static str, String)> {
    ProposalCategory::ALL.iter().map(|c| (c.as_str(), t.t(&format!("proposal_category.{c}")).to_string())).collect()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, "proposals.title");
    let t = shell.t;
    let urls = VoiceUrls::new(&body);
    let filter_state = ProposalState::try_from(query.state.clone()).ok();
    let filter_category = ProposalCategory::try_from(query.category.clone()).ok();
    let sort = match query.sort.as_str() {
        "supports" => ProposalSort::MostSupported,
        _ => ProposalSort::Newest,
    };
    let page = requested(query.page.as_deref());
    let filter = ProposalFilter {
        state: filter_state,
        category: filter_category,
        sort,
        offset: ((page - 1) * PAGE_SIZE) as i64,
        limit: PAGE_SIZE as i64,
        ..Default::default()
    };
    let at = now();
    let today = kst_today(at);
    let ((rows, total), units, counts) = tokio::try_join!(
        state.store.proposals(body.id, &filter),
        state.store.units(body.id),
        state.store.proposal_counts(body.id, &today),
    )?;
    let base = urls.proposals();
    let pagination = Pagination::new(total as usize, PAGE_SIZE, page, |n| query.url(&base, n));
    let summary = if total == 0 { t.t("proposals.none").to_string() } else { t.f1("proposals.found", t.number(total)) };
    let page = ListPage {
        new_url: urls.new_proposal(),
        rows: rows.iter().map(|p| ProposalView::new(p, &body, &units, &t, at)).collect(),
        summary,
        states: [ProposalState::Received, ProposalState::Reviewing, ProposalState::Answered, ProposalState::Withdrawn]
            .iter()
            .map(|s| (s.as_str(), t.t(&format!("proposal_state.{s}")).to_string()))
            .collect(),
        categories: category_options(&t),
        sorts: vec![
            ("", t.t("proposals.sort_newest").to_string()),
            ("supports", t.t("proposals.sort_supports").to_string()),
        ],
        query,
        no_errors: FormErrors::none(t),
        pagination,
        label: t.t("proposals.pages").to_string(),
        counts: vec![
            (t.t("proposal_state.received").to_string(), t.number(counts.received)),
            (t.t("proposal_state.reviewing").to_string(), t.number(counts.reviewing)),
            (t.t("proposal_state.answered").to_string(), t.number(counts.answered)),
            (t.t("proposals.overdue").to_string(), t.number(counts.overdue)),
        ],
        shell: shell
            .with_body(BodyNav::new(&body, &roles, &t), "proposals")
            .with_breadcrumbs(vec![(t.t("proposals.title").to_string(), String::new())]),
    };
    Ok(published_page(&page))
}

/// A comment as shown: the author's masked name, or the reason it is hidden.
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub text: String,
    pub when: String,
    pub is_public: bool,
    pub hidden_reason: Option<String>,
    pub mine: bool,
    /// Makes the ids of its report form unique on the page.
    pub suffix: String,
}

#[derive(Template)]
#[template(path = "voice/proposal.html")]
struct ProposalPage {
    shell: Shell,
    p: ProposalView,
    proposal: Proposal,
    author: String,
    body_paragraphs: Vec<String>,
    answer_paragraphs: Vec<String>,
    answered_on: String,
    threshold: String,
    threshold_note: String,
    urls_support: String,
    urls_withdraw: String,
    urls_comments: String,
    urls_report: String,
    urls_staff: Option<String>,
    login_url: String,
    signed_in: bool,
    supported: bool,
    can_support: bool,
    can_unsupport: bool,
    is_author: bool,
    can_withdraw: bool,
    comments_enabled: bool,
    comments: Vec<CommentView>,
    comment_text: String,
    errors: FormErrors,
    no_errors: FormErrors,
    report_reasons: Vec<(&'static str, String)>,
    reported: bool,
    notice: Option<String>,
    /// The proposal's files; the author adds and removes them while it is open.
    files: FilesPart,
    following: bool,
    urls_follow: String,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    done: String,
}

/// What a just-finished action says at the top of the page (`?done=…`).
fn done_message(t: &crate::i18n::Tr, done: &str) -> Option<String> {
    let key = match done {
        "submitted" | "supported" | "unsupported" | "already" | "commented" | "reported" | "already_reported"
        | "withdrawn" | "followed" | "unfollowed" | "attached" | "file_removed" => done,
        _ => return None,
    };
    Some(t.t(&format!("proposal.done_{key}")).to_string())
}

pub(super) async fn load(state: &AppState, body: &Org, id: i64) -> AppResult<Proposal> {
    state.store.proposal(body.id, id).await?.ok_or(AppError::NotFound)
}

/// The proposal's page; `comment_form` carries a refused comment back with its error.
pub(super) async fn show(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    proposal: Proposal,
    done: &str,
    comment_form: (String, Vec<FieldError>),
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "proposal.title");
    let t = shell.t;
    let urls = VoiceUrls::new(body);
    let at = now();
    let (units, rules, comments, author, files) = tokio::try_join!(
        state.store.units(body.id),
        state.store.proposal_rules(body.id),
        state.store.comments_of(proposal.id),
        state.store.user(proposal.author_id),
        state.store.voice_files(Owner::Proposal(proposal.id)),
    )?;
    let user_id = ctx.user.as_ref().map(|u| u.id);
    let (supported, reported, following) = match user_id {
        Some(id) => tokio::try_join!(
            state.store.has_supported(proposal.id, id),
            state.store.has_reported(Subject::Proposal(proposal.id), id),
            state.store.follows_proposal(proposal.id, id),
        )?,
        None => (false, false, false),
    };
    // A refused upload's error goes beside the file field, any other beside the comment.
    let (file_errors, comment_errors): (Vec<FieldError>, Vec<FieldError>) =
        comment_form.1.into_iter().partition(|e| e.field == "file");
    let moderator = roles.allows(Permission::ModerateContent) || roles.allows(Permission::AnswerCitizens);
    let view = ProposalView::new(&proposal, body, &units, &t, at);
    let is_author = user_id == Some(proposal.author_id);
    // Hidden content is shown to staff only; everyone else sees its place and reason.
    let shows_text = view.is_public || moderator;
    let paragraphs = |text: &str| text.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    let window_end = proposal.created_at + rules.support_window_days * 86_400;
    let threshold = t.f2("proposal.threshold", t.number(proposal.support_count), t.number(rules.support_threshold));
    let threshold_note = if proposal.is_answer_due() {
        t.t("proposal.threshold_reached").to_string()
    } else if at > window_end {
        t.f1("proposal.window_closed", t.date(window_end))
    } else {
        t.f1("proposal.window_until", t.date(window_end))
    };
    let title = if shows_text { proposal.title.clone() } else { t.t("proposal.hidden_title").to_string() };
    let page = ProposalPage {
        author: author.map(|a| masked_name(&a.display_name)).unwrap_or_default(),
        body_paragraphs: if shows_text { paragraphs(&proposal.body) } else { Vec::new() },
        answer_paragraphs: proposal.answer_body.as_deref().map(paragraphs).unwrap_or_default(),
        answered_on: proposal.answered_at.map(|a| t.date(a)).unwrap_or_default(),
        threshold,
        threshold_note,
        urls_support: urls.support(proposal.id),
        urls_withdraw: urls.withdraw(proposal.id),
        urls_comments: urls.comments(proposal.id),
        urls_report: urls.report(proposal.id),
        urls_staff: roles.allows(Permission::AnswerCitizens).then(|| urls.staff_proposal(proposal.id, "")),
        login_url: crate::urls::login(&urls.proposal(proposal.id)),
        signed_in: user_id.is_some(),
        supported,
        can_support: view.is_public && proposal.state.is_open() && !supported,
        can_unsupport: supported && proposal.state.is_open() && !proposal.is_answer_due(),
        is_author,
        can_withdraw: is_author && proposal.state.is_open(),
        comments_enabled: rules.comments_enabled && view.is_public,
        comments: comments
            .into_iter()
            .map(|c| CommentView {
                id: c.id,
                author: masked_name(&c.author_name),
                text: c.body,
                when: t.date_time(c.created_at),
                is_public: c.moderation.is_public() || moderator,
                hidden_reason: c.hidden_reason,
                mine: user_id == Some(c.author_id),
                suffix: format!("-c{}", c.id),
            })
            .collect(),
        comment_text: comment_form.0,
        errors: FormErrors::new(t, comment_errors),
        files: FilesPart::new(
            t,
            &shell.csrf,
            urls.proposal_files(proposal.id),
            file_errors,
            if shows_text { files.iter().map(|f| file_view(body, &t, f)).collect() } else { Vec::new() },
            is_author && proposal.state.is_open() && view.is_public,
            state.config.attachment_max_bytes,
        ),
        following,
        urls_follow: urls.follow(proposal.id),
        no_errors: FormErrors::none(t),
        report_reasons: ["abuse", "personal_data", "advertising", "off_topic"]
            .into_iter()
            .map(|r| (r, t.t(&format!("report_reason.{r}")).to_string()))
            .collect(),
        reported,
        notice: done_message(&t, done),
        p: view,
        proposal,
        shell: shell
            .with_title(title.clone())
            .with_body(BodyNav::new(body, roles, &t), "proposals")
            .with_breadcrumbs(vec![(t.t("proposals.title").to_string(), urls.proposals()), (title, String::new())]),
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
    Query(query): Query<PageQuery>,
) -> AppResult<Response> {
    let proposal = load(&state, &scope.body, id).await?;
    show(&state, &ctx, &scope, proposal, &query.done, (String::new(), Vec::new())).await
}

#[derive(Deserialize, Default)]
pub struct ProposalForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    location: String,
    /// `preview` (the default: check and show), `edit` (back to the form), `submit`.
    #[serde(default)]
    step: String,
}

#[derive(Template)]
#[template(path = "voice/proposal_new.html")]
struct FormPage {
    shell: Shell,
    form: ProposalForm,
    errors: FormErrors,
    categories: Vec<(&'static str, String)>,
    /// The checked proposal, shown on the preview step.
    preview: Option<PreviewView>,
    action: String,
    /// Where the title's similar-proposal hint is fetched from while typing.
    similar_url: String,
    /// A refusal of the whole form (a limit reached): what was typed stays.
    refusal: Option<String>,
}

pub struct PreviewView {
    pub category: String,
    pub paragraphs: Vec<String>,
    /// Existing proposals like this one: the citizen may support one instead.
    pub similar: Vec<SimilarView>,
}

/// An existing proposal like the one being written, with its state and answer.
pub struct SimilarView {
    pub p: ProposalView,
    pub support_url: String,
    /// The start of its answer, when it has one.
    pub answer: Option<String>,
}

/// Up to five proposals of the body like `title` (and `text`, on the preview step):
/// re-posts of the text first, then the best title matches (`crate::search`).
pub async fn similar(
    state: &AppState,
    body: &Org,
    t: &crate::i18n::Tr,
    title: &str,
    text: &str,
) -> AppResult<Vec<SimilarView>> {
    if title.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    state.search.wait_ready(std::time::Duration::from_secs(2)).await;
    let ids = state
        .search
        .similar_proposals(&body.slug, title, text, 5)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let units = state.store.units(body.id).await?;
    let urls = VoiceUrls::new(body);
    let at = now();
    let mut found = Vec::new();
    for id in ids.iter().filter_map(|id| id.strip_prefix("proposal:")?.parse::<i64>().ok()) {
        if let Some(proposal) = state.store.proposal(body.id, id).await?.filter(|p| p.is_public()) {
            found.push(SimilarView {
                answer: proposal.answer_body.as_deref().map(|a| a.chars().take(80).collect::<String>()),
                support_url: urls.support(proposal.id),
                p: ProposalView::new(&proposal, body, &units, t, at),
            });
        }
    }
    Ok(found)
}

#[derive(Template)]
#[template(path = "voice/_similar.html")]
struct SimilarFragment {
    shell: Shell,
    similar: Vec<SimilarView>,
}

#[derive(Deserialize, Default)]
pub struct SimilarQuery {
    #[serde(default)]
    subject: String,
}

/// The hint under the title while typing (fetched by `sotong.js`): the similar
/// proposals as an HTML fragment.
pub async fn similar_hint(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<SimilarQuery>,
) -> AppResult<Response> {
    let subject: String = query.subject.chars().take(sotong_core::voice::proposals::TITLE_MAX_CHARS).collect();
    let shell = Shell::new(&ctx, "proposal_new.similar_title");
    let similar = similar(&state, &scope.body, &shell.t, &subject, "").await?;
    Ok(render(axum::http::StatusCode::OK, &SimilarFragment { shell, similar }))
}

fn form_page(
    ctx: &Ctx,
    scope: &BodyScope,
    form: ProposalForm,
    errors: Vec<FieldError>,
    preview: Option<PreviewView>,
    refusal: Option<String>,
) -> Response {
    let BodyScope { body, roles, .. } = scope;
    let title_key = if preview.is_some() { "proposal_new.preview_title" } else { "proposal_new.title" };
    let shell = Shell::new(ctx, title_key);
    let t = shell.t;
    let urls = VoiceUrls::new(body);
    let title = shell.title.clone();
    let page = FormPage {
        form,
        errors: FormErrors::new(t, errors),
        categories: category_options(&t),
        preview,
        action: urls.new_proposal(),
        similar_url: urls.similar(),
        refusal: refusal.clone(),
        shell: shell
            .with_body(BodyNav::new(body, roles, &t), "proposals")
            .with_breadcrumbs(vec![(t.t("proposals.title").to_string(), urls.proposals()), (title, String::new())]),
    };
    let status = if refusal.is_some() { axum::http::StatusCode::TOO_MANY_REQUESTS } else { page.errors.status() };
    render(status, &page)
}

pub async fn form(ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    ctx.require_user()?;
    Ok(form_page(&ctx, &scope, ProposalForm::default(), Vec::new(), None, None))
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<ProposalForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    if form.step == "edit" {
        return Ok(form_page(&ctx, &scope, form, Vec::new(), None, None));
    }
    let new = match NewProposal::parse(&form.subject, &form.content, &form.category, &form.location) {
        Ok(new) => new,
        Err(errors) => return Ok(form_page(&ctx, &scope, form, errors, None, None)),
    };
    if form.step != "submit" {
        let t = ctx.tr();
        let preview = PreviewView {
            category: t.t(&format!("proposal_category.{}", new.category)).to_string(),
            paragraphs: new.body.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
            similar: similar(&state, &scope.body, &t, &new.title, &new.body).await?,
        };
        return Ok(form_page(&ctx, &scope, form, Vec::new(), Some(preview), None));
    }
    if !limits::allow(&state, &ctx, user.id, Write::Proposal).await? {
        let message = ctx.tr().t("proposal_new.too_many").to_string();
        return Ok(form_page(&ctx, &scope, form, Vec::new(), None, Some(message)));
    }
    let proposal = state.store.create_proposal(&ctx.actor(), scope.body.id, user.id, &new).await?;
    Ok(Redirect::to(&VoiceUrls::new(&scope.body).proposal_with(proposal.id, "?done=submitted")).into_response())
}
