//! Moderators' queue: reported proposals and comments, most reported first, with what
//! people said; hide one (its reason shown publicly in its place) or restore it.

use super::urls::VoiceUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::BodyScope;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::voice::proposals::hide_reason;
use sotong_core::FieldError;
use sotong_store::voice::moderation::{Decision, Subject};
use sotong_store::StoreError;

pub struct QueueRow {
    pub kind: String,
    pub kind_key: String,
    pub subject_id: i64,
    pub title: String,
    pub url: String,
    pub excerpt: Option<String>,
    pub state: String,
    pub reports: String,
    pub reasons: Vec<String>,
    pub when: String,
    /// The reason typed when hiding it failed, and the suffix of its form's ids.
    pub typed: String,
    pub suffix: String,
}

#[derive(Template)]
#[template(path = "voice/moderation.html")]
struct QueuePage {
    shell: Shell,
    rows: Vec<QueueRow>,
    action: String,
    errors: FormErrors,
    done: bool,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    errors: Vec<FieldError>,
    failed: Option<(String, i64, String)>,
    done: bool,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "moderation.title");
    let t = shell.t;
    let urls = VoiceUrls::new(body);
    let items = state.store.moderation_queue(body.id).await?;
    let rows = items
        .into_iter()
        .map(|item| QueueRow {
            kind: t.t(&format!("moderation.kind_{}", item.subject_kind)).to_string(),
            kind_key: item.subject_kind.clone(),
            subject_id: item.subject_id,
            title: item.proposal_title,
            url: urls.staff_proposal(item.proposal_id, ""),
            excerpt: item.excerpt,
            state: t.t(&format!("moderation.state_{}", item.moderation)).to_string(),
            reports: t.number(item.reports),
            reasons: item.reasons.lines().map(|r| t.t(&format!("report_reason.{r}")).to_string()).collect(),
            when: t.date_time(item.last_reported_at),
            typed: failed
                .as_ref()
                .filter(|(kind, id, _)| *kind == item.subject_kind && *id == item.subject_id)
                .map(|(_, _, typed)| typed.clone())
                .unwrap_or_default(),
            suffix: format!("-{}-{}", item.subject_kind, item.subject_id),
        })
        .collect();
    let page = QueuePage {
        rows,
        action: urls.moderation(""),
        errors: FormErrors::new(t, errors),
        done,
        shell: shell.with_body(BodyNav::new(body, roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(body)),
            (t.t("moderation.title").to_string(), String::new()),
        ]),
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<crate::html::DoneQuery>,
) -> AppResult<Response> {
    scope.require(Permission::ModerateContent)?;
    page(&state, &ctx, &scope, Vec::new(), None, !query.done.is_empty()).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: i64,
    /// `hide` or `restore`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    scope.require(Permission::ModerateContent)?;
    let subject = Subject::parse(&form.kind, form.id).ok_or(AppError::BadRequest("kind"))?;
    let decision = match form.decision.as_str() {
        "hide" => match hide_reason(&form.reason) {
            Ok(reason) => Decision::Hide { reason },
            Err(error) => {
                let failed = Some((form.kind.clone(), form.id, form.reason.clone()));
                return page(&state, &ctx, &scope, vec![error], failed, false).await;
            }
        },
        "restore" => Decision::Restore,
        _ => return Err(AppError::BadRequest("decision")),
    };
    match state.store.moderate(&ctx.actor(), scope.body.id, subject, &decision).await {
        Ok(()) => Ok(Redirect::to(&VoiceUrls::new(&scope.body).moderation("?done=1")).into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}
