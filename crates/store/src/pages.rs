//! The pages a public body's site links from its footer (개인정보처리방침, 이용약관,
//! 저작권정책), as its administrators wrote them; sotong's defaults stand in until then.

use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct BodyPage {
    pub body_id: i64,
    /// `privacy`, `terms` or `copyright` (`sotong_core::org::PageKind`).
    pub kind: String,
    pub content: String,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

impl Store {
    /// The body's own text of a page, if it wrote one.
    pub async fn body_page(&self, body_id: i64, kind: &str) -> Result<Option<BodyPage>, StoreError> {
        let page = sqlx::query_as::<_, BodyPage>(
            "SELECT body_id, kind, content, updated_at, updated_by FROM body_pages WHERE body_id = $1 AND kind = $2",
        )
        .bind(body_id)
        .bind(kind)
        .fetch_optional(&self.pool)
        .await?;
        Ok(page)
    }

    /// Writes a body's page (the text already checked), audited with before and after.
    pub async fn save_body_page(
        &self,
        actor: &Actor,
        body_id: i64,
        kind: &str,
        content: &str,
    ) -> Result<BodyPage, StoreError> {
        let mut tx = self.begin().await?;
        let before = sqlx::query_as::<_, BodyPage>(
            "SELECT body_id, kind, content, updated_at, updated_by FROM body_pages WHERE body_id = $1 AND kind = $2",
        )
        .bind(body_id)
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?;
        let saved = sqlx::query_as::<_, BodyPage>(
            "INSERT INTO body_pages (body_id, kind, content, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (body_id, kind) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at,
                 updated_by = excluded.updated_by
             RETURNING body_id, kind, content, updated_at, updated_by",
        )
        .bind(body_id)
        .bind(kind)
        .bind(content)
        .bind(now())
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut change = Change::new(Some(body_id), "body_page.save", "body_page", body_id).after(&saved);
        if let Some(before) = &before {
            change = change.before(before);
        }
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(saved)
    }
}
