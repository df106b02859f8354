//! Persistence of sotong on SQLite (embedded default) or PostgreSQL (scale-out).
//!
//! Queries go through sqlx's `Any` driver, so each query is written once in portable
//! SQL (`$1` placeholders, `RETURNING`, `ON CONFLICT`, integer timestamps and amounts).
//! What differs between the engines lives in [`dialect`] and in the two migration
//! trees under `migrations/`, which a test keeps identical in shape.

pub mod audit;
pub mod budgeting;
pub mod backup;
mod batch;
mod columns;
pub use columns::{Flag, JsonText};
pub mod commitments;
pub mod dialect;
mod error;
pub mod files;
pub mod holidays;
pub mod invitations;
pub mod jobs;
pub mod notifications;
pub mod orgs;
pub mod pages;
pub mod privacy;
pub mod rate;
pub mod schema;
pub mod search;
pub mod sessions;
pub mod testing;
pub mod users;
pub mod verification;
pub mod voice;
pub mod webhooks;

pub use audit::{Actor, AuditEntry, AuditFilter};
pub use dialect::Backend;
pub use error::StoreError;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

/// The database behind the application: a connection pool and which engine it is.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects to `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = backend.normalise_url(url);
        let pool = AnyPoolOptions::new()
            .max_connections(backend.max_connections())
            .after_connect(move |conn, _meta| Box::pin(async move { dialect::prepare_connection(backend, conn).await }))
            .after_release(move |conn, _meta| Box::pin(async move { dialect::fit_for_reuse(backend, conn).await }))
            .connect(&url)
            .await?;
        Ok(Store { pool, backend })
    }

    /// Applies the migrations of this engine that have not run yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction, every repository's way in. On SQLite the write lock is
    /// taken at `BEGIN` (`Backend::begin_statement`), where the busy timeout applies: a deferred
    /// transaction that has read and then writes while another holds the lock is
    /// refused at once ("database is locked"), which is what made a write just after a
    /// failed one fail under load.
    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        self.pool.begin_with(self.backend.begin_statement()).await
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Seconds since the Unix epoch, UTC: how every timestamp is stored.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
