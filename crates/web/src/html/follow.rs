//! Following plans and commitments, and reading notifications.

use super::{ok, Shell};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::scope::PlanScope;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FollowForm {
    /// `follow` or `unfollow`.
    #[serde(default)]
    action: String,
    /// A commitment's code; the whole plan when empty.
    #[serde(default)]
    code: String,
}

pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    PlanScope { body, plan, .. }: PlanScope,
    Form(form): Form<FollowForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let (slug, plan_slug) = (&body.slug, &plan.slug);
    let (commitment_id, back) = if form.code.is_empty() {
        (None, format!("/{slug}/plans/{plan_slug}"))
    } else {
        let c = state.store.commitment_by_code(plan.id, &form.code).await?.ok_or(AppError::NotFound)?;
        (Some(c.id), format!("/{slug}/plans/{plan_slug}/commitments/{}", c.code))
    };
    match form.action.as_str() {
        "follow" => state.store.follow(user.id, plan.id, commitment_id).await?,
        "unfollow" => state.store.unfollow(user.id, plan.id, commitment_id).await?,
        _ => return Err(AppError::BadRequest("action")),
    }
    Ok(Redirect::to(&back).into_response())
}

pub struct NotificationRow {
    pub title: String,
    pub link: String,
    pub when: String,
    pub unread: bool,
    pub kind: String,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    shell: Shell,
    rows: Vec<NotificationRow>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let shell = Shell::new(&ctx, "notifications.title");
    let t = shell.t;
    let rows = state
        .store
        .notifications(user.id, 100)
        .await?
        .into_iter()
        .map(|n| NotificationRow {
            kind: t.t(&format!("notifications.{}", n.kind)).to_string(),
            when: t.date_time(n.created_at),
            unread: n.read_at.is_none(),
            title: n.title,
            link: n.link,
        })
        .collect();
    Ok(ok(&NotificationsPage { shell, rows }))
}

pub async fn mark_read(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require_user()?;
    state.store.mark_notifications_read(user.id).await?;
    Ok(Redirect::to("/notifications").into_response())
}
