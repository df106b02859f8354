//! A complaint's files (photos of the site, documents): its filer attaches them while
//! the complaint is open and takes them off again; staff read them on the staff page.
//! Who may download one is the complaint's own rule (`Access`, in `html::files::serve`).

use super::board::{filers, show};
use super::ComplaintUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::files::Upload;
use crate::limits::{self, Write};
use crate::scope::{BodyScope, FileOfSegments, IdSegment};
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use sotong_core::FieldError;
use sotong_store::voice::attachments::Owner;
use sotong_store::voice::complaints::Complaint;
use sotong_store::StoreError;

/// The filer's complaint while files may still change: open.
async fn own_open(state: &AppState, ctx: &Ctx, scope: &BodyScope, id: i64) -> AppResult<(Complaint, super::Access)> {
    let (complaint, access) = filers(state, ctx, scope, id).await?;
    if !complaint.state.is_open() {
        return Err(AppError::Forbidden);
    }
    Ok((complaint, access))
}

fn back(scope: &BodyScope, id: i64, done: &str) -> Response {
    Redirect::to(&ComplaintUrls::new(&scope.body).complaint(id, &format!("?done={done}"))).into_response()
}

pub async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let (complaint, access) = own_open(&state, &ctx, &scope, id).await?;
    let user_id = access_user(&ctx)?;
    let max = state.config.attachment_max_bytes;
    let upload = Upload::read(&mut multipart, max).await?;
    let refused =
        |error: FieldError| show(&state, &ctx, &scope, complaint.clone(), access, "", (String::new(), vec![error]));
    let file = match crate::html::files::required(&upload, max) {
        Ok(file) => file,
        Err(error) => return refused(error).await,
    };
    if !limits::allow(&state, &ctx, user_id, Write::Upload).await? {
        return refused(FieldError::new("file", "too_many_writes")).await;
    }
    match state.store.attach_voice_file(&ctx.actor(), scope.body.id, Owner::Complaint(id), &file).await {
        Ok(_) => Ok(back(&scope, id, "attached")),
        Err(StoreError::Invalid(error)) => refused(error).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(FileOfSegments { id, file }): Path<FileOfSegments>,
) -> AppResult<Response> {
    own_open(&state, &ctx, &scope, id).await?;
    match state.store.remove_voice_file(&ctx.actor(), scope.body.id, Owner::Complaint(id), file).await {
        Ok(()) => Ok(back(&scope, id, "file_removed")),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}

fn access_user(ctx: &Ctx) -> AppResult<i64> {
    Ok(ctx.require_user()?.id)
}
