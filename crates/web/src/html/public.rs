//! Pages anyone can read: the installation's home, a public body's home and its
//! organisation chart, the language switch, health.

use super::{ok, BodyNav, Shell};
use crate::auth::body_access;
use crate::context::{Ctx, LANG_COOKIE};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
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

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    bodies: Vec<TreeRow>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let shell = Shell::new(&ctx, "home.title");
    let bodies = state.store.public_bodies().await?;
    let bodies = tree_rows(&bodies, None, &shell.t);
    Ok(ok(&HomePage { shell, bodies }))
}

#[derive(Template)]
#[template(path = "org_home.html")]
struct OrgHomePage {
    shell: Shell,
    body: Org,
    name: String,
    kind_label: String,
    parent: Option<(String, String)>,
    unit_count: usize,
}

pub async fn org_home(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let (body, roles) = body_access(&state, &ctx, &slug, None).await?;
    let shell = Shell::new(&ctx, "org.title");
    let t = shell.t;
    let parent = match body.parent_id {
        Some(id) => state.store.org(id).await?.map(|p| (p.slug.clone(), p.name(t.is_en()).to_string())),
        None => None,
    };
    let unit_count = state.store.units(body.id).await?.len();
    let name = body.name(t.is_en()).to_string();
    let page = OrgHomePage {
        kind_label: t.t(&format!("org_kind.{}", body.kind)).to_string(),
        shell: shell.with_title(name.clone()).with_body(BodyNav::new(&body, &roles, &t), "home"),
        name,
        parent,
        unit_count,
        body,
    };
    Ok(ok(&page))
}

#[derive(Template)]
#[template(path = "departments.html")]
struct DepartmentsPage {
    shell: Shell,
    name: String,
    units: Vec<TreeRow>,
}

pub async fn departments(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let (body, roles) = body_access(&state, &ctx, &slug, None).await?;
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
    Ok(ok(&page))
}

#[derive(Deserialize)]
pub struct NextParam {
    #[serde(default)]
    next: String,
}

/// Only same-site paths are followed after a redirect (no open redirects).
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
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
    let mut response = Redirect::to(safe_next(&query.next)).into_response();
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
