//! Setting a process up in the back office: the process itself (how it counts, who
//! may vote and when), its pots and categories, each phase's dates and rules, the
//! committee's members and the polling stations. Each small form posts to its own
//! route and comes back to the process page (`staff`), which shows that form again
//! with its errors when something is wrong.

use super::staff::{process_response, StaffForm};
use super::urls::BudgetUrls;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::{BodyScope, ProcessScope};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use sotong_core::budgeting::ballot::{BallotKind, BallotRules};
use sotong_core::budgeting::score::{Normalisation, ScoreFormula};
use sotong_core::budgeting::{parse_amount, NewPot, NewProcess, OutcomeRule, Phase};
use sotong_core::org::Slug;
use sotong_core::role::Permission;
use sotong_core::verification::{Basis, Eligibility};
use sotong_core::FieldError;
use sotong_store::budgeting::PhaseNote;
use sotong_store::StoreError;

/// A form's fields as posted, repeated names kept (the bases are checkboxes).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.trim())
    }

    /// A whole number, or None for an empty field; anything else is the field's error.
    pub fn number(&self, name: &'static str, errors: &mut Vec<FieldError>) -> Option<i64> {
        let raw = self.get(name).replace(',', "");
        if raw.is_empty() {
            return None;
        }
        raw.parse().map_err(|_| errors.push(FieldError::new(name, "not_whole_number"))).ok()
    }

    /// A date (`2026-03-01`, `2026.3.1`, `20260301`) in its stored form.
    pub fn date(&self, name: &'static str, errors: &mut Vec<FieldError>) -> Option<String> {
        let raw = self.get(name);
        if raw.is_empty() {
            return None;
        }
        sotong_core::format::parse_date(raw).or_else(|| {
            errors.push(FieldError::new(name, "invalid_date"));
            None
        })
    }
}

#[derive(Template)]
#[template(path = "budgeting/staff_new.html")]
struct NewProcessPage {
    shell: Shell,
    fields: Fields,
    errors: FormErrors,
    rules: Vec<(String, String)>,
    normalisations: Vec<(String, String)>,
    bases: Vec<(String, String, bool)>,
    action: String,
}

impl NewProcessPage {
    fn value<'a>(&'a self, name: &str) -> &'a str {
        self.fields.get(name)
    }
}

/// What a new process's form starts with: the most common Korean rule (votes only,
/// 14+, residents and those who work or study here; ../REFERENCE.md, budgeting).
fn new_process_defaults() -> Fields {
    let pairs = [
        ("rule", "greedy_votes"),
        ("resident_percent", "100"),
        ("committee_percent", "0"),
        ("paper_weight", "1"),
        ("normalisation", "max"),
        ("warn_ratio", "10"),
        ("min_age", "14"),
        ("committee_max_score", "10"),
        ("bases", "resident"),
        ("bases", "worker"),
        ("bases", "student"),
    ];
    Fields(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn new_process_page(ctx: &Ctx, scope: &BodyScope, fields: Fields, errors: Vec<FieldError>) -> Response {
    let shell = Shell::new(ctx, "budget_setup.new_title");
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let title = shell.title.clone();
    let chosen: Vec<String> = fields.all("bases").map(str::to_string).collect();
    let page = NewProcessPage {
        errors: FormErrors::new(t, errors),
        rules: super::options(&OutcomeRule::ALL, OutcomeRule::as_str, "outcome_rule", &t),
        normalisations: super::options(&Normalisation::ALL, Normalisation::as_str, "normalisation", &t),
        bases: Basis::ALL
            .iter()
            .map(|b| (b.as_str().to_string(), t.t(&format!("basis.{}", b.as_str())).to_string(), chosen.iter().any(|c| c == b.as_str())))
            .collect(),
        fields,
        action: urls.staff_new(),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (t.t("budget_staff.title").to_string(), urls.staff_list()),
            (title, String::new()),
        ]),
    };
    let status = page.errors.status();
    render(status, &page)
}

pub async fn new_form(ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    Ok(new_process_page(&ctx, &scope, new_process_defaults(), Vec::new()))
}

/// Every field's problem at once; the rest of the checks are `NewProcess::check`'s.
fn parse_new_process(fields: &Fields) -> Result<NewProcess, Vec<FieldError>> {
    let mut errors = Vec::new();
    let slug = match Slug::parse(fields.get("slug")) {
        // `new` is this form's own address.
        Ok(slug) if slug.as_str() == "new" => Err(FieldError::new("slug", "reserved_slug")),
        other => other,
    }
    .map_err(|e| errors.push(e))
    .ok();
    let rule = OutcomeRule::try_from(fields.get("rule").to_string())
        .map_err(|_| errors.push(FieldError::new("rule", "invalid_choice")))
        .ok();
    let normalisation = Normalisation::try_from(fields.get("normalisation").to_string())
        .map_err(|_| errors.push(FieldError::new("normalisation", "invalid_choice")))
        .ok();
    let bases: Vec<Basis> = fields.all("bases").filter_map(|b| Basis::try_from(b.to_string()).ok()).collect();
    let required = |name: &'static str, errors: &mut Vec<FieldError>| {
        let value = fields.number(name, errors);
        if value.is_none() && !errors.iter().any(|e| e.field == name) {
            errors.push(FieldError::new(name, "required"));
        }
        value.unwrap_or(0)
    };
    let resident_percent = required("resident_percent", &mut errors);
    let committee_percent = required("committee_percent", &mut errors);
    let paper_weight = required("paper_weight", &mut errors);
    let warn_ratio = required("warn_ratio", &mut errors);
    let min_age = required("min_age", &mut errors);
    let committee_max_score = required("committee_max_score", &mut errors);
    let opens = fields.date("voting_opens_at", &mut errors);
    let closes = fields.date("voting_closes_at", &mut errors);
    let (Some(slug), Some(rule), Some(normalisation)) = (slug, rule, normalisation) else {
        return Err(errors);
    };
    let new = NewProcess {
        slug,
        title: fields.get("title").to_string(),
        description: fields.get("description").replace("\r\n", "\n"),
        rule,
        formula: ScoreFormula { resident_percent, committee_percent, paper_weight, normalisation, warn_ratio },
        eligibility: Eligibility { min_age, bases },
        committee_max_score,
        // The vote opens at the start of its first day and closes at the end of its
        // last (KST), as a city announces "11월 1일부터 11월 14일까지".
        voting_opens_at: opens.and_then(|d| sotong_core::format::kst_unix(&d, 0)),
        voting_closes_at: closes.and_then(|d| sotong_core::format::kst_unix(&d, 24)),
    };
    let known: Vec<&str> = errors.iter().map(|e| e.field).collect();
    let more: Vec<FieldError> = new.check().into_iter().filter(|e| !known.contains(&e.field)).collect();
    errors.extend(more);
    if errors.is_empty() {
        Ok(new)
    } else {
        Err(errors)
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let fields = Fields(pairs);
    let new = match parse_new_process(&fields) {
        Ok(new) => new,
        Err(errors) => return Ok(new_process_page(&ctx, &scope, fields, errors)),
    };
    match state.store.create_process(&ctx.actor(), scope.body.id, &new).await {
        Ok(process) => {
            let urls = BudgetUrls::new(&scope.body);
            Ok(Redirect::to(&urls.staff_process(&process.slug, "?done=created")).into_response())
        }
        Err(StoreError::Invalid(e)) => Ok(new_process_page(&ctx, &scope, fields, vec![e])),
        Err(other) => Err(other.into()),
    }
}

/// What a setup form's handler does with the store's answer: back to the process
/// page with `done`, or the page again with the form's error.
async fn finish(
    state: &AppState,
    ctx: &Ctx,
    scope: &ProcessScope,
    form: StaffForm,
    result: Result<(), StoreError>,
    done: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => {
            let urls = BudgetUrls::new(&scope.body);
            Ok(Redirect::to(&urls.staff_process(&scope.process.slug, &format!("?done={done}"))).into_response())
        }
        Err(StoreError::Invalid(e)) => process_response(state, ctx, scope, Some(form.with_errors(vec![e]))).await,
        Err(other) => Err(other.into()),
    }
}

fn parse_pot(fields: &Fields) -> Result<NewPot, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = BallotKind::try_from(fields.get("ballot_kind").to_string())
        .map_err(|_| errors.push(FieldError::new("ballot_kind", "invalid_choice")))
        .ok();
    let budget = sotong_core::budgeting::typed_amount("budget", fields.get("budget"))
        .and_then(|typed| parse_amount("budget", typed))
        .map_err(|e| errors.push(e))
        .ok();
    let max_picks = fields.number("max_picks", &mut errors);
    let min_picks = fields.number("min_picks", &mut errors);
    let points = fields.number("points", &mut errors);
    let max_points_per_project = fields.number("max_points_per_project", &mut errors);
    let (Some(kind), Some(budget)) = (kind, budget) else { return Err(errors) };
    let district = Some(fields.get("district").to_string()).filter(|d| !d.is_empty());
    let rules = BallotRules { kind, max_picks, min_picks, points, max_points_per_project };
    let pot = NewPot { name: fields.get("name").to_string(), district, budget, rules };
    errors.extend(pot.check());
    if errors.is_empty() {
        Ok(pot)
    } else {
        Err(errors)
    }
}

pub async fn add_pot(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let form = StaffForm::new("pot", pairs);
    let pot = match parse_pot(&form.fields) {
        Ok(pot) => pot,
        Err(errors) => return process_response(&state, &ctx, &scope, Some(form.with_errors(errors))).await,
    };
    let result = state.store.add_pot(&ctx.actor(), &scope.process, &pot).await.map(drop);
    finish(&state, &ctx, &scope, form, result, "pot").await
}

pub async fn add_category(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let form = StaffForm::new("category", pairs);
    let mut errors = Vec::new();
    let max_picks = form.fields.number("max_picks", &mut errors);
    if !errors.is_empty() {
        return process_response(&state, &ctx, &scope, Some(form.with_errors(errors))).await;
    }
    let name = form.fields.get("name").to_string();
    let result = state.store.add_category(&ctx.actor(), &scope.process, &name, max_picks).await.map(drop);
    finish(&state, &ctx, &scope, form, result, "category").await
}

/// The rules citizens read for one phase: at most this many characters.
const NOTE_MAX_CHARS: usize = 2000;

pub async fn set_note(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let form = StaffForm::new("note", pairs);
    let fields = &form.fields;
    let mut errors = Vec::new();
    let phase = Phase::try_from(fields.get("phase").to_string())
        .map_err(|_| errors.push(FieldError::new("phase", "invalid_choice")))
        .ok();
    let starts_on = fields.date("starts_on", &mut errors);
    let ends_on = fields.date("ends_on", &mut errors);
    if let (Some(start), Some(end)) = (&starts_on, &ends_on) {
        if end < start {
            errors.push(FieldError::new("ends_on", "end_before_start"));
        }
    }
    let rules = fields.get("rules").replace("\r\n", "\n");
    if rules.chars().count() > NOTE_MAX_CHARS {
        errors.push(FieldError::new("rules", "too_long"));
    }
    let Some(phase) = phase.filter(|_| errors.is_empty()) else {
        return process_response(&state, &ctx, &scope, Some(form.with_errors(errors))).await;
    };
    let note = PhaseNote { process_id: scope.process.id, phase, starts_on, ends_on, rules };
    let result = state.store.set_phase_note(&ctx.actor(), &scope.process, &note).await;
    finish(&state, &ctx, &scope, form, result, "note").await
}

/// Adds (or, with `remove`, takes off) a committee member by their account's e-mail.
pub async fn committee_member(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let form = StaffForm::new("member", pairs);
    let email = form.fields.get("email").to_string();
    let Some(user) = state.store.user_by_email(&email).await? else {
        let error = FieldError::new("email", if email.is_empty() { "required" } else { "no_such_account" });
        return process_response(&state, &ctx, &scope, Some(form.with_errors(vec![error]))).await;
    };
    let member = form.fields.get("remove") != "1";
    let result = state.store.set_committee_member(&ctx.actor(), &scope.process, user.id, member).await;
    finish(&state, &ctx, &scope, form, result, if member { "member" } else { "member_removed" }).await
}

pub async fn add_station(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require(Permission::RunBudgeting)?;
    let form = StaffForm::new("station", pairs);
    let (name, place) = (form.fields.get("name").to_string(), form.fields.get("place").to_string());
    let result = state.store.add_station(&ctx.actor(), &scope.process, &name, &place).await.map(drop);
    finish(&state, &ctx, &scope, form, result, "station").await
}
