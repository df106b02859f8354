//! Pages anyone can read: the installation's home, a public body's home and its
//! organisation chart, the language switch, health.

use super::commitments::plans::{plan_cards, PlanCard};
use super::{published_page, BodyNav, Shell};
use crate::context::{Ctx, LANG_COOKIE};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::scope::BodyScope;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use sotong_core::format::Lang;
use sotong_store::orgs::Org;

/// One node of an organisation tree, flattened for templates with its depth.
pub struct TreeRow {
    pub depth: usize,
    pub org: Org,
    pub kind_label: String,
    pub name: String,
}

/// Orders `orgs` as a tree under `root_parent` (parents before their children).
pub fn tree_rows(orgs: &[Org], root_parent: Option<i64>, t: &Tr) -> Vec<TreeRow> {
    fn visit(orgs: &[Org], parent: Option<i64>, depth: usize, t: &Tr, out: &mut Vec<TreeRow>) {
        for org in orgs.iter().filter(|o| o.parent_id == parent) {
            out.push(TreeRow {
                depth,
                org: org.clone(),
                kind_label: t.t(&format!("org_kind.{}", org.kind)).to_string(),
                name: org.name(t.is_en()).to_string(),
            });
            visit(orgs, Some(org.id), depth + 1, t, out);
        }
    }
    let mut out = Vec::with_capacity(orgs.len());
    visit(orgs, root_parent, 0, t, &mut out);
    out
}

/// A public body on the installation's home, with its plans' headline figures.
pub struct BodyCard {
    pub row: TreeRow,
    pub plans: Vec<PlanCard>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    bodies: Vec<BodyCard>,
    /// Said once after an account was deleted.
    deleted: bool,
}

#[derive(Deserialize)]
pub struct HomeQuery {
    #[serde(default)]
    deleted: Option<String>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx, Query(query): Query<HomeQuery>) -> AppResult<Response> {
    let shell = Shell::new(&ctx, "home.title");
    let t = shell.t;
    let bodies = state.store.public_bodies().await?;
    let mut cards = Vec::new();
    for row in tree_rows(&bodies, None, &t) {
        let plans = plan_cards(&state, &row.org, &t).await?;
        cards.push(BodyCard { row, plans });
    }
    Ok(published_page(&HomePage { shell, bodies: cards, deleted: query.deleted.is_some() }))
}

#[derive(Template)]
#[template(path = "org_home.html")]
struct OrgHomePage {
    shell: Shell,
    voice: super::voice::home::VoiceHome,
    body: Org,
    name: String,
    kind_label: String,
    parent: Option<(String, String)>,
    unit_count: usize,
    plans: Vec<PlanCard>,
    news: Vec<super::news::NewsItem>,
    news_url: String,
    rss: String,
}

pub async fn org_home(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, "org.title");
    let t = shell.t;
    let parent = match body.parent_id {
        Some(id) => state.store.org(id).await?.map(|p| (p.slug.clone(), p.name(t.is_en()).to_string())),
        None => None,
    };
    let unit_count = state.store.units(body.id).await?.len();
    let name = body.name(t.is_en()).to_string();
    let mut news = super::news::news_items(&state, &body, &t).await?;
    news.truncate(5);
    let page = OrgHomePage {
        voice: super::voice::home::voice_home(&state, &body, &t).await?,
        plans: plan_cards(&state, &body, &t).await?,
        news,
        news_url: crate::urls::news(&body),
        rss: crate::urls::feed(&body, "rss"),
        kind_label: t.t(&format!("org_kind.{}", body.kind)).to_string(),
        shell: shell.with_title(name.clone()).with_body(BodyNav::new(&body, &roles, &t), "home"),
        name,
        parent,
        unit_count,
        body,
    };
    Ok(published_page(&page))
}

#[derive(Template)]
#[template(path = "departments.html")]
struct DepartmentsPage {
    shell: Shell,
    name: String,
    units: Vec<TreeRow>,
}

pub async fn departments(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, "departments.title");
    let t = shell.t;
    let units = tree_rows(&state.store.units(body.id).await?, Some(body.id), &t);
    let name = body.name(t.is_en()).to_string();
    let title = t.f1("departments.title_of", &name);
    let page = DepartmentsPage {
        shell: shell.with_title(title).with_body(BodyNav::new(&body, &roles, &t), "departments"),
        name,
        units,
    };
    Ok(published_page(&page))
}

#[derive(Deserialize)]
pub struct NextParam {
    #[serde(default)]
    next: String,
}

/// Where to go after a redirect (`next=`): only a path of this site, as the browser
/// will read it. Browsers drop tabs and line breaks from a URL and read `\` as `/`,
/// so `/\t/evil.example` becomes `//evil.example`, another site; and a line break
/// in a `Location` header is invalid. So anything holding a control character,
/// whitespace or a backslash, or not starting with exactly one `/`, goes to `/`.
/// Non-ASCII letters (a Korean search term) are percent-encoded.
pub fn safe_next(next: &str) -> String {
    let plain = next.chars().all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    let path = next.strip_prefix('/');
    if !plain || path.is_none_or(|rest| rest.starts_with('/')) {
        return "/".to_string();
    }
    let mut out = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut bytes = [0u8; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// `/lang/en?next=/hanbit` remembers the language for a year and goes back.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<NextParam>,
) -> AppResult<Response> {
    let lang = Lang::parse(&code).ok_or(AppError::NotFound)?;
    let cookie =
        crate::security::cookie_header(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600), state.config.secure_cookies);
    let mut response = Redirect::to(&safe_next(&query.next)).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Liveness and database reachability, for load balancers and monitoring.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok", "database": state.store.backend().name()})).into_response(),
        Err(error) => {
            tracing::error!(error = %error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "unavailable"}))).into_response()
        }
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_path_of_this_site_as_the_browser_reads_it() {
        for same_site in ["/", "/hanbit", "/hanbit/plans/pledges-8?period=2026-Q2#top", "/a//b"] {
            assert_eq!(safe_next(same_site), same_site);
        }
        assert_eq!(safe_next("/search?q=주차"), "/search?q=%EC%A3%BC%EC%B0%A8");
        for elsewhere in [
            "",
            "hanbit",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\t\\evil.example",
            "\t//evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie:x=1",
            "/\u{0b}/evil.example",
            "/\u{0}/x",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "https://evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(elsewhere), "/", "{elsewhere:?}");
        }
    }
}
