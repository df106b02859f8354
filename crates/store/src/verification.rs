//! Resident verification, the shared service behind every vote (participatory
//! budgeting now, citizen polls next; core::verification has the rules). The store
//! only ever sees keyed hashes of a person's details, computed by the caller with the
//! installation's verification key, and SHA-256 digests of voting codes.

use crate::audit::{record, Actor, Change};
use crate::batch;
use crate::columns::Columns;
use crate::error::ConflictAs;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::verification::{Basis, Method};
use sotong_core::FieldError;

/// One line of a roster, already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub person_key: String,
    pub basis: Basis,
    pub district: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Roster {
    pub id: i64,
    pub body_id: i64,
    pub name: String,
    pub entries: i64,
    pub created_at: i64,
}

/// An account's verification in a body.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Verified {
    pub body_id: i64,
    pub user_id: i64,
    #[serde(skip)]
    pub person_key: String,
    #[sqlx(try_from = "String")]
    pub method: Method,
    #[sqlx(try_from = "String")]
    pub basis: Basis,
    pub district: Option<String>,
    #[serde(skip)]
    pub born_on: Option<String>,
    pub verified_at: i64,
}

const VERIFIED_COLUMNS: Columns =
    Columns("body_id, user_id, person_key, method, basis, district, born_on, verified_at");

/// A code to print: the code itself exists only in this value, never in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    pub code: String,
    pub digest: String,
    pub person_key: Option<String>,
    pub basis: Basis,
    pub district: Option<String>,
}

/// What a code's digest names, before it is used.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct CodeRow {
    person_key: Option<String>,
    #[sqlx(try_from = "String")]
    basis: Basis,
    district: Option<String>,
    used_by: Option<i64>,
}

/// How many codes a batch has and how many were used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CodeBatch {
    pub batch: String,
    pub issued: i64,
    pub used: i64,
}

impl Store {
    /// Imports a roster whole or not at all; the caller has parsed every line (and
    /// named the bad ones) and hashed the details. A person listed twice is one entry.
    pub async fn import_roster(
        &self,
        actor: &Actor,
        body_id: i64,
        name: &str,
        entries: &[RosterEntry],
    ) -> Result<Roster, StoreError> {
        if entries.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("file", "roster_empty")));
        }
        let mut tx = self.begin().await?;
        let at = now();
        let roster = sqlx::query_as::<_, Roster>(
            "INSERT INTO verification_rosters (body_id, name, entries, imported_by, created_at)
             VALUES ($1, $2, 0, $3, $4) RETURNING id, body_id, name, entries, created_at",
        )
        .bind(body_id)
        .bind(name)
        .bind(actor.user_id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let mut written = 0u64;
        for chunk in entries.chunks(batch::ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO verification_roster_entries (roster_id, person_key, basis, district) VALUES {} ON CONFLICT DO NOTHING",
                batch::values(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for entry in chunk {
                query = query.bind(roster.id).bind(&entry.person_key).bind(entry.basis.as_str()).bind(&entry.district);
            }
            written += query.execute(&mut *tx).await?.rows_affected();
        }
        let roster = sqlx::query_as::<_, Roster>(
            "UPDATE verification_rosters SET entries = $1 WHERE id = $2 RETURNING id, body_id, name, entries, created_at",
        )
        .bind(written as i64)
        .bind(roster.id)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "roster.import", "verification_roster", roster.id).after(&roster),
        )
        .await?;
        tx.commit().await?;
        Ok(roster)
    }

    pub async fn rosters(&self, body_id: i64) -> Result<Vec<Roster>, StoreError> {
        let rows = sqlx::query_as::<_, Roster>(
            "SELECT id, body_id, name, entries, created_at FROM verification_rosters WHERE body_id = $1 ORDER BY id DESC",
        )
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The newest roster entry of the body under this keyed hash.
    pub async fn roster_entry(&self, body_id: i64, person_key: &str) -> Result<Option<RosterEntry>, StoreError> {
        let row: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT e.basis, e.district FROM verification_roster_entries e
             JOIN verification_rosters r ON r.id = e.roster_id
             WHERE r.body_id = $1 AND e.person_key = $2 ORDER BY r.id DESC LIMIT 1",
        )
        .bind(body_id)
        .bind(person_key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(basis, district)| {
            Ok(RosterEntry {
                person_key: person_key.to_string(),
                basis: Basis::try_from(basis).map_err(StoreError::Unreadable)?,
                district,
            })
        })
        .transpose()
    }

    /// Verifies an account against the roster: the details typed, hashed by the
    /// caller, must be an entry of one of the body's rosters.
    pub async fn verify_by_roster(
        &self,
        actor: &Actor,
        body_id: i64,
        user_id: i64,
        person_key: &str,
        born_on: &str,
    ) -> Result<Verified, StoreError> {
        let entry = self
            .roster_entry(body_id, person_key)
            .await?
            .ok_or(StoreError::Invalid(FieldError::new("name", "not_on_roster")))?;
        let mut tx = self.begin().await?;
        let verified = insert_verified(&mut tx, body_id, user_id, &entry, Method::Roster, Some(born_on)).await?;
        audit_verified(&mut tx, actor, &verified).await?;
        tx.commit().await?;
        Ok(verified)
    }

    /// Issues `codes` (made by the caller from operating-system randomness), as one
    /// batch; they are stored only as digests.
    pub async fn issue_codes(
        &self,
        actor: &Actor,
        body_id: i64,
        batch_name: &str,
        codes: &[IssuedCode],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let at = now();
        for chunk in codes.chunks(batch::ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO verification_codes (digest, body_id, batch, person_key, basis, district, created_at) VALUES {}",
                batch::values(chunk.len(), 7)
            );
            let mut query = sqlx::query(&sql);
            for code in chunk {
                query = query
                    .bind(&code.digest)
                    .bind(body_id)
                    .bind(batch_name)
                    .bind(&code.person_key)
                    .bind(code.basis.as_str())
                    .bind(&code.district)
                    .bind(at);
            }
            query.execute(&mut *tx).await.conflict_as("batch", "code_collision")?;
        }
        let change = Change::new(Some(body_id), "voting_codes.issue", "verification_codes", batch_name)
            .after(&serde_json::json!({ "batch": batch_name, "codes": codes.len() }));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn code_batches(&self, body_id: i64) -> Result<Vec<CodeBatch>, StoreError> {
        let rows = sqlx::query_as::<_, CodeBatch>(
            "SELECT batch, COUNT(*) AS issued, COUNT(used_by) AS used FROM verification_codes
             WHERE body_id = $1 GROUP BY batch ORDER BY MIN(created_at) DESC, batch",
        )
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Verifies an account with a one-time code: the code is spent in the same
    /// transaction (a conditional UPDATE), so two accounts racing for it cannot both
    /// have it.
    pub async fn verify_by_code(
        &self,
        actor: &Actor,
        body_id: i64,
        user_id: i64,
        digest: &str,
    ) -> Result<Verified, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query_as::<_, CodeRow>(
            "SELECT person_key, basis, district, used_by FROM verification_codes WHERE body_id = $1 AND digest = $2",
        )
        .bind(body_id)
        .bind(digest)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::Invalid(FieldError::new("code", "unknown_voting_code")))?;
        if row.used_by.is_some() {
            return Err(StoreError::Invalid(FieldError::new("code", "voting_code_used")));
        }
        let spent = sqlx::query(
            "UPDATE verification_codes SET used_by = $1, used_at = $2 WHERE digest = $3 AND used_by IS NULL",
        )
        .bind(user_id)
        .bind(now())
        .bind(digest)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if spent == 0 {
            return Err(StoreError::Invalid(FieldError::new("code", "voting_code_used")));
        }
        let entry = RosterEntry {
            person_key: row.person_key.unwrap_or_else(|| format!("code:{digest}")),
            basis: row.basis,
            district: row.district,
        };
        let verified = insert_verified(&mut tx, body_id, user_id, &entry, Method::Code, None).await?;
        audit_verified(&mut tx, actor, &verified).await?;
        tx.commit().await?;
        Ok(verified)
    }

    /// An account's verification in a body, if any.
    pub async fn verified(&self, body_id: i64, user_id: i64) -> Result<Option<Verified>, StoreError> {
        let row = sqlx::query_as::<_, Verified>(&format!(
            "SELECT {VERIFIED_COLUMNS} FROM verified_residents WHERE body_id = $1 AND user_id = $2"
        ))
        .bind(body_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// How many accounts are verified in a body, by method.
    pub async fn verified_counts(&self, body_id: i64) -> Result<Vec<(Method, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT method, COUNT(*) FROM verified_residents WHERE body_id = $1 GROUP BY method ORDER BY method",
        )
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|(m, n)| Ok((Method::try_from(m).map_err(StoreError::Unreadable)?, n))).collect()
    }
}

async fn insert_verified(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    body_id: i64,
    user_id: i64,
    entry: &RosterEntry,
    method: Method,
    born_on: Option<&str>,
) -> Result<Verified, StoreError> {
    let already: Option<(i64,)> =
        sqlx::query_as("SELECT user_id FROM verified_residents WHERE body_id = $1 AND user_id = $2")
            .bind(body_id)
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
    if already.is_some() {
        return Err(StoreError::Invalid(FieldError::new("name", "already_verified")));
    }
    let verified = sqlx::query_as::<_, Verified>(&format!(
        "INSERT INTO verified_residents (body_id, user_id, person_key, method, basis, district, born_on, verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {VERIFIED_COLUMNS}"
    ))
    .bind(body_id)
    .bind(user_id)
    .bind(&entry.person_key)
    .bind(method.as_str())
    .bind(entry.basis.as_str())
    .bind(&entry.district)
    .bind(born_on)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        // The same person verified on another account (or this one, a moment ago).
        StoreError::Conflict => StoreError::Invalid(FieldError::new("name", "person_verified_elsewhere")),
        other => other,
    })?;
    Ok(verified)
}

async fn audit_verified(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    verified: &Verified,
) -> Result<(), StoreError> {
    let change = Change::new(Some(verified.body_id), "resident.verify", "user", verified.user_id).after(verified);
    record(tx, actor, change).await
}
