//! Rate limits on writes that citizens make, counted in the database so that every
//! server process sees the same counts.

use crate::{now, Store, StoreError};

/// A limit: at most `max` actions of one kind by one subject within `window_seconds`.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub bucket: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

impl Store {
    /// Counts one action by `subject` (an account id or a client address) and says
    /// whether it is allowed. A refused action is not counted, so waiting out the
    /// window always helps.
    pub async fn take_rate(&self, limit: RateLimit, subject: &str) -> Result<bool, StoreError> {
        let at = now();
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND subject = $2 AND at > $3")
                .bind(limit.bucket)
                .bind(subject)
                .bind(at - limit.window_seconds)
                .fetch_one(&self.pool)
                .await?;
        if count >= limit.max {
            return Ok(false);
        }
        sqlx::query("INSERT INTO rate_events (bucket, subject, at) VALUES ($1, $2, $3)")
            .bind(limit.bucket)
            .bind(subject)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    /// Drops rate events older than `older_than_seconds`.
    pub async fn purge_rate_events(&self, older_than_seconds: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM rate_events WHERE at < $1")
            .bind(now() - older_than_seconds)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
