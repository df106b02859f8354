//! Who is asking about which public body or plan, extracted once from the named path
//! segments `{org}` and `{plan}` (the crates.io `CratePath` + `AuthCheck` pattern):
//! the body, the visitor's roles there and the plan (or budgeting process), then
//! `scope.require(..)?`.
//! Handlers take a scope instead of a tuple of path strings and repeat no lookup.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::AppState;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::Deserialize;
use sotong_core::role::{Permission, RoleSet};
use sotong_store::commitments::plans::Plan;
use sotong_store::orgs::Org;

/// A public body's pages: `/{org}/…`.
pub struct BodyScope {
    pub body: Org,
    /// The visitor's roles in the body (none for visitors who are not signed in).
    pub roles: RoleSet,
    signed_in: bool,
}

/// One plan of a public body: `/{org}/…/{plan}/…`.
pub struct PlanScope {
    pub body: Org,
    pub roles: RoleSet,
    pub plan: Plan,
    signed_in: bool,
}

/// One participatory-budgeting process of a public body: `/{org}/…/budgeting/{process}/…`.
pub struct ProcessScope {
    pub body: Org,
    pub roles: RoleSet,
    pub process: sotong_store::budgeting::Process,
    signed_in: bool,
}

#[derive(Deserialize)]
struct ProcessSegments {
    org: String,
    process: String,
}

#[derive(Deserialize)]
struct BodySegment {
    org: String,
}

#[derive(Deserialize)]
struct PlanSegments {
    org: String,
    plan: String,
}

/// Visitors who are not signed in are sent to log in; others without the permission
/// are refused.
fn require(signed_in: bool, roles: &RoleSet, permission: Permission) -> AppResult<()> {
    if !signed_in {
        return Err(AppError::LoginRequired);
    }
    if !roles.allows(permission) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

fn require_any(signed_in: bool, roles: &RoleSet, permissions: &[Permission]) -> AppResult<()> {
    match permissions.iter().find(|p| roles.allows(**p)) {
        Some(&permission) => require(signed_in, roles, permission),
        None => require(signed_in, roles, permissions[0]),
    }
}

impl BodyScope {
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        require(self.signed_in, &self.roles, permission)
    }

    pub fn require_any(&self, permissions: &[Permission]) -> AppResult<()> {
        require_any(self.signed_in, &self.roles, permissions)
    }
}

impl PlanScope {
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        require(self.signed_in, &self.roles, permission)
    }
}

impl ProcessScope {
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        require(self.signed_in, &self.roles, permission)
    }

    /// At least one of `permissions` (pages several staff roles share).
    pub fn require_any(&self, permissions: &[Permission]) -> AppResult<()> {
        require_any(self.signed_in, &self.roles, permissions)
    }
}

async fn body_and_roles(state: &AppState, ctx: &Ctx, slug: &str) -> AppResult<(Org, RoleSet)> {
    let body = state.store.public_body(slug).await?.ok_or(AppError::NotFound)?;
    let roles = match &ctx.user {
        Some(user) => state.store.roles_in(user, body.id).await?,
        None => RoleSet::default(),
    };
    Ok((body, roles))
}

impl FromRequestParts<AppState> for BodyScope {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path(BodySegment { org }) = Path::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let (body, roles) = body_and_roles(state, &ctx, &org).await?;
        Ok(BodyScope { body, roles, signed_in: ctx.user.is_some() })
    }
}

impl FromRequestParts<AppState> for PlanScope {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path(PlanSegments { org, plan }) =
            Path::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let (body, roles) = body_and_roles(state, &ctx, &org).await?;
        let plan = state.store.plan(body.id, &plan).await?.ok_or(AppError::NotFound)?;
        Ok(PlanScope { body, roles, plan, signed_in: ctx.user.is_some() })
    }
}

impl FromRequestParts<AppState> for ProcessScope {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path(ProcessSegments { org, process }) =
            Path::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let (body, roles) = body_and_roles(state, &ctx, &org).await?;
        let process = state.store.process_by_slug(body.id, &process).await?.ok_or(AppError::NotFound)?;
        Ok(ProcessScope { body, roles, process, signed_in: ctx.user.is_some() })
    }
}

/// The named segments after `{org}` and `{plan}`, for handlers that need them.
#[derive(Deserialize)]
pub struct CodeSegment {
    pub code: String,
}

#[derive(Deserialize)]
pub struct IdSegment {
    pub id: i64,
}

/// `{id}` and `{file}`: one file on a proposal or notice.
#[derive(Deserialize)]
pub struct FileOfSegments {
    pub id: i64,
    pub file: i64,
}

#[derive(Deserialize)]
pub struct CodeAndIdSegments {
    pub code: String,
    pub id: i64,
}

#[derive(Deserialize)]
pub struct PeriodSegment {
    pub period: String,
}
