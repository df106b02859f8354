use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL (expected sqlite:// or postgres://): {0}")]
    UnsupportedUrl(String),
    /// A uniqueness rule refused the write; the caller knows which field that means.
    #[error("conflict with an existing row")]
    Conflict,
    #[error("not found")]
    NotFound,
    /// The operation breaks a domain rule that needed the database to check.
    #[error("invalid: {0}")]
    Invalid(sotong_core::FieldError),
    /// The disk under the database is full: nothing was written (SQLite and
    /// PostgreSQL both roll the transaction back), and nothing will be until an
    /// operator frees space.
    #[error("database storage full: {0}")]
    StorageFull(sqlx::Error),
    /// The database cannot be reached right now (restarting, pool exhausted, network);
    /// the request may succeed if tried again.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Stored data that should always read back does not (a defect, never skipped).
    #[error("unreadable stored data: {0}")]
    Unreadable(String),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if matches!(error, sqlx::Error::Database(_) | sqlx::Error::Io(_)) {
            crate::dialect::database_error_seen();
        }
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(error)
            }
            // SQLITE_FULL (13), PostgreSQL disk_full (53100).
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("13") | Some("53100")) => {
                StoreError::StorageFull(error)
            }
            // PostgreSQL shutting down or restarting (class 57: operator intervention).
            sqlx::Error::Database(db) if db.code().is_some_and(|c| c.starts_with("57")) => {
                StoreError::Unavailable(error)
            }
            _ => StoreError::Database(error),
        }
    }
}

/// The recurring "this unique rule means that field is taken" mapping, written once:
/// `.await.conflict_as("slug", "slug_taken")?`.
pub(crate) trait ConflictAs<T> {
    fn conflict_as(self, field: &'static str, code: &'static str) -> Result<T, StoreError>;
}

impl<T> ConflictAs<T> for Result<T, sqlx::Error> {
    fn conflict_as(self, field: &'static str, code: &'static str) -> Result<T, StoreError> {
        self.map_err(|e| match StoreError::from(e) {
            StoreError::Conflict => StoreError::Invalid(sotong_core::FieldError::new(field, code)),
            other => other,
        })
    }
}
