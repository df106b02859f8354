//! The signed-in person's notifications (a shared service: any module creates them).

use super::{ok, Shell};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

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
