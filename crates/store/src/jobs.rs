//! The job queue (a shared service): work done after a change and outside the request
//! that made it — today webhook deliveries. A module adds a job in the transaction of
//! its change (`enqueue`), so the change and its job exist together or not at all; a
//! runner in every `serve` process claims due jobs (`claim_jobs`, atomic with
//! `UPDATE … RETURNING`: two processes never hold one job), runs them and reports
//! back (`finish_job`, `retry_job`). A lease that runs out (the process died) makes the
//! job claimable again, so handlers must be idempotent.

use crate::{now, Store, StoreError};
use serde::Serialize;
use sqlx::{Any, Transaction};

/// A claimed job: what to do and how often it was tried (this attempt included).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    /// Which handler runs it: `webhook`.
    pub kind: String,
    /// The handler's input, JSON.
    pub payload: String,
    pub run_at: i64,
    pub attempts: i64,
    pub created_at: i64,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobEnd {
    Done,
    /// Given up: no more attempts.
    Failed,
}

/// Adds a job to run at `run_at` (now or later), in the caller's transaction.
pub(crate) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    payload: &serde_json::Value,
    run_at: i64,
) -> Result<i64, StoreError> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(kind)
            .bind(payload.to_string())
            .bind(run_at)
            .bind(now())
            .fetch_one(&mut **tx)
            .await?;
    Ok(id)
}

impl Store {
    /// Claims up to `limit` due jobs for `lease_seconds`, counting the attempt. A job
    /// another process holds under a live lease is not taken; one whose lease ran out
    /// is. The outer condition is checked again on the locked row, so of two
    /// processes claiming at once only one gets each job.
    pub async fn claim_jobs(&self, limit: i64, lease_seconds: i64) -> Result<Vec<Job>, StoreError> {
        let at = now();
        let jobs = sqlx::query_as::<_, Job>(
            "UPDATE jobs SET leased_until = $1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM jobs
                          WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $2
                            AND (leased_until IS NULL OR leased_until < $2)
                          ORDER BY run_at, id LIMIT $3)
               AND done_at IS NULL AND failed_at IS NULL AND (leased_until IS NULL OR leased_until < $2)
             RETURNING id, kind, payload, run_at, attempts, created_at",
        )
        .bind(at + lease_seconds)
        .bind(at)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(jobs)
    }

    /// Ends a claimed job: done, or given up with the last error.
    pub async fn finish_job(&self, id: i64, end: JobEnd, error: Option<&str>) -> Result<(), StoreError> {
        let column = match end {
            JobEnd::Done => "done_at",
            JobEnd::Failed => "failed_at",
        };
        sqlx::query(&format!("UPDATE jobs SET {column} = $1, leased_until = NULL, last_error = $2 WHERE id = $3"))
            .bind(now())
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Puts a claimed job back to run at `run_at`, with why the attempt failed.
    /// `uncounted` gives the attempt back (the job was not due after all).
    pub async fn retry_job(
        &self,
        id: i64,
        run_at: i64,
        error: Option<&str>,
        uncounted: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE jobs SET run_at = $1, leased_until = NULL, last_error = $2,
                             attempts = attempts - $3
             WHERE id = $4",
        )
        .bind(run_at)
        .bind(error)
        .bind(i64::from(uncounted))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Jobs not yet done or given up, due or not: what a health check can watch.
    pub async fn pending_jobs(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND failed_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }

    /// Drops finished jobs older than `older_than_seconds` (their delivery log rows
    /// go with them: `ON DELETE CASCADE`).
    pub async fn purge_finished_jobs(&self, older_than_seconds: i64) -> Result<u64, StoreError> {
        let removed = sqlx::query(
            "DELETE FROM jobs WHERE (done_at IS NOT NULL AND done_at < $1) OR (failed_at IS NOT NULL AND failed_at < $1)",
        )
        .bind(now() - older_than_seconds)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(removed)
    }
}
