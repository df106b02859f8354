//! A public body's news (새 소식): what it published, newest first, as a page and as
//! RSS 2.0 and Atom feeds. Items come from the modules (today: each published period
//! of a plan); a module adds its kind of item in `news_items`.

use super::commitments::urls::PlanUrls;
use super::feeds::{self, Feed, FeedItem};
use super::{published_page, BodyNav, Shell};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::scope::BodyScope;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use sotong_store::orgs::Org;

/// How many items the page and the feeds carry.
const NEWS_ITEMS: i64 = 30;

pub struct NewsItem {
    pub title: String,
    /// Site-relative link to what was published.
    pub link: String,
    pub summary: String,
    pub published_at: i64,
    /// Stable identity of the item (feeds' `guid` / `id`).
    pub key: String,
    pub when: String,
}

pub async fn news_items(state: &AppState, body: &Org, t: &Tr) -> AppResult<Vec<NewsItem>> {
    let publications = state.store.recent_publications(body.id, NEWS_ITEMS).await?;
    Ok(publications
        .into_iter()
        .map(|p| {
            let plan_title = if t.is_en() { p.plan_title_en } else { p.plan_title_ko };
            let period = t.period(&p.period_code);
            NewsItem {
                title: t.f2("news.published", &plan_title, &period),
                link: PlanUrls::from_slugs(&body.slug, &p.plan_slug).dashboard_of(&p.period_code),
                summary: t.f1("news.published_summary", &p.hash),
                key: format!("urn:sotong:{}:{}:{}", body.slug, p.plan_slug, p.period_code),
                when: t.date(p.published_at),
                published_at: p.published_at,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "news.html")]
struct NewsPage {
    shell: Shell,
    items: Vec<NewsItem>,
    rss: String,
    atom: String,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, "news.title");
    let t = shell.t;
    let items = news_items(&state, &body, &t).await?;
    let title = t.f1("news.title_of", body.name(t.is_en()));
    let page = NewsPage {
        rss: crate::urls::feed(&body, "rss"),
        atom: crate::urls::feed(&body, "atom"),
        items,
        shell: shell.with_title(title).with_body(BodyNav::new(&body, &roles, &t), "news"),
    };
    Ok(published_page(&page))
}

pub(crate) fn feed_response(content_type: &'static str, body: String) -> Response {
    crate::page_cache::Published(([(header::CONTENT_TYPE, content_type)], body)).into_response()
}

/// The body's news as a feed.
fn news_feed<'a>(body: &'a Org, t: &'a Tr) -> Feed<'a> {
    let name = body.name(t.is_en());
    Feed {
        id: format!("urn:sotong:{}:news", body.slug),
        title: t.f1("news.title_of", name),
        description: t.f1("site.description_of", name),
        page: crate::urls::news(body),
        rss: crate::urls::feed(body, "rss"),
        atom: crate::urls::feed(body, "atom"),
        author: name,
        language: t.code(),
        empty_updated: body.created_at,
    }
}

fn feed_items(items: Vec<NewsItem>) -> Vec<FeedItem> {
    items
        .into_iter()
        .map(|item| FeedItem {
            id: item.key,
            title: item.title,
            link: item.link,
            summary: item.summary,
            published: item.published_at,
            updated: item.published_at,
            category: None,
        })
        .collect()
}

pub async fn rss(State(state): State<AppState>, ctx: Ctx, scope: BodyScope, headers: HeaderMap) -> AppResult<Response> {
    let t = ctx.tr();
    let items = feed_items(news_items(&state, &scope.body, &t).await?);
    let body = feeds::rss(&news_feed(&scope.body, &t), &items, &crate::urls::origin(&state, &headers));
    Ok(feed_response("application/rss+xml; charset=utf-8", body))
}

pub async fn atom(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    headers: HeaderMap,
) -> AppResult<Response> {
    let t = ctx.tr();
    let items = feed_items(news_items(&state, &scope.body, &t).await?);
    let body = feeds::atom(&news_feed(&scope.body, &t), &items, &crate::urls::origin(&state, &headers));
    Ok(feed_response("application/atom+xml; charset=utf-8", body))
}
