//! Files on proposals (attached by their author while the proposal is open), on
//! complaints (by their filer while open) and on notices (by staff). The bytes live in
//! the shared `files` table; a file is public while what it is attached to is
//! (`is_public_voice_file`, asked by the file server); a private complaint's files are
//! for those who may read the complaint (`complaints_with_file`).

use crate::audit::{record, Actor, Change};
use crate::columns::Columns;
use crate::files::{self, NewFile};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::voice::proposals::Moderation;
use sotong_core::FieldError;

/// At most this many files on one proposal or notice.
pub const MAX_FILES: i64 = 5;

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Proposal(i64),
    Notice(i64),
    Complaint(i64),
}

impl Owner {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Owner::Proposal(id) => ("proposal", id),
            Owner::Notice(id) => ("notice", id),
            Owner::Complaint(id) => ("complaint", id),
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct VoiceAttachment {
    pub id: i64,
    pub owner_kind: String,
    pub owner_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub kind: String,
    pub size: i64,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
    pub removed_at: Option<i64>,
}

const COLUMNS: Columns =
    Columns("id, owner_kind, owner_id, sha256, file_name, kind, size, uploaded_by, created_at, removed_at");

impl Store {
    /// Attaches a checked file; refused past `MAX_FILES`. The owner's row is locked
    /// first, so two uploads at once cannot both pass the count.
    pub async fn attach_voice_file(
        &self,
        actor: &Actor,
        body_id: i64,
        owner: Owner,
        file: &NewFile<'_>,
    ) -> Result<VoiceAttachment, StoreError> {
        if file.name.trim().is_empty() {
            return Err(StoreError::Invalid(FieldError::new("file", "required")));
        }
        let (kind, owner_id) = owner.parts();
        let mut tx = self.begin().await?;
        let table = match owner {
            Owner::Proposal(_) => "proposals",
            Owner::Notice(_) => "notices",
            Owner::Complaint(_) => "complaints",
        };
        let locked = sqlx::query(&format!("UPDATE {table} SET updated_at = updated_at WHERE id = $1 AND body_id = $2"))
            .bind(owner_id)
            .bind(body_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if locked != 1 {
            return Err(StoreError::NotFound);
        }
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM voice_attachments WHERE owner_kind = $1 AND owner_id = $2 AND removed_at IS NULL",
        )
        .bind(kind)
        .bind(owner_id)
        .fetch_one(&mut *tx)
        .await?;
        if count >= MAX_FILES {
            return Err(StoreError::Invalid(FieldError::new("file", "too_many_files")));
        }
        let sha256 = files::put(&mut tx, file.bytes).await?;
        let attachment = sqlx::query_as::<_, VoiceAttachment>(&format!(
            "INSERT INTO voice_attachments (owner_kind, owner_id, sha256, file_name, kind, size, uploaded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
        ))
        .bind(kind)
        .bind(owner_id)
        .bind(&sha256)
        .bind(&file.name)
        .bind(file.kind.as_str())
        .bind(file.bytes.len() as i64)
        .bind(actor.user_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(body_id), "attachment.add", "attachment", attachment.id).after(&attachment);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(attachment)
    }

    /// Takes a file off (the row and the bytes stay; the audit log says who).
    pub async fn remove_voice_file(
        &self,
        actor: &Actor,
        body_id: i64,
        owner: Owner,
        attachment_id: i64,
    ) -> Result<(), StoreError> {
        let (kind, owner_id) = owner.parts();
        let mut tx = self.begin().await?;
        let at = now();
        let after = sqlx::query_as::<_, VoiceAttachment>(&format!(
            "UPDATE voice_attachments SET removed_at = $1
             WHERE id = $2 AND owner_kind = $3 AND owner_id = $4 AND removed_at IS NULL RETURNING {COLUMNS}"
        ))
        .bind(at)
        .bind(attachment_id)
        .bind(kind)
        .bind(owner_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let before = VoiceAttachment { removed_at: None, ..after.clone() };
        let change =
            Change::new(Some(body_id), "attachment.remove", "attachment", after.id).before(&before).after(&after);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The files on a proposal or notice, oldest first.
    pub async fn voice_files(&self, owner: Owner) -> Result<Vec<VoiceAttachment>, StoreError> {
        let (kind, owner_id) = owner.parts();
        let rows = sqlx::query_as::<_, VoiceAttachment>(&format!(
            "SELECT {COLUMNS} FROM voice_attachments
             WHERE owner_kind = $1 AND owner_id = $2 AND removed_at IS NULL ORDER BY id"
        ))
        .bind(kind)
        .bind(owner_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Whether a file is on a proposal of the body that is not hidden, on a public
    /// complaint of the body, or on a notice of the body that is public on `today`
    /// (anyone may download it).
    pub async fn is_public_voice_file(&self, body_id: i64, sha256: &str, today: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT a.id FROM voice_attachments a
             WHERE a.sha256 = $1 AND a.removed_at IS NULL AND (
                 (a.owner_kind = 'proposal' AND a.owner_id IN (SELECT id FROM proposals WHERE body_id = $2 AND moderation <> $3))
              OR (a.owner_kind = 'complaint' AND a.owner_id IN (SELECT id FROM complaints WHERE body_id = $2 AND is_public = 1))
              OR (a.owner_kind = 'notice' AND a.owner_id IN (SELECT id FROM notices WHERE body_id = $2 AND withdrawn_at IS NULL
                                                              AND publish_on <= $4 AND (expires_on IS NULL OR expires_on >= $4))))
             LIMIT 1",
        )
        .bind(sha256)
        .bind(body_id)
        .bind(Moderation::Hidden.as_str())
        .bind(today)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Whether a file is on any proposal or notice of the body (its staff may open it;
    /// a complaint's files only those who may read the complaint).
    pub async fn is_voice_file(&self, body_id: i64, sha256: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT a.id FROM voice_attachments a
             WHERE a.sha256 = $1 AND (
                 (a.owner_kind = 'proposal' AND a.owner_id IN (SELECT id FROM proposals WHERE body_id = $2))
              OR (a.owner_kind = 'notice' AND a.owner_id IN (SELECT id FROM notices WHERE body_id = $2)))
             LIMIT 1",
        )
        .bind(sha256)
        .bind(body_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// The complaints of the body a file is on (the file server asks who may read them).
    pub async fn complaints_with_file(
        &self,
        body_id: i64,
        sha256: &str,
    ) -> Result<Vec<crate::voice::complaints::Complaint>, StoreError> {
        Ok(sqlx::query_as::<_, crate::voice::complaints::Complaint>(&format!(
            "SELECT {} FROM complaints WHERE body_id = $1 AND id IN
                 (SELECT owner_id FROM voice_attachments WHERE owner_kind = 'complaint' AND sha256 = $2 AND removed_at IS NULL)",
            crate::voice::complaints::COMPLAINT_COLUMNS
        ))
        .bind(body_id)
        .bind(sha256)
        .fetch_all(&self.pool)
        .await?)
    }
}
