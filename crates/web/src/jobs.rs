//! The job runner inside `serve` (the queue is `store::jobs`): every few seconds it
//! claims the due jobs, runs each with its kind's handler and settles it — done,
//! retried later with a widening wait, or given up after `MAX_ATTEMPTS`. Any number of
//! server processes run one each on the same database; a job goes to one of them.

use crate::webhooks::Deliverer;
use sotong_core::webhooks::{retry_delay, MAX_ATTEMPTS};
use sotong_store::jobs::{Job, JobEnd};
use sotong_store::{now, Store, StoreError};
use std::time::Duration;

/// How a handler left its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Failed this time; try again after the schedule's wait (or give up at the last).
    Retry(String),
    /// Not due yet after all (a notice whose first day moved): run again at this time,
    /// the attempt not counted.
    Later(i64),
    /// Cannot succeed (an unknown kind, a payload that does not parse).
    GiveUp(String),
}

#[derive(Debug, Clone)]
pub struct JobSettings {
    /// The public address of the site, for links in what jobs send.
    pub site_url: String,
    /// The first retry's wait; each next one is five times longer.
    pub retry_base: Duration,
    /// How long a claimed job is held before another process may take it over.
    pub lease: Duration,
    /// How long one webhook request may take.
    pub request_timeout: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            site_url: "http://127.0.0.1:8080".into(),
            retry_base: Duration::from_secs(60),
            lease: Duration::from_secs(120),
            request_timeout: Duration::from_secs(10),
        }
    }
}

pub struct JobRunner {
    store: Store,
    retry_base: i64,
    lease: i64,
    webhooks: Deliverer,
}

/// Jobs claimed per round.
const BATCH: i64 = 20;

impl JobRunner {
    pub fn new(store: Store, settings: &JobSettings) -> JobRunner {
        JobRunner {
            store,
            retry_base: i64::try_from(settings.retry_base.as_secs()).unwrap_or(60).max(1),
            lease: i64::try_from(settings.lease.as_secs()).unwrap_or(120).max(1),
            webhooks: Deliverer::new(&settings.site_url, settings.request_timeout),
        }
    }

    /// Runs every job due now, round after round until none is left; returns how many ran.
    pub async fn run_due(&self) -> Result<usize, StoreError> {
        let mut ran = 0;
        loop {
            let jobs = self.store.claim_jobs(BATCH, self.lease).await?;
            if jobs.is_empty() {
                return Ok(ran);
            }
            for job in jobs {
                let retry_at =
                    (job.attempts < MAX_ATTEMPTS).then(|| now() + retry_delay(self.retry_base, job.attempts));
                let outcome = self.run(&job, retry_at).await;
                self.settle(&job, retry_at, outcome).await?;
                ran += 1;
            }
        }
    }

    /// The handler of the job's kind. A database error is a failed attempt like any.
    async fn run(&self, job: &Job, retry_at: Option<i64>) -> Outcome {
        let result = match job.kind.as_str() {
            sotong_store::webhooks::JOB_KIND => self.webhooks.run(&self.store, job, retry_at).await,
            other => Ok(Outcome::GiveUp(format!("no handler for jobs of kind {other:?}"))),
        };
        result.unwrap_or_else(|error| Outcome::Retry(error.to_string()))
    }

    async fn settle(&self, job: &Job, retry_at: Option<i64>, outcome: Outcome) -> Result<(), StoreError> {
        match (outcome, retry_at) {
            (Outcome::Done, _) => self.store.finish_job(job.id, JobEnd::Done, None).await,
            (Outcome::Later(at), _) => self.store.retry_job(job.id, at.max(now() + 1), None, true).await,
            (Outcome::Retry(error), Some(at)) => self.store.retry_job(job.id, at, Some(&error), false).await,
            (Outcome::Retry(error) | Outcome::GiveUp(error), _) => {
                tracing::warn!(job = job.id, kind = %job.kind, %error, "job given up");
                self.store.finish_job(job.id, JobEnd::Failed, Some(&error)).await
            }
        }
    }
}

/// Runs due jobs every `every` for as long as the server runs.
pub fn spawn_runner(runner: JobRunner, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match runner.run_due().await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(ran = n, "jobs run"),
                Err(error) => tracing::warn!(%error, "running jobs failed"),
            }
        }
    })
}
