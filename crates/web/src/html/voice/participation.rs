//! What a signed-in citizen does on a proposal: support it (or take the support back
//! before the threshold), follow it, withdraw their own or attach files to it,
//! comment, and report a proposal or comment. Each answers with the proposal's page
//! and a line saying what happened.

use super::proposals::{load, show};
use super::urls::VoiceUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::voice::views::attach_upload;
use crate::limits::{self, Write};
use crate::scope::{BodyScope, FileOfSegments, IdSegment};
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::voice::proposals::comment_text;
use sotong_core::FieldError;
use sotong_store::voice::attachments::Owner;
use sotong_store::voice::moderation::{Reported, Subject};
use sotong_store::voice::proposals::Supported;
use sotong_store::StoreError;

fn back(scope: &BodyScope, id: i64, done: &str) -> Response {
    Redirect::to(&VoiceUrls::new(&scope.body).proposal_with(id, &format!("?done={done}"))).into_response()
}

#[derive(Deserialize)]
pub struct SupportForm {
    /// `support` (the default) or `withdraw`.
    #[serde(default)]
    action: String,
}

pub async fn support(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<SupportForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let proposal = load(&state, &scope.body, id).await?;
    if !proposal.is_public() {
        return Err(AppError::NotFound);
    }
    if form.action == "withdraw" {
        return match state.store.withdraw_support(&ctx.actor(), &proposal, user.id).await {
            Ok(_) => Ok(back(&scope, id, "unsupported")),
            Err(StoreError::Invalid(error)) => Err(AppError::Invalid(vec![error])),
            Err(other) => Err(other.into()),
        };
    }
    if !limits::allow(&state, &ctx, user.id, Write::Support).await? {
        return Err(limits::refused(Write::Support));
    }
    let rules = state.store.proposal_rules(scope.body.id).await?;
    match state.store.support_proposal(&ctx.actor(), &proposal, user.id, &rules).await {
        Ok(Supported::Added { .. }) => Ok(back(&scope, id, "supported")),
        Ok(Supported::Already) => Ok(back(&scope, id, "already")),
        Err(StoreError::Invalid(error)) => Err(AppError::Invalid(vec![error])),
        Err(other) => Err(other.into()),
    }
}

/// The author withdraws their proposal (철회) before it is answered.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let proposal = load(&state, &scope.body, id).await?;
    if proposal.author_id != user.id {
        return Err(AppError::Forbidden);
    }
    match state.store.withdraw_proposal(&ctx.actor(), &proposal).await {
        Ok(_) => Ok(back(&scope, id, "withdrawn")),
        Err(StoreError::Invalid(error)) => Err(AppError::Invalid(vec![error])),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

pub async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let proposal = load(&state, &scope.body, id).await?;
    let rules = state.store.proposal_rules(scope.body.id).await?;
    if !rules.comments_enabled || !proposal.is_public() {
        return Err(AppError::Forbidden);
    }
    let text = match comment_text(&form.comment) {
        Ok(text) => text,
        Err(error) => return show(&state, &ctx, &scope, proposal, "", (form.comment, vec![error])).await,
    };
    if !limits::allow(&state, &ctx, user.id, Write::Comment).await? {
        // The comment is shown again in its box, with why it was not posted.
        let refusal = FieldError::new("comment", "too_many_writes");
        return show(&state, &ctx, &scope, proposal, "", (form.comment, vec![refusal])).await;
    }
    state.store.add_comment(&ctx.actor(), &proposal, user.id, &text).await?;
    Ok(back(&scope, id, "commented"))
}

#[derive(Deserialize)]
pub struct ReportForm {
    /// `proposal` (the default) or `comment`.
    #[serde(default)]
    kind: String,
    /// The comment's id, for a comment.
    #[serde(default)]
    comment: Option<i64>,
    #[serde(default)]
    reason: String,
}

const REPORT_REASONS: [&str; 4] = ["abuse", "personal_data", "advertising", "off_topic"];

pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let proposal = load(&state, &scope.body, id).await?;
    if !REPORT_REASONS.contains(&form.reason.as_str()) {
        return Err(AppError::Invalid(vec![FieldError::new("reason", "invalid_choice")]));
    }
    let subject = match (form.kind.as_str(), form.comment) {
        ("comment", Some(comment_id)) => {
            let comments = state.store.comments_of(proposal.id).await?;
            if !comments.iter().any(|c| c.id == comment_id) {
                return Err(AppError::NotFound);
            }
            Subject::Comment(comment_id)
        }
        ("" | "proposal", _) => Subject::Proposal(proposal.id),
        _ => return Err(AppError::BadRequest("kind")),
    };
    if !limits::allow(&state, &ctx, user.id, Write::Report).await? {
        return Err(limits::refused(Write::Report));
    }
    match state.store.report_content(&ctx.actor(), scope.body.id, subject, user.id, &form.reason).await? {
        Reported::Counted { .. } => Ok(back(&scope, id, "reported")),
        Reported::Already => Ok(back(&scope, id, "already_reported")),
    }
}

#[derive(Deserialize)]
pub struct FollowForm {
    /// `follow` (the default) or `unfollow`.
    #[serde(default)]
    action: String,
}

/// Follow a proposal (told of its assignment and answer in the app and by e-mail), or stop.
pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<FollowForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let proposal = load(&state, &scope.body, id).await?;
    if !proposal.is_public() && proposal.author_id != user.id {
        return Err(AppError::NotFound);
    }
    let follow = match form.action.as_str() {
        "" | "follow" => true,
        "unfollow" => false,
        _ => return Err(AppError::BadRequest("action")),
    };
    if !limits::allow(&state, &ctx, user.id, Write::Follow).await? {
        return Err(limits::refused(Write::Follow));
    }
    state.store.set_following_proposal(proposal.id, user.id, follow).await?;
    Ok(back(&scope, id, if follow { "followed" } else { "unfollowed" }))
}

/// The author's proposal, while files may still be added or taken off: open (not yet
/// answered or withdrawn) and not hidden.
async fn own_open_proposal(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    id: i64,
) -> AppResult<(i64, sotong_store::voice::proposals::Proposal)> {
    let user = ctx.require_user()?;
    let proposal = load(state, &scope.body, id).await?;
    if proposal.author_id != user.id || !proposal.state.is_open() || !proposal.is_public() {
        return Err(AppError::Forbidden);
    }
    Ok((user.id, proposal))
}

/// The author attaches a file (photo, document) to their proposal.
pub async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let (user_id, proposal) = own_open_proposal(&state, &ctx, &scope, id).await?;
    let owner = Owner::Proposal(id);
    match attach_upload(&state, &ctx, scope.body.id, owner, &mut multipart, Some(user_id)).await? {
        Ok(()) => Ok(back(&scope, id, "attached")),
        Err(error) => show(&state, &ctx, &scope, proposal, "", (String::new(), vec![error])).await,
    }
}

/// The author takes a file off their proposal.
pub async fn remove_file(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(FileOfSegments { id, file }): Path<FileOfSegments>,
) -> AppResult<Response> {
    own_open_proposal(&state, &ctx, &scope, id).await?;
    state.store.remove_voice_file(&ctx.actor(), scope.body.id, Owner::Proposal(id), file).await?;
    Ok(back(&scope, id, "file_removed"))
}
