//! Files on commitments: documents of the commitment itself (the coordinator's) and
//! evidence on a period's report (the officer's, while the report can be edited). The
//! bytes live in the shared `files` table; a period's approved report's files and the
//! commitment's own are published with the item (their SHA-256 in its hash).

use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{Commitment, Plan};
use crate::commitments::reports::ReportingPeriod;
use crate::files::{self, NewFile};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::files::FileKind;
use sotong_core::FieldError;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub commitment_id: i64,
    /// The period whose report it belongs to; none: the commitment's own document.
    pub period_id: Option<i64>,
    pub sha256: String,
    pub file_name: String,
    pub kind: String,
    pub size: i64,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
    pub removed_at: Option<i64>,
}

impl Attachment {
    pub fn file_kind(&self) -> Option<FileKind> {
        FileKind::parse(&self.kind)
    }
}

pub(crate) const ATTACHMENT_COLUMNS: crate::columns::Columns = crate::columns::Columns(
    "id, commitment_id, period_id, sha256, file_name, kind, size, uploaded_by, created_at, removed_at",
);

impl Store {
    /// Attaches a file to a commitment's report of `period`, under the same check as
    /// saving the report (period open, report a draft or returned).
    pub async fn attach_to_report(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        period: &ReportingPeriod,
        file: &NewFile<'_>,
    ) -> Result<Attachment, StoreError> {
        let mut tx = self.begin().await?;
        self.editable_report(&mut tx, commitment, period).await?;
        let attachment = insert(&mut tx, actor, plan, commitment, Some(period.id), file).await?;
        tx.commit().await?;
        Ok(attachment)
    }

    /// Attaches a document to the commitment itself (published from the next period on).
    pub async fn attach_to_commitment(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        file: &NewFile<'_>,
    ) -> Result<Attachment, StoreError> {
        let mut tx = self.begin().await?;
        let attachment = insert(&mut tx, actor, plan, commitment, None, file).await?;
        tx.commit().await?;
        Ok(attachment)
    }

    /// Takes a file off an unpublished report (or a commitment's documents). The row
    /// and the bytes stay — published snapshots may name them, and nothing submitted
    /// is lost; the audit log records who removed it.
    pub async fn remove_attachment(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        attachment_id: i64,
        period: Option<&ReportingPeriod>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let before = sqlx::query_as::<_, Attachment>(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1 AND commitment_id = $2 AND removed_at IS NULL"
        ))
        .bind(attachment_id)
        .bind(commitment.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if let Some(period_id) = before.period_id {
            let period = period.filter(|p| p.id == period_id).ok_or(StoreError::NotFound)?;
            self.editable_report(&mut tx, commitment, period).await?;
        }
        let at = now();
        sqlx::query("UPDATE attachments SET removed_at = $1 WHERE id = $2")
            .bind(at)
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        let after = Attachment { removed_at: Some(at), ..before.clone() };
        let change =
            Change::new(Some(plan.body_id), "attachment.remove", "attachment", before.id).before(&before).after(&after);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The current files of a commitment's report of a period, or (`None`) its own.
    pub async fn attachments(&self, commitment_id: i64, period_id: Option<i64>) -> Result<Vec<Attachment>, StoreError> {
        let rows = sqlx::query_as::<_, Attachment>(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments
             WHERE commitment_id = $1 AND removed_at IS NULL
               AND (($2 IS NULL AND period_id IS NULL) OR period_id = $2)
             ORDER BY id"
        ))
        .bind(commitment_id)
        .bind(period_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Whether a file is attached to some commitment of the body (staff may open it
    /// before it is published).
    pub async fn is_body_attachment(&self, body_id: i64, sha256: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT a.id FROM attachments a JOIN commitments c ON c.id = a.commitment_id JOIN plans p ON p.id = c.plan_id
             WHERE p.body_id = $1 AND a.sha256 = $2 LIMIT 1",
        )
        .bind(body_id)
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }
}

async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    plan: &Plan,
    commitment: &Commitment,
    period_id: Option<i64>,
    file: &NewFile<'_>,
) -> Result<Attachment, StoreError> {
    if file.name.trim().is_empty() {
        return Err(StoreError::Invalid(FieldError::new("file", "required")));
    }
    let sha256 = files::put(tx, file.bytes).await?;
    let attachment = sqlx::query_as::<_, Attachment>(&format!(
        "INSERT INTO attachments (commitment_id, period_id, sha256, file_name, kind, size, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {ATTACHMENT_COLUMNS}"
    ))
    .bind(commitment.id)
    .bind(period_id)
    .bind(&sha256)
    .bind(&file.name)
    .bind(file.kind.as_str())
    .bind(file.bytes.len() as i64)
    .bind(actor.user_id)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let change = Change::new(Some(plan.body_id), "attachment.add", "attachment", attachment.id).after(&attachment);
    record(tx, actor, change).await?;
    Ok(attachment)
}
