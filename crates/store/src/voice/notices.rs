//! City notices (시정알림): staff publish them; the public sees those whose publish
//! date has come and whose expiry date has not passed, pinned ones first.

use crate::audit::{record, Actor, Change};
use crate::columns::Columns;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::voice::notices::{NewNotice, NoticeCategory};
use sotong_core::webhooks::WebhookEvent;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub body_id: i64,
    pub title: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub category: NoticeCategory,
    #[sqlx(try_from = "i64")]
    pub pinned: crate::Flag,
    pub publish_on: String,
    pub expires_on: Option<String>,
    pub author_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub withdrawn_at: Option<i64>,
}

const NOTICE_COLUMNS: Columns = Columns(
    "id, body_id, title, body, category, pinned, publish_on, expires_on, author_id, created_at, updated_at, withdrawn_at",
);

impl Notice {
    /// Public on `today` (a KST date).
    pub fn is_public_on(&self, today: &str) -> bool {
        self.withdrawn_at.is_none()
            && self.publish_on.as_str() <= today
            && self.expires_on.as_deref().is_none_or(|end| end >= today)
    }
}

/// What the search index calls a notice.
pub fn search_key(id: i64) -> String {
    format!("notice:{id}")
}

/// The SQL condition of a public notice on the date bound as `$n`.
fn public_on(n: usize) -> String {
    format!("withdrawn_at IS NULL AND publish_on <= ${n} AND (expires_on IS NULL OR expires_on >= ${n})")
}

impl Store {
    pub async fn create_notice(&self, actor: &Actor, body_id: i64, new: &NewNotice) -> Result<Notice, StoreError> {
        let at = now();
        let mut tx = self.begin().await?;
        let notice = sqlx::query_as::<_, Notice>(&format!(
            "INSERT INTO notices (body_id, title, body, category, pinned, publish_on, expires_on, author_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING {NOTICE_COLUMNS}"
        ))
        .bind(body_id)
        .bind(&new.title)
        .bind(&new.body)
        .bind(new.category.as_str())
        .bind(i64::from(new.pinned))
        .bind(&new.publish_on)
        .bind(new.expires_on.as_deref())
        .bind(actor.user_id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        crate::search::enqueue(&mut tx, &search_key(notice.id)).await?;
        // Told when it becomes public: at the start of its first day (KST), or now.
        let public_from = sotong_core::format::kst_unix(&notice.publish_on, 0).unwrap_or(at).max(at);
        crate::webhooks::announce(&mut tx, body_id, WebhookEvent::NoticePublished, notice.id, public_from).await?;
        record(&mut tx, actor, Change::new(Some(body_id), "notice.create", "notice", notice.id).after(&notice)).await?;
        tx.commit().await?;
        Ok(notice)
    }

    pub async fn update_notice(&self, actor: &Actor, before: &Notice, new: &NewNotice) -> Result<Notice, StoreError> {
        let mut tx = self.begin().await?;
        let notice = sqlx::query_as::<_, Notice>(&format!(
            "UPDATE notices SET title = $1, body = $2, category = $3, pinned = $4, publish_on = $5, expires_on = $6, updated_at = $7
             WHERE id = $8 RETURNING {NOTICE_COLUMNS}"
        ))
        .bind(&new.title)
        .bind(&new.body)
        .bind(new.category.as_str())
        .bind(i64::from(new.pinned))
        .bind(&new.publish_on)
        .bind(new.expires_on.as_deref())
        .bind(now())
        .bind(before.id)
        .fetch_one(&mut *tx)
        .await?;
        crate::search::enqueue(&mut tx, &search_key(before.id)).await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(before.body_id), "notice.update", "notice", before.id).before(before).after(&notice),
        )
        .await?;
        tx.commit().await?;
        Ok(notice)
    }

    /// Takes a notice down (kept, no longer public).
    pub async fn withdraw_notice(&self, actor: &Actor, before: &Notice) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE notices SET withdrawn_at = $1, updated_at = $1 WHERE id = $2 AND withdrawn_at IS NULL")
            .bind(now())
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
        crate::search::enqueue(&mut tx, &search_key(before.id)).await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(before.body_id), "notice.withdraw", "notice", before.id).before(before),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn notice(&self, body_id: i64, id: i64) -> Result<Option<Notice>, StoreError> {
        let row = sqlx::query_as::<_, Notice>(&format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE body_id = $1 AND id = $2"
        ))
        .bind(body_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// A page of the body's public notices on `today`: pinned first, then newest.
    pub async fn public_notices(
        &self,
        body_id: i64,
        category: Option<NoticeCategory>,
        today: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Notice>, i64), StoreError> {
        let category_condition = if category.is_some() { " AND category = $3" } else { "" };
        let conditions = format!("body_id = $1 AND {}{category_condition}", public_on(2));
        let list_sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE {conditions}
             ORDER BY pinned DESC, publish_on DESC, id DESC LIMIT {} OFFSET {}",
            limit.max(1),
            offset.max(0)
        );
        let count_sql = format!("SELECT COUNT(*) FROM notices WHERE {conditions}");
        let mut list = sqlx::query_as::<_, Notice>(&list_sql).bind(body_id).bind(today);
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(body_id).bind(today);
        if let Some(category) = category {
            list = list.bind(category.as_str());
            count = count.bind(category.as_str());
        }
        let (rows, (total,)) = tokio::try_join!(list.fetch_all(&self.pool), count.fetch_one(&self.pool))?;
        Ok((rows, total))
    }

    /// Every notice of every body public on `today` (for the search index).
    pub async fn notices_public_on(&self, today: &str) -> Result<Vec<Notice>, StoreError> {
        let rows = sqlx::query_as::<_, Notice>(&format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE {} ORDER BY id",
            public_on(1)
        ))
        .bind(today)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// A notice by id, whatever its body (for the search index).
    pub async fn notice_by_id(&self, id: i64) -> Result<Option<Notice>, StoreError> {
        let row = sqlx::query_as::<_, Notice>(&format!("SELECT {NOTICE_COLUMNS} FROM notices WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row)
    }

    /// Every notice of the body, newest first, for staff.
    pub async fn all_notices(&self, body_id: i64) -> Result<Vec<Notice>, StoreError> {
        let rows = sqlx::query_as::<_, Notice>(&format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE body_id = $1 ORDER BY publish_on DESC, id DESC"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
