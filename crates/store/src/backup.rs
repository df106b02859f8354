//! Copies of a live SQLite database, for `sotong backup` and `sotong restore`.
//! (PostgreSQL is backed up with its own `pg_dump`: see docs/OPERATIONS.md.)

use crate::{Backend, Store, StoreError};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of this SQLite database to `path` (a new file) while
    /// the server keeps serving: `VACUUM INTO` reads one snapshot of the database — in
    /// WAL mode readers and writers do not block each other — so every write that was
    /// committed before it started is in the copy, and none is half in it.
    pub async fn backup_sqlite(&self, path: &Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::UnsupportedUrl("backup of PostgreSQL: use pg_dump (docs/OPERATIONS.md)".into()));
        }
        sqlx::query("VACUUM INTO $1").bind(path.display().to_string()).execute(&self.pool).await?;
        Ok(())
    }

    /// SQLite's own check of every page and index (`["ok"]` when sound); on
    /// PostgreSQL, which checks its pages itself, always `["ok"]`.
    pub async fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(vec!["ok".into()]);
        }
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check").fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(line,)| line).collect())
    }
}
