//! A public body's webhooks, for its administrators: add one (its signing key made
//! here), pause, resume, remove, send a test, and read each one's delivery log.
//! Delivery itself is `webhooks.rs`, run by the job runner.

use super::{render, BodyNav, FormErrors, Shell};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::webhooks::{NewWebhook, WebhookEvent};
use sotong_core::FieldError;
use sotong_store::orgs::Org;
use sotong_store::webhooks::{Delivery, Webhook};

/// Delivery attempts shown on a webhook's page.
const LOG_ROWS: i64 = 50;

fn list_url(body: &Org, suffix: &str) -> String {
    crate::urls::body(body, &format!("/admin/webhooks{suffix}"))
}

fn hook_url(body: &Org, id: i64, suffix: &str) -> String {
    list_url(body, &format!("/{id}{suffix}"))
}

/// A webhook as the pages show it.
struct HookView {
    url: String,
    target: String,
    description: String,
    events: String,
    active: bool,
}

fn view_of(body: &Org, hook: &Webhook, t: &crate::i18n::Tr) -> HookView {
    let events: Vec<String> = hook.events().iter().map(|e| t.t(&e.label_key()).to_string()).collect();
    HookView {
        url: hook_url(body, hook.id, ""),
        target: hook.url.clone(),
        description: if hook.description.is_empty() { hook.url.clone() } else { hook.description.clone() },
        events: events.join(", "),
        active: hook.active.0,
    }
}

#[derive(Template)]
#[template(path = "admin_webhooks.html")]
struct ListPage {
    shell: Shell,
    hooks: Vec<HookView>,
    /// (form name, label, checked)
    choices: Vec<(String, String, bool)>,
    form: HookForm,
    errors: FormErrors,
    action: String,
    removed: bool,
}

#[derive(Deserialize, Default)]
pub struct HookForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    event_proposal_answered: Option<String>,
    #[serde(default)]
    event_notice_published: Option<String>,
    #[serde(default)]
    event_period_published: Option<String>,
}

impl HookForm {
    fn chosen(&self, event: WebhookEvent) -> bool {
        match event {
            WebhookEvent::ProposalAnswered => self.event_proposal_answered.is_some(),
            WebhookEvent::NoticePublished => self.event_notice_published.is_some(),
            WebhookEvent::PeriodPublished => self.event_period_published.is_some(),
            WebhookEvent::Ping => false,
        }
    }

    fn events(&self) -> Vec<String> {
        WebhookEvent::SUBSCRIBABLE.iter().filter(|e| self.chosen(**e)).map(|e| e.as_str().to_string()).collect()
    }
}

fn field_name(event: WebhookEvent) -> String {
    format!("event_{}", event.as_str().replace('.', "_"))
}

fn shell_of(ctx: &Ctx, scope: &BodyScope, title_key: &str) -> Shell {
    let shell = Shell::new(ctx, title_key);
    let t = shell.t;
    shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "admin_webhooks")
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: HookForm,
    errors: Vec<FieldError>,
    removed: bool,
) -> AppResult<Response> {
    let shell = shell_of(ctx, scope, "webhook.list_title");
    let t = shell.t;
    let body = &scope.body;
    let hooks = state.store.webhooks(body.id).await?.iter().map(|hook| view_of(body, hook, &t)).collect();
    let fresh = errors.is_empty() && form.url.is_empty();
    let choices = WebhookEvent::SUBSCRIBABLE
        .iter()
        .map(|event| (field_name(*event), t.t(&event.label_key()).to_string(), fresh || form.chosen(*event)))
        .collect();
    let page = ListPage {
        hooks,
        choices,
        form,
        errors: FormErrors::new(t, errors),
        action: list_url(body, ""),
        removed,
        shell: shell.with_breadcrumbs(vec![
            (body.name(t.is_en()).to_string(), crate::urls::body(body, "")),
            (t.t("webhook.list_title").to_string(), String::new()),
        ]),
    };
    Ok(render(page.errors.status(), &page))
}

#[derive(Deserialize)]
pub struct Removed {
    #[serde(default)]
    removed: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(flag): Query<Removed>,
) -> AppResult<Response> {
    scope.require(Permission::ManageIntegrations)?;
    list_page(&state, &ctx, &scope, HookForm::default(), Vec::new(), flag.removed.is_some()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<HookForm>,
) -> AppResult<Response> {
    scope.require(Permission::ManageIntegrations)?;
    match NewWebhook::parse(&form.url, &form.events(), &form.description) {
        Ok(new) => {
            let secret = crate::webhooks::new_secret();
            let hook = state.store.create_webhook(&ctx.actor(), scope.body.id, &new, &secret).await?;
            Ok(Redirect::to(&hook_url(&scope.body, hook.id, "?created=1")).into_response())
        }
        Err(errors) => list_page(&state, &ctx, &scope, form, errors, false).await,
    }
}

#[derive(Template)]
#[template(path = "admin_webhook.html")]
struct HookPage {
    shell: Shell,
    hook: HookView,
    secret: String,
    log: Vec<LogRow>,
    notice: Option<String>,
    ping_action: String,
    active_action: String,
    remove_action: String,
}

struct LogRow {
    at: String,
    event: String,
    attempt: i64,
    succeeded: bool,
    status: String,
    duration: String,
    next: String,
    error: String,
}

fn log_row(delivery: &Delivery, t: &crate::i18n::Tr) -> LogRow {
    LogRow {
        at: t.date_time(delivery.created_at),
        event: t.t(&delivery.event.label_key()).to_string(),
        attempt: delivery.attempt,
        succeeded: delivery.succeeded.0,
        status: delivery.status_code.map(|c| c.to_string()).unwrap_or_else(|| "—".into()),
        duration: t.f1("webhook.duration_ms", t.number(delivery.duration_ms)),
        next: delivery.next_attempt_at.map(|at| t.date_time(at)).unwrap_or_default(),
        error: delivery.error.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    pinged: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

async fn hook_of(state: &AppState, scope: &BodyScope, id: i64) -> AppResult<Webhook> {
    scope.require(Permission::ManageIntegrations)?;
    state.store.webhook(scope.body.id, id).await?.ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(segment): Path<IdSegment>,
    Query(done): Query<Done>,
) -> AppResult<Response> {
    let hook = hook_of(&state, &scope, segment.id).await?;
    let shell = shell_of(&ctx, &scope, "webhook.list_title");
    let t = shell.t;
    let body = &scope.body;
    let view = view_of(body, &hook, &t);
    let notice = match (done.created, done.pinged, done.saved) {
        (Some(_), _, _) => Some("webhook.created"),
        (_, Some(_), _) => Some("webhook.pinged"),
        (_, _, Some(_)) => Some("webhook.saved"),
        _ => None,
    };
    let log = state.store.deliveries(hook.id, LOG_ROWS).await?.iter().map(|d| log_row(d, &t)).collect();
    let page = HookPage {
        notice: notice.map(|key| t.t(key).to_string()),
        secret: hook.secret.clone(),
        log,
        ping_action: hook_url(body, hook.id, "/ping"),
        active_action: hook_url(body, hook.id, "/active"),
        remove_action: hook_url(body, hook.id, "/remove"),
        shell: shell.with_title(view.description.clone()).with_breadcrumbs(vec![
            (body.name(t.is_en()).to_string(), crate::urls::body(body, "")),
            (t.t("webhook.list_title").to_string(), list_url(body, "")),
            (view.description.clone(), String::new()),
        ]),
        hook: view,
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn ping(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(segment): Path<IdSegment>,
) -> AppResult<Response> {
    let hook = hook_of(&state, &scope, segment.id).await?;
    state.store.ping_webhook(&ctx.actor(), &hook).await?;
    Ok(Redirect::to(&hook_url(&scope.body, hook.id, "?pinged=1")).into_response())
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(segment): Path<IdSegment>,
    Form(form): Form<ActiveForm>,
) -> AppResult<Response> {
    let hook = hook_of(&state, &scope, segment.id).await?;
    let active = match form.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::Invalid(vec![FieldError::new("active", "invalid_choice")])),
    };
    state.store.set_webhook_active(&ctx.actor(), &hook, active).await?;
    Ok(Redirect::to(&hook_url(&scope.body, hook.id, "?saved=1")).into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(segment): Path<IdSegment>,
) -> AppResult<Response> {
    let hook = hook_of(&state, &scope, segment.id).await?;
    state.store.remove_webhook(&ctx.actor(), &hook).await?;
    Ok(Redirect::to(&list_url(&scope.body, "?removed=1")).into_response())
}
