//! The reporting workflow in the back office: the overview of a plan's open period
//! (what is missing, by department), the officer's report form, the coordinator's
//! review, and closing the period.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::{ok, render, BodyNav, FormErrors, Shell};
use crate::i18n::Tr;
use crate::scope::{CodeAndIdSegments, CodeSegment, PlanScope};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::commitments::period::Period;
use sotong_core::commitments::states::ReportState;
use sotong_core::role::{Permission, RoleSet};
use sotong_core::FieldError;
use sotong_store::commitments::plans::{Commitment, Plan};
use sotong_store::commitments::reports::{ProgressReport, ReportInput, ReportingPeriod};
use sotong_store::orgs::Org;
use sotong_store::StoreError;

/// Who may do what with the reports of one plan.
struct Access {
    body: Org,
    roles: RoleSet,
    plan: Plan,
    can_review: bool,
}

impl Access {
    /// A page of the plan's reporting workflow: `/{body}/staff/plans/{plan}{rest}`.
    fn url(&self, rest: &str) -> String {
        format!("/{}/staff/plans/{}{rest}", self.body.slug, self.plan.slug)
    }

    /// Reporting is for the commitment's lead department (`RoleSet::allows_in`).
    fn may_report_for(&self, c: &Commitment) -> bool {
        self.roles.allows_in(Permission::ReportProgress, c.lead_department_id)
    }
}

/// The reporting pages are for staff who report or review.
fn access(scope: PlanScope) -> AppResult<Access> {
    scope.require(Permission::UseStaffWorkspace)?;
    let PlanScope { body, roles, plan, .. } = scope;
    let can_review = roles.allows(Permission::ReviewReports);
    if !roles.allows(Permission::ReportProgress) && !can_review {
        return Err(AppError::Forbidden);
    }
    Ok(Access { body, roles, plan, can_review })
}

fn current_period(periods: &[ReportingPeriod]) -> Option<&ReportingPeriod> {
    periods.iter().filter(|p| p.is_open()).min_by(|a, b| a.code.cmp(&b.code))
}

fn period_label(code: &str, t: &Tr) -> String {
    Period::parse(code)
        .map(|p| if t.is_en() { p.label_en() } else { p.label_ko() })
        .unwrap_or_else(|_| code.to_string())
}

pub struct OverviewRow {
    pub code: String,
    pub title: String,
    pub department: String,
    pub state_key: String,
    pub state_label: String,
    pub may_edit: bool,
}

pub struct MissingRow {
    pub department: String,
    pub missing: usize,
    pub total: usize,
}

#[derive(Template)]
#[template(path = "commitments/staff_plan.html")]
struct OverviewPage {
    shell: Shell,
    plan_slug: String,
    period_label: Option<String>,
    due_date: String,
    rows: Vec<OverviewRow>,
    missing: Vec<MissingRow>,
    can_review: bool,
    can_import: bool,
    approved: usize,
    total: usize,
}

fn state_label(t: &Tr, report: Option<&ProgressReport>) -> (String, String) {
    let key = report.map(|r| r.state.as_str()).unwrap_or("missing");
    (key.to_string(), t.t(&format!("report_state.{key}")).to_string())
}

pub async fn overview(State(state): State<AppState>, ctx: Ctx, scope: PlanScope) -> AppResult<Response> {
    let a = access(scope)?;
    let shell = Shell::new(&ctx, "reports.title");
    let t = shell.t;
    let periods = state.store.periods(a.plan.id).await?;
    let period = current_period(&periods).cloned();
    let commitments = state.store.commitments(a.plan.id).await?;
    let reports = match &period {
        Some(p) => state.store.reports(p.id).await?,
        None => Vec::new(),
    };
    let units = state.store.units(a.body.id).await?;
    let unit_name =
        |id: i64| units.iter().find(|u| u.id == id).map(|u| u.name(t.is_en()).to_string()).unwrap_or_default();
    let visible: Vec<&Commitment> = commitments.iter().filter(|c| a.can_review || a.may_report_for(c)).collect();
    let report_of = |c: &Commitment| reports.iter().find(|r| r.commitment_id == c.id);
    let rows = visible
        .iter()
        .map(|c| {
            let (state_key, state_label) = state_label(&t, report_of(c));
            OverviewRow {
                code: c.code.clone(),
                title: c.title.clone(),
                department: unit_name(c.lead_department_id),
                state_key,
                state_label,
                may_edit: a.may_report_for(c) || a.can_review,
            }
        })
        .collect();
    // Not yet submitted (missing, draft or returned), per lead department.
    let mut missing: Vec<MissingRow> = Vec::new();
    for c in &visible {
        let pending = report_of(c).is_none_or(|r| r.state.editable());
        let name = unit_name(c.lead_department_id);
        match missing.iter_mut().find(|m| m.department == name) {
            Some(row) => {
                row.total += 1;
                row.missing += usize::from(pending);
            }
            None => missing.push(MissingRow { department: name, missing: usize::from(pending), total: 1 }),
        }
    }
    missing.retain(|m| m.missing > 0);
    missing.sort_by(|x, y| y.missing.cmp(&x.missing).then(x.department.cmp(&y.department)));
    let approved = visible.iter().filter(|c| report_of(c).is_some_and(|r| r.state == ReportState::Approved)).count();
    let plan_title = if t.is_en() { a.plan.title_en.clone() } else { a.plan.title_ko.clone() };
    let page = OverviewPage {
        plan_slug: a.plan.slug.clone(),
        period_label: period.as_ref().map(|p| period_label(&p.code, &t)),
        due_date: period.as_ref().map(|p| p.due_date.clone()).unwrap_or_default(),
        total: visible.len(),
        approved,
        rows,
        missing,
        can_review: a.can_review,
        can_import: a.roles.allows(Permission::ManagePlans),
        shell: shell
            .with_title(t.f1("reports.title_of", &plan_title))
            .with_body(BodyNav::new(&a.body, &a.roles, &t), "staff"),
    };
    Ok(ok(&page))
}

#[derive(Template)]
#[template(path = "commitments/report_form.html")]
struct ReportPage {
    shell: Shell,
    plan_slug: String,
    commitment: Commitment,
    period_label: String,
    state_key: String,
    state_label: String,
    review_comment: String,
    form: ReportForm,
    /// (field, value) of the numeric and the free-text inputs, in display order.
    number_fields: Vec<(&'static str, String)>,
    text_fields: Vec<(&'static str, String)>,
    statuses: Vec<(String, String)>,
    errors: FormErrors,
    may_edit: bool,
    may_review: bool,
    /// Change requests of this commitment, newest last.
    changes: Vec<ChangeView>,
    change_kinds: Vec<(&'static str, String)>,
    may_request_change: bool,
    may_decide: bool,
    /// (input name, label, value) of each indicator's actual for this period.
    indicator_fields: Vec<(String, String, String)>,
    may_define: bool,
    /// The indicator definition inputs: (field, whether it takes a number).
    define_fields: Vec<(&'static str, bool)>,
}

pub struct ChangeView {
    pub id: i64,
    pub kind: String,
    pub reason: String,
    pub decision_key: String,
    pub decision: String,
    pub note: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ReportForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub achievements: String,
    #[serde(default)]
    pub problems: String,
    #[serde(default)]
    pub next_steps: String,
    #[serde(default)]
    pub budget_executed: String,
    #[serde(default)]
    pub links: String,
    /// `draft` or `submit`.
    #[serde(default)]
    pub action: String,
    /// `actual_<indicator id>` → this period's actual value of that indicator.
    #[serde(flatten)]
    pub actuals: std::collections::HashMap<String, String>,
}

impl ReportForm {
    fn from_report(report: Option<&ProgressReport>, c: &Commitment) -> ReportForm {
        match report {
            Some(r) => ReportForm {
                status: r.status.clone(),
                progress: r.progress.to_string(),
                achievements: r.achievements.clone(),
                problems: r.problems.clone(),
                next_steps: r.next_steps.clone(),
                budget_executed: r.budget_executed.to_string(),
                links: r.links.clone(),
                action: String::new(),
                actuals: Default::default(),
            },
            None => ReportForm { status: c.status.clone(), progress: c.progress.to_string(), ..Default::default() },
        }
    }

    /// The report with the actuals entered for `indicators` (blank ones left alone).
    fn parse(
        &self,
        indicators: &[sotong_store::commitments::indicators::Indicator],
    ) -> Result<ReportInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut actuals = Vec::new();
        for indicator in indicators {
            let Some(raw) = self.actuals.get(&format!("actual_{}", indicator.id)).filter(|v| !v.trim().is_empty())
            else {
                continue;
            };
            match sotong_store::commitments::indicators::parse_value("actual", raw) {
                Ok(_) => actuals.push((indicator.clone(), raw.clone())),
                Err(error) => errors.push(error),
            }
        }
        let progress = self.progress.trim().trim_end_matches('%').parse::<i64>().ok().filter(|p| (0..=100).contains(p));
        if progress.is_none() {
            errors.push(FieldError::new("progress", "invalid_progress"));
        }
        let budget = sotong_exchange::commitments_csv::parse_krw(&self.budget_executed);
        if budget.is_none() {
            errors.push(FieldError::new("budget_executed", "invalid_amount"));
        }
        for (field, value, max) in [
            ("achievements", &self.achievements, 4000),
            ("problems", &self.problems, 4000),
            ("next_steps", &self.next_steps, 4000),
            ("links", &self.links, 2000),
        ] {
            if value.chars().count() > max {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        if self.action == "submit" && self.achievements.trim().is_empty() {
            errors.push(FieldError::new("achievements", "required"));
        }
        match (progress, budget) {
            (Some(progress), Some(budget_executed)) if errors.is_empty() => Ok(ReportInput {
                status: self.status.trim().to_string(),
                progress,
                achievements: self.achievements.trim().to_string(),
                problems: self.problems.trim().to_string(),
                next_steps: self.next_steps.trim().to_string(),
                budget_executed,
                links: self.links.trim().to_string(),
                actuals,
            }),
            _ => Err(errors),
        }
    }
}

struct ReportContext {
    a: Access,
    commitment: Commitment,
    period: ReportingPeriod,
    report: Option<ProgressReport>,
    changes: Vec<sotong_store::commitments::changes::ChangeRequest>,
    indicators: Vec<sotong_store::commitments::indicators::Indicator>,
    /// indicator id → actual recorded for the open period.
    actuals: std::collections::HashMap<i64, String>,
}

async fn report_context(state: &AppState, scope: PlanScope, code: &str) -> AppResult<ReportContext> {
    let a = access(scope)?;
    let commitment = state.store.commitment_by_code(a.plan.id, code).await?.ok_or(AppError::NotFound)?;
    if !a.can_review && !a.may_report_for(&commitment) {
        return Err(AppError::Forbidden);
    }
    let periods = state.store.periods(a.plan.id).await?;
    let period = current_period(&periods).cloned().ok_or(AppError::NotFound)?;
    let report = state.store.reports(period.id).await?.into_iter().find(|r| r.commitment_id == commitment.id);
    let changes = state.store.change_requests(commitment.id).await?;
    let indicators = state.store.indicators(commitment.id).await?;
    let actuals = state
        .store
        .indicator_actuals(commitment.id)
        .await?
        .into_iter()
        .filter(|a| a.period_id == period.id)
        .map(|a| (a.indicator_id, a.value))
        .collect();
    Ok(ReportContext { a, commitment, period, report, changes, indicators, actuals })
}

fn report_page(ctx: &Ctx, rc: ReportContext, form: Option<ReportForm>, errors: Vec<FieldError>) -> Response {
    let shell = Shell::new(ctx, "reports.form_title");
    let t = shell.t;
    let (state_key, state_label) = state_label(&t, rc.report.as_ref());
    let state = rc.report.as_ref().map(|r| r.state);
    let editable_state = state.is_none_or(ReportState::editable);
    let taxonomy = rc.a.plan.taxonomy();
    let form = form.unwrap_or_else(|| ReportForm::from_report(rc.report.as_ref(), &rc.commitment));
    let indicator_fields = rc
        .indicators
        .iter()
        .map(|i| {
            let name = format!("actual_{}", i.id);
            let value = form.actuals.get(&name).cloned().or_else(|| rc.actuals.get(&i.id).cloned()).unwrap_or_default();
            (name, t.f("reports.indicator_label", &[&i.name, &i.target_value, &i.unit]), value)
        })
        .collect();
    let page = ReportPage {
        plan_slug: rc.a.plan.slug.clone(),
        period_label: period_label(&rc.period.code, &t),
        review_comment: rc.report.as_ref().map(|r| r.review_comment.clone()).unwrap_or_default(),
        number_fields: vec![("progress", form.progress.clone()), ("budget_executed", form.budget_executed.clone())],
        text_fields: vec![
            ("achievements", form.achievements.clone()),
            ("problems", form.problems.clone()),
            ("next_steps", form.next_steps.clone()),
            ("links", form.links.clone()),
        ],
        form,
        statuses: taxonomy
            .statuses
            .iter()
            .map(|s| (s.key.clone(), if t.is_en() { s.label_en.clone() } else { s.label_ko.clone() }))
            .collect(),
        errors: FormErrors::new(t, errors),
        may_edit: rc.a.may_report_for(&rc.commitment) && editable_state,
        may_review: rc.a.can_review && state == Some(ReportState::Submitted),
        changes: rc
            .changes
            .iter()
            .map(|c| ChangeView {
                id: c.id,
                kind: t.t(&format!("change_kind.{}", c.kind)).to_string(),
                reason: c.reason.clone(),
                decision_key: c.decision.to_string(),
                decision: t.t(&format!("change_decision.{}", c.decision)).to_string(),
                note: c.decision_note.clone(),
            })
            .collect(),
        change_kinds: sotong_store::commitments::changes::CHANGE_KINDS
            .iter()
            .map(|k| (*k, t.t(&format!("change_kind.{k}")).to_string()))
            .collect(),
        may_request_change: rc.a.may_report_for(&rc.commitment),
        may_decide: rc.a.can_review,
        indicator_fields,
        may_define: rc.a.roles.allows(Permission::ManagePlans),
        define_fields: vec![("indicator_name", false), ("unit", false), ("target_value", true)],
        state_key,
        state_label,
        shell: shell
            .with_title(format!("{} {}", rc.commitment.code, rc.commitment.title))
            .with_body(BodyNav::new(&rc.a.body, &rc.a.roles, &t), "staff"),
        commitment: rc.commitment,
    };
    render(page.errors.status(), &page)
}

pub async fn report_form(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
) -> AppResult<Response> {
    let rc = report_context(&state, scope, &code).await?;
    Ok(report_page(&ctx, rc, None, Vec::new()))
}

pub async fn save_report(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    let rc = report_context(&state, scope, &code).await?;
    if !rc.a.may_report_for(&rc.commitment) {
        return Err(AppError::Forbidden);
    }
    // The report and its actuals are saved together, or (a bad value, a locked report)
    // not at all.
    let input = match form.parse(&rc.indicators) {
        Ok(input) => input,
        Err(errors) => return Ok(report_page(&ctx, rc, Some(form), errors)),
    };
    let submit = form.action == "submit";
    match state.store.save_report(&ctx.actor(), &rc.a.plan, &rc.commitment, &rc.period, &input, submit).await {
        Ok(_) => Ok(Redirect::to(&rc.a.url(&format!("/reports/{code}"))).into_response()),
        Err(StoreError::Invalid(error)) => Ok(report_page(&ctx, rc, Some(form), vec![error])),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    review_comment: String,
}

pub async fn review_report(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let rc = report_context(&state, scope, &code).await?;
    if !rc.a.can_review {
        return Err(AppError::Forbidden);
    }
    let report_id = rc.report.as_ref().map(|r| r.id).ok_or(AppError::NotFound)?;
    let approve = form.decision == "approve";
    match state.store.review_report(&ctx.actor(), &rc.a.plan, report_id, approve, &form.review_comment).await {
        Ok(_) => Ok(Redirect::to(&rc.a.url("")).into_response()),
        Err(StoreError::Invalid(error)) => Ok(report_page(&ctx, rc, None, vec![error])),
        Err(other) => Err(other.into()),
    }
}

pub async fn close_period(State(state): State<AppState>, ctx: Ctx, scope: PlanScope) -> AppResult<Response> {
    let a = access(scope)?;
    if !a.can_review {
        return Err(AppError::Forbidden);
    }
    let periods = state.store.periods(a.plan.id).await?;
    let period = current_period(&periods).cloned().ok_or(AppError::NotFound)?;
    state.store.close_period(&ctx.actor(), &a.plan, &period).await?;
    // To the public dashboard, where the published quarter now shows.
    Ok(Redirect::to(&format!("/{}/plans/{}", a.body.slug, a.plan.slug)).into_response())
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
}

/// An officer asks to modify, hold or abandon one of their department's commitments.
pub async fn request_change(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    Form(form): Form<ChangeForm>,
) -> AppResult<Response> {
    let rc = report_context(&state, scope, &code).await?;
    if !rc.a.may_report_for(&rc.commitment) {
        return Err(AppError::Forbidden);
    }
    match state.store.request_change(&ctx.actor(), &rc.a.plan, &rc.commitment, &form.kind, &form.reason).await {
        Ok(_) => Ok(Redirect::to(&rc.a.url(&format!("/reports/{code}"))).into_response()),
        Err(StoreError::Invalid(error)) => Ok(report_page(&ctx, rc, None, vec![error])),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    decision_note: String,
}

/// The coordinator approves or rejects a change request, with a recorded note.
pub async fn decide_change(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeAndIdSegments { code, id }): Path<CodeAndIdSegments>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let rc = report_context(&state, scope, &code).await?;
    if !rc.a.can_review {
        return Err(AppError::Forbidden);
    }
    if !rc.changes.iter().any(|c| c.id == id) {
        return Err(AppError::NotFound);
    }
    let approve = form.decision == "approve";
    match state.store.decide_change(&ctx.actor(), &rc.a.plan, id, approve, &form.decision_note).await {
        Ok(_) => Ok(Redirect::to(&rc.a.url(&format!("/reports/{code}"))).into_response()),
        Err(StoreError::Invalid(error)) => Ok(report_page(&ctx, rc, None, vec![error])),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct IndicatorForm {
    #[serde(default)]
    indicator_name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    target_value: String,
}

/// A coordinator defines an indicator of a commitment (name, unit, target).
pub async fn add_indicator(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    Form(form): Form<IndicatorForm>,
) -> AppResult<Response> {
    let rc = report_context(&state, scope, &code).await?;
    if !rc.a.roles.allows(Permission::ManagePlans) {
        return Err(AppError::Forbidden);
    }
    let result = state
        .store
        .add_indicator(&ctx.actor(), &rc.a.plan, &rc.commitment, &form.indicator_name, &form.unit, &form.target_value)
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&rc.a.url(&format!("/reports/{code}"))).into_response()),
        Err(StoreError::Invalid(error)) => Ok(report_page(&ctx, rc, None, vec![error])),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct MilestoneForm {
    #[serde(default)]
    milestone_title: String,
    #[serde(default)]
    due_date: String,
}

/// A coordinator adds a milestone (title and planned date) to a commitment.
pub async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    Form(form): Form<MilestoneForm>,
) -> AppResult<Response> {
    let rc = report_context(&state, scope, &code).await?;
    if !rc.a.roles.allows(Permission::ManagePlans) {
        return Err(AppError::Forbidden);
    }
    let Some(due) = sotong_exchange::commitments_csv::parse_date(&form.due_date) else {
        return Ok(report_page(&ctx, rc, None, vec![FieldError::new("due_date", "invalid_date")]));
    };
    match state.store.add_milestone(&ctx.actor(), &rc.a.plan, &rc.commitment, &form.milestone_title, &due, None).await {
        Ok(_) => Ok(Redirect::to(&rc.a.url(&format!("/reports/{code}"))).into_response()),
        Err(StoreError::Invalid(error)) => Ok(report_page(&ctx, rc, None, vec![error])),
        Err(other) => Err(other.into()),
    }
}
