//! The staff's moves that connect a complaint to others or send it elsewhere: link it
//! by hand to the same person's earlier filing of the matter (반복민원) or unlink it,
//! merge it with other people's complaints on the matter into one case or take it out
//! (다수인·중복민원), and transfer it to another public body of the installation (이송,
//! 법 제16조: the receiving body's clock starts anew). Any handler links; merging,
//! splitting and transferring are for whoever may assign (the coordinator).

use super::staff::{checked, load_for_staff, settle, StaffForm};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::i18n::Tr;
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use sotong_core::role::Permission;
use sotong_core::voice::complaints::reason;
use sotong_core::FieldError;
use sotong_store::voice::complaints::ComplaintFilter;

/// Complaint numbers as staff type them (`1203, 1207`): each a complaint of the body
/// other than `own`, or the field's error.
async fn complaint_numbers(
    state: &AppState,
    scope: &BodyScope,
    field: &'static str,
    raw: &str,
    own: i64,
) -> AppResult<Result<Vec<i64>, FieldError>> {
    let parsed: Result<Vec<i64>, _> = raw
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_start_matches('#').parse::<i64>())
        .collect();
    let mut ids = match parsed {
        Ok(ids) if !ids.is_empty() && ids.len() <= 50 => ids,
        _ => return Ok(Err(FieldError::new(field, "invalid_choice"))),
    };
    ids.sort_unstable();
    ids.dedup();
    // One query for all of them: the body's complaints among these ids.
    let filter = ComplaintFilter { ids: ids.clone(), limit: 1, ..Default::default() };
    let (_, found) = state.store.complaints(scope.body.id, &filter).await?;
    if ids.contains(&own) || found != ids.len() as i64 {
        return Ok(Err(FieldError::new(field, "invalid_choice")));
    }
    Ok(Ok(ids))
}

pub async fn link(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let result = match complaint_numbers(&state, &scope, "repeat_of", &form.repeat_of, id).await? {
        Ok(ids) if ids.len() == 1 => checked(state.store.link_repeat(&ctx.actor(), &complaint, ids[0]).await)?,
        Ok(_) => Err(vec![FieldError::new("repeat_of", "invalid_choice")]),
        Err(e) => Err(vec![e]),
    };
    settle(&state, &ctx, &scope, complaint, form, "link", result).await
}

pub async fn unlink(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let result = checked(state.store.unlink_repeat(&ctx.actor(), &complaint).await)?;
    settle(&state, &ctx, &scope, complaint, form, "link", result).await
}

pub async fn merge(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let result = match complaint_numbers(&state, &scope, "case_with", &form.case_with, id).await? {
        Ok(others) => checked(state.store.merge_complaints(&ctx.actor(), &complaint, &others).await)?,
        Err(e) => Err(vec![e]),
    };
    settle(&state, &ctx, &scope, complaint, form, "merge", result).await
}

pub async fn split(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let result = checked(state.store.split_complaint(&ctx.actor(), &complaint).await)?;
    settle(&state, &ctx, &scope, complaint, form, "merge", result).await
}

pub async fn transfer(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let complaint = load_for_staff(&state, &ctx, &scope, id).await?;
    let chosen = form.target.trim().parse::<i64>().ok();
    let target = state
        .store
        .complaint_categories_elsewhere(scope.body.id)
        .await?
        .into_iter()
        .find(|category| Some(category.id) == chosen)
        .ok_or(FieldError::new("target", "invalid_choice"));
    let why = reason("reason", &form.reason);
    let result = match (target, why) {
        (Ok(category), Ok(why)) => {
            let calendar = state.store.calendar().await?;
            checked(state.store.transfer_complaint(&ctx.actor(), &complaint, &category, &why, &calendar).await)?
        }
        (target, why) => Err([target.err(), why.err()].into_iter().flatten().collect()),
    };
    settle(&state, &ctx, &scope, complaint, form, "transfer", result).await
}

/// The transfer form's choices: every category of every other public body of the
/// installation, as (category id, "body — category").
pub async fn transfer_targets(state: &AppState, scope: &BodyScope, t: &Tr) -> AppResult<Vec<(String, String)>> {
    let (bodies, categories) =
        tokio::try_join!(state.store.public_bodies(), state.store.complaint_categories_elsewhere(scope.body.id))?;
    Ok(categories
        .into_iter()
        .filter_map(|category| {
            let body = bodies.iter().find(|b| b.id == category.body_id)?;
            Some((category.id.to_string(), format!("{} — {}", body.name(t.is_en()), category.name)))
        })
        .collect())
}
