//! The keys of the systems that file complaints through Open311 (`api::open311`),
//! for the body's administrators: issue one (the key is shown once, on the page that
//! issued it; only its SHA-256 is kept) and revoke one.

use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::FieldError;

struct KeyView {
    name: String,
    issued: String,
    revoked: Option<String>,
    revoke_action: String,
}

#[derive(Template)]
#[template(path = "voice/complaints/open311_keys.html")]
struct KeysPage {
    shell: Shell,
    keys: Vec<KeyView>,
    form: KeyForm,
    errors: FormErrors,
    action: String,
    endpoint: String,
    /// The key just issued, shown this once.
    issued: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct KeyForm {
    #[serde(default)]
    open311_key_name: String,
}

fn keys_url(scope: &BodyScope, suffix: &str) -> String {
    crate::urls::body(&scope.body, &format!("/admin/open311{suffix}"))
}

async fn keys_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: KeyForm,
    errors: Vec<FieldError>,
    issued: Option<String>,
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "open311_keys.title");
    let t = shell.t;
    let keys = state
        .store
        .open311_keys(scope.body.id)
        .await?
        .into_iter()
        .map(|key| KeyView {
            name: key.name,
            issued: t.date_time(key.created_at),
            revoked: key.revoked_at.map(|at| t.date_time(at)),
            revoke_action: keys_url(scope, &format!("/{}/revoke", key.id)),
        })
        .collect();
    let title = shell.title.clone();
    let page = KeysPage {
        keys,
        form,
        errors: FormErrors::new(t, errors),
        action: keys_url(scope, ""),
        endpoint: crate::urls::body(&scope.body, crate::api::open311::BASE),
        issued,
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "admin_open311").with_breadcrumbs(vec![
            (scope.body.name(t.is_en()).to_string(), crate::urls::body(&scope.body, "")),
            (title, String::new()),
        ]),
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require(Permission::ManageIntegrations)?;
    keys_page(&state, &ctx, &scope, KeyForm::default(), Vec::new(), None).await
}

/// Issues a key and shows it once (the page is not a redirect, so it is not kept in
/// the history as a link that would show it again).
pub async fn issue(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<KeyForm>,
) -> AppResult<Response> {
    scope.require(Permission::ManageIntegrations)?;
    let name = match sotong_core::text::required_line("open311_key_name", &form.open311_key_name, 60) {
        Ok(name) => name,
        Err(error) => return keys_page(&state, &ctx, &scope, form, vec![error], None).await,
    };
    let key = crate::security::random_token();
    state.store.issue_open311_key(&ctx.actor(), scope.body.id, &name, &key).await?;
    keys_page(&state, &ctx, &scope, KeyForm::default(), Vec::new(), Some(key)).await
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    scope.require(Permission::ManageIntegrations)?;
    state.store.revoke_open311_key(&ctx.actor(), scope.body.id, id).await?;
    Ok(Redirect::to(&keys_url(&scope, "")).into_response())
}
