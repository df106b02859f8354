//! Following a plan or one commitment (the notifications it brings are the shared
//! `html::notifications`).

use super::urls::PlanUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::limits::{self, Write};
use crate::scope::PlanScope;
use crate::AppState;
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
    let urls = PlanUrls::new(&body, &plan);
    let (commitment_id, back) = if form.code.is_empty() {
        (None, urls.dashboard())
    } else {
        let c = state.store.commitment_by_code(plan.id, &form.code).await?.ok_or(AppError::NotFound)?;
        (Some(c.id), urls.commitment(&c.code))
    };
    if !limits::allow(&state, &ctx, user.id, Write::Follow).await? {
        return Err(limits::refused(Write::Follow));
    }
    match form.action.as_str() {
        "follow" => state.store.follow(user.id, plan.id, commitment_id).await?,
        "unfollow" => state.store.unfollow(user.id, plan.id, commitment_id).await?,
        _ => return Err(AppError::BadRequest("action")),
    }
    Ok(Redirect::to(&back).into_response())
}
