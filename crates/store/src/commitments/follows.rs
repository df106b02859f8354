//! Following plans and commitments, and the notifications publishing a period sends
//! to their followers (through the shared `notifications` table).

use crate::{now, Store, StoreError};

/// One thing a person follows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Followed {
    pub body_slug: String,
    pub plan_slug: String,
    pub plan_title_ko: String,
    pub plan_title_en: String,
    pub commitment_code: Option<String>,
    pub commitment_title: Option<String>,
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

    /// What a person follows, for their account page: (body slug, plan slug, plan
    /// title, commitment code and title when it is one commitment), oldest first.
    pub async fn follows_of(&self, user_id: i64) -> Result<Vec<Followed>, StoreError> {
        let rows = sqlx::query_as::<_, Followed>(
            "SELECT o.slug AS body_slug, p.slug AS plan_slug, p.title_ko AS plan_title_ko, p.title_en AS plan_title_en,
                    c.code AS commitment_code, c.title AS commitment_title
             FROM follows f JOIN plans p ON p.id = f.plan_id JOIN organisations o ON o.id = p.body_id
             LEFT JOIN commitments c ON c.id = f.commitment_id
             WHERE f.user_id = $1 ORDER BY f.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
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
}

/// Notifies the followers of a plan whose period was just published (inside the
/// publishing transaction): everyone following the plan, and everyone following a
/// commitment whose published status or progress differs from the previous period.
/// One statement for the plan and one per few hundred changed commitments.
pub(crate) async fn notify_published(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    plan: &crate::commitments::plans::Plan,
    period_code: &str,
    changed_commitments: &[i64],
) -> Result<(), StoreError> {
    let at = now();
    let (body_slug,): (String,) =
        sqlx::query_as("SELECT slug FROM organisations WHERE id = $1").bind(plan.body_id).fetch_one(&mut **tx).await?;
    let plan_link = format!("/{body_slug}/plans/{}?period={period_code}", plan.slug);
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
    // Title "{code} {title} — {period}" and link to the commitment's page, per row.
    let commitments_link = format!("/{body_slug}/plans/{}/commitments/", plan.slug);
    for chunk in changed_commitments.chunks(crate::batch::ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO notifications (user_id, kind, title, link, created_at)
             SELECT f.user_id, 'commitment_changed', c.code || ' ' || c.title || ' — ' || $1, $2 || c.code, $3
             FROM follows f JOIN commitments c ON c.id = f.commitment_id
             WHERE f.commitment_id IN ({}) ORDER BY f.id",
            crate::batch::list(4, chunk.len())
        );
        let mut insert = sqlx::query(&sql).bind(period_code).bind(&commitments_link).bind(at);
        for id in chunk {
            insert = insert.bind(*id);
        }
        insert.execute(&mut **tx).await?;
    }
    Ok(())
}
