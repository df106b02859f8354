//! A person's own data on their account page (개인정보 보호법 제35조~제37조): the
//! consents they gave, what they follow (with unfollow), whether notifications come
//! by e-mail, a download of everything sotong holds about them, and deleting the
//! account.

use crate::context::{Ctx, SESSION_COOKIE};
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::i18n::Tr;
use crate::security::cookie_header;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::FieldError;
use sotong_store::users::User;

/// One thing followed, with the form that unfollows it.
pub struct FollowRow {
    pub title: String,
    pub link: String,
    /// Where the unfollow form posts, and the commitment code it sends (empty: the plan).
    pub action: String,
    pub code: String,
}

pub struct PrivacySection {
    /// (what, version, when)
    pub consents: Vec<(String, String, String)>,
    pub follows: Vec<FollowRow>,
    pub email_notifications: bool,
}

pub async fn privacy_section(state: &AppState, user: &User, t: &Tr) -> AppResult<PrivacySection> {
    let consents = state
        .store
        .consents(user.id)
        .await?
        .into_iter()
        .map(|c| (t.t(&format!("account.consent_{}", c.kind)).to_string(), c.version, t.date_time(c.accepted_at)))
        .collect();
    let follows = state
        .store
        .follows_of(user.id)
        .await?
        .into_iter()
        .map(|f| {
            let urls = super::commitments::urls::PlanUrls::from_slugs(&f.body_slug, &f.plan_slug);
            let plan = if t.is_en() { f.plan_title_en } else { f.plan_title_ko };
            let (title, link) = match (&f.commitment_code, &f.commitment_title) {
                (Some(code), Some(title)) => (format!("{plan} · {code} {title}"), urls.commitment(code)),
                _ => (t.f1("account.whole_plan", &plan), urls.dashboard()),
            };
            FollowRow { title, link, action: urls.follow(), code: f.commitment_code.unwrap_or_default() }
        })
        .collect();
    Ok(PrivacySection { consents, follows, email_notifications: state.store.email_notifications(user.id).await? })
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    /// `on` when e-mails are wanted (a checkbox).
    #[serde(default)]
    email_notifications: String,
}

pub async fn set_email(State(state): State<AppState>, ctx: Ctx, Form(form): Form<EmailForm>) -> AppResult<Response> {
    let user = ctx.require_user()?;
    state.store.set_email_notifications(&ctx.actor(), user.id, form.email_notifications == "on").await?;
    Ok(Redirect::to("/account?saved=1#email-title").into_response())
}

/// `GET /account/data`: everything sotong holds about the signed-in person, as JSON.
pub async fn download(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let data = state.store.export_user_data(user.id).await?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.into()))?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"sotong-my-data.json\""));
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct DeleteForm {
    #[serde(default)]
    current_password: String,
    /// The "I understand" checkbox.
    #[serde(default)]
    confirm: String,
}

/// Deletes the signed-in person's account after they confirm with their password.
pub async fn delete(State(state): State<AppState>, ctx: Ctx, Form(form): Form<DeleteForm>) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    let mut errors = Vec::new();
    if form.confirm != "yes" {
        errors.push(FieldError::new("confirm", "confirm_required"));
    }
    if !crate::auth::current_password_is(&state, &user, &form.current_password).await? {
        errors.push(FieldError::new("current_password", "wrong_password"));
    }
    if !errors.is_empty() {
        return crate::auth::account_page(&state, &ctx, errors, None).await;
    }
    state.store.delete_account(&ctx.actor(), user.id).await?;
    let mut response = Redirect::to("/?deleted=1").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie_header(SESSION_COOKIE, "", Some(0), state.config.secure_cookies));
    Ok(response)
}
