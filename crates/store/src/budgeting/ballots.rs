//! Who voted and what was voted, stored apart (docs/BUDGETING.md "Secrecy"):
//!
//! - `budget_participations`: one row per person and process — the primary key
//!   (process, person key) refuses a second, whatever the concurrency, and whichever
//!   channel (web, or a check-in at a polling station) came first;
//! - `budget_ballots`: a random id, the choices, their hash and the digest of the
//!   voter's receipt code. No person, no account, no time.
//!
//! Both rows are written in one transaction, so a ballot exists exactly when its
//! participation does. The audit log records that a person took part, never which
//! ballot is theirs. The receipt code exists in clear only in the answer to the voter.

use super::{lock_key, process_in, Process};
use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::budgeting::ballot::{ballot_hash, Channel, CheckedBallot};
use sotong_core::FieldError;
use sqlx::{Any, Transaction};

/// What a voter is given once their ballot is in: the receipt code to look it up by,
/// and the ballot's hash as it will be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub code: String,
    pub hash: String,
}

/// A ballot as counted: no one's.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct StoredBallot {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    pub station_id: Option<i64>,
    pub content: String,
    pub hash: String,
}

/// What a receipt code finds: the ballot was counted, with this hash.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReceiptCheck {
    pub hash: String,
    pub channel: Channel,
}

/// How many took part, by channel: shown while the vote runs (the totals are not).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct Turnout {
    pub online: i64,
    pub paper: i64,
}

impl Turnout {
    pub fn total(&self) -> i64 {
        self.online + self.paper
    }
}

/// 128 random bits as hex: a ballot id nobody can guess or order.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::getrandom(&mut buffer).expect("operating-system random source");
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

/// A receipt code as printed: 16 characters of the voting codes' alphabet in four
/// groups (`core::verification::CODE_ALPHABET`: nothing to misread).
fn receipt_code() -> String {
    let mut random = [0u8; 16];
    getrandom::getrandom(&mut random).expect("operating-system random source");
    let alphabet = sotong_core::verification::CODE_ALPHABET;
    let chars: Vec<char> = random.iter().map(|b| alphabet[(b % 32) as usize] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

pub fn receipt_digest(code: &str) -> String {
    use sha2::{Digest, Sha256};
    let normal: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    Sha256::digest(normal.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Casts a web ballot for the person `person_key`: their participation and the
    /// anonymous ballot in one transaction. A second ballot of the same person — on
    /// any account, or after a check-in at a station — is refused (`already_voted`).
    pub async fn cast_ballot(
        &self,
        actor: &Actor,
        process: &Process,
        person_key: &str,
        ballot: &CheckedBallot,
    ) -> Result<Receipt, StoreError> {
        let mut tx = self.begin().await?;
        // Shared with every other ballot; the phase change waits for it (and it for that).
        crate::dialect::lock_keys_shared(self.backend, &mut tx, &[lock_key(process.id)]).await?;
        let current = process_in(&mut tx, process.id).await?;
        if let Some(reason) = current.voting_closed_reason(now()) {
            return Err(StoreError::Invalid(reason));
        }
        take_part(&mut tx, process, person_key, Channel::Online, None).await?;
        let code = receipt_code();
        let hash =
            insert_ballot(&mut tx, process.id, Channel::Online, None, ballot, Some(&receipt_digest(&code))).await?;
        audit_participation(&mut tx, actor, process, Channel::Online, None).await?;
        tx.commit().await?;
        Ok(Receipt { code, hash })
    }

    /// Checks a person in at a polling station (an officer saw their identity card):
    /// their participation is recorded there, so they cannot vote on the web too;
    /// their paper ballot joins the count when officers key it in.
    pub async fn check_in(
        &self,
        actor: &Actor,
        process: &Process,
        station_id: i64,
        person_key: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        crate::dialect::lock_keys_shared(self.backend, &mut tx, &[lock_key(process.id)]).await?;
        let current = process_in(&mut tx, process.id).await?;
        if let Some(reason) = current.voting_closed_reason(now()) {
            return Err(StoreError::Invalid(reason));
        }
        take_part(&mut tx, process, person_key, Channel::Paper, Some(station_id)).await?;
        audit_participation(&mut tx, actor, process, Channel::Paper, Some(station_id)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Has this person taken part in the process (on any channel)?
    pub async fn has_participated(&self, process_id: i64, person_key: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT process_id FROM budget_participations WHERE process_id = $1 AND person_key = $2")
                .bind(process_id)
                .bind(person_key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    pub async fn turnout(&self, process_id: i64) -> Result<Turnout, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT channel, COUNT(*) FROM budget_participations WHERE process_id = $1 GROUP BY channel",
        )
        .bind(process_id)
        .fetch_all(&self.pool)
        .await?;
        let mut turnout = Turnout::default();
        for (channel, count) in rows {
            match Channel::try_from(channel).map_err(StoreError::Unreadable)? {
                Channel::Online => turnout.online = count,
                Channel::Paper => turnout.paper = count,
            }
        }
        Ok(turnout)
    }

    /// A voter's receipt code finds their ballot's hash — not its content, so a
    /// receipt cannot prove to anyone else how its holder voted.
    pub async fn check_receipt(&self, process_id: i64, code: &str) -> Result<Option<ReceiptCheck>, StoreError> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT hash, channel FROM budget_ballots WHERE process_id = $1 AND receipt_digest = $2")
                .bind(process_id)
                .bind(receipt_digest(code))
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(hash, channel)| {
            Ok(ReceiptCheck { hash, channel: Channel::try_from(channel).map_err(StoreError::Unreadable)? })
        })
        .transpose()
    }

    /// Every ballot of a process, in the order of their random ids: what is counted
    /// and published. Callers show totals only once the results are out.
    pub async fn ballots(&self, process_id: i64) -> Result<Vec<StoredBallot>, StoreError> {
        let rows = sqlx::query_as::<_, StoredBallot>(
            "SELECT id, channel, station_id, content, hash FROM budget_ballots WHERE process_id = $1 ORDER BY id",
        )
        .bind(process_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}

/// The participation row, refused by the primary key for a second time.
async fn take_part(
    tx: &mut Transaction<'static, Any>,
    process: &Process,
    person_key: &str,
    channel: Channel,
    station_id: Option<i64>,
) -> Result<(), StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO budget_participations (process_id, person_key, channel, station_id, voted_on)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(process.id)
    .bind(person_key)
    .bind(channel.as_str())
    .bind(station_id)
    .bind(sotong_core::format::kst_date_after(now(), 0))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(StoreError::Invalid(FieldError::new("ballot", "already_voted")));
    }
    Ok(())
}

pub(crate) async fn insert_ballot(
    tx: &mut Transaction<'static, Any>,
    process_id: i64,
    channel: Channel,
    station_id: Option<i64>,
    ballot: &CheckedBallot,
    receipt_digest: Option<&str>,
) -> Result<String, StoreError> {
    let id = random_hex(16);
    let content = ballot.canonical();
    let hash = ballot_hash(process_id, &id, &content);
    sqlx::query(
        "INSERT INTO budget_ballots (id, process_id, channel, station_id, content, hash, receipt_digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(process_id)
    .bind(channel.as_str())
    .bind(station_id)
    .bind(&content)
    .bind(&hash)
    .bind(receipt_digest)
    .execute(&mut **tx)
    .await?;
    Ok(hash)
}

/// That a person took part, on which channel: never which ballot.
async fn audit_participation(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    process: &Process,
    channel: Channel,
    station_id: Option<i64>,
) -> Result<(), StoreError> {
    let change = Change::new(Some(process.body_id), "budget_participation.create", "budget_process", process.id)
        .after(&serde_json::json!({ "channel": channel, "station_id": station_id }));
    record(tx, actor, change).await
}
