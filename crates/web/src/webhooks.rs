//! Webhook deliveries (the `webhook` jobs of `store::jobs`): the JSON a receiver gets,
//! its signature, and one attempt to send it. docs/WEBHOOKS.md is the receiver's
//! manual.
//!
//! The body is built when it is sent, from what is public then (a hidden proposal or a
//! withdrawn notice is not sent at all); its `id` is the job's, the same on every retry,
//! so a receiver can drop a delivery it already has. The signature covers the time of
//! sending and the exact bytes: `X-Sotong-Signature: sha256=HMAC-SHA256(secret,
//! "{X-Sotong-Timestamp}.{body}")`, as Stripe signs, so a replay with an old time can
//! be refused.

use crate::jobs::Outcome;
use crate::security::hmac_sha256_hex;
use serde_json::{json, Value};
use sotong_core::voice::proposals::Moderation;
use sotong_core::webhooks::WebhookEvent;
use sotong_store::jobs::Job;
use sotong_store::orgs::Org;
use sotong_store::webhooks::{DeliveryJob, NewDelivery, Webhook};
use sotong_store::{now, Store, StoreError};
use std::time::{Duration, Instant};

/// The longest error text kept in the delivery log.
const ERROR_CHARS: usize = 300;

pub struct Deliverer {
    http: reqwest::Client,
    site_url: String,
}

/// What an event says, or why it says nothing now.
enum Data {
    Ready(Value),
    /// Not public yet: send when it is.
    NotYet(i64),
    /// No longer public, or gone: nothing to send.
    Gone,
}

impl Deliverer {
    pub fn new(site_url: &str, timeout: Duration) -> Deliverer {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("sotong-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("an HTTP client without TLS always builds");
        Deliverer { http, site_url: site_url.trim_end_matches('/').to_string() }
    }

    /// One attempt at a delivery job, logged for the webhook's administrators.
    pub async fn run(&self, store: &Store, job: &Job, retry_at: Option<i64>) -> Result<Outcome, StoreError> {
        let Ok(task) = serde_json::from_str::<DeliveryJob>(&job.payload) else {
            return Ok(Outcome::GiveUp("the job's payload is not a webhook delivery".into()));
        };
        let Some(hook) = store.webhook_by_id(task.webhook_id).await? else {
            return Ok(Outcome::GiveUp("the webhook no longer exists".into()));
        };
        if !hook.wants(task.event) {
            return Ok(Outcome::Done); // removed or paused since: dropped, as the page says
        }
        let Some(body) = store.org(hook.org_id).await? else {
            return Ok(Outcome::GiveUp("the webhook's public body no longer exists".into()));
        };
        let data = match self.event_data(store, &body, &task).await? {
            Data::Ready(data) => data,
            Data::NotYet(at) => return Ok(Outcome::Later(at)),
            Data::Gone => return Ok(Outcome::Done),
        };
        let payload = envelope(job, &task, &body, data);
        let started = Instant::now();
        let sent = self.send(&hook, job.id, task.event, &payload).await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (status_code, error) = match &sent {
            Ok(status) if (200..300).contains(status) => (Some(i64::from(*status)), None),
            Ok(status) => (Some(i64::from(*status)), Some(format!("HTTP {status}"))),
            Err(error) => (None, Some(error.clone())),
        };
        let succeeded = error.is_none();
        store
            .record_delivery(&NewDelivery {
                webhook_id: hook.id,
                job_id: job.id,
                event: task.event,
                attempt: job.attempts,
                status_code,
                error: error.as_deref(),
                duration_ms,
                succeeded,
                next_attempt_at: if succeeded { None } else { retry_at },
            })
            .await?;
        Ok(match error {
            None => Outcome::Done,
            Some(error) => Outcome::Retry(error),
        })
    }

    /// POSTs the signed body; the response's status, or why there was none.
    async fn send(&self, hook: &Webhook, delivery: i64, event: WebhookEvent, payload: &str) -> Result<u16, String> {
        let timestamp = now().to_string();
        let signature = sign(&hook.secret, &timestamp, payload);
        let response = self
            .http
            .post(&hook.url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-sotong-event", event.as_str())
            .header("x-sotong-delivery", delivery.to_string())
            .header("x-sotong-timestamp", &timestamp)
            .header("x-sotong-signature", format!("sha256={signature}"))
            .body(payload.to_string())
            .send()
            .await
            .map_err(|error| short(&describe(&error)))?;
        Ok(response.status().as_u16())
    }

    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.site_url)
    }

    /// The event's `data`: what is public about its subject now.
    async fn event_data(&self, store: &Store, body: &Org, task: &DeliveryJob) -> Result<Data, StoreError> {
        match task.event {
            WebhookEvent::Ping => Ok(Data::Ready(json!({"message": "시험 전송입니다. (test delivery)"}))),
            WebhookEvent::ProposalAnswered => self.proposal_answered(store, body, task.subject_id).await,
            WebhookEvent::NoticePublished => self.notice_published(store, body, task.subject_id).await,
            WebhookEvent::PeriodPublished => self.period_published(store, task.subject_id).await,
        }
    }

    /// The proposal and its answer; never its author.
    async fn proposal_answered(&self, store: &Store, body: &Org, id: i64) -> Result<Data, StoreError> {
        let Some(p) = store.proposal(body.id, id).await? else { return Ok(Data::Gone) };
        if p.moderation == Moderation::Hidden || p.answered_at.is_none() {
            return Ok(Data::Gone);
        }
        let link = self.link(&crate::html::voice::urls::VoiceUrls::new(body).proposal(p.id));
        Ok(Data::Ready(json!({
            "proposal": {
                "id": p.id,
                "title": p.title,
                "category": p.category.as_str(),
                "state": p.state.as_str(),
                "support_count": p.support_count,
                "created_at": sotong_core::format::rfc3339(p.created_at),
                "url": link,
            },
            "answer": {
                "result": p.answer_result,
                "body": p.answer_body,
                "unit": p.answer_unit,
                "officer": p.answer_officer,
                "contact": p.answer_contact,
                "answered_at": p.answered_at.map(sotong_core::format::rfc3339),
            },
        })))
    }

    async fn notice_published(&self, store: &Store, body: &Org, id: i64) -> Result<Data, StoreError> {
        let Some(n) = store.notice(body.id, id).await? else { return Ok(Data::Gone) };
        let today = crate::html::voice::views::kst_today(now());
        if n.withdrawn_at.is_some() || n.expires_on.as_deref().is_some_and(|end| end < today.as_str()) {
            return Ok(Data::Gone);
        }
        if n.publish_on > today {
            let first_day = sotong_core::format::kst_unix(&n.publish_on, 0).unwrap_or(now() + 3600);
            return Ok(Data::NotYet(first_day));
        }
        let link = self.link(&crate::html::voice::urls::VoiceUrls::new(body).notice(n.id));
        Ok(Data::Ready(json!({
            "notice": {
                "id": n.id,
                "title": n.title,
                "category": n.category.as_str(),
                "pinned": n.pinned.0,
                "publish_on": n.publish_on,
                "expires_on": n.expires_on,
                "body": n.body,
                "url": link,
            },
        })))
    }

    async fn period_published(&self, store: &Store, snapshot_id: i64) -> Result<Data, StoreError> {
        let Some((snapshot, period)) = store.snapshot_with_period(snapshot_id).await? else { return Ok(Data::Gone) };
        let Some(plan) = store.plan_by_id(snapshot.plan_id).await? else { return Ok(Data::Gone) };
        let Some(body) = store.org(plan.body_id).await? else { return Ok(Data::Gone) };
        let urls = crate::html::commitments::urls::PlanUrls::new(&body, &plan);
        Ok(Data::Ready(json!({
            "plan": {"slug": plan.slug, "name": plan.title_ko, "url": self.link(&urls.dashboard())},
            "period": period,
            "snapshot": {
                "sequence": snapshot.sequence,
                "hash": snapshot.hash,
                "previous_hash": snapshot.previous_hash,
                "published_at": sotong_core::format::rfc3339(snapshot.published_at),
            },
            "url": self.link(&urls.dashboard_of(&period)),
        })))
    }
}

/// The JSON a receiver gets: the same keys for every event, `data` its own.
fn envelope(job: &Job, task: &DeliveryJob, body: &Org, data: Value) -> String {
    json!({
        "id": job.id.to_string(),
        "event": task.event.as_str(),
        "occurred_at": sotong_core::format::rfc3339(job.created_at),
        "body": {"slug": body.slug, "name": body.name_ko},
        "data": data,
    })
    .to_string()
}

/// The hex HMAC-SHA256 of `{timestamp}.{payload}` under the webhook's secret.
pub fn sign(secret: &str, timestamp: &str, payload: &str) -> String {
    hmac_sha256_hex(secret.as_bytes(), format!("{timestamp}.{payload}").as_bytes())
}

/// A new webhook's signing secret: `whsec_` and 64 hex digits.
pub fn new_secret() -> String {
    format!("whsec_{}", crate::security::random_token())
}

/// Why a request got no response, in the words an administrator can act on.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "응답 시간 초과 (timeout)".into()
    } else if error.is_connect() {
        "연결할 수 없음 (connection refused or unreachable)".into()
    } else {
        error.to_string()
    }
}

fn short(text: &str) -> String {
    text.chars().take(ERROR_CHARS).collect()
}
