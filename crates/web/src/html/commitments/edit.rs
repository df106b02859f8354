//! The coordinator's form for a commitment's details: text, dates, budget by source
//! (국비/도비/시비/기타), collaborating departments, yearly targets and links.

use super::urls::PlanUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::{CodeSegment, PlanScope};
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use sotong_core::format::group_thousands;
use sotong_core::role::Permission;
use sotong_core::FieldError;
use sotong_exchange::commitments_csv::{parse_date, parse_krw};
use sotong_store::commitments::edit::CommitmentEdit;
use sotong_store::commitments::plans::Commitment;
use sotong_store::StoreError;

/// The form as typed (kept for showing it again with errors).
#[derive(Default, Clone)]
pub struct EditForm {
    pub title: String,
    pub summary: String,
    pub term_target: String,
    pub start_date: String,
    pub end_date: String,
    pub budget_national: String,
    pub budget_provincial: String,
    pub budget_city: String,
    pub budget_other: String,
    pub collaborators: Vec<i64>,
    /// One `2025: 목표` per line.
    pub yearly_targets: String,
    /// One `제목 | https://…` per line.
    pub links: String,
}

impl EditForm {
    fn from_commitment(c: &Commitment, details: &sotong_store::commitments::edit::CommitmentDetails) -> EditForm {
        EditForm {
            title: c.title.clone(),
            summary: c.summary.clone(),
            term_target: c.term_target.clone(),
            start_date: c.start_date.clone().unwrap_or_default(),
            end_date: c.end_date.clone().unwrap_or_default(),
            budget_national: group_thousands(c.budget_national),
            budget_provincial: group_thousands(c.budget_provincial),
            budget_city: group_thousands(c.budget_city),
            budget_other: group_thousands(c.budget_other),
            collaborators: details.collaborators.clone(),
            yearly_targets: details
                .yearly_targets
                .iter()
                .map(|(y, t)| format!("{y}: {t}"))
                .collect::<Vec<_>>()
                .join("\n"),
            links: details.links.iter().map(|(t, u)| format!("{t} | {u}")).collect::<Vec<_>>().join("\n"),
        }
    }

    /// Reads a URL-encoded body; `collaborators` may repeat (one per checked box).
    fn from_body(body: &[u8]) -> EditForm {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let mut form = EditForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "title" => form.title = value,
                "summary" => form.summary = value,
                "term_target" => form.term_target = value,
                "start_date" => form.start_date = value,
                "end_date" => form.end_date = value,
                "budget_national" => form.budget_national = value,
                "budget_provincial" => form.budget_provincial = value,
                "budget_city" => form.budget_city = value,
                "budget_other" => form.budget_other = value,
                "collaborators" => form.collaborators.extend(value.parse::<i64>().ok()),
                "yearly_targets" => form.yearly_targets = value,
                "links" => form.links = value,
                _ => {}
            }
        }
        form
    }

    fn parse(&self) -> Result<CommitmentEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = sotong_core::text::required_line("title", &self.title, 200).map_err(|e| errors.push(e)).ok();
        let mut date = |field: &'static str, raw: &str| -> Option<String> {
            if raw.trim().is_empty() {
                return None;
            }
            let parsed = parse_date(raw);
            if parsed.is_none() {
                errors.push(FieldError::new(field, "invalid_date"));
            }
            parsed
        };
        let (start_date, end_date) = (date("start_date", &self.start_date), date("end_date", &self.end_date));
        // The same rule as the import's.
        if let (Some(start), Some(end)) = (&start_date, &end_date) {
            if end < start {
                errors.push(FieldError::new("end_date", "end_before_start"));
            }
        }
        let mut amount = |field: &'static str, raw: &str| {
            parse_krw(raw).unwrap_or_else(|| {
                errors.push(FieldError::new(field, "invalid_amount"));
                0
            })
        };
        let budget = [
            amount("budget_national", &self.budget_national),
            amount("budget_provincial", &self.budget_provincial),
            amount("budget_city", &self.budget_city),
            amount("budget_other", &self.budget_other),
        ];
        let mut yearly_targets = Vec::new();
        for line in self.yearly_targets.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.split_once(':').map(|(y, t)| (y.trim().parse::<i64>(), t.trim())) {
                Some((Ok(year), target)) if (1900..=2999).contains(&year) && !target.is_empty() => {
                    yearly_targets.push((year, target.to_string()))
                }
                _ => errors.push(FieldError::new("yearly_targets", "invalid_yearly_target")),
            }
        }
        let mut links = Vec::new();
        for line in self.links.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.split_once('|').map(|(t, u)| (t.trim(), u.trim())) {
                Some((title, url))
                    if !title.is_empty() && (url.starts_with("https://") || url.starts_with("http://")) =>
                {
                    links.push((title.to_string(), url.to_string()))
                }
                _ => errors.push(FieldError::new("links", "invalid_link")),
            }
        }
        match title {
            Some(title) if errors.is_empty() => Ok(CommitmentEdit {
                title,
                summary: self.summary.trim().to_string(),
                term_target: self.term_target.trim().to_string(),
                start_date,
                end_date,
                budget_national: budget[0],
                budget_provincial: budget[1],
                budget_city: budget[2],
                budget_other: budget[3],
                collaborators: self.collaborators.clone(),
                yearly_targets,
                links,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "commitments/commitment_edit.html")]
struct EditPage {
    shell: Shell,
    urls: PlanUrls,
    code: String,
    form: EditForm,
    /// (field, value) of the single-line inputs.
    lines: Vec<(&'static str, String)>,
    /// (id, name, checked) of the units that can collaborate.
    units: Vec<(i64, String, bool)>,
    /// (field, value, hint key) of the line-per-entry text areas.
    areas: Vec<(&'static str, String, &'static str)>,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    scope: &PlanScope,
    commitment: &Commitment,
    form: Option<EditForm>,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let PlanScope { body, roles, plan, .. } = scope;
    let form = match form {
        Some(form) => form,
        None => EditForm::from_commitment(commitment, &state.store.commitment_details(commitment.id).await?),
    };
    let shell = Shell::new(ctx, "edit.title");
    let t = shell.t;
    let units = state
        .store
        .units(body.id)
        .await?
        .into_iter()
        .filter(|u| u.id != commitment.lead_department_id && u.kind != "bureau")
        .map(|u| (u.id, u.name(t.is_en()).to_string(), form.collaborators.contains(&u.id)))
        .collect();
    let lines = vec![
        ("title", form.title.clone()),
        ("term_target", form.term_target.clone()),
        ("start_date", form.start_date.clone()),
        ("end_date", form.end_date.clone()),
        ("budget_national", form.budget_national.clone()),
        ("budget_provincial", form.budget_provincial.clone()),
        ("budget_city", form.budget_city.clone()),
        ("budget_other", form.budget_other.clone()),
    ];
    let areas = vec![
        ("yearly_targets", form.yearly_targets.clone(), "edit.yearly_hint"),
        ("links", form.links.clone(), "edit.links_hint"),
    ];
    let page = EditPage {
        areas,
        urls: PlanUrls::new(&body, &plan),
        code: commitment.code.clone(),
        lines,
        units,
        errors: FormErrors::new(t, errors),
        form,
        shell: shell
            .with_title(format!("{} {}", commitment.code, commitment.title))
            .with_body(BodyNav::new(body, roles, &t), "staff"),
    };
    Ok(render(page.errors.status(), &page))
}

/// The commitment being edited, once the visitor may keep the plans.
async fn editable(state: &AppState, scope: &PlanScope, code: &str) -> AppResult<Commitment> {
    scope.require(Permission::ManagePlans)?;
    Ok(state.store.commitment_by_code(scope.plan.id, code).await?.ok_or(AppError::NotFound)?)
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
) -> AppResult<Response> {
    let commitment = editable(&state, &scope, &code).await?;
    page(&state, &ctx, &scope, &commitment, None, Vec::new()).await
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    body: Bytes,
) -> AppResult<Response> {
    let commitment = editable(&state, &scope, &code).await?;
    let form = EditForm::from_body(&body);
    let edit = match form.parse() {
        Ok(edit) => edit,
        Err(errors) => return page(&state, &ctx, &scope, &commitment, Some(form), errors).await,
    };
    match state.store.edit_commitment(&ctx.actor(), &scope.plan, &commitment, &edit).await {
        Ok(_) => {
            let back = PlanUrls::new(&scope.body, &scope.plan).report(&code);
            Ok(Redirect::to(&back).into_response())
        }
        Err(StoreError::Invalid(error)) => page(&state, &ctx, &scope, &commitment, Some(form), vec![error]).await,
        Err(other) => Err(other.into()),
    }
}
