//! Public pages of single commitments: the list of a plan's commitments as last
//! published, and each commitment's page with its published history and its decided
//! change requests (조정).

use super::plans::period_label;
use super::{ok, BodyNav, Shell};
use crate::auth::body_access;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use sotong_core::commitments::Taxonomy;

fn status_label(taxonomy: &Taxonomy, key: &str, t: &Tr) -> String {
    taxonomy
        .get(key)
        .map(|s| if t.is_en() { s.label_en.clone() } else { s.label_ko.clone() })
        .unwrap_or_else(|| key.to_string())
}

pub struct ListRow {
    pub code: String,
    pub title: String,
    pub sector: String,
    pub status: String,
    pub progress: i64,
}

#[derive(Template)]
#[template(path = "commitments.html")]
struct ListPage {
    shell: Shell,
    plan_slug: String,
    period_label: Option<String>,
    rows: Vec<ListRow>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, plan_slug)): Path<(String, String)>,
) -> AppResult<Response> {
    let (body, roles) = body_access(&state, &ctx, &slug, None).await?;
    let plan = state.store.plan(body.id, &plan_slug).await?.ok_or(AppError::NotFound)?;
    let shell = Shell::new(&ctx, "commitments.title");
    let t = shell.t;
    let taxonomy = plan.taxonomy();
    let heads = state.store.snapshot_heads(plan.id).await?;
    let (rows, period_label) = match heads.last() {
        Some(latest) => {
            let rows = super::exports::snapshot_rows(&state.store, &plan, latest.id).await?;
            let periods = state.store.periods(plan.id).await?;
            let code = periods.iter().find(|p| p.id == latest.period_id).map(|p| p.code.clone()).unwrap_or_default();
            let rows = rows
                .into_iter()
                .map(|r| ListRow {
                    status: status_label(&taxonomy, &r.status, &t),
                    code: r.code,
                    title: r.title,
                    sector: r.sector,
                    progress: r.progress,
                })
                .collect();
            (rows, Some(period_label(&code, &t)))
        }
        None => (Vec::new(), None),
    };
    let title = t.f1("commitments.title_of", if t.is_en() { &plan.title_en } else { &plan.title_ko });
    let page = ListPage {
        plan_slug: plan.slug.clone(),
        period_label,
        rows,
        shell: shell.with_title(title).with_body(BodyNav::new(&body, &roles, &t), "plans"),
    };
    Ok(ok(&page))
}

pub struct HistoryRow {
    pub period: String,
    pub status: String,
    pub progress: i64,
    pub achievements: String,
    pub next_steps: String,
    pub hash: String,
    /// Bar geometry for the progress chart.
    pub x: i64,
    pub height: i64,
}

/// One indicator over the published periods.
pub struct IndicatorView {
    pub name: String,
    pub unit: String,
    pub target: String,
    /// (period label, actual as written, bar height 0–100 relative to the target)
    pub points: Vec<(String, String, i64)>,
    pub summary: String,
}

pub struct ChangeRow {
    pub kind: String,
    pub reason: String,
    pub decision: String,
    pub note: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "commitment.html")]
struct CommitmentPage {
    shell: Shell,
    plan_slug: String,
    /// The commitment the follow form is for.
    follow_code: String,
    following: Option<bool>,
    plan_title: String,
    sector: String,
    department: String,
    status: String,
    progress: i64,
    term_target: String,
    summary: String,
    collaborators: Vec<String>,
    yearly_targets: Vec<(i64, String)>,
    links: Vec<(String, String)>,
    budget: Vec<(String, String)>,
    history: Vec<HistoryRow>,
    chart_summary: String,
    indicators: Vec<IndicatorView>,
    milestones: Vec<(String, String, String)>,
    changes: Vec<ChangeRow>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, plan_slug, code)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let (body, roles) = body_access(&state, &ctx, &slug, None).await?;
    let plan = state.store.plan(body.id, &plan_slug).await?.ok_or(AppError::NotFound)?;
    let commitment = state.store.commitment_by_code(plan.id, &code).await?.ok_or(AppError::NotFound)?;
    let history = state.store.commitment_history(commitment.id).await?;
    // Only what was published is public: a commitment never published has no page yet.
    let latest: serde_json::Value = match history.last() {
        Some(entry) => serde_json::from_str(&entry.content_json).unwrap_or_default(),
        None => return Err(AppError::NotFound),
    };
    let shell = Shell::new(&ctx, "commitments.title");
    let t = shell.t;
    let taxonomy = plan.taxonomy();
    let sectors = state.store.sectors(plan.id).await?;
    let units = state.store.units(body.id).await?;
    let id = |key: &str| latest[key].as_i64().unwrap_or(0);
    let indicators = indicator_views(&history, &t);
    let history: Vec<HistoryRow> = history
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let c: serde_json::Value = serde_json::from_str(&entry.content_json).unwrap_or_default();
            let progress = c["progress"].as_i64().unwrap_or(0).clamp(0, 100);
            HistoryRow {
                period: period_label(&entry.period_code, &t),
                status: status_label(&taxonomy, c["status"].as_str().unwrap_or(""), &t),
                progress,
                achievements: c["report"]["achievements"].as_str().unwrap_or("").to_string(),
                next_steps: c["report"]["next_steps"].as_str().unwrap_or("").to_string(),
                hash: entry.hash.clone(),
                x: 40 + i as i64 * 70,
                height: progress,
            }
        })
        .collect();
    let chart_summary = t.f1(
        "commitments.chart_summary",
        history.iter().map(|h| format!("{} {}%", h.period, h.progress)).collect::<Vec<_>>().join(", "),
    );
    let budget_part = |k: &str| latest["budget"][k].as_i64().unwrap_or(0);
    let budget = [
        ("national", "budget.national"),
        ("provincial", "budget.provincial"),
        ("city", "budget.city"),
        ("other", "budget.other"),
    ]
    .iter()
    .map(|(k, label)| (t.t(label).to_string(), t.krw(budget_part(k))))
    .collect();
    // Decided changes and milestones as published with the latest period.
    let changes = latest["details"]["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap_or("").to_string();
            ChangeRow {
                kind: t.t(&format!("change_kind.{}", text("kind"))).to_string(),
                decision: t.t(&format!("change_decision.{}", text("decision"))).to_string(),
                date: r["decided_at"].as_i64().map(|at| t.date(at)).unwrap_or_default(),
                reason: text("reason"),
                note: text("note"),
            }
        })
        .collect();
    let title = latest["title"].as_str().unwrap_or("").to_string();
    let following = match &ctx.user {
        Some(user) => Some(state.store.is_following(user.id, plan.id, Some(commitment.id)).await?),
        None => None,
    };
    let page = CommitmentPage {
        plan_slug: plan.slug.clone(),
        follow_code: commitment.code.clone(),
        following,
        plan_title: if t.is_en() { plan.title_en.clone() } else { plan.title_ko.clone() },
        sector: sectors.iter().find(|s| s.id == id("sector_id")).map(|s| s.name_ko.clone()).unwrap_or_default(),
        department: units
            .iter()
            .find(|u| u.id == id("lead_department_id"))
            .map(|u| u.name(t.is_en()).to_string())
            .unwrap_or_default(),
        status: status_label(&taxonomy, latest["status"].as_str().unwrap_or(""), &t),
        progress: latest["progress"].as_i64().unwrap_or(0),
        term_target: latest["term_target"].as_str().unwrap_or("").to_string(),
        summary: latest["summary"].as_str().unwrap_or("").to_string(),
        collaborators: latest["details"]["collaborators"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|id| units.iter().find(|u| Some(u.id) == id.as_i64()))
            .map(|u| u.name(t.is_en()).to_string())
            .collect(),
        yearly_targets: latest["details"]["yearly_targets"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|pair| (pair[0].as_i64().unwrap_or(0), pair[1].as_str().unwrap_or("").to_string()))
            .collect(),
        links: latest["details"]["links"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|pair| (pair[0].as_str().unwrap_or("").to_string(), pair[1].as_str().unwrap_or("").to_string()))
            .collect(),
        budget,
        history,
        chart_summary,
        indicators,
        milestones: latest["details"]["milestones"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| {
                let done = m["done_date"].as_str();
                let state = if done.is_some() {
                    t.t("commitments.milestone_done")
                } else {
                    t.t("commitments.milestone_planned")
                };
                let date = done.or(m["due_date"].as_str()).unwrap_or("").to_string();
                (m["title"].as_str().unwrap_or("").to_string(), date, state.to_string())
            })
            .collect(),
        changes,
        shell: shell
            .with_title(format!("{} {title}", commitment.code))
            .with_body(BodyNav::new(&body, &roles, &t), "plans"),
    };
    Ok(ok(&page))
}

/// Each indicator's published actual per period, from the history's snapshot items.
fn indicator_views(history: &[sotong_store::changes::HistoryEntry], t: &Tr) -> Vec<IndicatorView> {
    let mut views: Vec<IndicatorView> = Vec::new();
    for entry in history {
        let c: serde_json::Value = serde_json::from_str(&entry.content_json).unwrap_or_default();
        for indicator in c["indicators"].as_array().into_iter().flatten() {
            let name = indicator["name"].as_str().unwrap_or("").to_string();
            let target = indicator["target"].as_str().unwrap_or("0").to_string();
            let actual = indicator["actual"].as_str().unwrap_or("").to_string();
            let (target_f, actual_f) = (target.parse::<f64>().unwrap_or(0.0), actual.parse::<f64>().unwrap_or(0.0));
            let height =
                if target_f > 0.0 { ((actual_f / target_f) * 100.0).clamp(0.0, 100.0).round() as i64 } else { 0 };
            let label = period_label(&entry.period_code, t);
            match views.iter_mut().find(|v| v.name == name) {
                Some(view) => view.points.push((label, actual, height)),
                None => views.push(IndicatorView {
                    unit: indicator["unit"].as_str().unwrap_or("").to_string(),
                    target,
                    points: vec![(label, actual, height)],
                    summary: String::new(),
                    name,
                }),
            }
        }
    }
    for view in &mut views {
        let points: Vec<String> = view
            .points
            .iter()
            .map(|(period, actual, _)| {
                format!("{period} {}{}", if actual.is_empty() { "-" } else { actual }, view.unit)
            })
            .collect();
        view.summary =
            t.f("commitments.indicator_summary", &[&view.name, &view.target, &view.unit, &points.join(", ")]);
    }
    views
}
