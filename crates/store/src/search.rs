//! The search index's change log (a shared service): modules add a row naming what
//! changed in the transaction of the change (`enqueue`), and every server process
//! reads the rows after its position (`search_changes`) to update its own index —
//! the index is derived data, rebuilt from the database at any time.

use crate::{now, Store, StoreError};
use sqlx::{Any, Transaction};

/// Names what to index again: `proposal:{id}`, `notice:{id}`, `plan:{id}` (its
/// published commitments), or `reindex` (everything).
pub(crate) async fn enqueue(tx: &mut Transaction<'_, Any>, doc: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO search_queue (doc, created_at) VALUES ($1, $2)")
        .bind(doc)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What to rebuild every index from: `sotong search reindex`.
pub const REINDEX: &str = "reindex";

impl Store {
    /// Asks every server to index `doc` again (the CLI's `reindex`).
    pub async fn enqueue_search(&self, doc: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        enqueue(&mut tx, doc).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rows after `after`, and also those written since `since` (a transaction that
    /// took a lower id may commit after a higher one: rows of the last seconds are
    /// read again, and indexing them twice changes nothing), oldest first.
    pub async fn search_changes(&self, after: i64, since: i64, limit: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let rows =
            sqlx::query_as("SELECT id, doc FROM search_queue WHERE id > $1 OR created_at >= $2 ORDER BY id LIMIT $3")
                .bind(after)
                .bind(since)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows)
    }

    /// The newest row's id (0 when empty): where a freshly built index starts following.
    pub async fn search_head(&self) -> Result<i64, StoreError> {
        let (head,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM search_queue").fetch_one(&self.pool).await?;
        Ok(head.unwrap_or(0))
    }

    /// The oldest row's id still kept (none when empty): an index whose position is
    /// before it has missed purged rows and must be rebuilt.
    pub async fn search_oldest(&self) -> Result<Option<i64>, StoreError> {
        let (oldest,): (Option<i64>,) =
            sqlx::query_as("SELECT MIN(id) FROM search_queue").fetch_one(&self.pool).await?;
        Ok(oldest)
    }

    /// Drops rows older than `older_than_seconds` (every process has read them).
    pub async fn purge_search_queue(&self, older_than_seconds: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM search_queue WHERE created_at < $1")
            .bind(now() - older_than_seconds)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
