//! Everything that differs between SQLite and PostgreSQL outside the migrations.

use crate::StoreError;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// SQLite files are created on first use; an explicit `mode=` is kept.
    pub fn normalise_url(self, url: &str) -> String {
        match self {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        }
    }

    /// SQLite has one writer at a time: a few connections avoid lock contention while
    /// still letting reads run beside a write (WAL).
    pub fn max_connections(self) -> u32 {
        match self {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        }
    }
}

/// Per-connection settings. SQLite: write-ahead log (readers never block the writer),
/// foreign keys enforced, a busy timeout instead of immediate `SQLITE_BUSY`, and the
/// default `synchronous = FULL` kept so that an acknowledged write survives power loss.
pub async fn prepare_connection(backend: Backend, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if backend == Backend::Sqlite {
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000"] {
            sqlx::query(pragma).execute(&mut *conn).await?;
        }
    }
    Ok(())
}
