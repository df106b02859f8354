//! Public holidays added after the shipped table (`core::workdays`): a temporary
//! holiday the government declares, or a whole year beyond 2030. `calendar()` is the
//! table every deadline is counted with.

use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use sotong_core::workdays::{CalendarError, Holidays};
use sotong_core::FieldError;

impl Store {
    /// The shipped holidays with those added here.
    pub async fn calendar(&self) -> Result<Holidays, StoreError> {
        let added = self.added_holidays().await?;
        // Every added row passed `with_added` when it was stored.
        Holidays::official().with_added(&added).map_err(|e| StoreError::Unreadable(format!("holidays: {e}")))
    }

    /// The holidays added here, oldest day first (`YYYY-MM-DD`, name).
    pub async fn added_holidays(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as("SELECT day, name FROM holidays ORDER BY day").fetch_all(&self.pool).await?)
    }

    /// Adds holidays, all or none, each audited; refused as a whole when the calendar
    /// with them would break a rule (`Holidays::with_added`).
    pub async fn add_holidays(&self, actor: &Actor, entries: &[(String, String)]) -> Result<usize, StoreError> {
        let mut tx = self.begin().await?;
        let stored: Vec<(String, String)> =
            sqlx::query_as("SELECT day, name FROM holidays ORDER BY day").fetch_all(&mut *tx).await?;
        let all: Vec<(String, String)> = stored.into_iter().chain(entries.iter().cloned()).collect();
        if let Err(error) = Holidays::official().with_added(&all) {
            let code = match error {
                CalendarError::YearIncomplete(..) => "year_incomplete",
                _ => "invalid_holiday",
            };
            return Err(StoreError::Invalid(FieldError::new("holidays", code)));
        }
        for (day, name) in entries {
            sqlx::query("INSERT INTO holidays (day, name, created_at) VALUES ($1, $2, $3)")
                .bind(day.trim())
                .bind(name.trim())
                .bind(now())
                .execute(&mut *tx)
                .await?;
            let change = Change::new(None, "holiday.add", "holiday", day.trim())
                .after(&serde_json::json!({ "day": day.trim(), "name": name.trim() }));
            record(&mut tx, actor, change).await?;
        }
        tx.commit().await?;
        Ok(entries.len())
    }
}
