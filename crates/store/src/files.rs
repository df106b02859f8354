//! Files kept in the database, content-addressed by SHA-256 (a shared service: reports
//! and commitments now, complaints' photos later). Keeping them in the database means
//! every server on one PostgreSQL database serves every file, one backup (`sotong
//! backup`, `pg_dump`) holds them with the rows that name them, and a file written in
//! a transaction that rolls back is gone with it. docs/OPERATIONS.md has the sizes.

use crate::{now, Store, StoreError};
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

/// A checked upload: its kind told by content (`FileKind::check`), its name cleaned.
pub struct NewFile<'a> {
    pub name: String,
    pub kind: sotong_core::files::FileKind,
    pub bytes: &'a [u8],
}

/// The SHA-256 of some bytes, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Stores `bytes` once (a file already there is left as it is); returns its SHA-256.
pub(crate) async fn put(tx: &mut Transaction<'static, Any>, bytes: &[u8]) -> Result<String, StoreError> {
    let sha256 = sha256_hex(bytes);
    sqlx::query(
        "INSERT INTO files (sha256, size, content, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha256)
    .bind(bytes.len() as i64)
    .bind(bytes)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(sha256)
}

impl Store {
    /// A stored file's bytes.
    pub async fn file_content(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Vec<u8>,)> = sqlx::query_as("SELECT content FROM files WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(content,)| content))
    }

    /// Whether a body has published the file (the public may download it).
    pub async fn is_published_file(&self, body_id: i64, sha256: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM published_files WHERE body_id = $1 AND sha256 = $2")
            .bind(body_id)
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }
}
