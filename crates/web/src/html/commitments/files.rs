//! Files on a report of the open period: the officer attaches evidence (photos,
//! documents) while the report can be edited, and may take one off again. Published
//! with the approved report; the bytes are kept by the shared `files` store.

use super::reports::{open_period, report_page, target, Target, Typed};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::html::files::Upload;
use crate::scope::{CodeAndIdSegments, CodeSegment, PlanScope};
use crate::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use sotong_store::StoreError;

/// Only the commitment's reporting department writes its report and its files.
async fn reporter(state: &AppState, scope: PlanScope, code: &str) -> AppResult<Target> {
    let target = target(state, scope, code).await?;
    if !target.a.may_report_for(&target.commitment) {
        return Err(AppError::Forbidden);
    }
    Ok(target)
}

pub async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeSegment { code }): Path<CodeSegment>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let target = reporter(&state, scope, &code).await?;
    let max = state.config.attachment_max_bytes;
    let upload = Upload::read(&mut multipart, max).await?;
    let file = match crate::html::files::required(&upload, max) {
        Ok(file) => file,
        Err(error) => return report_page(&state, &ctx, target, Typed::Upload, vec![error]).await,
    };
    let period = open_period(&state, &target.a.plan).await?;
    let result = state.store.attach_to_report(&ctx.actor(), &target.a.plan, &target.commitment, &period, &file).await;
    finish(&state, &ctx, target, result.map(|_| ())).await
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: PlanScope,
    Path(CodeAndIdSegments { code, id }): Path<CodeAndIdSegments>,
) -> AppResult<Response> {
    let target = reporter(&state, scope, &code).await?;
    let period = open_period(&state, &target.a.plan).await?;
    let result =
        state.store.remove_attachment(&ctx.actor(), &target.a.plan, &target.commitment, id, Some(&period)).await;
    finish(&state, &ctx, target, result).await
}

/// Back to the report's files, or the report page with the store's refusal.
async fn finish(state: &AppState, ctx: &Ctx, target: Target, result: Result<(), StoreError>) -> AppResult<Response> {
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}#files-title", target.a.urls().report(&target.commitment.code)))
                .into_response())
        }
        Err(StoreError::Invalid(error)) => report_page(state, ctx, target, Typed::Upload, vec![error]).await,
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}
