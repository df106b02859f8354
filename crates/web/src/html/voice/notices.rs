//! City notices (시정알림): the public board (pinned first, by category, pages), a
//! notice's page, RSS 2.0 and Atom feeds per body and per category, and the staff's
//! board to publish, edit and take down notices.

use super::urls::VoiceUrls;
use super::views::{file_view, kst_today};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::feeds::{self, Feed, FeedItem};
use crate::html::files::FilesPart;
use crate::html::news::feed_response;
use crate::html::pagination::{requested, Pagination};
use crate::html::voice::views::attach_upload;
use crate::html::{published_page, render, BodyNav, FormErrors, Shell};
use crate::i18n::Tr;
use crate::scope::{BodyScope, FileOfSegments, IdSegment};
use crate::urls::origin;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::format;
use sotong_core::role::Permission;
use sotong_core::voice::notices::{NewNotice, NoticeCategory};
use sotong_core::FieldError;
use sotong_store::now;
use sotong_store::voice::attachments::Owner;
use sotong_store::voice::notices::Notice;

const PAGE_SIZE: usize = 20;
/// How many notices a feed carries.
const FEED_ITEMS: i64 = 30;

pub struct NoticeView {
    pub url: String,
    pub title: String,
    pub category: String,
    pub pinned: bool,
    pub date: String,
    pub expires: Option<String>,
    pub is_public: bool,
}

impl NoticeView {
    pub(super) fn new(notice: &Notice, urls: &VoiceUrls, t: &Tr, today: &str) -> NoticeView {
        NoticeView {
            url: urls.notice(notice.id),
            title: notice.title.clone(),
            category: category_label(t, notice.category),
            pinned: notice.pinned.0,
            date: t.iso_date(&notice.publish_on),
            expires: notice.expires_on.as_deref().map(|d| t.iso_date(d)),
            is_public: notice.is_public_on(today),
        }
    }
}

fn category_label(t: &Tr, category: NoticeCategory) -> String {
    t.t(&format!("notice_category.{category}")).to_string()
}

fn categories(t: &Tr) -> Vec<(&'static str, String)> {
    NoticeCategory::ALL.iter().map(|c| (c.as_str(), category_label(t, *c))).collect()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    category: String,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "voice/notices.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<NoticeView>,
    categories: Vec<(&'static str, String)>,
    category: String,
    pagination: Pagination,
    label: String,
    rss: String,
    atom: String,
    summary: String,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, "notices.title");
    let t = shell.t;
    let urls = VoiceUrls::new(&body);
    let category = NoticeCategory::try_from(query.category.clone()).ok();
    let page = requested(query.page.as_deref());
    let today = kst_today(now());
    let (rows, total) = state
        .store
        .public_notices(body.id, category, &today, ((page - 1) * PAGE_SIZE) as i64, PAGE_SIZE as i64)
        .await?;
    let base = urls.notices();
    let category_key = category.map(|c| c.as_str());
    let pagination = Pagination::new(total as usize, PAGE_SIZE, page, |n| match (category_key, n) {
        (None, 1) => base.clone(),
        (None, n) => format!("{base}?page={n}"),
        (Some(c), 1) => format!("{base}?category={c}"),
        (Some(c), n) => format!("{base}?category={c}&page={n}"),
    });
    let page = ListPage {
        rows: rows.iter().map(|n| NoticeView::new(n, &urls, &t, &today)).collect(),
        categories: categories(&t),
        category: query.category.clone(),
        pagination,
        label: t.t("notices.pages").to_string(),
        rss: urls.notices_feed("rss", category_key),
        atom: urls.notices_feed("atom", category_key),
        summary: if total == 0 { t.t("notices.none").to_string() } else { t.f1("notices.found", t.number(total)) },
        shell: shell
            .with_body(BodyNav::new(&body, &roles, &t), "notices")
            .with_breadcrumbs(vec![(t.t("notices.title").to_string(), String::new())]),
    };
    Ok(published_page(&page))
}

#[derive(Template)]
#[template(path = "voice/notice.html")]
struct NoticePage {
    shell: Shell,
    n: NoticeView,
    paragraphs: Vec<String>,
    files: FilesPart,
    edit_url: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let notice = state.store.notice(body.id, id).await?.ok_or(AppError::NotFound)?;
    let today = kst_today(now());
    let staff = roles.allows(Permission::PublishNotices);
    if !notice.is_public_on(&today) && !staff {
        return Err(AppError::NotFound);
    }
    let shell = Shell::new(&ctx, "notices.title");
    let t = shell.t;
    let urls = VoiceUrls::new(&body);
    let files = state.store.voice_files(Owner::Notice(notice.id)).await?;
    let page = NoticePage {
        files: FilesPart::new(
            t,
            &shell.csrf,
            String::new(),
            Vec::new(),
            files.iter().map(|f| file_view(&body, &t, f)).collect(),
            false,
            state.config.attachment_max_bytes,
        ),
        n: NoticeView::new(&notice, &urls, &t, &today),
        paragraphs: notice.body.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        edit_url: staff.then(|| urls.staff_notice(notice.id)),
        shell: shell
            .with_title(notice.title.clone())
            .with_description(notice.body.clone())
            .with_body(BodyNav::new(&body, &roles, &t), "notices")
            .with_breadcrumbs(vec![
                (t.t("notices.title").to_string(), urls.notices()),
                (notice.title.clone(), String::new()),
            ]),
    };
    Ok(published_page(&page))
}

#[derive(Deserialize, Default)]
pub struct FeedQuery {
    #[serde(default)]
    category: String,
}

/// The feed's notices and title: all public ones, or one category's.
async fn feed_items_of(
    state: &AppState,
    scope: &BodyScope,
    t: &Tr,
    query: &FeedQuery,
) -> AppResult<(Vec<Notice>, String, Option<NoticeCategory>)> {
    let category = if query.category.is_empty() {
        None
    } else {
        Some(NoticeCategory::try_from(query.category.clone()).map_err(|_| AppError::NotFound)?)
    };
    let (notices, _) = state.store.public_notices(scope.body.id, category, &kst_today(now()), 0, FEED_ITEMS).await?;
    let name = scope.body.name(t.is_en());
    let title = match category {
        Some(c) => t.f2("notices.feed_title_category", name, category_label(t, c)),
        None => t.f1("notices.feed_title", name),
    };
    Ok((notices, title, category))
}

/// When a notice became public: the start of its publish day, or its creation if later.
fn published_at(notice: &Notice) -> i64 {
    format::kst_unix(&notice.publish_on, 0).unwrap_or(notice.created_at).max(notice.created_at)
}

/// The body's notices (of one category) as a feed.
fn notices_feed<'a>(scope: &'a BodyScope, t: &'a Tr, title: String, category: Option<NoticeCategory>) -> Feed<'a> {
    let urls = VoiceUrls::new(&scope.body);
    let key = category.map(|c| c.as_str());
    Feed {
        id: match category {
            Some(c) => format!("urn:sotong:{}:notices:{c}", scope.body.slug),
            None => format!("urn:sotong:{}:notices", scope.body.slug),
        },
        description: title.clone(),
        title,
        page: urls.notices(),
        rss: urls.notices_feed("rss", key),
        atom: urls.notices_feed("atom", key),
        author: scope.body.name(t.is_en()),
        language: t.code(),
        empty_updated: scope.body.created_at,
    }
}

fn feed_items(scope: &BodyScope, t: &Tr, notices: &[Notice]) -> Vec<FeedItem> {
    let urls = VoiceUrls::new(&scope.body);
    notices
        .iter()
        .map(|notice| FeedItem {
            id: format!("urn:sotong:{}:notice:{}", scope.body.slug, notice.id),
            title: notice.title.clone(),
            link: urls.notice(notice.id),
            summary: notice.body.chars().take(300).collect(),
            published: published_at(notice),
            updated: notice.updated_at,
            category: Some((notice.category.to_string(), category_label(t, notice.category))),
        })
        .collect()
}

pub async fn rss(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    headers: HeaderMap,
    Query(query): Query<FeedQuery>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let (notices, title, category) = feed_items_of(&state, &scope, &t, &query).await?;
    let body = feeds::rss(
        &notices_feed(&scope, &t, title, category),
        &feed_items(&scope, &t, &notices),
        &origin(&state, &headers),
    );
    Ok(feed_response("application/rss+xml; charset=utf-8", body))
}

pub async fn atom(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    headers: HeaderMap,
    Query(query): Query<FeedQuery>,
) -> AppResult<Response> {
    let t = ctx.tr();
    let (notices, title, category) = feed_items_of(&state, &scope, &t, &query).await?;
    let body = feeds::atom(
        &notices_feed(&scope, &t, title, category),
        &feed_items(&scope, &t, &notices),
        &origin(&state, &headers),
    );
    Ok(feed_response("application/atom+xml; charset=utf-8", body))
}

#[derive(Deserialize, Default)]
pub struct NoticeForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    pinned: String,
    #[serde(default)]
    publish_on: String,
    #[serde(default)]
    expires_on: String,
}

impl NoticeForm {
    fn of(notice: &Notice) -> NoticeForm {
        NoticeForm {
            subject: notice.title.clone(),
            content: notice.body.clone(),
            category: notice.category.to_string(),
            pinned: if notice.pinned.0 { "1".into() } else { String::new() },
            publish_on: notice.publish_on.clone(),
            expires_on: notice.expires_on.clone().unwrap_or_default(),
        }
    }

    fn parse(&self) -> Result<NewNotice, Vec<FieldError>> {
        NewNotice::parse(
            &self.subject,
            &self.content,
            &self.category,
            !self.pinned.is_empty(),
            &self.publish_on,
            &self.expires_on,
            &kst_today(now()),
        )
    }
}

#[derive(Template)]
#[template(path = "voice/staff_notices.html")]
struct StaffPage {
    shell: Shell,
    /// (view, edit url, withdrawn)
    rows: Vec<(NoticeView, String, bool)>,
    form: NoticeForm,
    errors: FormErrors,
    categories: Vec<(&'static str, String)>,
    action: String,
    /// Editing one notice (its withdraw link), or writing a new one.
    editing: Option<String>,
    /// The notice's files and their form, when editing one.
    files: Option<FilesPart>,
    saved: bool,
}

async fn staff_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: NoticeForm,
    errors: Vec<FieldError>,
    editing: Option<i64>,
    saved: bool,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, if editing.is_some() { "staff_notices.edit_title" } else { "staff_notices.title" });
    let t = shell.t;
    let urls = VoiceUrls::new(body);
    let today = kst_today(now());
    let rows = if editing.is_some() {
        Vec::new()
    } else {
        state
            .store
            .all_notices(body.id)
            .await?
            .iter()
            .map(|n| (NoticeView::new(n, &urls, &t, &today), urls.staff_notice(n.id), n.withdrawn_at.is_some()))
            .collect()
    };
    let title = shell.title.clone();
    let (file_errors, errors): (Vec<FieldError>, Vec<FieldError>) = errors.into_iter().partition(|e| e.field == "file");
    let files = match editing {
        Some(id) => {
            let files = state.store.voice_files(Owner::Notice(id)).await?;
            let views = files.iter().map(|f| file_view(body, &t, f)).collect();
            let max = state.config.attachment_max_bytes;
            Some(FilesPart::new(t, &shell.csrf, urls.notice_files(id), file_errors, views, true, max))
        }
        None => None,
    };
    let page = StaffPage {
        rows,
        form,
        files,
        errors: FormErrors::new(t, errors),
        categories: categories(&t),
        action: editing.map(|id| urls.staff_notice(id)).unwrap_or_else(|| urls.staff_notices("")),
        editing: editing.map(|id| urls.withdraw_notice(id)),
        saved,
        shell: shell
            .with_body(BodyNav::new(body, roles, &t), "staff")
            .with_breadcrumbs(vec![(t.t("nav.staff").to_string(), crate::urls::staff(body)), (title, String::new())]),
    };
    let status = page.errors.status().max(page.files.as_ref().map_or(axum::http::StatusCode::OK, FilesPart::status));
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

pub async fn staff_list(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<SavedQuery>,
) -> AppResult<Response> {
    scope.require(Permission::PublishNotices)?;
    let form = NoticeForm { category: "general".into(), publish_on: kst_today(now()), ..Default::default() };
    staff_page(&state, &ctx, &scope, form, Vec::new(), None, !query.saved.is_empty()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<NoticeForm>,
) -> AppResult<Response> {
    scope.require(Permission::PublishNotices)?;
    match form.parse() {
        Ok(new) => {
            state.store.create_notice(&ctx.actor(), scope.body.id, &new).await?;
            Ok(Redirect::to(&VoiceUrls::new(&scope.body).staff_notices("?saved=1")).into_response())
        }
        Err(errors) => staff_page(&state, &ctx, &scope, form, errors, None, false).await,
    }
}

async fn load(state: &AppState, scope: &BodyScope, id: i64) -> AppResult<Notice> {
    scope.require(Permission::PublishNotices)?;
    state.store.notice(scope.body.id, id).await?.ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    let notice = load(&state, &scope, id).await?;
    staff_page(&state, &ctx, &scope, NoticeForm::of(&notice), Vec::new(), Some(id), false).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<NoticeForm>,
) -> AppResult<Response> {
    let notice = load(&state, &scope, id).await?;
    match form.parse() {
        Ok(new) => {
            state.store.update_notice(&ctx.actor(), &notice, &new).await?;
            Ok(Redirect::to(&VoiceUrls::new(&scope.body).staff_notices("?saved=1")).into_response())
        }
        Err(errors) => staff_page(&state, &ctx, &scope, form, errors, Some(id), false).await,
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    let notice = load(&state, &scope, id).await?;
    state.store.withdraw_notice(&ctx.actor(), &notice).await?;
    Ok(Redirect::to(&VoiceUrls::new(&scope.body).staff_notices("?saved=1")).into_response())
}

/// Staff attach a file (a 공고문, a map, a photo) to a notice.
pub async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let notice = load(&state, &scope, id).await?;
    match attach_upload(&state, &ctx, scope.body.id, Owner::Notice(id), &mut multipart, None).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}#files-title", VoiceUrls::new(&scope.body).staff_notice(id))).into_response())
        }
        Err(error) => staff_page(&state, &ctx, &scope, NoticeForm::of(&notice), vec![error], Some(id), false).await,
    }
}

pub async fn remove_file(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(FileOfSegments { id, file }): Path<FileOfSegments>,
) -> AppResult<Response> {
    load(&state, &scope, id).await?;
    state.store.remove_voice_file(&ctx.actor(), scope.body.id, Owner::Notice(id), file).await?;
    Ok(Redirect::to(&format!("{}#files-title", VoiceUrls::new(&scope.body).staff_notice(id))).into_response())
}
