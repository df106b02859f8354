//! Polling stations and paper ballots. A paper ballot is keyed in twice, by two
//! different officers, from the sheet number written on it at the count (never the
//! voter's name: keying votes in beside names broke secrecy in a Korean district,
//! ../REFERENCE.md "Participatory budgeting"). When two entries of a sheet agree the
//! ballot is written; when they differ both wait for a third entry that agrees with
//! one. A station never yields more ballots than people checked in there.

use super::{invalid, lock_key, Process};
use crate::audit::{record, Actor, Change};
use crate::columns::Flag;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::budgeting::ballot::{Channel, CheckedBallot};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Station {
    pub id: i64,
    pub process_id: i64,
    pub name: String,
    pub place: String,
}

/// What keying in a sheet did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperOutcome {
    /// The first entry of this sheet: it waits for a second officer's.
    Waiting,
    /// Two officers agree: the ballot is in the count.
    Reconciled,
    /// The entries of this sheet differ: a third officer keys it in again.
    Mismatch,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct PaperEntry {
    pub id: i64,
    pub station_id: i64,
    pub sheet: String,
    pub entered_by: i64,
    pub content: String,
    #[sqlx(try_from = "i64")]
    pub reconciled: Flag,
    pub created_at: i64,
}

/// One station's figures: people checked in, ballots counted, sheets waiting.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct StationCount {
    pub check_ins: i64,
    pub ballots: i64,
    pub sheets_waiting: i64,
}

impl Store {
    pub async fn add_station(
        &self,
        actor: &Actor,
        process: &Process,
        name: &str,
        place: &str,
    ) -> Result<Station, StoreError> {
        let name = sotong_core::text::required_line("name", name, sotong_core::budgeting::NAME_MAX_CHARS)
            .map_err(StoreError::Invalid)?;
        let place = sotong_core::text::required_line("place", place, sotong_core::budgeting::NAME_MAX_CHARS)
            .map_err(StoreError::Invalid)?;
        let mut tx = self.begin().await?;
        let station = sqlx::query_as::<_, Station>(
            "INSERT INTO budget_stations (process_id, name, place) VALUES ($1, $2, $3) RETURNING id, process_id, name, place",
        )
        .bind(process.id)
        .bind(&name)
        .bind(&place)
        .fetch_one(&mut *tx)
        .await?;
        let change =
            Change::new(Some(process.body_id), "budget_station.create", "budget_station", station.id).after(&station);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(station)
    }

    pub async fn stations(&self, process_id: i64) -> Result<Vec<Station>, StoreError> {
        let rows = sqlx::query_as::<_, Station>(
            "SELECT id, process_id, name, place FROM budget_stations WHERE process_id = $1 ORDER BY id",
        )
        .bind(process_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    pub async fn station_count(&self, station_id: i64) -> Result<StationCount, StoreError> {
        let (check_ins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM budget_participations WHERE station_id = $1")
            .bind(station_id)
            .fetch_one(&self.pool)
            .await?;
        let (ballots,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM budget_ballots WHERE station_id = $1")
            .bind(station_id)
            .fetch_one(&self.pool)
            .await?;
        let (sheets_waiting,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT sheet) FROM budget_paper_entries WHERE station_id = $1 AND reconciled = 0",
        )
        .bind(station_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(StationCount { check_ins, ballots, sheets_waiting })
    }

    /// An officer keys in one paper ballot. Paper is counted after the polls close
    /// (in the results phase, before publication) as well as during the vote.
    pub async fn enter_paper_ballot(
        &self,
        actor: &Actor,
        process: &Process,
        station: &Station,
        sheet: &str,
        officer_id: i64,
        ballot: &CheckedBallot,
    ) -> Result<PaperOutcome, StoreError> {
        let sheet = sotong_core::text::required_line("sheet", sheet, 40).map_err(StoreError::Invalid)?;
        if station.process_id != process.id {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.begin().await?;
        crate::dialect::lock_keys(self.backend, &mut tx, &[format!("budget_station:{}", station.id)]).await?;
        crate::dialect::lock_keys_shared(self.backend, &mut tx, &[lock_key(process.id)]).await?;
        let current = super::process_in(&mut tx, process.id).await?;
        if current.phase.is_before(sotong_core::budgeting::Phase::Voting) || published(&mut tx, process.id).await? {
            return Err(invalid("sheet", "paper_entry_closed"));
        }
        let content = ballot.canonical();
        let reconciled_already: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM budget_paper_entries WHERE station_id = $1 AND sheet = $2 AND reconciled = 1 LIMIT 1",
        )
        .bind(station.id)
        .bind(&sheet)
        .fetch_optional(&mut *tx)
        .await?;
        if reconciled_already.is_some() {
            return Err(invalid("sheet", "sheet_already_counted"));
        }
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO budget_paper_entries (process_id, station_id, sheet, entered_by, content, reconciled, created_at)
             VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
        )
        .bind(process.id)
        .bind(station.id)
        .bind(&sheet)
        .bind(officer_id)
        .bind(&content)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict => invalid("sheet", "sheet_entered_by_you"),
            other => other,
        })?;
        let others: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, content FROM budget_paper_entries
             WHERE station_id = $1 AND sheet = $2 AND entered_by <> $3 AND reconciled = 0 ORDER BY id",
        )
        .bind(station.id)
        .bind(&sheet)
        .bind(officer_id)
        .fetch_all(&mut *tx)
        .await?;
        let outcome = match others.iter().find(|(_, other)| *other == content) {
            None if others.is_empty() => PaperOutcome::Waiting,
            None => PaperOutcome::Mismatch,
            Some(_) => {
                reconcile(&mut tx, process, station, &sheet, ballot).await?;
                PaperOutcome::Reconciled
            }
        };
        let change = Change::new(Some(process.body_id), "budget_paper.enter", "budget_station", station.id)
            .after(&serde_json::json!({ "sheet": sheet, "outcome": format!("{outcome:?}").to_lowercase() }));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// A station's entries still waiting or in conflict, for the officers' screen.
    pub async fn open_paper_entries(&self, station_id: i64) -> Result<Vec<PaperEntry>, StoreError> {
        let rows = sqlx::query_as::<_, PaperEntry>(
            "SELECT id, station_id, sheet, entered_by, content, reconciled, created_at FROM budget_paper_entries
             WHERE station_id = $1 AND reconciled = 0 ORDER BY sheet, id",
        )
        .bind(station_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}

/// Writes the agreed ballot and marks every entry of the sheet done — unless the
/// station would then have more ballots than check-ins.
async fn reconcile(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    process: &Process,
    station: &Station,
    sheet: &str,
    ballot: &CheckedBallot,
) -> Result<(), StoreError> {
    let (check_ins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM budget_participations WHERE station_id = $1")
        .bind(station.id)
        .fetch_one(&mut **tx)
        .await?;
    let (ballots,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM budget_ballots WHERE station_id = $1")
        .bind(station.id)
        .fetch_one(&mut **tx)
        .await?;
    if ballots >= check_ins {
        return Err(invalid("sheet", "paper_exceeds_check_ins"));
    }
    super::ballots::insert_ballot(tx, process.id, Channel::Paper, Some(station.id), ballot, None).await?;
    sqlx::query("UPDATE budget_paper_entries SET reconciled = 1 WHERE station_id = $1 AND sheet = $2")
        .bind(station.id)
        .bind(sheet)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn published(tx: &mut sqlx::Transaction<'static, sqlx::Any>, process_id: i64) -> Result<bool, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM budget_publications WHERE process_id = $1")
        .bind(process_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}
