//! Change requests (조정): modifying, holding or abandoning a commitment needs a
//! recorded reason and a decision, and decided requests are shown publicly.

use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{Commitment, Plan, COMMITMENT_COLUMNS};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::commitments::states::{ChangeDecision, ChangeKind};
use sotong_core::FieldError;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct ChangeRequest {
    pub id: i64,
    pub commitment_id: i64,
    /// modify, hold or abandon
    #[sqlx(try_from = "String")]
    pub kind: ChangeKind,
    pub reason: String,
    #[sqlx(try_from = "String")]
    pub decision: ChangeDecision,
    pub decision_note: String,
    pub requested_by: Option<i64>,
    pub requested_at: i64,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
}

/// One published period of a commitment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryEntry {
    pub period_code: String,
    pub sequence: i64,
    pub hash: String,
    pub content_json: String,
}

impl HistoryEntry {
    /// The commitment as published that period, typed (unreadable is an error).
    pub fn item(&self) -> Result<sotong_core::commitments::published::PublishedItem, StoreError> {
        crate::commitments::publication::parse_item(&self.period_code, &self.content_json)
    }
}

const CHANGE_COLUMNS: crate::columns::Columns = crate::columns::Columns(
    "id, commitment_id, kind, reason, decision, decision_note, requested_by, requested_at, decided_by, decided_at",
);

fn invalid(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Invalid(FieldError::new(field, code))
}

impl Store {
    pub async fn request_change(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        kind: ChangeKind,
        reason: &str,
    ) -> Result<ChangeRequest, StoreError> {
        if reason.trim().is_empty() {
            return Err(invalid("reason", "required"));
        }
        let mut tx = self.begin().await?;
        let created = sqlx::query_as::<_, ChangeRequest>(&format!(
            "INSERT INTO change_requests (commitment_id, kind, reason, decision, decision_note, requested_by, requested_at)
             VALUES ($1, $2, $3, $4, '', $5, $6) RETURNING {CHANGE_COLUMNS}"
        ))
        .bind(commitment.id)
        .bind(kind.as_str())
        .bind(reason.trim())
        .bind(ChangeDecision::Pending.as_str())
        .bind(actor.user_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let change =
            Change::new(Some(plan.body_id), "change_request.create", "change_request", created.id).after(&created);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Approves or rejects a pending request. An approved hold or abandonment sets the
    /// commitment's status (보류 / 폐기) when the plan's taxonomy has it.
    pub async fn decide_change(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        request_id: i64,
        approve: bool,
        note: &str,
    ) -> Result<ChangeRequest, StoreError> {
        if note.trim().is_empty() {
            return Err(invalid("decision_note", "required"));
        }
        let mut tx = self.begin().await?;
        let before = sqlx::query_as::<_, ChangeRequest>(&format!(
            "SELECT {cols} FROM change_requests r JOIN commitments c ON c.id = r.commitment_id
             WHERE r.id = $1 AND c.plan_id = $2 AND c.id = $3",
            cols = CHANGE_COLUMNS.of("r")
        ))
        .bind(request_id)
        .bind(plan.id)
        .bind(commitment.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let decision = before.decision.decide(approve).map_err(StoreError::Invalid)?;
        let decided = sqlx::query_as::<_, ChangeRequest>(&format!(
            "UPDATE change_requests SET decision = $1, decision_note = $2, decided_by = $3, decided_at = $4
             WHERE id = $5 RETURNING {CHANGE_COLUMNS}"
        ))
        .bind(decision.as_str())
        .bind(note.trim())
        .bind(actor.user_id)
        .bind(now())
        .bind(request_id)
        .fetch_one(&mut *tx)
        .await?;
        let new_status = decided.kind.status_when_approved();
        if let (true, Some(status)) = (approve, new_status) {
            if plan.taxonomy().get(status).is_some() {
                let updated = sqlx::query_as::<_, Commitment>(&format!(
                    "UPDATE commitments SET status = $1, updated_at = $2 WHERE id = $3 RETURNING {COMMITMENT_COLUMNS}"
                ))
                .bind(status)
                .bind(now())
                .bind(decided.commitment_id)
                .fetch_one(&mut *tx)
                .await?;
                let change =
                    Change::new(Some(plan.body_id), "commitment.status_by_change_request", "commitment", updated.id)
                        .after(&updated);
                record(&mut tx, actor, change).await?;
            }
        }
        let change = Change::new(
            Some(plan.body_id),
            if approve { "change_request.approve" } else { "change_request.reject" },
            "change_request",
            request_id,
        )
        .before(&before)
        .after(&decided);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(decided)
    }

    pub async fn change_requests(&self, commitment_id: i64) -> Result<Vec<ChangeRequest>, StoreError> {
        let rows = sqlx::query_as::<_, ChangeRequest>(&format!(
            "SELECT {CHANGE_COLUMNS} FROM change_requests WHERE commitment_id = $1 ORDER BY id"
        ))
        .bind(commitment_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// How many change requests of a plan wait for a decision.
    pub async fn pending_change_count(&self, plan_id: i64) -> Result<i64, StoreError> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM change_requests r JOIN commitments c ON c.id = r.commitment_id
             WHERE c.plan_id = $1 AND r.decision = $2",
        )
        .bind(plan_id)
        .bind(ChangeDecision::Pending.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }

    /// The commitment as published in each period, oldest first.
    pub async fn commitment_history(&self, commitment_id: i64) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query_as::<_, HistoryEntry>(
            "SELECT p.code AS period_code, s.sequence, s.hash, i.content_json
             FROM snapshot_items i
             JOIN snapshots s ON s.id = i.snapshot_id
             JOIN reporting_periods p ON p.id = s.period_id
             WHERE i.commitment_id = $1
             ORDER BY s.sequence",
        )
        .bind(commitment_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
