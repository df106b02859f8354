//! Service requests: complaints filed through Open311 with an administrator's key,
//! and the body's public complaints read back (REFERENCE "Open311 GeoReport v2").
//! A request filed here is a complaint like any other: the category's kind sets its
//! statutory clock, and it joins the case of other people's complaints on the same
//! matter (`search::complaints`). Repeats are found per account, so relayed filings
//! (which have none) only join cases.

use super::services::not_found;
use super::{error, invalid, published, respond, split_format, Format, Open311Result, Resource};
use crate::context::Ctx;
use crate::i18n::Tr;
use crate::limits::{self, Write};
use crate::scope::BodyScope;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use sotong_core::format::rfc3339;
use sotong_core::voice::complaints::{ComplaintState, NewComplaint, Place};
use sotong_core::FieldError;
use sotong_store::orgs::Org;
use sotong_store::voice::complaints::{Complaint, ComplaintCategory, ComplaintFilter, Filer, FilingLinks, Source};
use sotong_store::{now, Actor};
use std::collections::HashMap;

/// The attribute carrying the complaint's title (`attribute[title]`).
pub const TITLE_ATTRIBUTE: &str = "title";
/// The attribute saying whether the complaint may be published (`public` / `private`).
pub const VISIBILITY_ATTRIBUTE: &str = "visibility";
/// The spec's default window of `GET requests`, and the longest one asked for.
const WINDOW_SECONDS: i64 = 90 * 86_400;
/// The most requests one answer lists (the spec's default).
const MAX_REQUESTS: i64 = 1000;
/// A title made from the description is cut at this many characters.
const DERIVED_TITLE_CHARS: usize = 40;

/// `POST requests`: files a complaint for the system holding `api_key`.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(Resource { resource }): Path<Resource>,
    body: Bytes,
) -> Open311Result {
    let t = ctx.tr();
    let Some(("requests", format)) = split_format(&resource) else { return Ok(not_found(Format::Json, &t)) };
    let fields: HashMap<String, String> = crate::input::decode_pairs(&body)?.into_iter().collect();
    let field = |name: &str| value(&fields, name).trim();
    let refused = || error(format, StatusCode::FORBIDDEN, &[t.t("open311.bad_key").to_string()]);
    if field("api_key").is_empty() {
        return Ok(refused());
    }
    let Some(key) = state.store.open311_key_for(scope.body.id, field("api_key")).await? else { return Ok(refused()) };
    let Some(category) = state.store.complaint_category_by_code(scope.body.id, field("service_code")).await? else {
        return Ok(invalid(format, &t, &[FieldError::new("service_code", "invalid_choice")]));
    };
    let new = match parse_request(&fields, &category) {
        Ok(new) => new,
        Err(errors) => return Ok(invalid(format, &t, &errors)),
    };
    let filer = filer_of(&fields);
    let person = filer.email.clone().or_else(|| new.phone.clone());
    if !limits::allow_relayed(&state, key.id, person.as_deref(), Write::Complaint).await? {
        return Ok(error(format, StatusCode::TOO_MANY_REQUESTS, &[t.t("complaint_new.too_many").to_string()]));
    }
    let rules = state.store.complaint_rules(scope.body.id).await?;
    let same_matter =
        state.complaint_matcher.same_matter(&state.store, scope.body.id, None, &new.title, &new.body, &rules).await?;
    let links = FilingLinks { repeat_of: None, same_matter };
    let actor = Actor { label: format!("open311:{}", key.name), ..ctx.actor() };
    let complaint = state.store.file_complaint(&actor, &category, &filer, &new, &links, Source::Open311).await?;
    let answer = json!([{
        "service_request_id": complaint.id.to_string(),
        "service_notice": t.f("open311.service_notice", &[&t.date_time(complaint.due_at)]),
        "account_id": null,
    }]);
    Ok(respond(format, StatusCode::CREATED, "service_requests", &answer))
}

/// A posted field's value, empty when absent.
fn value<'a>(fields: &'a HashMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}

/// The complaint a request describes: the title from `attribute[title]` or the
/// description's first line, private unless `attribute[visibility]` is `public`.
fn parse_request(
    fields: &HashMap<String, String>,
    category: &ComplaintCategory,
) -> Result<NewComplaint, Vec<FieldError>> {
    let field = |name: &str| value(fields, name);
    let description = field("description");
    let given_title = field(&format!("attribute[{TITLE_ATTRIBUTE}]")).trim();
    let title = if given_title.is_empty() { derived_title(description, category) } else { given_title.to_string() };
    let visibility = field(&format!("attribute[{VISIBILITY_ATTRIBUTE}]")).trim();
    if !matches!(visibility, "" | "public" | "private") {
        return Err(vec![FieldError::new("visibility", "invalid_choice")]);
    }
    let place = Place::parse(field("address_string"), field("lat"), field("long"));
    NewComplaint::parse(&title, description, visibility == "public", place, field("phone"))
}

/// A title from the description's first line, cut at a word if it is long; a very
/// short line is prefixed with the category's name.
fn derived_title(description: &str, category: &ComplaintCategory) -> String {
    let line = description.trim().lines().next().unwrap_or("").trim();
    let mut title: String = line.chars().take(DERIVED_TITLE_CHARS).collect();
    if line.chars().count() > DERIVED_TITLE_CHARS {
        if let Some(space) = title.rfind(' ').filter(|i| *i > DERIVED_TITLE_CHARS / 2) {
            title.truncate(space);
        }
        title.push('…');
    }
    if title.chars().count() < sotong_core::voice::complaints::TITLE_MIN_CHARS {
        title = format!("{} — {title}", category.name);
    }
    title
}

/// The person behind a relayed request: their name as Koreans write it (family name
/// first), e-mail and telephone, when given.
fn filer_of(fields: &HashMap<String, String>) -> Filer {
    let field = |name: &str| Some(value(fields, name).trim()).filter(|v| !v.is_empty()).map(str::to_string);
    let name = match (field("last_name"), field("first_name")) {
        (Some(last), Some(first)) => Some(format!("{last}{first}")),
        (last, first) => last.or(first),
    };
    Filer { user_id: None, name, email: field("email") }
}

/// `GET requests`: the body's public complaints, newest first, narrowed by the spec's
/// filters. `service_request_id` (a comma list) overrides the others.
pub(super) async fn list(
    state: &AppState,
    scope: &BodyScope,
    query: &HashMap<String, String>,
    format: Format,
    t: &Tr,
) -> Open311Result {
    let filter = match request_filter(state, scope, query).await? {
        Ok(filter) => filter,
        Err(errors) => return Ok(invalid(format, t, &errors)),
    };
    let (complaints, _) = state.store.complaints(scope.body.id, &filter).await?;
    let listed = described(state, &scope.body, &complaints, t).await?;
    Ok(published(format, "service_requests", &Value::Array(listed)))
}

async fn request_filter(
    state: &AppState,
    scope: &BodyScope,
    query: &HashMap<String, String>,
) -> crate::error::AppResult<Result<ComplaintFilter, Vec<FieldError>>> {
    let param = |name: &str| query.get(name).map(String::as_str).unwrap_or("").trim();
    let list = |name: &str| -> Vec<String> {
        param(name).split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
    };
    let mut filter = ComplaintFilter { public_only: true, limit: MAX_REQUESTS, ..Default::default() };
    let ids = list("service_request_id");
    if !ids.is_empty() {
        let Ok(ids) = ids.iter().map(|id| id.parse::<i64>()).collect::<Result<Vec<_>, _>>() else {
            return Ok(Err(vec![FieldError::new("service_request_id", "open311_id")]));
        };
        filter.ids = ids;
        return Ok(Ok(filter));
    }
    let categories = state.store.complaint_categories(scope.body.id).await?;
    for code in list("service_code") {
        match categories.iter().find(|c| c.code == code) {
            Some(category) => filter.categories.push(category.id),
            None => return Ok(Err(vec![FieldError::new("service_code", "invalid_choice")])),
        }
    }
    for status in list("status") {
        match status.as_str() {
            "open" => filter.states.extend(OPEN),
            "closed" => filter.states.extend(CLOSED),
            _ => return Ok(Err(vec![FieldError::new("status", "invalid_choice")])),
        }
    }
    let (start, end) = match (moment(param("start_date"), "start_date"), moment(param("end_date"), "end_date")) {
        (Ok(start), Ok(end)) => (start, end),
        (start, end) => return Ok(Err([start.err(), end.err()].into_iter().flatten().collect())),
    };
    let (from, to) = match (start, end) {
        (Some(start), Some(end)) => (start, end),
        (Some(start), None) => (start, start + WINDOW_SECONDS),
        (None, Some(end)) => (end - WINDOW_SECONDS, end),
        (None, None) => (now() + 1 - WINDOW_SECONDS, now() + 1),
    };
    if to < from || to - from > WINDOW_SECONDS {
        return Ok(Err(vec![FieldError::new("end_date", "open311_window")]));
    }
    filter.filed_from = Some(from);
    filter.filed_to = Some(to);
    Ok(Ok(filter))
}

const OPEN: [ComplaintState; 3] = [ComplaintState::Received, ComplaintState::Assigned, ComplaintState::InProgress];
const CLOSED: [ComplaintState; 4] =
    [ComplaintState::Answered, ComplaintState::Closed, ComplaintState::Transferred, ComplaintState::Withdrawn];

/// A w3 date-time (`2026-11-01T00:00:00Z`, `2026-11-01T09:00:00+09:00`) or a date
/// (midnight in Korea), as Unix seconds; empty is none.
fn moment(raw: &str, field: &'static str) -> Result<Option<i64>, FieldError> {
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError::new(field, "invalid_datetime");
    if let Ok(at) = time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
        return Ok(Some(at.unix_timestamp()));
    }
    let date = time::Date::parse(raw, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| bad())?;
    let kst = time::UtcOffset::from_hms(9, 0, 0).map_err(|_| bad())?;
    Ok(Some(date.midnight().assume_offset(kst).unix_timestamp()))
}

/// The body's complaint an `{id}.{fmt}` segment names, when `keep` accepts it, and the
/// segment's format; an unknown, unreadable or refused one is a 404 in that format.
async fn named_complaint(
    state: &AppState,
    scope: &BodyScope,
    resource: &str,
    t: &Tr,
    keep: impl Fn(&Complaint) -> bool,
) -> crate::error::AppResult<Result<(Complaint, Format), Response>> {
    let Some((id, format)) = split_format(resource) else { return Ok(Err(not_found(Format::Json, t))) };
    let complaint = match id.parse::<i64>() {
        Ok(id) => state.store.complaint(scope.body.id, id).await?,
        Err(_) => None,
    };
    Ok(complaint.filter(|c| keep(c)).map(|c| (c, format)).ok_or_else(|| not_found(format, t)))
}

/// `GET requests/{id}`: one public complaint (a list of one, as the spec has it).
pub async fn one(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(Resource { resource }): Path<Resource>,
) -> Open311Result {
    let t = ctx.tr();
    let (complaint, format) = match named_complaint(&state, &scope, &resource, &t, Complaint::is_public).await? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    let listed = described(&state, &scope.body, std::slice::from_ref(&complaint), &t).await?;
    Ok(published(format, "service_requests", &Value::Array(listed)))
}

/// `GET tokens/{token}`: requests are created at once, so a token is the request's
/// id; it answers for requests filed through Open311 (public or not: the id alone
/// says nothing of the complaint).
pub async fn token(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(Resource { resource }): Path<Resource>,
) -> Open311Result {
    let t = ctx.tr();
    let (complaint, format) = match named_complaint(&state, &scope, &resource, &t, |c| c.source == "open311").await? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    let id = complaint.id.to_string();
    let answer = json!([{ "service_request_id": id, "token": id }]);
    Ok(published(format, "service_requests", &answer))
}

/// Public complaints as the spec's requests: what the public board shows, no more.
async fn described(
    state: &AppState,
    body: &Org,
    complaints: &[Complaint],
    t: &Tr,
) -> crate::error::AppResult<Vec<Value>> {
    let (categories, units) = tokio::try_join!(state.store.complaint_categories(body.id), state.store.units(body.id))?;
    Ok(complaints
        .iter()
        .filter(|c| c.is_public())
        .map(|c| {
            let category = categories.iter().find(|k| k.id == c.category_id);
            let department = c.department_id.and_then(|d| units.iter().find(|u| u.id == d));
            let coordinate = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<f64>().ok());
            json!({
                "service_request_id": c.id.to_string(),
                "status": if c.state.is_open() { "open" } else { "closed" },
                "status_notes": status_notes(c, t),
                "service_name": category.map(|k| k.name.clone()),
                "service_code": category.map(|k| k.code.clone()).unwrap_or_default(),
                "description": c.body,
                "agency_responsible": department.unwrap_or(body).name(t.is_en()).to_string(),
                "service_notice": t.t(&format!("complaint_period.{}", c.kind)),
                "requested_datetime": rfc3339(c.created_at),
                "updated_datetime": rfc3339(c.updated_at),
                "expected_datetime": c.state.is_open().then(|| rfc3339(c.due_at)),
                "address": c.address,
                "address_id": null,
                "zipcode": null,
                "lat": coordinate(&c.lat),
                "long": coordinate(&c.lon),
                "media_url": null,
            })
        })
        .collect())
}

/// What the board says of the complaint's outcome: the answer, or the state.
fn status_notes(complaint: &Complaint, t: &Tr) -> String {
    match (&complaint.answer_body, complaint.state) {
        (Some(answer), ComplaintState::Answered | ComplaintState::Closed) => answer.clone(),
        (_, state) => t.t(&format!("complaint_state.{}", state.as_str())).to_string(),
    }
}
