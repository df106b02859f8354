//! The one rate limiter: every throttled action (failed logins, password checks,
//! sign-ups, and the citizen writes to come) is counted here, in the database, so that
//! every server process sees the same counts.
//!
//! Checking a count and counting the action are one atomic step: the subjects are
//! locked first (`dialect::lock_keys`), so a hundred simultaneous attempts cannot all
//! see "four so far" and all pass. Before this, 100 simultaneous wrong passwords on
//! one account were 30–47 checked against a limit of 5 (docs/SECURITY.md).

use crate::{dialect, now, Store, StoreError};

/// A limit: at most `max` actions of one kind by one subject within `window_seconds`.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub bucket: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

/// Actions counted by [`Store::take_rates`], which [`Store::give_back`] can uncount.
#[derive(Debug)]
#[must_use]
pub struct Taken(Vec<i64>);

impl Store {
    /// Counts one action by `subject` (an account id or a client address) and says
    /// whether it is allowed. A refused action is not counted, so waiting out the
    /// window always helps.
    pub async fn take_rate(&self, limit: RateLimit, subject: &str) -> Result<bool, StoreError> {
        Ok(self.take_rates(&[(limit, subject)]).await?.is_some())
    }

    /// Counts one action against several limits at once — all of them, or, when any
    /// is reached, none (`None`).
    pub async fn take_rates(&self, takes: &[(RateLimit, &str)]) -> Result<Option<Taken>, StoreError> {
        let at = now();
        let keys: Vec<String> =
            takes.iter().map(|(limit, subject)| format!("rate:{}:{subject}", limit.bucket)).collect();
        let mut tx = self.begin().await?;
        dialect::lock_keys(self.backend, &mut tx, &keys).await?;
        for (limit, subject) in takes {
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND subject = $2 AND at > $3")
                    .bind(limit.bucket)
                    .bind(*subject)
                    .bind(at - limit.window_seconds)
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= limit.max {
                return Ok(None); // dropping the transaction rolls it back
            }
        }
        let mut ids = Vec::with_capacity(takes.len());
        for (limit, subject) in takes {
            let (id,): (i64,) =
                sqlx::query_as("INSERT INTO rate_events (bucket, subject, at) VALUES ($1, $2, $3) RETURNING id")
                    .bind(limit.bucket)
                    .bind(*subject)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(Some(Taken(ids)))
    }

    /// Uncounts actions that turned out not to need limiting (a login that succeeded).
    pub async fn give_back(&self, taken: Taken) -> Result<(), StoreError> {
        for id in taken.0 {
            sqlx::query("DELETE FROM rate_events WHERE id = $1").bind(id).execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Forgets every counted action of `subject` in `bucket`.
    pub async fn clear_rate(&self, bucket: &str, subject: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND subject = $2")
            .bind(bucket)
            .bind(subject)
            .execute(&self.pool)
            .await?;
        Ok(())
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
