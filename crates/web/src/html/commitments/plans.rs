//! Public pages of the commitments module: the plans of a body and each plan's
//! dashboard, built from published snapshots only.

use super::urls::PlanUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::{published_page, BodyNav, Shell};
use crate::i18n::Tr;
use crate::scope::{BodyScope, PlanScope};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sotong_core::commitments::period::Period;
use sotong_core::commitments::{Metrics, Taxonomy};

#[derive(Template)]
#[template(path = "commitments/plans.html")]
struct PlansPage {
    shell: Shell,
    plans: Vec<PlanRow>,
}

pub struct PlanRow {
    pub url: String,
    pub title: String,
    pub kind_label: String,
    pub term: String,
}

pub async fn plans(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, "plans.title");
    let t = shell.t;
    let plans = state
        .store
        .plans_of(body.id)
        .await?
        .into_iter()
        .map(|p| PlanRow {
            title: p.title(t.is_en()).to_string(),
            kind_label: t.t(&format!("plan_kind.{}", p.kind)).to_string(),
            term: format!("{} ~ {}", t.iso_date(&p.term_start), t.iso_date(&p.term_end)),
            url: PlanUrls::new(&body, &p).dashboard(),
        })
        .collect();
    let title = t.f1("plans.title_of", body.name(t.is_en()));
    Ok(published_page(&PlansPage {
        shell: shell.with_title(title).with_body(BodyNav::new(&body, &roles, &t), "plans"),
        plans,
    }))
}

/// A plan on a body's home (and the installation's): where it stood when last
/// published, with links to its dashboard and a search of its commitments.
pub struct PlanCard {
    pub title: String,
    pub kind_label: String,
    pub dashboard: String,
    pub list: String,
    /// The last published period, if any.
    pub period: Option<String>,
    pub total: i64,
    pub implementation: String,
    pub goal: String,
    /// Bar length, 0–100.
    pub implementation_width: i64,
}

/// The body's plans as cards, each with its latest published figures (kept per
/// process, see `cache`).
pub async fn plan_cards(state: &AppState, body: &sotong_store::orgs::Org, t: &Tr) -> AppResult<Vec<PlanCard>> {
    let mut cards = Vec::new();
    for plan in state.store.plans_of(body.id).await? {
        let urls = PlanUrls::new(body, &plan);
        let heads = state.store.snapshot_heads(plan.id).await?;
        let (period, overall) = match heads.last() {
            Some(head) => {
                let periods = state.store.periods(plan.id).await?;
                let code = periods.iter().find(|p| p.id == head.period_id).map(|p| p.code.clone()).unwrap_or_default();
                let figures = state.published.get(&state.store, &plan, head.id).await?;
                (Some(t.period(&code)), Some(figures.overall.clone()))
            }
            None => (None, None),
        };
        let overall = overall.unwrap_or_else(|| Metrics::compute(&plan.taxonomy(), Vec::new()));
        cards.push(PlanCard {
            title: plan.title(t.is_en()).to_string(),
            kind_label: t.t(&format!("plan_kind.{}", plan.kind)).to_string(),
            dashboard: urls.dashboard(),
            list: urls.commitments(),
            period,
            total: overall.total,
            implementation: overall.implementation.percent(1),
            goal: overall.goal_achievement.percent(1),
            implementation_width: (overall.implementation.fraction() * 100.0).round() as i64,
        });
    }
    Ok(cards)
}

/// One bar segment of the status chart and one row of its table.
pub struct StatusSlice {
    pub key: String,
    pub label: String,
    pub count: i64,
    pub percent: String,
    pub colour: &'static str,
    /// Position and width in the 0–1000 wide SVG.
    pub x: i64,
    pub width: i64,
}

pub struct GroupRow {
    pub name: String,
    /// Bar lengths (0–100) of the implementation and goal-achievement rates.
    pub implementation_width: i64,
    pub goal_width: i64,
    pub total: i64,
    pub implementation: String,
    pub goal: String,
    pub average_progress: String,
}

pub struct TrendRow {
    pub period: String,
    /// `2026-Q2`, for the archive link.
    pub code: String,
    pub implementation: String,
    pub goal: String,
    pub hash: String,
    /// Bar height for the trend chart, 0–100.
    pub implementation_height: i64,
    pub goal_height: i64,
    pub x: i64,
}

#[derive(Template)]
#[template(path = "commitments/plan_dashboard.html")]
struct DashboardPage {
    shell: Shell,
    title: String,
    urls: PlanUrls,
    /// Whether the signed-in person follows the plan (None: not signed in).
    following: Option<bool>,
    /// Empty: the follow form is for the whole plan.
    follow_code: String,
    period_label: Option<String>,
    total: i64,
    implementation: String,
    goal: String,
    average_progress: String,
    budget_secured: String,
    budget_executed: String,
    /// Both amounts exactly, for the headline's `title`.
    budget_exact: String,
    statuses: Vec<StatusSlice>,
    chart_summary: String,
    sectors: Vec<GroupRow>,
    sector_summary: String,
    departments: Vec<GroupRow>,
    trend: Vec<TrendRow>,
}

/// One colour per status in taxonomy order (완료 … 폐기), each with at least 3:1
/// contrast against white, and told apart under protanopia, deuteranopia and
/// tritanopia too (the test simulates them); labels and the table carry the meaning
/// as well. Beyond the standard six, a plan's own statuses take the last two.
const STATUS_COLOURS: [&str; 8] =
    ["#0b50d0", "#1f2b5c", "#2a8e5a", "#d55e00", "#5a3e00", "#b8588f", "#7a3fb0", "#00757f"];

fn status_slices(metrics: &Metrics, taxonomy: &Taxonomy, t: &Tr) -> Vec<StatusSlice> {
    let mut x = 0;
    taxonomy
        .statuses
        .iter()
        .enumerate()
        .map(|(i, def)| {
            let count = metrics.by_status.get(&def.key).copied().unwrap_or(0);
            let width = if metrics.total == 0 { 0 } else { count * 1000 / metrics.total };
            let slice = StatusSlice {
                key: def.key.clone(),
                label: if t.is_en() { def.label_en.clone() } else { def.label_ko.clone() },
                count,
                percent: sotong_core::commitments::Rate { numerator: count, denominator: metrics.total }.percent(1),
                colour: STATUS_COLOURS[i % STATUS_COLOURS.len()],
                x,
                width,
            };
            x += width;
            slice
        })
        .collect()
}

fn group_row(name: String, m: &Metrics) -> GroupRow {
    GroupRow {
        name,
        implementation_width: (m.implementation.fraction() * 100.0).round() as i64,
        goal_width: (m.goal_achievement.fraction() * 100.0).round() as i64,
        total: m.total,
        implementation: m.implementation.percent(1),
        goal: m.goal_achievement.percent(1),
        average_progress: format!("{:.1}", m.average_progress),
    }
}

#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    /// A published period to show instead of the latest (the archive).
    period: Option<String>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    axum::extract::Query(query): axum::extract::Query<PeriodQuery>,
) -> AppResult<Response> {
    let PlanScope { body, roles, plan, .. } = scope;
    let shell = Shell::new(&ctx, "dashboard.title");
    let t = shell.t;
    let taxonomy = plan.taxonomy();
    let heads = state.store.snapshot_heads(plan.id).await?;
    let periods = state.store.periods(plan.id).await?;
    let code_of =
        |period_id: i64| periods.iter().find(|p| p.id == period_id).map(|p| p.code.clone()).unwrap_or_default();
    let mut trend = Vec::with_capacity(heads.len());
    for (i, head) in heads.iter().enumerate() {
        let figures = state.published.get(&state.store, &plan, head.id).await?;
        let (implementation, goal) = (figures.overall.implementation, figures.overall.goal_achievement);
        trend.push(TrendRow {
            code: code_of(head.period_id),
            period: t.period(&code_of(head.period_id)),
            implementation: implementation.percent(1),
            goal: goal.percent(1),
            hash: head.hash.clone(),
            implementation_height: (implementation.fraction() * 100.0).round() as i64,
            goal_height: (goal.fraction() * 100.0).round() as i64,
            x: 40 + i as i64 * 90,
        });
    }
    let title = plan.title(t.is_en()).to_string();
    let latest = match &query.period {
        None => heads.last(),
        Some(raw) => {
            let code = Period::parse(raw).map_err(|e| AppError::Invalid(vec![e]))?.code();
            let period = periods.iter().find(|p| p.code == code).ok_or(AppError::NotFound)?;
            Some(heads.iter().find(|h| h.period_id == period.id).ok_or(AppError::NotFound)?)
        }
    };
    let metrics = match latest {
        Some(head) => Some(state.published.get(&state.store, &plan, head.id).await?),
        None => None,
    };
    let empty = Metrics::compute(&taxonomy, Vec::new());
    let overall = metrics.as_ref().map(|m| &m.overall).unwrap_or(&empty);
    let sectors = match &metrics {
        Some(m) => state
            .store
            .sectors(plan.id)
            .await?
            .into_iter()
            .filter_map(|s| {
                m.by_sector.get(&s.id).map(|sm| group_row(if t.is_en() { s.name_en } else { s.name_ko }, sm))
            })
            .collect(),
        None => Vec::new(),
    };
    let departments = match &metrics {
        Some(m) => state
            .store
            .units(body.id)
            .await?
            .into_iter()
            .filter_map(|u| m.by_department.get(&u.id).map(|dm| group_row(u.name(t.is_en()).to_string(), dm)))
            .collect(),
        None => Vec::new(),
    };
    let sector_summary = t.f1(
        "dashboard.sector_summary",
        sectors.iter().map(|g: &GroupRow| format!("{} {}%", g.name, g.implementation)).collect::<Vec<_>>().join(", "),
    );
    let statuses = status_slices(overall, &taxonomy, &t);
    let chart_summary = t.f(
        "dashboard.chart_summary",
        &[
            &overall.total.to_string(),
            &statuses.iter().map(|s| format!("{} {}", s.label, s.count)).collect::<Vec<_>>().join(", "),
        ],
    );
    let page = DashboardPage {
        period_label: latest.map(|s| t.period(&code_of(s.period_id))),
        total: overall.total,
        implementation: overall.implementation.percent(1),
        goal: overall.goal_achievement.percent(1),
        average_progress: format!("{:.1}", overall.average_progress),
        budget_secured: t.krw_readable(overall.budget_secured),
        budget_executed: t.krw_readable(overall.budget_executed),
        budget_exact: format!("{} / {}", t.krw(overall.budget_executed), t.krw(overall.budget_secured)),
        statuses,
        chart_summary,
        sectors,
        sector_summary,
        departments,
        trend,
        urls: PlanUrls::new(&body, &plan),
        follow_code: String::new(),
        following: match &ctx.user {
            Some(user) => Some(state.store.is_following(user.id, plan.id, None).await?),
            None => None,
        },
        shell: shell
            .with_title(title.clone())
            .with_description(t.f(
                "dashboard.description",
                &[&title, &overall.implementation.percent(1), &overall.goal_achievement.percent(1)],
            ))
            .with_body(BodyNav::new(&body, &roles, &t), "plans")
            .with_breadcrumbs(super::urls::ending_here(super::urls::plan_trail(&body, &plan, &t))),
        title,
    };
    Ok(published_page(&page))
}

#[cfg(test)]
mod palette_tests {
    use super::STATUS_COLOURS;

    /// Machado, Oliveira & Fernandes (2009) simulation matrices at full severity.
    const DEFICIENCIES: [(&str, [[f64; 3]; 3]); 4] = [
        ("typical", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
        (
            "protanopia",
            [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
        ),
        (
            "deuteranopia",
            [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
        ),
        (
            "tritanopia",
            [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
        ),
    ];

    fn linear(hex: &str) -> [f64; 3] {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        [channel(1), channel(3), channel(5)]
    }

    /// CIE L*a*b* (D65) of linear sRGB.
    fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        let x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
        let y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
        let z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
        [116.0 * y - 16.0, 500.0 * (x - y), 200.0 * (y - z)]
    }

    fn seen(hex: &str, m: &[[f64; 3]; 3]) -> [f64; 3] {
        let c = linear(hex);
        lab([0, 1, 2].map(|r| (m[r][0] * c[0] + m[r][1] * c[1] + m[r][2] * c[2]).clamp(0.0, 1.0)))
    }

    fn contrast_on_white(hex: &str) -> f64 {
        let [r, g, b] = linear(hex);
        1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)
    }

    #[test]
    fn the_status_colours_survive_colour_blindness() {
        let standard = &STATUS_COLOURS[..6];
        for colour in STATUS_COLOURS {
            assert!(contrast_on_white(colour) >= 3.0, "{colour} against white");
        }
        for (name, m) in &DEFICIENCIES {
            for (i, a) in standard.iter().enumerate() {
                for b in &standard[i + 1..] {
                    let (la, lb) = (seen(a, m), seen(b, m));
                    let distance = ((la[0] - lb[0]).powi(2) + (la[1] - lb[1]).powi(2) + (la[2] - lb[2]).powi(2)).sqrt();
                    assert!(distance >= 20.0, "{a} and {b} look alike with {name} (ΔE {distance:.1})");
                }
            }
        }
        // The implementation (blue) and goal (green) bars of the rate charts, too.
        for (name, m) in &DEFICIENCIES {
            let (la, lb) = (seen("#0b50d0", m), seen("#2a8e5a", m));
            let distance = ((la[0] - lb[0]).powi(2) + (la[1] - lb[1]).powi(2) + (la[2] - lb[2]).powi(2)).sqrt();
            assert!(distance >= 20.0, "the rate colours with {name} (ΔE {distance:.1})");
        }
    }
}
