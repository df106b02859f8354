//! Public pages of single commitments: the list of a plan's commitments as last
//! published, and each commitment's page with its published history and its decided
//! change requests (조정).

use super::search::{self, ListQuery, Sort};
use super::urls::{plan_trail, PlanUrls};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::files::FileView;
use crate::html::{published_page, BodyNav, FormErrors, Shell};
use crate::i18n::Tr;
use crate::scope::{CodeSegment, PlanScope};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use sotong_core::commitments::published::PublishedItem;
use sotong_core::commitments::Taxonomy;
use sotong_store::orgs::Org;

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
    pub department: String,
    pub status: String,
    pub progress: i64,
}

/// One link of the pager.
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "commitments/commitments.html")]
struct ListPage {
    shell: Shell,
    urls: PlanUrls,
    period_label: Option<String>,
    rows: Vec<ListRow>,
    query: ListQuery,
    errors: FormErrors,
    keyword: String,
    sectors: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    sorts: Vec<(String, String)>,
    result_summary: String,
    filtered: bool,
    pages: Vec<PageLink>,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let PlanScope { body, roles, plan, .. } = scope;
    let shell = Shell::new(&ctx, "commitments.title");
    let t = shell.t;
    let taxonomy = plan.taxonomy();
    let urls = PlanUrls::new(&body, &plan);
    let heads = state.store.snapshot_heads(plan.id).await?;
    let mut lead_ids = std::collections::HashSet::new();
    let (listing, period_label) = match heads.last() {
        Some(latest) => {
            let candidates = search::candidates(&state.store, &plan, latest.id, t.is_en()).await?;
            lead_ids.extend(candidates.iter().map(|c| c.item.lead_department_id));
            let periods = state.store.periods(plan.id).await?;
            let code = periods.iter().find(|p| p.id == latest.period_id).map(|p| p.code.clone()).unwrap_or_default();
            (query.apply(candidates, Some(search::PAGE_SIZE)), Some(t.period(&code)))
        }
        None => (query.apply(Vec::new(), Some(search::PAGE_SIZE)), None),
    };
    let base = urls.commitments();
    let first = (listing.page - 1) * search::PAGE_SIZE + 1;
    let result_summary = if listing.total == 0 {
        t.t("commitments.none_found").to_string()
    } else {
        t.f(
            "commitments.found",
            &[&t.number(listing.total as i64), &first.to_string(), &(first + listing.rows.len() - 1).to_string()],
        )
    };
    let pages = (1..=listing.pages)
        .map(|number| PageLink { number, url: query.url(&base, number), current: number == listing.page })
        .collect();
    let sectors = state
        .store
        .sectors(plan.id)
        .await?
        .into_iter()
        .map(|s| (s.id.to_string(), if t.is_en() { s.name_en } else { s.name_ko }))
        .collect();
    // The departments that lead a published commitment, by name.
    let mut departments: Vec<(String, String)> = state
        .store
        .units(body.id)
        .await?
        .into_iter()
        .filter(|u| lead_ids.contains(&u.id))
        .map(|u| (u.slug.clone(), u.name(t.is_en()).to_string()))
        .collect();
    departments.sort_by(|a, b| a.1.cmp(&b.1));
    let title = t.f1("commitments.title_of", plan.title(t.is_en()));
    let page = ListPage {
        period_label,
        rows: listing
            .rows
            .into_iter()
            .map(|c| ListRow {
                status: status_label(&taxonomy, &c.item.status, &t),
                code: c.item.code,
                title: c.item.title,
                sector: c.sector,
                department: c.department,
                progress: c.item.progress,
            })
            .collect(),
        errors: FormErrors::none(t),
        keyword: query.q.clone().unwrap_or_default(),
        sectors,
        statuses: taxonomy
            .statuses
            .iter()
            .map(|s| (s.key.clone(), if t.is_en() { s.label_en.clone() } else { s.label_ko.clone() }))
            .collect(),
        departments,
        sorts: Sort::ALL
            .iter()
            .map(|s| (s.key().to_string(), t.t(&format!("commitments.sort_{}", s.key())).to_string()))
            .collect(),
        result_summary,
        filtered: query.is_filtered(),
        previous: (listing.page > 1).then(|| query.url(&base, listing.page - 1)),
        next: (listing.page < listing.pages).then(|| query.url(&base, listing.page + 1)),
        pages,
        query,
        urls,
        shell: shell.with_title(title.clone()).with_body(BodyNav::new(&body, &roles, &t), "plans").with_breadcrumbs(
            [plan_trail(&body, &plan, &t), vec![(t.t("commitments.list").to_string(), String::new())]].concat(),
        ),
    };
    Ok(published_page(&page))
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
#[template(path = "commitments/commitment.html")]
struct CommitmentPage {
    shell: Shell,
    urls: PlanUrls,
    /// The commitment the follow form is for.
    follow_code: String,
    following: Option<bool>,
    plan_title: String,
    sector: String,
    department: String,
    department_phone: String,
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
    /// The latest published report, shown first: (period, achievements, problems, next steps).
    latest_report: Option<(String, String, String, String)>,
    /// Published files, newest period first (the commitment's own documents last).
    documents: Vec<FileView>,
    images: Vec<FileView>,
}

/// Every file published with the commitment in any period, once each, newest first.
fn published_files(body: &Org, t: &Tr, published: &[PublishedItem]) -> Vec<FileView> {
    let mut seen = std::collections::HashSet::new();
    let mut files = Vec::new();
    for item in published.iter().rev() {
        for a in &item.attachments {
            if seen.insert(a.sha256.clone()) {
                let mut view = FileView::new(body, t, 0, &a.sha256, &a.name, &a.kind, a.size);
                view.period = a.period.as_deref().map(|p| t.period(p)).unwrap_or_default();
                files.push(view);
            }
        }
    }
    // The commitment's own documents (no period) after the reports' evidence.
    files.sort_by_key(|f| f.period.is_empty());
    files
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
) -> AppResult<Response> {
    let PlanScope { body, roles, plan, .. } = scope;
    let commitment = state.store.commitment_by_code(plan.id, &code).await?.ok_or(AppError::NotFound)?;
    // Only what was published is public: a commitment never published has no page yet.
    let history = state.store.commitment_history(commitment.id).await?;
    let published = history.iter().map(|entry| entry.item()).collect::<Result<Vec<_>, _>>()?;
    let Some(latest) = published.last() else { return Err(AppError::NotFound) };
    let shell = Shell::new(&ctx, "commitments.title");
    let t = shell.t;
    let taxonomy = plan.taxonomy();
    let sectors = state.store.sectors(plan.id).await?;
    let units = state.store.units(body.id).await?;
    let indicators = indicator_views(&history, &published, &t);
    let rows: Vec<HistoryRow> = history
        .iter()
        .zip(&published)
        .enumerate()
        .map(|(i, (entry, item))| {
            let progress = item.progress.clamp(0, 100);
            let report = item.report.as_ref();
            HistoryRow {
                period: t.period(&entry.period_code),
                status: status_label(&taxonomy, &item.status, &t),
                progress,
                achievements: report.map(|r| r.achievements.clone()).unwrap_or_default(),
                next_steps: report.map(|r| r.next_steps.clone()).unwrap_or_default(),
                hash: entry.hash.clone(),
                x: 40 + i as i64 * 70,
                height: progress,
            }
        })
        .collect();
    let chart_summary = t.f1(
        "commitments.chart_summary",
        rows.iter().map(|h| format!("{} {}%", h.period, h.progress)).collect::<Vec<_>>().join(", "),
    );
    let b = latest.budget;
    let budget = [
        (b.national, "budget.national"),
        (b.provincial, "budget.provincial"),
        (b.city, "budget.city"),
        (b.other, "budget.other"),
    ]
    .iter()
    .map(|(amount, label)| (t.t(label).to_string(), t.krw(*amount)))
    .collect();
    // Decided changes and milestones as published with the latest period.
    let details = &latest.details;
    let changes = details
        .changes
        .iter()
        .map(|r| ChangeRow {
            kind: t.t(&format!("change_kind.{}", r.kind)).to_string(),
            decision: t.t(&format!("change_decision.{}", r.decision)).to_string(),
            date: r.decided_at.map(|at| t.date(at)).unwrap_or_default(),
            reason: r.reason.clone(),
            note: r.note.clone(),
        })
        .collect();
    let title = latest.title.clone();
    // The summary when written, else where the commitment stands.
    let standing =
        t.f("commitments.description", &[&status_label(&taxonomy, &latest.status, &t), &latest.progress.to_string()]);
    let description = if latest.summary.trim().is_empty() {
        format!("{} {title}: {standing}", commitment.code)
    } else {
        latest.summary.clone()
    };
    let following = match &ctx.user {
        Some(user) => Some(state.store.is_following(user.id, plan.id, Some(commitment.id)).await?),
        None => None,
    };
    let (images, documents) = published_files(&body, &t, &published).into_iter().partition(|f| f.is_image);
    let latest_report = latest.report.as_ref().filter(|r| !r.achievements.trim().is_empty()).map(|r| {
        let period = history.last().map(|h| t.period(&h.period_code)).unwrap_or_default();
        (period, r.achievements.clone(), r.problems.clone(), r.next_steps.clone())
    });
    let page = CommitmentPage {
        latest_report,
        documents,
        images,
        urls: PlanUrls::new(&body, &plan),
        follow_code: commitment.code.clone(),
        following,
        plan_title: plan.title(t.is_en()).to_string(),
        sector: sectors.iter().find(|s| s.id == latest.sector_id).map(|s| s.name_ko.clone()).unwrap_or_default(),
        department: units
            .iter()
            .find(|u| u.id == latest.lead_department_id)
            .map(|u| u.name(t.is_en()).to_string())
            .unwrap_or_default(),
        department_phone: units
            .iter()
            .find(|u| u.id == latest.lead_department_id)
            .map(|u| u.phone.clone())
            .unwrap_or_default(),
        status: status_label(&taxonomy, &latest.status, &t),
        progress: latest.progress,
        term_target: latest.term_target.clone(),
        summary: latest.summary.clone(),
        collaborators: details
            .collaborators
            .iter()
            .filter_map(|id| units.iter().find(|u| u.id == *id))
            .map(|u| u.name(t.is_en()).to_string())
            .collect(),
        yearly_targets: details.yearly_targets.clone(),
        links: details.links.clone(),
        budget,
        history: rows,
        chart_summary,
        indicators,
        milestones: details
            .milestones
            .iter()
            .map(|m| {
                let state = if m.done_date.is_some() {
                    t.t("commitments.milestone_done")
                } else {
                    t.t("commitments.milestone_planned")
                };
                let date = t.iso_date(m.done_date.as_deref().unwrap_or(&m.due_date));
                (m.title.clone(), date, state.to_string())
            })
            .collect(),
        changes,
        shell: shell
            .with_title(format!("{} {title}", commitment.code))
            .with_description(description)
            .with_body(BodyNav::new(&body, &roles, &t), "plans")
            .with_breadcrumbs(
                [
                    plan_trail(&body, &plan, &t),
                    vec![
                        (t.t("commitments.list").to_string(), PlanUrls::new(&body, &plan).commitments()),
                        (format!("{} {title}", commitment.code), String::new()),
                    ],
                ]
                .concat(),
            ),
    };
    Ok(published_page(&page))
}

/// Each indicator's published actual per period, from the history's snapshot items.
fn indicator_views(
    history: &[sotong_store::commitments::changes::HistoryEntry],
    published: &[sotong_core::commitments::published::PublishedItem],
    t: &Tr,
) -> Vec<IndicatorView> {
    let mut views: Vec<IndicatorView> = Vec::new();
    for (entry, item) in history.iter().zip(published) {
        for indicator in &item.indicators {
            let actual = indicator.actual.clone().unwrap_or_default();
            let target_f = indicator.target.parse::<f64>().unwrap_or(0.0);
            let actual_f = actual.parse::<f64>().unwrap_or(0.0);
            let height =
                if target_f > 0.0 { ((actual_f / target_f) * 100.0).clamp(0.0, 100.0).round() as i64 } else { 0 };
            let label = t.period(&entry.period_code);
            match views.iter_mut().find(|v| v.name == indicator.name) {
                Some(view) => view.points.push((label, t.decimal(&actual), height)),
                None => views.push(IndicatorView {
                    unit: indicator.unit.clone(),
                    target: t.decimal(&indicator.target),
                    points: vec![(label, t.decimal(&actual), height)],
                    summary: String::new(),
                    name: indicator.name.clone(),
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
