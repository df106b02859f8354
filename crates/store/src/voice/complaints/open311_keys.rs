//! The keys an administrator issues to the systems that file complaints through
//! Open311 (`POST requests` carries `api_key`, REFERENCE "Open311 GeoReport v2").
//! Only a key's SHA-256 is kept: the key itself is shown once, when issued.

use crate::audit::{record, Actor, Change};
use crate::files::sha256_hex;
use crate::{now, Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Open311Key {
    pub id: i64,
    pub body_id: i64,
    /// Whose system it is ("새올 연계", "안전신문고 중계").
    pub name: String,
    #[serde(skip)]
    pub key_sha256: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

const KEY_COLUMNS: &str = "id, body_id, name, key_sha256, created_by, created_at, revoked_at";

impl Store {
    /// Records a key (`key` is the secret the caller generated and shows once).
    pub async fn issue_open311_key(
        &self,
        actor: &Actor,
        body_id: i64,
        name: &str,
        key: &str,
    ) -> Result<Open311Key, StoreError> {
        let mut tx = self.begin().await?;
        let issued = sqlx::query_as::<_, Open311Key>(&format!(
            "INSERT INTO open311_keys (body_id, name, key_sha256, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING {KEY_COLUMNS}"
        ))
        .bind(body_id)
        .bind(name)
        .bind(sha256_hex(key.as_bytes()))
        .bind(actor.user_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "open311_key.issue", "open311_key", issued.id).after(&issued),
        )
        .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// A body's keys, the newest first, revoked ones included (the page shows them struck).
    pub async fn open311_keys(&self, body_id: i64) -> Result<Vec<Open311Key>, StoreError> {
        Ok(sqlx::query_as::<_, Open311Key>(&format!(
            "SELECT {KEY_COLUMNS} FROM open311_keys WHERE body_id = $1 ORDER BY id DESC"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The body's key that `key` is, when it is one and not revoked.
    pub async fn open311_key_for(&self, body_id: i64, key: &str) -> Result<Option<Open311Key>, StoreError> {
        Ok(sqlx::query_as::<_, Open311Key>(&format!(
            "SELECT {KEY_COLUMNS} FROM open311_keys WHERE key_sha256 = $1 AND body_id = $2 AND revoked_at IS NULL"
        ))
        .bind(sha256_hex(key.as_bytes()))
        .bind(body_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Revokes a key of the body; revoking a revoked key changes nothing.
    pub async fn revoke_open311_key(&self, actor: &Actor, body_id: i64, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let revoked = sqlx::query_as::<_, Open311Key>(&format!(
            "UPDATE open311_keys SET revoked_at = $1 WHERE id = $2 AND body_id = $3 AND revoked_at IS NULL
             RETURNING {KEY_COLUMNS}"
        ))
        .bind(now())
        .bind(id)
        .bind(body_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(revoked) = revoked else { return Ok(false) };
        record(&mut tx, actor, Change::new(Some(body_id), "open311_key.revoke", "open311_key", id).after(&revoked))
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
