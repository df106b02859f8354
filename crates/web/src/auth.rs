//! Sign-up, login, logout, the account page and password change; and the access
//! check every body-scoped route starts with.

use crate::context::{Ctx, SESSION_COOKIE};
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::html::public::safe_next;
use crate::html::{render, FormErrors, Shell};
use crate::security::{self, cookie_header, random_token};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::user::{Email, NewUser, Password};
use sotong_core::FieldError;
use sotong_store::audit::Change;
use sotong_store::rate::{RateLimit, Taken};
use sotong_store::users::User;

#[derive(Deserialize, Default)]
pub struct SignupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    /// The two required consents (checkboxes), `yes` when given.
    #[serde(default)]
    consent_personal_data: String,
    #[serde(default)]
    consent_terms: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    shell: Shell,
    email: String,
    display_name: String,
    consent_personal_data: bool,
    consent_terms: bool,
    errors: FormErrors,
    min_chars: usize,
}

fn signup_page(ctx: &Ctx, form: &SignupForm, errors: Vec<FieldError>) -> Response {
    let shell = Shell::new(ctx, "signup.title");
    let page = SignupPage {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        consent_personal_data: form.consent_personal_data == "yes",
        consent_terms: form.consent_terms == "yes",
        errors: FormErrors::new(shell.t, errors),
        min_chars: Password::MIN_CHARS,
        shell,
    };
    render(page.errors.status(), &page)
}

pub async fn signup_form(ctx: Ctx) -> Response {
    signup_page(&ctx, &SignupForm::default(), Vec::new())
}

pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<SignupForm>,
) -> AppResult<Response> {
    let mut errors = Vec::new();
    let parsed = NewUser::parse(&form.email, &form.display_name, &form.password);
    if form.password != form.password_confirm {
        errors.push(FieldError::new("password_confirm", "password_mismatch"));
    }
    // 개인정보 보호법 제15조: collection needs the person's consent, given knowingly.
    if form.consent_personal_data != "yes" {
        errors.push(FieldError::new("consent_personal_data", "consent_required"));
    }
    if form.consent_terms != "yes" {
        errors.push(FieldError::new("consent_terms", "consent_required"));
    }
    let new = match parsed {
        Ok(new) if errors.is_empty() => new,
        Ok(_) => return Ok(signup_page(&ctx, &form, errors)),
        Err(mut field_errors) => {
            field_errors.extend(errors);
            return Ok(signup_page(&ctx, &form, field_errors));
        }
    };
    let limit = RateLimit { bucket: "signup", max: state.config.signups_per_ip_per_hour, window_seconds: 3600 };
    if !state.store.take_rate(limit, &ctx.ip).await? {
        return Err(AppError::TooManyRequests { message_key: "page.too_many_signups", retry_after_seconds: 3600 });
    }
    let hash = state.passwords.hash(new.password.expose().to_string()).await?;
    let consents = sotong_core::user::ConsentKind::ALL;
    let user = match state.store.sign_up(&ctx.actor(), &new.email, &new.display_name, &hash, &consents).await {
        Ok(user) => user,
        Err(sotong_store::StoreError::Invalid(field)) => return Ok(signup_page(&ctx, &form, vec![field])),
        Err(other) => return Err(other.into()),
    };
    start_session(&state, &ctx, &user, "/account?welcome=1", headers_user_agent(&headers)).await
}

/// Where a login without a `next` goes: staff to the workspace of the (first) body
/// they work for, where their to-do list is; citizens to the home page.
async fn landing(state: &AppState, user: &sotong_store::users::User) -> AppResult<String> {
    let Some(membership) = state.store.memberships_of(user.id).await?.into_iter().next() else {
        return Ok("/".to_string());
    };
    Ok(match state.store.org(membership.body_id).await? {
        Some(body) => crate::urls::staff(&body),
        None => "/".to_string(),
    })
}

fn headers_user_agent(headers: &HeaderMap) -> String {
    headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").chars().take(200).collect()
}

/// Creates a session, sets its cookie and redirects to `next`.
async fn start_session(
    state: &AppState,
    ctx: &Ctx,
    user: &sotong_store::users::User,
    next: &str,
    user_agent: String,
) -> AppResult<Response> {
    let (token, session) = SessionToken::new(state, ctx, user.id, &user_agent);
    state.store.create_session(&session.row()).await?;
    let mut response = Redirect::to(&safe_next(next)).into_response();
    response.headers_mut().append(header::SET_COOKIE, session.cookie(state, &token));
    Ok(response)
}

/// A new session's secret token (for the browser's cookie) and what the database keeps.
struct SessionToken {
    token_hash: String,
    csrf_token: String,
    user_id: i64,
    lifetime_seconds: i64,
    ip: String,
    user_agent: String,
}

impl SessionToken {
    fn new(state: &AppState, ctx: &Ctx, user_id: i64, user_agent: &str) -> (String, SessionToken) {
        let token = random_token();
        let session = SessionToken {
            token_hash: security::sha256_hex(&token),
            csrf_token: random_token(),
            user_id,
            lifetime_seconds: state.config.session_hours * 3600,
            ip: ctx.ip.clone(),
            user_agent: user_agent.to_string(),
        };
        (token, session)
    }

    fn row(&self) -> sotong_store::sessions::NewSession<'_> {
        sotong_store::sessions::NewSession {
            token_hash: &self.token_hash,
            user_id: self.user_id,
            csrf_token: &self.csrf_token,
            lifetime_seconds: self.lifetime_seconds,
            ip: &self.ip,
            user_agent: &self.user_agent,
        }
    }

    fn cookie(&self, state: &AppState, token: &str) -> axum::http::HeaderValue {
        cookie_header(SESSION_COOKIE, token, Some(self.lifetime_seconds), state.config.secure_cookies)
    }
}

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    email: String,
    next: String,
    /// Catalogue key of a message about the whole form (wrong credentials, throttled).
    form_error: Option<String>,
    errors: FormErrors,
}

fn login_page(
    ctx: &Ctx,
    form: &LoginForm,
    status: StatusCode,
    form_error: Option<String>,
    errors: Vec<FieldError>,
) -> Response {
    let shell = Shell::new(ctx, "login.title");
    let page = LoginPage {
        email: form.email.clone(),
        next: form.next.clone(),
        form_error,
        errors: FormErrors::new(shell.t, errors),
        shell,
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

pub async fn login_form(ctx: Ctx, Query(query): Query<LoginQuery>) -> Response {
    if ctx.user.is_some() {
        return Redirect::to(&safe_next(&query.next)).into_response();
    }
    let form = LoginForm { next: query.next, ..Default::default() };
    login_page(&ctx, &form, StatusCode::OK, None, Vec::new())
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(error) => return Ok(login_page(&ctx, &form, StatusCode::UNPROCESSABLE_ENTITY, None, vec![error])),
    };
    if form.password.is_empty() {
        let error = FieldError::new("password", "required");
        return Ok(login_page(&ctx, &form, StatusCode::UNPROCESSABLE_ENTITY, None, vec![error]));
    }
    let Some(attempt) = take_login_attempt(&state, &email, &ctx.ip).await? else {
        let minutes = state.config.login_limit.window_minutes;
        let message = ctx.tr().f1("login.too_many_attempts", minutes);
        let mut response = login_page(&ctx, &form, StatusCode::TOO_MANY_REQUESTS, Some(message), Vec::new());
        if let Ok(value) = (minutes * 60).to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(response);
    };
    let user = state.store.user_by_email(email.as_str()).await?;
    // Unknown accounts cost the same hashing work, so timing does not reveal who has one.
    let verified =
        state.passwords.verify(form.password.clone(), user.as_ref().map(|u| u.password_hash.clone())).await?;
    let mut actor = ctx.actor();
    match (verified, user) {
        (true, Some(user)) => {
            // A success is not a failure to count, and ends this address's run of failures.
            state.store.give_back(attempt).await?;
            state.store.clear_rate(LOGIN_PER_ACCOUNT_ADDRESS, &account_address(&email, &ctx.ip)).await?;
            actor.user_id = Some(user.id);
            actor.label = user.email.clone();
            state.store.record_event(&actor, event("auth.login", user.id)).await?;
            let next = if form.next.is_empty() { landing(&state, &user).await? } else { form.next.clone() };
            start_session(&state, &ctx, &user, &next, headers_user_agent(&headers)).await
        }
        _ => {
            actor.label = email.as_str().to_string();
            state.store.record_event(&actor, event("auth.login_failed", 0)).await?;
            let message = ctx.tr().t("login.wrong_credentials").to_string();
            Ok(login_page(&ctx, &form, StatusCode::UNAUTHORIZED, Some(message), Vec::new()))
        }
    }
}

const LOGIN_PER_ACCOUNT_ADDRESS: &str = "login_account_address";
const LOGIN_PER_ADDRESS: &str = "login_address";

fn account_address(email: &Email, ip: &str) -> String {
    format!("{}|{ip}", email.as_str())
}

/// Counts a login attempt before its password is checked (so a burst of simultaneous
/// guesses is counted, not just the ones that finished), or `None` when this address
/// has used up its attempts on this account or on all accounts. The owner signing in
/// from another address is never locked out by someone else's guesses.
async fn take_login_attempt(state: &AppState, email: &Email, ip: &str) -> AppResult<Option<Taken>> {
    let limit = state.config.login_limit;
    let window_seconds = limit.window_minutes * 60;
    let pair = RateLimit { bucket: LOGIN_PER_ACCOUNT_ADDRESS, max: limit.per_account_address, window_seconds };
    let address = RateLimit { bucket: LOGIN_PER_ADDRESS, max: limit.per_ip, window_seconds };
    let subject = account_address(email, ip);
    Ok(state.store.take_rates(&[(pair, &subject), (address, ip)]).await?)
}

fn event(action: &'static str, user_id: i64) -> Change<'static> {
    Change::new(None, action, "user", user_id)
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    if let (Some(hash), Some(user)) = (&ctx.session_hash, &ctx.user) {
        state.store.delete_session(hash).await?;
        state.store.record_event(&ctx.actor(), event("auth.logout", user.id)).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie_header(SESSION_COOKIE, "", Some(0), state.config.secure_cookies));
    Ok(response)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    shell: Shell,
    display_name: String,
    email: String,
    joined: String,
    memberships: Vec<(String, String, String)>,
    errors: FormErrors,
    notice: Option<String>,
    privacy: crate::html::account::PrivacySection,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(default)]
    welcome: Option<String>,
    #[serde(default)]
    changed: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    errors: Vec<FieldError>,
    notice: Option<&str>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let shell = Shell::new(ctx, "account.title");
    let t = shell.t;
    let memberships = state
        .store
        .membership_names(user.id)
        .await?
        .into_iter()
        .map(|m| {
            let (body, department) =
                if t.is_en() { (m.body_name_en, m.department_name_en) } else { (m.body_name_ko, m.department_name_ko) };
            (body, t.t(&format!("role.{}", m.role)).to_string(), department.unwrap_or_default())
        })
        .collect();
    let page = AccountPage {
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        joined: t.date(user.created_at),
        memberships,
        errors: FormErrors::new(t, errors),
        notice: notice.map(|key| t.t(key).to_string()),
        privacy: crate::html::account::privacy_section(state, user, &t).await?,
        shell,
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn account(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<AccountQuery>,
) -> AppResult<Response> {
    let notice = if query.welcome.is_some() {
        Some("account.welcome")
    } else if query.changed.is_some() {
        Some("account.password_changed")
    } else if query.saved.is_some() {
        Some("account.saved")
    } else {
        None
    };
    account_page(&state, &ctx, Vec::new(), notice).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
}

/// Whether `password` is the signed-in person's. Guessing the current password of a
/// session left open is throttled like logins (a right guess gives its attempt back).
pub(crate) async fn current_password_is(state: &AppState, user: &User, password: &str) -> AppResult<bool> {
    let limit = state.config.login_limit;
    let check = RateLimit {
        bucket: "password_check",
        max: limit.per_account_address,
        window_seconds: limit.window_minutes * 60,
    };
    let Some(attempt) = state.store.take_rates(&[(check, &user.id.to_string())]).await? else {
        return Err(AppError::TooManyRequests {
            message_key: "account.too_many_password_checks",
            retry_after_seconds: check.window_seconds,
        });
    };
    let right = state.passwords.verify(password.to_string(), Some(user.password_hash.clone())).await?;
    if right {
        state.store.give_back(attempt).await?;
    }
    Ok(right)
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?.clone();
    let mut errors = Vec::new();
    if !current_password_is(&state, &user, &form.current_password).await? {
        errors.push(FieldError::new("current_password", "wrong_password"));
    }
    let new = Password::parse("new_password", &form.new_password);
    if let Err(error) = &new {
        errors.push(error.clone());
    }
    if form.new_password != form.new_password_confirm {
        errors.push(FieldError::new("new_password_confirm", "password_mismatch"));
    }
    let new = match new {
        Ok(new) if errors.is_empty() => new,
        _ => return account_page(&state, &ctx, errors, None).await,
    };
    let hash = state.passwords.hash(new.expose().to_string()).await?;
    let (token, session) = SessionToken::new(&state, &ctx, user.id, &headers_user_agent(&headers));
    state.store.set_password(&ctx.actor(), user.id, &hash, Some(&session.row())).await?;
    let mut response = Redirect::to("/account?changed=1").into_response();
    response.headers_mut().append(header::SET_COOKIE, session.cookie(&state, &token));
    Ok(response)
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    shell: Shell,
    display_name: String,
    email: String,
    errors: FormErrors,
    min_chars: usize,
    consent_personal_data: bool,
    consent_terms: bool,
}

#[derive(Deserialize)]
pub struct TokenSegment {
    token: String,
}

#[derive(Deserialize, Default)]
pub struct InvitationForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    #[serde(default)]
    consent_personal_data: String,
    #[serde(default)]
    consent_terms: String,
}

fn invitation_page(ctx: &Ctx, user: &User, form: &InvitationForm, errors: Vec<FieldError>) -> Response {
    let shell = Shell::new(ctx, "invite.title");
    let page = InvitationPage {
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        errors: FormErrors::new(shell.t, errors),
        min_chars: Password::MIN_CHARS,
        consent_personal_data: form.consent_personal_data == "yes",
        consent_terms: form.consent_terms == "yes",
        shell,
    };
    render(page.errors.status(), &page)
}

/// `GET /invite/{token}`: the invited person sets their password (a used or expired
/// link is not found).
pub async fn invitation_form(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(TokenSegment { token }): axum::extract::Path<TokenSegment>,
) -> AppResult<Response> {
    let user = state.store.invited_user(&security::sha256_hex(&token)).await?.ok_or(AppError::NotFound)?;
    Ok(invitation_page(&ctx, &user, &InvitationForm::default(), Vec::new()))
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    axum::extract::Path(TokenSegment { token }): axum::extract::Path<TokenSegment>,
    Form(form): Form<InvitationForm>,
) -> AppResult<Response> {
    let token_hash = security::sha256_hex(&token);
    let user = state.store.invited_user(&token_hash).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let password = Password::parse("password", &form.password);
    if let Err(error) = &password {
        errors.push(error.clone());
    }
    if form.password != form.password_confirm {
        errors.push(FieldError::new("password_confirm", "password_mismatch"));
    }
    for (given, field) in
        [(&form.consent_personal_data, "consent_personal_data"), (&form.consent_terms, "consent_terms")]
    {
        if given != "yes" {
            errors.push(FieldError::new(field, "consent_required"));
        }
    }
    let password = match password {
        Ok(password) if errors.is_empty() => password,
        _ => return Ok(invitation_page(&ctx, &user, &form, errors)),
    };
    let hash = state.passwords.hash(password.expose().to_string()).await?;
    let consents = sotong_core::user::ConsentKind::ALL;
    let user = match state.store.accept_invitation(&ctx.actor(), &token_hash, &hash, &consents).await {
        Ok(user) => user,
        Err(sotong_store::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    };
    let next = landing(&state, &user).await?;
    start_session(&state, &ctx, &user, &next, headers_user_agent(&headers)).await
}
