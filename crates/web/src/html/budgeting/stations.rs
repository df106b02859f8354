//! A polling station's page for its officers: checking a person in (the officer has
//! seen their identity card and types the three details, kept only as their keyed
//! hash, so the person cannot vote on the web too), and keying in paper ballots —
//! each sheet twice, by two officers, counted when the two agree and never beyond
//! the station's check-ins (docs/BUDGETING.md "Paper ballots").

use super::ballot::{pot_forms, read_ballot, violation_text, PotForm};
use super::setup::Fields;
use super::urls::BudgetUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::ProcessScope;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::budgeting::ballot::{Ballot, Violation};
use sotong_core::format::kst_date_after;
use sotong_core::role::Permission;
use sotong_core::verification::{Basis, PersonDetails};
use sotong_core::FieldError;
use sotong_store::budgeting::paper::{PaperOutcome, Station};
use sotong_store::{now, StoreError};

#[derive(Deserialize)]
pub struct StationPath {
    #[allow(dead_code)]
    process: String,
    station: i64,
}

/// Which of the page's two forms came back, and with what.
pub enum Entry {
    None,
    CheckIn(Fields, Vec<FieldError>),
    Paper { fields: Fields, ballot: Ballot, violations: Vec<Violation>, errors: Vec<FieldError> },
}

#[derive(Template)]
#[template(path = "budgeting/station.html")]
struct StationPage {
    shell: Shell,
    station: Station,
    counts: String,
    waiting: Vec<(String, String)>,
    voting: bool,
    keying: bool,
    check_in_fields: Fields,
    check_in_errors: FormErrors,
    paper_fields: Fields,
    paper_errors: FormErrors,
    problems: Vec<String>,
    pots: Vec<PotForm>,
    districts: Vec<(String, String)>,
    bases: Vec<(String, String)>,
    check_in_action: String,
    paper_action: String,
    done: Option<String>,
}

async fn station(state: &AppState, scope: &ProcessScope, id: i64) -> AppResult<Station> {
    let stations = state.store.stations(scope.process.id).await?;
    stations.into_iter().find(|s| s.id == id).ok_or(AppError::NotFound)
}

async fn station_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &ProcessScope,
    station: Station,
    entry: Entry,
    done: Option<String>,
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "station.title").with_title(station.name.clone());
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let process = &scope.process;
    let (setup, projects, count, open) = tokio::try_join!(
        state.store.process_setup(process.clone()),
        state.store.projects(process.id),
        state.store.station_count(station.id),
        state.store.open_paper_entries(station.id)
    )?;
    let mut sheets: Vec<(String, usize)> = Vec::new();
    for entry in &open {
        match sheets.iter_mut().find(|(sheet, _)| *sheet == entry.sheet) {
            Some((_, n)) => *n += 1,
            None => sheets.push((entry.sheet.clone(), 1)),
        }
    }
    let waiting = sheets
        .into_iter()
        .map(|(sheet, n)| (sheet, t.t(if n == 1 { "station.waiting_second" } else { "station.entries_differ" }).to_string()))
        .collect();
    let (check_in, paper) = match entry {
        Entry::None => ((Fields(Vec::new()), Vec::new()), None),
        Entry::CheckIn(fields, errors) => ((fields, errors), None),
        Entry::Paper { fields, ballot, violations, errors } => ((Fields(Vec::new()), Vec::new()), Some((fields, ballot, violations, errors))),
    };
    let (paper_fields, ballot, violations, paper_errors) =
        paper.unwrap_or_else(|| (Fields(Vec::new()), Ballot::default(), Vec::new(), Vec::new()));
    let problems = violations.iter().filter(|v| v.pot_id().is_none()).map(|v| violation_text(v, &setup, &projects, &t)).collect();
    let mut districts: Vec<(String, String)> = vec![(String::new(), t.t("station.city_only").to_string())];
    for district in setup.pots.iter().filter_map(|p| p.district.clone()) {
        if !districts.iter().any(|(d, _)| *d == district) {
            districts.push((district.clone(), district));
        }
    }
    let base = urls.staff_process(&process.slug, &format!("/stations/{}", station.id));
    let page = StationPage {
        counts: t.f(
            "station.counts",
            &[&t.number(count.check_ins), &t.number(count.ballots), &t.number(count.sheets_waiting)],
        ),
        waiting,
        voting: process.is_voting_open(now()),
        keying: !process.phase.is_before(sotong_core::budgeting::Phase::Voting),
        check_in_fields: check_in.0,
        check_in_errors: FormErrors::new(t, check_in.1),
        paper_errors: FormErrors::new(t, paper_errors),
        problems,
        pots: pot_forms(&setup, &projects, |_| true, &ballot, &violations, &t, &urls),
        paper_fields,
        districts,
        bases: super::options(&Basis::ALL, Basis::as_str, "basis", &t),
        check_in_action: format!("{base}/check-in"),
        paper_action: format!("{base}/paper"),
        done: done.map(|key| t.t(&format!("station.done_{key}")).to_string()),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (t.t("budget_staff.title").to_string(), urls.staff_list()),
            (process.title.clone(), urls.staff_process(&process.slug, "")),
            (station.name.clone(), String::new()),
        ]),
        station,
    };
    let status = if page.check_in_errors.any() || page.paper_errors.any() || !violations.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

const OFFICERS: &[Permission] = &[Permission::StaffPollingStations, Permission::RunBudgeting];

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Path(StationPath { station: id, .. }): Path<StationPath>,
    axum::extract::Query(query): axum::extract::Query<crate::html::DoneQuery>,
) -> AppResult<Response> {
    scope.require_any(OFFICERS)?;
    let station = station(&state, &scope, id).await?;
    let done = query.known(&["checked_in", "waiting", "reconciled", "mismatch"]);
    station_page(&state, &ctx, &scope, station, Entry::None, done).await
}

fn back(scope: &ProcessScope, station: &Station, done: &str) -> Response {
    let urls = BudgetUrls::new(&scope.body);
    Redirect::to(&urls.staff_process(&scope.process.slug, &format!("/stations/{}?done={done}", station.id))).into_response()
}

pub async fn check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Path(StationPath { station: id, .. }): Path<StationPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require_any(OFFICERS)?;
    let station = station(&state, &scope, id).await?;
    let fields = Fields(pairs);
    let again = |fields, errors| Entry::CheckIn(fields, errors);
    let details = match PersonDetails::parse(fields.get("name"), fields.get("born_on"), fields.get("phone")) {
        Ok(details) => details,
        Err(errors) => return station_page(&state, &ctx, &scope, station, again(fields, errors), None).await,
    };
    let basis = match Basis::try_from(fields.get("basis").to_string()) {
        Ok(basis) => basis,
        Err(_) => {
            let errors = vec![FieldError::new("basis", "invalid_choice")];
            return station_page(&state, &ctx, &scope, station, again(fields, errors), None).await;
        }
    };
    let process = &scope.process;
    let last_day = kst_date_after(process.voting_closes_at.unwrap_or(now()) - 1, 0);
    if let Err(e) = process.eligibility.0.check(Some(&details.born_on), basis, &last_day) {
        return station_page(&state, &ctx, &scope, station, again(fields, vec![e]), None).await;
    }
    let Some(person) = super::super::verification::person_key(&state, &details) else {
        let errors = vec![FieldError::new("name", "verification_key_missing")];
        return station_page(&state, &ctx, &scope, station, again(fields, errors), None).await;
    };
    match state.store.check_in(&ctx.actor(), process, station.id, &person).await {
        Ok(()) => Ok(back(&scope, &station, "checked_in")),
        Err(StoreError::Invalid(e)) => station_page(&state, &ctx, &scope, station, again(fields, vec![e]), None).await,
        Err(other) => Err(other.into()),
    }
}

/// One officer's entry of one sheet: its number, the 동 printed on it (which pots it
/// has) and the choices marked on it.
pub async fn paper(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Path(StationPath { station: id, .. }): Path<StationPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    scope.require_any(OFFICERS)?;
    let officer = ctx.require_user()?.id;
    let station = station(&state, &scope, id).await?;
    let fields = Fields(pairs);
    let (setup, projects) =
        tokio::try_join!(state.store.process_setup(scope.process.clone()), state.store.projects(scope.process.id))?;
    let ballot = read_ballot(&fields.0, &projects);
    let district = Some(fields.get("district")).filter(|d| !d.is_empty()).map(str::to_string);
    let again = |fields, ballot, violations, errors| Entry::Paper { fields, ballot, violations, errors };
    if fields.get("sheet").is_empty() {
        let entry = again(fields, ballot, Vec::new(), vec![FieldError::new("sheet", "required")]);
        return station_page(&state, &ctx, &scope, station, entry, None).await;
    }
    let checked = match setup.ballot_sheet(&projects).check(district.as_deref(), ballot.clone()) {
        Ok(checked) => checked,
        Err(violations) => {
            let entry = again(fields, ballot, violations, Vec::new());
            return station_page(&state, &ctx, &scope, station, entry, None).await;
        }
    };
    let sheet = fields.get("sheet").to_string();
    match state.store.enter_paper_ballot(&ctx.actor(), &scope.process, &station, &sheet, officer, &checked).await {
        Ok(outcome) => Ok(back(
            &scope,
            &station,
            match outcome {
                PaperOutcome::Waiting => "waiting",
                PaperOutcome::Reconciled => "reconciled",
                PaperOutcome::Mismatch => "mismatch",
            },
        )),
        Err(StoreError::Invalid(e)) => {
            let entry = again(fields, ballot, Vec::new(), vec![e]);
            station_page(&state, &ctx, &scope, station, entry, None).await
        }
        Err(other) => Err(other.into()),
    }
}
