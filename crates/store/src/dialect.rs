//! Everything that differs between SQLite and PostgreSQL outside the migrations.

use crate::StoreError;
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Transaction};
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// How a transaction begins: SQLite takes the write lock at once (`IMMEDIATE`), as
    /// nearly every transaction here writes and SQLite has one writer at a time.
    pub fn begin_statement(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
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

/// Makes the rest of `tx` exclusive for each of `keys`: a second transaction naming
/// one of them waits until this one ends. This is what makes check-then-write steps
/// (a rate limit's count, one support per person) atomic on both engines.
/// PostgreSQL: transaction-scoped advisory locks, taken in a fixed order so two
/// transactions never wait on each other. SQLite has one writer at a time and every
/// transaction takes the write lock at its `BEGIN IMMEDIATE`; the write that changes
/// nothing keeps a step serialised even in a transaction begun otherwise.
pub async fn lock_keys(
    backend: Backend,
    tx: &mut Transaction<'static, Any>,
    keys: &[String],
) -> Result<(), StoreError> {
    match backend {
        Backend::Sqlite => {
            sqlx::query("UPDATE rate_events SET id = id WHERE 1 = 0").execute(&mut **tx).await?;
        }
        Backend::Postgres => {
            let mut ids: Vec<i64> = keys.iter().map(|key| advisory_key(key)).collect();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(id).execute(&mut **tx).await?;
            }
        }
    }
    Ok(())
}

/// Shared locks on `keys`: many transactions hold one at once, and [`lock_keys`] on
/// the same key waits until they end — ballots are cast side by side while the
/// phase change that closes the vote waits for the last of them (and they for it).
/// SQLite serialises every write anyway, as in [`lock_keys`].
pub async fn lock_keys_shared(
    backend: Backend,
    tx: &mut Transaction<'static, Any>,
    keys: &[String],
) -> Result<(), StoreError> {
    match backend {
        Backend::Sqlite => lock_keys(backend, tx, keys).await,
        Backend::Postgres => {
            let mut ids: Vec<i64> = keys.iter().map(|key| advisory_key(key)).collect();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                sqlx::query("SELECT pg_advisory_xact_lock_shared($1)").bind(id).execute(&mut **tx).await?;
            }
            Ok(())
        }
    }
}

/// The first 8 bytes of the key's SHA-256, as PostgreSQL's advisory lock number.
fn advisory_key(key: &str) -> i64 {
    let digest = Sha256::digest(key.as_bytes());
    i64::from_be_bytes(digest[..8].try_into().unwrap_or([0; 8]))
}

/// Releases of SQLite connections still to be checked by [`fit_for_reuse`]: set when
/// a database error was seen (the only time a connection can be left in a bad state),
/// so that a healthy server does no extra work.
static RELEASES_TO_CHECK: AtomicUsize = AtomicUsize::new(0);

/// Called for every database error: check the next releases of every connection.
pub(crate) fn database_error_seen() {
    RELEASES_TO_CHECK.store(2 * Backend::Sqlite.max_connections() as usize, Ordering::Release);
}

/// Whether a connection given back to the pool may serve the next request. After a
/// full disk (SQLITE_FULL) SQLite can leave a connection inside a transaction that
/// sqlx believes rolled back; reused, it answers "database is locked" for ever. So
/// after an error a SQLite connection is kept only if it is outside any transaction
/// (`BEGIN` succeeds, and is rolled back at once); PostgreSQL's driver tracks its
/// state itself.
pub async fn fit_for_reuse(backend: Backend, conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let due = RELEASES_TO_CHECK.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1)).is_ok();
    if backend != Backend::Sqlite || !due {
        return Ok(true);
    }
    if sqlx::query("BEGIN").execute(&mut *conn).await.is_err() {
        tracing::warn!("dropping a SQLite connection left inside a transaction");
        return Ok(false);
    }
    Ok(sqlx::query("ROLLBACK").execute(&mut *conn).await.is_ok())
}

/// `SQL` joining the texts of a group with line breaks (SQLite `group_concat`,
/// PostgreSQL `string_agg`).
pub fn string_agg(backend: Backend, expression: &str) -> String {
    match backend {
        Backend::Sqlite => format!("group_concat({expression}, char(10))"),
        Backend::Postgres => format!("string_agg({expression}, chr(10))"),
    }
}
