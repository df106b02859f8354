//! The audit log: who changed what, when, from where, with the row before and after.
//!
//! Every mutating repository function takes an [`Actor`] and writes its entry in the
//! same transaction as the change, so a change without its entry cannot be committed.
//! The table refuses UPDATE and DELETE (triggers in both migration trees).

use crate::{now, Store, StoreError};
use serde::Serialize;
use sqlx::{Any, Transaction};

/// Who is acting, and the request it came from.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// The account's e-mail, or `cli`, `system`, `anonymous`.
    pub label: String,
    pub ip: String,
    pub request_id: String,
}

impl Actor {
    /// Changes made from the command line by the machine's operator.
    pub fn cli() -> Actor {
        Actor { user_id: None, label: "cli".into(), ip: "-".into(), request_id: "-".into() }
    }

    /// Changes the server makes on its own schedule (maintenance, notices).
    pub fn system() -> Actor {
        Actor { user_id: None, label: "system".into(), ip: "-".into(), request_id: "-".into() }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub body_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: String,
    pub request_id: String,
}

/// One change to record. `before`/`after` are the affected row as JSON (None when
/// the row did not exist before, or no longer exists after).
pub struct Change<'a> {
    pub body_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    /// A change with nothing recorded before or after; add them with `before`/`after`.
    pub fn new(body_id: Option<i64>, action: &'a str, entity: &'a str, entity_id: impl ToString) -> Change<'a> {
        Change { body_id, action, entity, entity_id: entity_id.to_string(), before: None, after: None }
    }

    /// The row as it was, as JSON.
    pub fn before(mut self, row: &impl Serialize) -> Change<'a> {
        self.before = serde_json::to_value(row).ok();
        self
    }

    /// The row as it is now, as JSON.
    pub fn after(mut self, row: &impl Serialize) -> Change<'a> {
        self.after = serde_json::to_value(row).ok();
        self
    }
}

pub(crate) async fn record(tx: &mut Transaction<'_, Any>, actor: &Actor, change: Change<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_label, body_id, action, entity, entity_id, before_json, after_json, ip, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(now())
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(change.body_id)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(change.before.map(|v| v.to_string()))
    .bind(change.after.map(|v| v.to_string()))
    .bind(&actor.ip)
    .bind(&actor.request_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What an administrator filters the log by; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub body_id: Option<i64>,
    pub action: Option<String>,
    pub actor: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// Only entries with an id below this (keyset pagination, newest first).
    pub before_id: Option<i64>,
    pub limit: i64,
}

impl Store {
    /// Entries matching the filter, newest first.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        // Each condition is disabled by a NULL parameter, so one statement serves every filter.
        let entries = sqlx::query_as::<_, AuditEntry>(
            "SELECT id, at, actor_id, actor_label, body_id, action, entity, entity_id, before_json, after_json, ip, request_id
             FROM audit_log
             WHERE ($1 IS NULL OR body_id = $1)
               AND ($2 IS NULL OR action = $2)
               AND ($3 IS NULL OR actor_label = $3)
               AND ($4 IS NULL OR at >= $4)
               AND ($5 IS NULL OR at < $5)
               AND ($6 IS NULL OR id < $6)
             ORDER BY id DESC
             LIMIT $7",
        )
        .bind(filter.body_id)
        .bind(filter.action.as_deref())
        .bind(filter.actor.as_deref())
        .bind(filter.from)
        .bind(filter.until)
        .bind(filter.before_id)
        .bind(filter.limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(entries)
    }

    /// The distinct actions in a body's log, for the filter's choice list.
    pub async fn audit_actions(&self, body_id: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT DISTINCT action FROM audit_log WHERE body_id = $1 ORDER BY action")
                .bind(body_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }

    /// What audited objects of the commitments module belong to, for links from the
    /// log: (entity id, plan slug, commitment code) of `entity` rows with these ids.
    /// Other entities (accounts, organisations) answer nothing.
    pub async fn audit_subjects(
        &self,
        entity: &str,
        ids: &[i64],
    ) -> Result<Vec<(i64, String, Option<String>)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let by_commitment = |table: &str| {
            format!(
                "SELECT x.id, p.slug, c.code FROM {table} x JOIN commitments c ON c.id = x.commitment_id
                 JOIN plans p ON p.id = c.plan_id WHERE x.id IN ({})",
                crate::batch::list(1, ids.len())
            )
        };
        let sql = match entity {
            "commitment" => format!(
                "SELECT c.id, p.slug, c.code FROM commitments c JOIN plans p ON p.id = c.plan_id WHERE c.id IN ({})",
                crate::batch::list(1, ids.len())
            ),
            "progress_report" => by_commitment("progress_reports"),
            "attachment" => by_commitment("attachments"),
            "indicator" => by_commitment("indicators"),
            "milestone" => by_commitment("milestones"),
            "change_request" => by_commitment("change_requests"),
            "plan" => format!("SELECT id, slug, NULL FROM plans WHERE id IN ({})", crate::batch::list(1, ids.len())),
            "reporting_period" => format!(
                "SELECT r.id, p.slug, NULL FROM reporting_periods r JOIN plans p ON p.id = r.plan_id WHERE r.id IN ({})",
                crate::batch::list(1, ids.len())
            ),
            _ => return Ok(Vec::new()),
        };
        let mut query = sqlx::query_as::<_, (i64, String, Option<String>)>(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// The newest audit entry's id: every change is audited in the transaction that
    /// makes it, so this number moves whenever anything a page shows may have changed
    /// (the rendered-page cache compares it; one index lookup).
    pub async fn data_version(&self) -> Result<i64, StoreError> {
        let (version,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM audit_log").fetch_one(&self.pool).await?;
        Ok(version.unwrap_or(0))
    }

    /// Records an event that changes no other row (login, logout, refused login).
    pub async fn record_event(&self, actor: &Actor, change: Change<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
