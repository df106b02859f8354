//! The site search (`/search`, and `/{body}/search` within one public body): one
//! Korean search over everything public — commitments, proposals, answers, notices —
//! with 초성 and mixed queries, filters by kind, body and date, highlighted snippets
//! and pages. The index is this process's (`crate::search`).

use super::pagination::{requested, Pagination};
use super::{render, BodyNav, FormErrors, Shell};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::scope::BodyScope;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use korean::highlight::{snippet, Piece};
use korean::search::Filter;
use serde::Deserialize;
use sotong_core::FieldError;
use sotong_store::orgs::Org;
use std::collections::HashMap;
use std::time::Duration;

const PAGE_SIZE: usize = 20;
const KINDS: [&str; 4] = ["commitment", "proposal", "answer", "notice"];

#[derive(Deserialize, Default, Clone)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    pub page: Option<String>,
}

impl SearchQuery {
    fn url(&self, base: &str, page: usize) -> String {
        let mut pairs = Vec::new();
        for (key, value) in
            [("q", &self.q), ("kind", &self.kind), ("body", &self.body), ("from", &self.from), ("until", &self.until)]
        {
            if !value.trim().is_empty() {
                pairs.push(format!("{key}={}", crate::security::url_encode(value.trim())));
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

pub struct ResultView {
    pub kind: String,
    pub title: String,
    pub url: String,
    pub snippet: Vec<Piece>,
    pub date: String,
    pub body_name: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    shell: Shell,
    query: SearchQuery,
    action: String,
    kinds: Vec<(&'static str, String)>,
    bodies: Vec<(String, String)>,
    /// Searching one body: no body filter.
    within_body: bool,
    results: Vec<ResultView>,
    summary: String,
    searched: bool,
    errors: FormErrors,
    pagination: Pagination,
    label: String,
}

/// A filter date: `YYYY-MM-DD` as the KST day's start (`from`) or end (`until`).
fn day_bound(field: &'static str, raw: &str, end: bool) -> Result<Option<i64>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let start = sotong_core::format::kst_unix(raw.trim(), 0).ok_or(FieldError::new(field, "invalid_date"))?;
    Ok(Some(if end { start + 86_399 } else { start }))
}

/// Where a result lives on the site.
async fn url_of(
    state: &AppState,
    id: &str,
    scope: &str,
    plans: &mut HashMap<i64, Option<String>>,
) -> AppResult<String> {
    let parts: Vec<&str> = id.splitn(3, ':').collect();
    Ok(match parts.as_slice() {
        ["proposal", n] => format!("/{scope}/proposals/{n}"),
        ["answer", n] => format!("/{scope}/proposals/{n}#answer-title"),
        ["notice", n] => format!("/{scope}/notices/{n}"),
        ["commitment", plan, code] => {
            let plan_id: i64 = plan.parse().unwrap_or(0);
            if !plans.contains_key(&plan_id) {
                let slug = state.store.plan_by_id(plan_id).await?.map(|p| p.slug);
                plans.insert(plan_id, slug);
            }
            match plans.get(&plan_id).cloned().flatten() {
                Some(slug) => format!("/{scope}/plans/{slug}/commitments/{code}"),
                None => format!("/{scope}"),
            }
        }
        _ => format!("/{scope}"),
    })
}

async fn search_page(
    state: &AppState,
    ctx: &Ctx,
    query: SearchQuery,
    body: Option<(&Org, &sotong_core::role::RoleSet)>,
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "search.title");
    let t = shell.t;
    let bodies = state.store.public_bodies().await?;
    let scope = match body {
        Some((org, _)) => Some(org.slug.clone()),
        None if !query.body.is_empty() => Some(query.body.clone()),
        None => None,
    };
    let mut errors = Vec::new();
    let from = day_bound("from", &query.from, false).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let until = day_bound("until", &query.until, true).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let kind = KINDS.iter().find(|k| **k == query.kind).copied();
    let page = requested(query.page.as_deref());
    let searched = !query.q.trim().is_empty() && errors.is_empty();
    let (hits, total) = if searched {
        state.search.wait_ready(Duration::from_secs(5)).await;
        let filter = Filter { kind, scope: scope.as_deref(), from, until };
        let results = state
            .search
            .search(&query.q, &filter, (page - 1) * PAGE_SIZE, PAGE_SIZE)
            .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
        (results.hits, results.total)
    } else {
        (Vec::new(), 0)
    };
    let mut plans = HashMap::new();
    let mut results = Vec::with_capacity(hits.len());
    for hit in hits {
        let text = if hit.body.trim().is_empty() { hit.title.clone() } else { hit.body.clone() };
        let body_name =
            bodies.iter().find(|b| b.slug == hit.scope).map(|b| b.name(t.is_en()).to_string()).unwrap_or_default();
        results.push(ResultView {
            kind: t.t(&format!("search.kind_{}", hit.kind)).to_string(),
            url: url_of(state, &hit.id, &hit.scope, &mut plans).await?,
            snippet: snippet(&text, &query.q, 120),
            date: t.date(hit.date),
            title: hit.title,
            body_name,
        });
    }
    let action = match body {
        Some((org, _)) => crate::urls::body(org, "/search"),
        None => "/search".to_string(),
    };
    let summary = if !searched {
        String::new()
    } else if total == 0 {
        t.f1("search.none", query.q.trim())
    } else {
        t.f2("search.found", query.q.trim(), t.number(total as i64))
    };
    let base = action.clone();
    let pagination = Pagination::new(total, PAGE_SIZE, page, |n| query.url(&base, n));
    let mut shell = shell;
    if let Some((org, roles)) = body {
        shell = shell
            .with_body(BodyNav::new(org, roles, &t), "search")
            .with_breadcrumbs(vec![(t.t("search.title").to_string(), String::new())]);
    }
    let page = SearchPage {
        kinds: KINDS.iter().map(|k| (*k, t.t(&format!("search.kind_{k}")).to_string())).collect(),
        bodies: bodies.iter().map(|b| (b.slug.clone(), b.name(t.is_en()).to_string())).collect(),
        within_body: body.is_some(),
        results,
        summary,
        searched,
        errors: FormErrors::new(t, errors),
        pagination,
        label: t.t("search.pages").to_string(),
        action,
        query,
        shell,
    };
    let status = if page.errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(status, &page))
}

pub async fn site(State(state): State<AppState>, ctx: Ctx, Query(query): Query<SearchQuery>) -> AppResult<Response> {
    search_page(&state, &ctx, query, None).await
}

pub async fn body(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<SearchQuery>,
) -> AppResult<Response> {
    search_page(&state, &ctx, query, Some((&scope.body, &scope.roles))).await
}
