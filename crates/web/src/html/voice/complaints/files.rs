//! A complaint's files (photos of the site, documents): its filer attaches them while
//! the complaint is open and takes them off again; staff read them on the staff page.
//! Who may download one is the complaint's own rule (`Access`, in `html::files::serve`).

use super::board::{filers, show};
use super::ComplaintUrls;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::voice::views::attach_upload;
use crate::scope::{BodyScope, FileOfSegments, IdSegment};
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use sotong_store::voice::attachments::Owner;
use sotong_store::voice::complaints::Complaint;

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
    let uploader = ctx.user.as_ref().map(|u| u.id);
    match attach_upload(&state, &ctx, scope.body.id, Owner::Complaint(id), &mut multipart, uploader).await? {
        Ok(()) => Ok(back(&scope, id, "attached")),
        Err(error) => show(&state, &ctx, &scope, complaint, access, "", (String::new(), vec![error])).await,
    }
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(FileOfSegments { id, file }): Path<FileOfSegments>,
) -> AppResult<Response> {
    own_open(&state, &ctx, &scope, id).await?;
    state.store.remove_voice_file(&ctx.actor(), scope.body.id, Owner::Complaint(id), file).await?;
    Ok(back(&scope, id, "file_removed"))
}
