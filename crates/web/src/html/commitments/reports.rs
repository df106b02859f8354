//! The reporting workflow in the back office: the overview of a plan's open period
//! (what is missing, by department), the officer's report form, the coordinator's
//! review, and closing the period.

use super::urls::PlanUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::files::{FileView, FilesPart};
use crate::html::{ok, render, BodyNav, FormErrors, Shell};
use crate::i18n::Tr;
use crate::scope::{CodeAndIdSegments, CodeSegment, PlanScope};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::commitments::report::{ReportFields, ReportInput};
use sotong_core::commitments::states::{ChangeDecision, ChangeKind, ReportState};
use sotong_core::role::{Permission, RoleSet};
use sotong_core::FieldError;
use sotong_store::commitments::plans::{Commitment, Plan};
use sotong_store::commitments::reports::{ProgressReport, ReportingPeriod};
use sotong_store::orgs::Org;
use sotong_store::StoreError;

/// Who may do what with the reports of one plan.
pub(super) struct Access {
    body: Org,
    roles: RoleSet,
    pub(super) plan: Plan,
    can_review: bool,
}

impl Access {
    pub(super) fn urls(&self) -> PlanUrls {
        PlanUrls::new(&self.body, &self.plan)
    }

    /// Reporting is for the commitment's lead department (`RoleSet::allows_in`).
    pub(super) fn may_report_for(&self, c: &Commitment) -> bool {
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
    urls: PlanUrls,
    period_label: Option<String>,
    due_date: String,
    rows: Vec<OverviewRow>,
    missing: Vec<MissingRow>,
    can_review: bool,
    can_import: bool,
    approved: usize,
    total: usize,
    d_day: String,
    overdue: bool,
    /// The state filters: (label, link, chosen).
    filters: Vec<(String, String, bool)>,
    /// With no open period, the coordinator's form to open the next: (period, due
    /// date) offered or as typed, and its error.
    open_form: Option<(String, String)>,
    open_errors: FormErrors,
}

fn state_label(t: &Tr, report: Option<&ProgressReport>) -> (String, String) {
    let key = report.map(|r| r.state.as_str()).unwrap_or("missing");
    (key.to_string(), t.t(&format!("report_state.{key}")).to_string())
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    /// Only reports in this state: `todo` (missing, draft or returned), `missing`,
    /// `draft`, `returned`, `submitted`, `approved`.
    state: Option<String>,
    /// The open-a-period form sent back with its error and what was typed.
    open_error: Option<String>,
    period: Option<String>,
    due_date: Option<String>,
}

/// The coordinator's pages of a plan (reviewing, opening and closing periods).
pub(super) fn access_for_review(scope: PlanScope) -> AppResult<Access> {
    let a = access(scope)?;
    if !a.can_review {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

/// An error code sent back in a URL, as one of the codes the catalogue knows.
fn known_code(code: &str) -> &'static str {
    ["invalid_period", "invalid_date", "period_exists", "wrong_cadence"]
        .into_iter()
        .find(|c| *c == code)
        .unwrap_or("invalid_period")
}

fn state_filter_admits(filter: Option<&str>, state_key: &str) -> bool {
    match filter.filter(|f| !f.is_empty()) {
        None => true,
        Some("todo") => matches!(state_key, "missing" | "draft" | "returned"),
        Some(only) => only == state_key,
    }
}

pub async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    axum::extract::Query(query): axum::extract::Query<OverviewQuery>,
) -> AppResult<Response> {
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
        .filter(|c| state_filter_admits(query.state.as_deref(), &state_label(&t, report_of(c)).0))
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
    let plan_title = a.plan.title(t.is_en()).to_string();
    let days = period.as_ref().and_then(|p| sotong_core::format::days_until(&p.due_date, sotong_store::now()));
    let chosen = query.state.clone().unwrap_or_default();
    let filters = ["", "todo", "returned", "submitted", "approved"]
        .iter()
        .map(|key| {
            let url = if key.is_empty() { a.urls().staff() } else { format!("{}?state={key}", a.urls().staff()) };
            (t.t(&format!("todo.filter_{}", if key.is_empty() { "all" } else { key })).to_string(), url, chosen == *key)
        })
        .collect();
    let open_form = (period.is_none() && a.can_review).then(|| {
        let (code, due) = super::periods::suggestion(&periods, a.plan.cadence());
        (query.period.clone().unwrap_or(code), query.due_date.clone().unwrap_or(due))
    });
    let open_errors = match query.open_error.as_deref() {
        Some(code) => {
            let field = if code == "invalid_date" { "due_date" } else { "period" };
            FormErrors::new(t, vec![FieldError::new(field, known_code(code))])
        }
        None => FormErrors::none(t),
    };
    let page = OverviewPage {
        open_form,
        open_errors,
        d_day: days.map(|d| sotong_core::format::d_day(d, t.lang)).unwrap_or_default(),
        overdue: days.is_some_and(|d| d < 0),
        filters,
        urls: a.urls(),
        period_label: period.as_ref().map(|p| t.period(&p.code)),
        due_date: period.as_ref().map(|p| t.iso_date(&p.due_date)).unwrap_or_default(),
        total: visible.len(),
        approved,
        rows,
        missing,
        can_review: a.can_review,
        can_import: a.roles.allows(Permission::ManagePlans),
        shell: shell
            .with_title(t.f1("reports.title_of", &plan_title))
            .with_body(BodyNav::new(&a.body, &a.roles, &t), "staff")
            .with_breadcrumbs(super::urls::ending_here(super::urls::staff_trail(&a.body, &a.plan, &t))),
    };
    Ok(ok(&page))
}

#[derive(Template)]
#[template(path = "commitments/report_form.html")]
struct ReportPage {
    shell: Shell,
    urls: PlanUrls,
    commitment: Commitment,
    period_label: String,
    state_key: String,
    state_label: String,
    review_comment: String,
    form: ReportForm,
    /// The free-text inputs, in display order: (field, value).
    text_fields: Vec<(&'static str, String)>,
    /// (input name, label, value) of each indicator's actual for this period.
    indicator_fields: Vec<(String, String, String)>,
    statuses: Vec<(String, String)>,
    /// Every error of the submitted form, for the summary at the top.
    errors: FormErrors,
    may_edit: bool,
    may_define: bool,
    /// Change requests of this commitment, newest last, each with its decision form
    /// for a coordinator while pending.
    changes: Vec<ChangeView>,
    /// The sub-forms, each its own template (a failed one keeps what was typed).
    review_form: Option<ReviewPart>,
    change_form: Option<ChangePart>,
    define_forms: Option<(IndicatorPart, MilestonePart)>,
    /// The report's files, with the upload form while the report can be edited.
    files: FilesPart,
    /// Last published period's values beside this report's (for the review).
    previous: Option<PreviousView>,
}

/// The last published period of the commitment against this report, field by field.
pub struct PreviousView {
    pub period: String,
    /// (label, last published value, this report's value, whether it changed)
    pub rows: Vec<(String, String, String, bool)>,
}

pub struct ChangeView {
    pub kind: String,
    pub reason: String,
    pub decision_key: String,
    pub decision: String,
    pub note: String,
    decide_form: Option<DecisionPart>,
}

/// What every sub-form partial needs: where it posts, the CSRF token, the language
/// and its own errors (so a failed sub-form shows its errors beside its fields only).
pub struct Part {
    t: Tr,
    csrf: String,
    action: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "commitments/_review_form.html")]
pub struct ReviewPart {
    part: Part,
    form: ReviewForm,
}

#[derive(Template)]
#[template(path = "commitments/_change_form.html")]
pub struct ChangePart {
    part: Part,
    form: ChangeForm,
    kinds: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "commitments/_decision_form.html")]
pub struct DecisionPart {
    part: Part,
    form: DecisionForm,
    /// Several pending requests share the page: ids end in `-{change id}`.
    suffix: String,
}

#[derive(Template)]
#[template(path = "commitments/_indicator_form.html")]
pub struct IndicatorPart {
    part: Part,
    form: IndicatorForm,
}

#[derive(Template)]
#[template(path = "commitments/_milestone_form.html")]
pub struct MilestonePart {
    part: Part,
    form: MilestoneForm,
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
                budget_executed: sotong_core::format::group_thousands(r.budget_executed),
                links: r.links.clone(),
                action: String::new(),
                actuals: Default::default(),
            },
            None => ReportForm { status: c.status.clone(), progress: c.progress.to_string(), ..Default::default() },
        }
    }

    /// The report with the actuals entered for `indicators` (blank ones left alone),
    /// checked by core (`ReportInput::parse`): every invalid field at once.
    fn parse(
        &self,
        plan: &Plan,
        indicators: &[sotong_store::commitments::indicators::Indicator],
    ) -> Result<ReportInput, Vec<FieldError>> {
        let actuals = indicators
            .iter()
            .filter_map(|i| {
                let raw = self.actuals.get(&format!("actual_{}", i.id)).filter(|v| !v.trim().is_empty())?;
                Some((i.id, raw.as_str()))
            })
            .collect();
        let fields = ReportFields {
            status: &self.status,
            progress: &self.progress,
            achievements: &self.achievements,
            problems: &self.problems,
            next_steps: &self.next_steps,
            budget_executed: &self.budget_executed,
            links: &self.links,
            actuals,
            submit: self.action == "submit",
        };
        ReportInput::parse(plan.taxonomy(), &fields)
    }
}

/// The commitment a report action is about, with what the visitor may do: all a
/// POST loads before it writes (the scope's lookups and one query). The rest of the
/// page is loaded only when the page is shown.
pub(super) struct Target {
    pub(super) a: Access,
    pub(super) commitment: Commitment,
}

pub(super) async fn target(state: &AppState, scope: PlanScope, code: &str) -> AppResult<Target> {
    let a = access(scope)?;
    let commitment = state.store.commitment_by_code(a.plan.id, code).await?.ok_or(AppError::NotFound)?;
    if !a.can_review && !a.may_report_for(&commitment) {
        return Err(AppError::Forbidden);
    }
    Ok(Target { a, commitment })
}

/// The plan's open period (the earliest, should several be open).
pub(super) async fn open_period(state: &AppState, plan: &Plan) -> AppResult<ReportingPeriod> {
    let periods = state.store.periods(plan.id).await?;
    current_period(&periods).cloned().ok_or(AppError::NotFound)
}

/// What the person typed into the one sub-form that failed, shown again with its
/// errors; the other sub-forms start empty.
pub(super) enum Typed {
    Nothing,
    Upload,
    Report(ReportForm),
    Review(ReviewForm),
    Change(ChangeForm),
    Decision(i64, DecisionForm),
    Indicator(IndicatorForm),
    Milestone(MilestoneForm),
}

/// [`Typed`] as one slot per sub-form, at most one of them filled.
#[derive(Default)]
struct TypedForms {
    report: Option<ReportForm>,
    review: Option<ReviewForm>,
    change: Option<ChangeForm>,
    decision: Option<(i64, DecisionForm)>,
    indicator: Option<IndicatorForm>,
    milestone: Option<MilestoneForm>,
    upload: bool,
}

impl From<Typed> for TypedForms {
    fn from(typed: Typed) -> TypedForms {
        let mut forms = TypedForms::default();
        match typed {
            Typed::Nothing => {}
            Typed::Upload => forms.upload = true,
            Typed::Report(form) => forms.report = Some(form),
            Typed::Review(form) => forms.review = Some(form),
            Typed::Change(form) => forms.change = Some(form),
            Typed::Decision(id, form) => forms.decision = Some((id, form)),
            Typed::Indicator(form) => forms.indicator = Some(form),
            Typed::Milestone(form) => forms.milestone = Some(form),
        }
        forms
    }
}

/// A sub-form's input: what was typed when it is the one that failed (then its
/// errors are shown beside it), else empty.
fn own_or_empty<T: Default>(typed: Option<T>) -> (bool, T) {
    (typed.is_some(), typed.unwrap_or_default())
}

/// The report page, loaded for showing: the open period, this commitment's report,
/// change requests, indicators and this period's actuals.
pub(super) async fn report_page(
    state: &AppState,
    ctx: &Ctx,
    target: Target,
    typed: Typed,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let Target { a, commitment } = target;
    let period = open_period(state, &a.plan).await?;
    let (page, attachments, history) = tokio::try_join!(
        state.store.report_page(&commitment, &period),
        state.store.attachments(commitment.id, Some(period.id)),
        state.store.commitment_history(commitment.id),
    )?;
    let shell = Shell::new(ctx, "reports.form_title");
    let t = shell.t;
    let (state_key, state_label) = state_label(&t, page.report.as_ref());
    let report_state = page.report.as_ref().map(|r| r.state);
    let urls = a.urls();
    let code = commitment.code.as_str();
    let part = |action: String, own: bool| Part {
        t,
        csrf: shell.csrf.clone(),
        action,
        errors: FormErrors::new(t, if own { errors.clone() } else { Vec::new() }),
    };
    let typed = TypedForms::from(typed);
    let form = typed.report.unwrap_or_else(|| ReportForm::from_report(page.report.as_ref(), &commitment));
    let indicator_fields = page
        .indicators
        .iter()
        .map(|i| {
            let name = format!("actual_{}", i.id);
            let typed_value = form.actuals.get(&name).cloned();
            let value = typed_value.or_else(|| page.actuals.get(&i.id).cloned()).unwrap_or_default();
            (name, t.f("reports.indicator_label", &[&i.name, &t.decimal(&i.target_value), &i.unit]), value)
        })
        .collect();
    let review_form = (a.can_review && report_state == Some(ReportState::Submitted)).then(|| {
        let (own, form) = own_or_empty(typed.review);
        ReviewPart { part: part(urls.report_action(code, "review"), own), form }
    });
    let may_report = a.may_report_for(&commitment);
    let change_form = may_report.then(|| {
        let (own, form) = own_or_empty(typed.change);
        let kinds =
            ChangeKind::ALL.iter().map(|k| (k.as_str(), t.t(&format!("change_kind.{k}")).to_string())).collect();
        ChangePart { part: part(urls.report_action(code, "changes"), own), form, kinds }
    });
    let may_define = a.roles.allows(Permission::ManagePlans);
    let define_forms = may_define.then(|| {
        let (indicator_own, indicator) = own_or_empty(typed.indicator);
        let (milestone_own, milestone) = own_or_empty(typed.milestone);
        (
            IndicatorPart { part: part(urls.report_action(code, "indicators"), indicator_own), form: indicator },
            MilestonePart { part: part(urls.report_action(code, "milestones"), milestone_own), form: milestone },
        )
    });
    let changes = page
        .changes
        .iter()
        .map(|c| {
            let decide_form = (a.can_review && c.decision == ChangeDecision::Pending).then(|| {
                let typed_here = typed.decision.as_ref().filter(|(id, _)| *id == c.id);
                let (own, form) = own_or_empty(typed_here.map(|(_, form)| form.clone()));
                DecisionPart { part: part(urls.decide_change(code, &c.id), own), form, suffix: format!("-{}", c.id) }
            });
            ChangeView {
                kind: t.t(&format!("change_kind.{}", c.kind)).to_string(),
                reason: c.reason.clone(),
                decision_key: c.decision.to_string(),
                decision: t.t(&format!("change_decision.{}", c.decision)).to_string(),
                note: c.decision_note.clone(),
                decide_form,
            }
        })
        .collect();
    let may_edit = may_report && report_state.is_none_or(ReportState::editable);
    let files = FilesPart::new(
        t,
        &shell.csrf,
        urls.report_action(code, "files"),
        if typed.upload { errors.clone() } else { Vec::new() },
        attachments
            .iter()
            .map(|f| FileView::new(&a.body, &t, f.id, &f.sha256, &f.file_name, &f.kind, f.size))
            .collect(),
        may_edit,
        state.config.attachment_max_bytes,
    );
    let previous = match history.last() {
        Some(entry) => Some(previous_view(&t, &a.plan, entry, page.report.as_ref())?),
        None => None,
    };
    let page = ReportPage {
        files,
        previous,
        urls,
        period_label: t.period(&period.code),
        review_comment: page.report.as_ref().map(|r| r.review_comment.clone()).unwrap_or_default(),
        text_fields: vec![
            ("achievements", form.achievements.clone()),
            ("problems", form.problems.clone()),
            ("next_steps", form.next_steps.clone()),
            ("links", form.links.clone()),
        ],
        form,
        indicator_fields,
        statuses: a
            .plan
            .taxonomy()
            .statuses
            .iter()
            .map(|s| (s.key.clone(), if t.is_en() { s.label_en.clone() } else { s.label_ko.clone() }))
            .collect(),
        errors: FormErrors::new(t, errors),
        may_edit,
        may_define,
        changes,
        review_form,
        change_form,
        define_forms,
        state_key,
        state_label,
        shell: shell
            .with_title(format!("{} {}", commitment.code, commitment.title))
            .with_body(BodyNav::new(&a.body, &a.roles, &t), "staff")
            .with_breadcrumbs(
                [
                    super::urls::staff_trail(&a.body, &a.plan, &t),
                    vec![(format!("{} {}", commitment.code, commitment.title), String::new())],
                ]
                .concat(),
            ),
        commitment,
    };
    Ok(render(page.errors.status(), &page))
}

/// Last period's published values against this report's (blank when not reported yet).
fn previous_view(
    t: &Tr,
    plan: &Plan,
    entry: &sotong_store::commitments::changes::HistoryEntry,
    report: Option<&ProgressReport>,
) -> AppResult<PreviousView> {
    let item = entry.item()?;
    let taxonomy = plan.taxonomy();
    let before = item.report.as_ref();
    let text = |f: fn(&sotong_core::commitments::published::PublishedReport) -> &String| {
        before.map(|r| f(r).clone()).unwrap_or_default()
    };
    let now = |f: &dyn Fn(&ProgressReport) -> String| report.map(f).unwrap_or_default();
    let rows = vec![
        (
            t.t("field.status").to_string(),
            status_of(&taxonomy, t, &item.status),
            now(&|r| status_of(&taxonomy, t, &r.status)),
        ),
        (t.t("field.progress").to_string(), format!("{}%", item.progress), now(&|r| format!("{}%", r.progress))),
        (t.label("achievements"), text(|r| &r.achievements), now(&|r| r.achievements.clone())),
        (t.label("problems"), text(|r| &r.problems), now(&|r| r.problems.clone())),
        (t.label("next_steps"), text(|r| &r.next_steps), now(&|r| r.next_steps.clone())),
        (
            t.label("budget_executed"),
            before.map(|r| t.krw(r.budget_executed)).unwrap_or_default(),
            now(&|r| t.krw(r.budget_executed)),
        ),
    ];
    let rows = rows
        .into_iter()
        .map(|(label, before, current)| {
            let changed = report.is_some() && before != current;
            (label, before, current, changed)
        })
        .collect();
    Ok(PreviousView { period: t.period(&entry.period_code), rows })
}

fn status_of(taxonomy: &sotong_core::commitments::Taxonomy, t: &Tr, key: &str) -> String {
    taxonomy.get(key).map(|s| if t.is_en() { s.label_en.clone() } else { s.label_ko.clone() }).unwrap_or_default()
}

/// After a sub-form's write: back to the report page, or the page again with the
/// typed input and the store's error.
async fn after_write<T>(
    state: &AppState,
    ctx: &Ctx,
    target: Target,
    result: Result<T, StoreError>,
    typed: Typed,
) -> AppResult<Response> {
    match result {
        Ok(_) => Ok(Redirect::to(&target.a.urls().report(&target.commitment.code)).into_response()),
        Err(StoreError::Invalid(error)) => report_page(state, ctx, target, typed, vec![error]).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn report_form(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
) -> AppResult<Response> {
    let target = target(&state, scope, &code).await?;
    report_page(&state, &ctx, target, Typed::Nothing, Vec::new()).await
}

pub async fn save_report(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    let target = target(&state, scope, &code).await?;
    if !target.a.may_report_for(&target.commitment) {
        return Err(AppError::Forbidden);
    }
    // The report and its actuals are saved together, or (a bad value, a locked report)
    // not at all.
    let indicators = state.store.indicators(target.commitment.id).await?;
    let input = match form.parse(&target.a.plan, &indicators) {
        Ok(input) => input,
        Err(errors) => return report_page(&state, &ctx, target, Typed::Report(form), errors).await,
    };
    let period = open_period(&state, &target.a.plan).await?;
    let result = state.store.save_report(&ctx.actor(), &target.a.plan, &target.commitment, &period, &input).await;
    after_write(&state, &ctx, target, result, Typed::Report(form)).await
}

#[derive(Deserialize, Default, Clone)]
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
    let target = target(&state, scope, &code).await?;
    if !target.a.can_review {
        return Err(AppError::Forbidden);
    }
    let period = open_period(&state, &target.a.plan).await?;
    let report = state.store.report(&target.commitment, &period).await?.ok_or(AppError::NotFound)?;
    let approve = form.decision == "approve";
    let result =
        state.store.review_report(&ctx.actor(), &target.a.plan, report.id, approve, &form.review_comment).await;
    match result {
        Ok(_) => Ok(Redirect::to(&target.a.urls().staff()).into_response()),
        Err(StoreError::Invalid(error)) => report_page(&state, &ctx, target, Typed::Review(form), vec![error]).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn close_period(State(state): State<AppState>, ctx: Ctx, scope: PlanScope) -> AppResult<Response> {
    let a = access(scope)?;
    if !a.can_review {
        return Err(AppError::Forbidden);
    }
    let period = open_period(&state, &a.plan).await?;
    state.store.close_period(&ctx.actor(), &a.plan, &period).await?;
    // To the public dashboard, where the published quarter now shows.
    Ok(Redirect::to(&a.urls().dashboard()).into_response())
}

#[derive(Deserialize, Default, Clone)]
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
    let target = target(&state, scope, &code).await?;
    if !target.a.may_report_for(&target.commitment) {
        return Err(AppError::Forbidden);
    }
    let kind = match ChangeKind::parse("kind", &form.kind) {
        Ok(kind) => kind,
        Err(error) => return report_page(&state, &ctx, target, Typed::Change(form), vec![error]).await,
    };
    let result = state.store.request_change(&ctx.actor(), &target.a.plan, &target.commitment, kind, &form.reason).await;
    after_write(&state, &ctx, target, result, Typed::Change(form)).await
}

#[derive(Deserialize, Default, Clone)]
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
    let target = target(&state, scope, &code).await?;
    if !target.a.can_review {
        return Err(AppError::Forbidden);
    }
    let approve = form.decision == "approve";
    // The store decides only a request of this commitment (else not found).
    let result = state
        .store
        .decide_change(&ctx.actor(), &target.a.plan, &target.commitment, id, approve, &form.decision_note)
        .await;
    match result {
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        result => after_write(&state, &ctx, target, result, Typed::Decision(id, form)).await,
    }
}

#[derive(Deserialize, Default, Clone)]
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
    let target = target(&state, scope, &code).await?;
    if !target.a.roles.allows(Permission::ManagePlans) {
        return Err(AppError::Forbidden);
    }
    let (plan, commitment) = (&target.a.plan, &target.commitment);
    let result = state
        .store
        .add_indicator(&ctx.actor(), plan, commitment, &form.indicator_name, &form.unit, &form.target_value)
        .await;
    after_write(&state, &ctx, target, result, Typed::Indicator(form)).await
}

#[derive(Deserialize, Default, Clone)]
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
    let target = target(&state, scope, &code).await?;
    if !target.a.roles.allows(Permission::ManagePlans) {
        return Err(AppError::Forbidden);
    }
    let Some(due) = sotong_exchange::commitments_csv::parse_date(&form.due_date) else {
        let error = FieldError::new("due_date", "invalid_date");
        return report_page(&state, &ctx, target, Typed::Milestone(form), vec![error]).await;
    };
    let (plan, commitment) = (&target.a.plan, &target.commitment);
    let result = state.store.add_milestone(&ctx.actor(), plan, commitment, &form.milestone_title, &due, None).await;
    after_write(&state, &ctx, target, result, Typed::Milestone(form)).await
}
