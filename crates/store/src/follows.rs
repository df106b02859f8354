//! Following plans and commitments, and the in-app notifications that publishing a
//! period sends to followers.

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
    /// Follows a plan (`commitment_id` None) or one commitment of it; following twice,
    /// even at the same instant, changes nothing: two unique indexes (one for the whole
    /// plan, where `commitment_id` is NULL and a plain unique index would not apply)
    /// hold one row per person and target.
    pub async fn follow(&self, user_id: i64, plan_id: i64, commitment_id: Option<i64>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO follows (user_id, plan_id, commitment_id, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(plan_id)
        .bind(commitment_id)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn unfollow(&self, user_id: i64, plan_id: i64, commitment_id: Option<i64>) -> Result<(), StoreError> {
        // `commitment_id = $3` is never true for NULL, hence the explicit IS NULL branch.
        sqlx::query(
            "DELETE FROM follows WHERE user_id = $1 AND plan_id = $2
               AND ((commitment_id IS NULL AND $3 IS NULL) OR commitment_id = $3)",
        )
        .bind(user_id)
        .bind(plan_id)
        .bind(commitment_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn is_following(
        &self,
        user_id: i64,
        plan_id: i64,
        commitment_id: Option<i64>,
    ) -> Result<bool, StoreError> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM follows WHERE user_id = $1 AND plan_id = $2
               AND ((commitment_id IS NULL AND $3 IS NULL) OR commitment_id = $3)",
        )
        .bind(user_id)
        .bind(plan_id)
        .bind(commitment_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

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

/// Notifies the followers of a plan whose period was just published (inside the
/// publishing transaction): everyone following the plan, and everyone following a
/// commitment whose published status or progress differs from the previous period.
pub(crate) async fn notify_published(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    plan: &crate::plans::Plan,
    period_code: &str,
    changed_commitments: &[(i64, String, String)],
) -> Result<(), StoreError> {
    let at = now();
    let plan_link = format!("/{{body}}/plans/{}?period={period_code}", plan.slug);
    let body_slug: (String,) =
        sqlx::query_as("SELECT slug FROM organisations WHERE id = $1").bind(plan.body_id).fetch_one(&mut **tx).await?;
    let plan_link = plan_link.replace("{body}", &body_slug.0);
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, link, created_at)
         SELECT user_id, 'period_published', $1, $2, $3 FROM follows WHERE plan_id = $4 AND commitment_id IS NULL",
    )
    .bind(format!("{} — {period_code}", plan.title_ko))
    .bind(&plan_link)
    .bind(at)
    .bind(plan.id)
    .execute(&mut **tx)
    .await?;
    for (commitment_id, code, title) in changed_commitments {
        let link = format!("/{}/plans/{}/commitments/{code}", body_slug.0, plan.slug);
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, title, link, created_at)
             SELECT user_id, 'commitment_changed', $1, $2, $3 FROM follows WHERE commitment_id = $4",
        )
        .bind(format!("{code} {title} — {period_code}"))
        .bind(&link)
        .bind(at)
        .bind(commitment_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A notification claimed for e-mail delivery, with its recipient.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingEmail {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub title: String,
    pub link: String,
}

impl Store {
    /// Claims up to `limit` notifications not yet e-mailed, marking them sent now; two
    /// server processes never claim the same row (`UPDATE … RETURNING` is atomic).
    pub async fn claim_emails(&self, limit: i64) -> Result<Vec<PendingEmail>, StoreError> {
        let claimed: Vec<(i64,)> = sqlx::query_as(
            "UPDATE notifications SET emailed_at = $1
             WHERE id IN (SELECT id FROM notifications WHERE emailed_at IS NULL ORDER BY id LIMIT $2) AND emailed_at IS NULL
             RETURNING id",
        )
        .bind(now())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut pending = Vec::with_capacity(claimed.len());
        for (id,) in claimed {
            let row = sqlx::query_as::<_, PendingEmail>(
                "SELECT n.id, u.email, u.display_name, n.title, n.link FROM notifications n JOIN users u ON u.id = n.user_id
                 WHERE n.id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            pending.push(row);
        }
        Ok(pending)
    }

    /// Gives a claimed notification back when sending failed, to be retried.
    pub async fn release_email(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE notifications SET emailed_at = NULL WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }
}
