//! A public body's webhooks (a shared service): administrators keep them; modules
//! announce an event in the transaction of their change (`announce`), which queues one
//! delivery job per subscribed webhook (`store::jobs`); the web layer's runner delivers
//! them and writes the delivery log read here.

use crate::audit::{record, Actor, Change};
use crate::columns::Columns;
use crate::{jobs, now, Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sotong_core::webhooks::{parse_events_text, NewWebhook, WebhookEvent};
use sqlx::{Any, Transaction};

/// The job kind of a webhook delivery.
pub const JOB_KIND: &str = "webhook";

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Webhook {
    pub id: i64,
    pub org_id: i64,
    pub url: String,
    /// Event names separated by commas (`events()` decodes them).
    pub events: String,
    pub description: String,
    /// The signing key; never in the audit log or any page but the webhook's own.
    #[serde(skip)]
    pub secret: String,
    #[sqlx(try_from = "i64")]
    pub active: crate::Flag,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub removed_at: Option<i64>,
}

const WEBHOOK_COLUMNS: Columns =
    Columns("id, org_id, url, events, description, secret, active, created_by, created_at, removed_at");

impl Webhook {
    pub fn events(&self) -> Vec<WebhookEvent> {
        parse_events_text(&self.events)
    }

    /// Whether an event should be sent to it now.
    pub fn wants(&self, event: WebhookEvent) -> bool {
        self.removed_at.is_none() && (event == WebhookEvent::Ping || (self.active.0 && self.events().contains(&event)))
    }
}

/// What a delivery job carries: which webhook, which event, about what. The body sent
/// is built when it is delivered, from what is public then.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct DeliveryJob {
    pub webhook_id: i64,
    pub event: WebhookEvent,
    /// The proposal, notice or snapshot the event is about (0 for a ping).
    pub subject_id: i64,
}

/// One attempt, as the delivery log shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    pub job_id: i64,
    #[sqlx(try_from = "String")]
    pub event: WebhookEvent,
    pub attempt: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    #[sqlx(try_from = "i64")]
    pub succeeded: crate::Flag,
    /// When the next attempt is due, if there is one.
    pub next_attempt_at: Option<i64>,
    pub created_at: i64,
}

const DELIVERY_COLUMNS: Columns = Columns(
    "id, webhook_id, job_id, event, attempt, status_code, error, duration_ms, succeeded, next_attempt_at, created_at",
);

/// An attempt's outcome, to log.
#[derive(Debug, Clone)]
pub struct NewDelivery<'a> {
    pub webhook_id: i64,
    pub job_id: i64,
    pub event: WebhookEvent,
    pub attempt: i64,
    pub status_code: Option<i64>,
    pub error: Option<&'a str>,
    pub duration_ms: i64,
    pub succeeded: bool,
    pub next_attempt_at: Option<i64>,
}

/// The webhook as the audit log keeps it: everything but its key.
fn audited(hook: &Webhook) -> serde_json::Value {
    json!({"id": hook.id, "url": hook.url, "events": hook.events, "description": hook.description, "active": hook.active.0})
}

/// Queues `event` about `subject_id` for every webhook of the body that wants it, to go
/// at `run_at`, in the transaction of the change it announces.
pub(crate) async fn announce(
    tx: &mut Transaction<'_, Any>,
    body_id: i64,
    event: WebhookEvent,
    subject_id: i64,
    run_at: i64,
) -> Result<(), StoreError> {
    let hooks = sqlx::query_as::<_, Webhook>(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = $1 AND removed_at IS NULL AND active = 1"
    ))
    .bind(body_id)
    .fetch_all(&mut **tx)
    .await?;
    for hook in hooks.iter().filter(|hook| hook.wants(event)) {
        let job = DeliveryJob { webhook_id: hook.id, event, subject_id };
        jobs::enqueue(tx, JOB_KIND, &json!(job), run_at).await?;
    }
    Ok(())
}

impl Store {
    /// Adds a webhook with its signing key (made by the caller, shown to administrators).
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        body_id: i64,
        new: &NewWebhook,
        secret: &str,
    ) -> Result<Webhook, StoreError> {
        let mut tx = self.begin().await?;
        let hook = sqlx::query_as::<_, Webhook>(&format!(
            "INSERT INTO webhooks (org_id, url, events, description, secret, active, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING {WEBHOOK_COLUMNS}"
        ))
        .bind(body_id)
        .bind(&new.url)
        .bind(new.events_text())
        .bind(&new.description)
        .bind(secret)
        .bind(actor.user_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let change =
            Change { after: Some(audited(&hook)), ..Change::new(Some(body_id), "webhook.create", "webhook", hook.id) };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(hook)
    }

    /// The body's webhooks, removed ones left out, oldest first.
    pub async fn webhooks(&self, body_id: i64) -> Result<Vec<Webhook>, StoreError> {
        let rows = sqlx::query_as::<_, Webhook>(&format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = $1 AND removed_at IS NULL ORDER BY id"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// One of the body's webhooks (not removed).
    pub async fn webhook(&self, body_id: i64, id: i64) -> Result<Option<Webhook>, StoreError> {
        let row = sqlx::query_as::<_, Webhook>(&format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = $1 AND id = $2 AND removed_at IS NULL"
        ))
        .bind(body_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// A webhook by id, removed or not: what a delivery job looks up.
    pub async fn webhook_by_id(&self, id: i64) -> Result<Option<Webhook>, StoreError> {
        let row = sqlx::query_as::<_, Webhook>(&format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row)
    }

    /// Pauses or resumes a webhook; events while paused are not queued for it.
    pub async fn set_webhook_active(&self, actor: &Actor, hook: &Webhook, active: bool) -> Result<(), StoreError> {
        self.change_webhook(actor, hook, "webhook.active", "active = $1", i64::from(active)).await
    }

    /// Removes a webhook; deliveries still queued for it are dropped when their turn comes.
    pub async fn remove_webhook(&self, actor: &Actor, hook: &Webhook) -> Result<(), StoreError> {
        self.change_webhook(actor, hook, "webhook.remove", "removed_at = $1", now()).await
    }

    async fn change_webhook(
        &self,
        actor: &Actor,
        hook: &Webhook,
        action: &str,
        set: &str,
        value: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let after = sqlx::query_as::<_, Webhook>(&format!(
            "UPDATE webhooks SET {set} WHERE id = $2 RETURNING {WEBHOOK_COLUMNS}"
        ))
        .bind(value)
        .bind(hook.id)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change {
            before: Some(audited(hook)),
            after: after.removed_at.is_none().then(|| audited(&after)),
            ..Change::new(Some(hook.org_id), action, "webhook", hook.id)
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues a test delivery (`ping`) now; returns its job.
    pub async fn ping_webhook(&self, actor: &Actor, hook: &Webhook) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let job = DeliveryJob { webhook_id: hook.id, event: WebhookEvent::Ping, subject_id: 0 };
        let job_id = jobs::enqueue(&mut tx, JOB_KIND, &json!(job), now()).await?;
        record(&mut tx, actor, Change::new(Some(hook.org_id), "webhook.ping", "webhook", hook.id)).await?;
        tx.commit().await?;
        Ok(job_id)
    }

    pub async fn record_delivery(&self, delivery: &NewDelivery<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO webhook_deliveries
                 (webhook_id, job_id, event, attempt, status_code, error, duration_ms, succeeded, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(delivery.webhook_id)
        .bind(delivery.job_id)
        .bind(delivery.event.as_str())
        .bind(delivery.attempt)
        .bind(delivery.status_code)
        .bind(delivery.error)
        .bind(delivery.duration_ms)
        .bind(i64::from(delivery.succeeded))
        .bind(delivery.next_attempt_at)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A webhook's newest delivery attempts.
    pub async fn deliveries(&self, webhook_id: i64, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        let rows = sqlx::query_as::<_, Delivery>(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(webhook_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
