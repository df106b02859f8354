//! Answers staff reuse for common matters (답변 서식): a body's templates, which an
//! officer loads into the answer form and adapts before sending.

use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct ComplaintTemplate {
    pub id: i64,
    pub body_id: i64,
    pub title: String,
    pub body: String,
    pub created_at: i64,
}

const TEMPLATE_COLUMNS: &str = "id, body_id, title, body, created_at";

impl Store {
    /// Adds a template (title and text already checked).
    pub async fn create_complaint_template(
        &self,
        actor: &Actor,
        body_id: i64,
        title: &str,
        body: &str,
    ) -> Result<ComplaintTemplate, StoreError> {
        let mut tx = self.begin().await?;
        let created = sqlx::query_as::<_, ComplaintTemplate>(&format!(
            "INSERT INTO complaint_templates (body_id, title, body, created_at) VALUES ($1, $2, $3, $4)
             RETURNING {TEMPLATE_COLUMNS}"
        ))
        .bind(body_id)
        .bind(title)
        .bind(body)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(body_id), "complaint_template.create", "complaint_template", created.id);
        record(&mut tx, actor, change.after(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A body's templates by title.
    pub async fn complaint_templates(&self, body_id: i64) -> Result<Vec<ComplaintTemplate>, StoreError> {
        Ok(sqlx::query_as::<_, ComplaintTemplate>(&format!(
            "SELECT {TEMPLATE_COLUMNS} FROM complaint_templates WHERE body_id = $1 ORDER BY title, id"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn complaint_template(&self, body_id: i64, id: i64) -> Result<Option<ComplaintTemplate>, StoreError> {
        Ok(sqlx::query_as::<_, ComplaintTemplate>(&format!(
            "SELECT {TEMPLATE_COLUMNS} FROM complaint_templates WHERE id = $1 AND body_id = $2"
        ))
        .bind(id)
        .bind(body_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Deletes a template; answers already sent keep their text (they were copied).
    pub async fn delete_complaint_template(&self, actor: &Actor, body_id: i64, id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query_as::<_, ComplaintTemplate>(&format!(
            "DELETE FROM complaint_templates WHERE id = $1 AND body_id = $2 RETURNING {TEMPLATE_COLUMNS}"
        ))
        .bind(id)
        .bind(body_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let change = Change::new(Some(body_id), "complaint_template.delete", "complaint_template", id);
        record(&mut tx, actor, change.before(&deleted)).await?;
        tx.commit().await?;
        Ok(())
    }
}
