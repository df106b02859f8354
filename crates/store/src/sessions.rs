//! Server-side sessions (the login throttle is a rate limit: `rate`).
//!
//! The browser holds a random token; the database holds only its SHA-256, so a copy of
//! the database does not let anyone sign in as its users.

use crate::{now, Store, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A session about to start: the SHA-256 of the browser's token and its details.
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub lifetime_seconds: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

pub(crate) async fn insert_session(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    session: &NewSession<'_>,
) -> Result<(), StoreError> {
    let at = now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(session.token_hash)
    .bind(session.user_id)
    .bind(session.csrf_token)
    .bind(at)
    .bind(at + session.lifetime_seconds)
    .bind(session.ip)
    .bind(session.user_agent)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    pub async fn create_session(&self, session: &NewSession<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        insert_session(&mut tx, session).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live session for a token hash (expired ones count as absent).
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let session = sqlx::query_as::<_, Session>(
            "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(session)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// Drops expired sessions.
    pub async fn purge_expired(&self) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now()).execute(&self.pool).await?;
        Ok(())
    }
}

impl Store {
    /// The account behind a live session, with the session's CSRF token and the number
    /// of unread notifications, in one query.
    pub async fn session_user(
        &self,
        token_hash: &str,
    ) -> Result<Option<(crate::users::User, String, i64)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: crate::users::User,
            csrf_token: String,
            unread: i64,
        }
        let row = sqlx::query_as::<_, Row>(&format!(
            "SELECT {}, s.csrf_token,
                        (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2",
            crate::users::USER_COLUMNS.of("u")
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.user, r.csrf_token, r.unread)))
    }
}
