//! Opening a plan's next reporting period from the back office (coordinators), with
//! its deadline: the start of every quarter's cycle (docs/GUIDE.md, step 1).

use super::reports::access_for_review;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::scope::PlanScope;
use crate::security::url_encode;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::commitments::period::Period;
use sotong_store::commitments::reports::ReportingPeriod;
use sotong_store::StoreError;

/// The period that comes next (after the latest one), or the one containing today,
/// and its usual deadline: what the form offers.
pub fn suggestion(periods: &[ReportingPeriod], cadence: sotong_core::commitments::period::Cadence) -> (String, String) {
    let latest = periods.iter().filter_map(|p| Period::parse(&p.code).ok()).max_by_key(|p| p.code());
    let next = match latest {
        Some(period) => period.next(),
        None => {
            let today = sotong_core::format::KstDateTime::from_unix(sotong_store::now());
            Period::containing(cadence, today.year as i32, today.month)
        }
    };
    (next.code(), next.default_due_date())
}

#[derive(Deserialize, Default)]
pub struct OpenForm {
    #[serde(default)]
    period: String,
    #[serde(default)]
    due_date: String,
}

pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Form(form): Form<OpenForm>,
) -> AppResult<Response> {
    let a = access_for_review(scope)?;
    let back = |error: &str| {
        let query = error_query(error, &form.period, &form.due_date);
        Redirect::to(&format!("{}?{query}#open-title", a.urls().staff())).into_response()
    };
    let Ok(period) = Period::parse(form.period.trim()) else { return Ok(back("invalid_period")) };
    let Some(due) = sotong_exchange::commitments_csv::parse_date(form.due_date.trim()) else {
        return Ok(back("invalid_date"));
    };
    match state.store.open_period(&ctx.actor(), &a.plan, period, &due).await {
        Ok(_) => Ok(Redirect::to(&a.urls().staff()).into_response()),
        Err(StoreError::Invalid(error)) => Ok(back(error.code)),
        Err(other) => Err(other.into()),
    }
}

/// `error=…&period=…&due_date=…` for the overview to show the form again.
pub fn error_query(error: &str, period: &str, due_date: &str) -> String {
    format!("open_error={}&period={}&due_date={}", url_encode(error), url_encode(period), url_encode(due_date))
}
