//! In-app notifications and their e-mail delivery: a shared service. Modules insert
//! rows into `notifications` inside their own transaction (the commitments module
//! when a period is published); this reads, marks and claims them.

use crate::{now, Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub emailed_at: Option<i64>,
}

impl Store {
    /// The newest notifications of an account.
    pub async fn notifications(&self, user_id: i64, limit: i64) -> Result<Vec<Notification>, StoreError> {
        let rows = sqlx::query_as::<_, Notification>(
            "SELECT id, user_id, kind, title, link, created_at, read_at, emailed_at FROM notifications
             WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    pub async fn unread_notifications(&self, user_id: i64) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(count)
    }

    pub async fn mark_notifications_read(&self, user_id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// A notification claimed for e-mail delivery, with its recipient.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingEmail {
    pub id: i64,
    /// `period_published`, `commitment_changed`, `invitation`: what the e-mail says.
    pub kind: String,
    pub email: String,
    pub display_name: String,
    pub title: String,
    pub link: String,
}

impl Store {
    /// Claims up to `limit` notifications not yet e-mailed to people who want e-mails,
    /// marking them sent now; two server processes never claim the same row
    /// (`UPDATE … RETURNING` is atomic).
    pub async fn claim_emails(&self, limit: i64) -> Result<Vec<PendingEmail>, StoreError> {
        let claimed: Vec<(i64,)> = sqlx::query_as(
            "UPDATE notifications SET emailed_at = $1
             WHERE id IN (SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id
                          WHERE n.emailed_at IS NULL AND u.email_notifications = 1 ORDER BY n.id LIMIT $2)
               AND emailed_at IS NULL
             RETURNING id",
        )
        .bind(now())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut pending = Vec::with_capacity(claimed.len());
        for (id,) in claimed {
            let row = sqlx::query_as::<_, PendingEmail>(
                "SELECT n.id, n.kind, u.email, u.display_name, n.title, n.link FROM notifications n JOIN users u ON u.id = n.user_id
                 WHERE n.id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            pending.push(row);
        }
        Ok(pending)
    }

    /// Marks every notification as e-mailed without sending it (`sotong demo`: the
    /// history it makes up is not news to anyone).
    pub async fn mark_notifications_emailed(&self) -> Result<(), StoreError> {
        sqlx::query("UPDATE notifications SET emailed_at = $1 WHERE emailed_at IS NULL")
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Gives a claimed notification back when sending failed, to be retried.
    pub async fn release_email(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE notifications SET emailed_at = NULL WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }
}
