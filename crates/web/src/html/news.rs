//! A public body's news (새 소식): what it published, newest first, as a page and as
//! RSS 2.0 and Atom feeds. Items come from the modules (today: each published period
//! of a plan); a module adds its kind of item in `news_items`.

use super::commitments::urls::PlanUrls;
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
use sotong_core::format;
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

/// The site's origin as the request reached it (`https://…` behind TLS), for the
/// absolute links feeds need.
pub(crate) fn origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// Text for XML: the five characters that mean something there, escaped.
pub(crate) fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

pub(crate) fn feed_response(content_type: &'static str, body: String) -> Response {
    crate::page_cache::Published(([(header::CONTENT_TYPE, content_type)], body)).into_response()
}

pub async fn rss(State(state): State<AppState>, ctx: Ctx, scope: BodyScope, headers: HeaderMap) -> AppResult<Response> {
    let t = ctx.tr();
    let items = news_items(&state, &scope.body, &t).await?;
    let origin = origin(&state, &headers);
    let name = scope.body.name(t.is_en());
    let mut out = String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    out.push_str(r#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>"#);
    out.push_str(&format!(
        "<title>{}</title><link>{origin}{}</link><description>{}</description><language>{}</language>",
        xml(&t.f1("news.title_of", name)),
        xml(&crate::urls::news(&scope.body)),
        xml(&t.f1("site.description_of", name)),
        t.code(),
    ));
    out.push_str(&format!(
        r#"<atom:link href="{origin}{}" rel="self" type="application/rss+xml"/>"#,
        xml(&crate::urls::feed(&scope.body, "rss"))
    ));
    if let Some(newest) = items.first() {
        out.push_str(&format!("<lastBuildDate>{}</lastBuildDate>", format::rfc822(newest.published_at)));
    }
    for item in &items {
        out.push_str(&format!(
            r#"<item><title>{}</title><link>{origin}{}</link><guid isPermaLink="false">{}</guid><pubDate>{}</pubDate><description>{}</description></item>"#,
            xml(&item.title),
            xml(&item.link),
            xml(&item.key),
            format::rfc822(item.published_at),
            xml(&item.summary),
        ));
    }
    out.push_str("</channel></rss>");
    Ok(feed_response("application/rss+xml; charset=utf-8", out))
}

pub async fn atom(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    headers: HeaderMap,
) -> AppResult<Response> {
    let t = ctx.tr();
    let items = news_items(&state, &scope.body, &t).await?;
    let origin = origin(&state, &headers);
    let name = scope.body.name(t.is_en());
    let feed_url = format!("{origin}{}", crate::urls::feed(&scope.body, "atom"));
    // A feed without entries is updated when its body was created.
    let updated = items.first().map(|i| i.published_at).unwrap_or(scope.body.created_at);
    let mut out = String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    out.push_str(&format!(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{}"><id>{}</id><title>{}</title><updated>{}</updated>"#,
        t.code(),
        xml(&format!("urn:sotong:{}:news", scope.body.slug)),
        xml(&t.f1("news.title_of", name)),
        format::rfc3339(updated),
    ));
    out.push_str(&format!(
        r#"<link rel="self" href="{}"/><link rel="alternate" type="text/html" href="{origin}{}"/><author><name>{}</name></author>"#,
        xml(&feed_url),
        xml(&crate::urls::news(&scope.body)),
        xml(name),
    ));
    for item in &items {
        out.push_str(&format!(
            r#"<entry><id>{}</id><title>{}</title><link rel="alternate" type="text/html" href="{origin}{}"/><updated>{}</updated><summary>{}</summary></entry>"#,
            xml(&item.key),
            xml(&item.title),
            xml(&item.link),
            format::rfc3339(item.published_at),
            xml(&item.summary),
        ));
    }
    out.push_str("</feed>");
    Ok(feed_response("application/atom+xml; charset=utf-8", out))
}
