//! A body's complaint categories (the Open311 services: each with its complaint kind,
//! so its period, and the department that receives it first) and its rules.

use crate::audit::{record, Actor, Change};
use crate::columns::Columns;
use crate::error::ConflictAs;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::text::required_line;
use sotong_core::voice::complaints::{ComplaintKind, ComplaintRules};
use sotong_core::FieldError;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct ComplaintCategory {
    pub id: i64,
    pub body_id: i64,
    /// The Open311 `service_code` (`streetlight`).
    pub code: String,
    pub name: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub kind: ComplaintKind,
    pub department_id: Option<i64>,
    /// Open311 `keywords`, comma-separated.
    pub keywords: String,
    pub position: i64,
    pub created_at: i64,
}

const COLUMNS: Columns =
    Columns("id, body_id, code, name, description, kind, department_id, keywords, position, created_at");

/// A category as an administrator typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub code: String,
    pub name: String,
    pub description: String,
    pub kind: ComplaintKind,
    pub department_id: Option<i64>,
    pub keywords: String,
}

impl NewCategory {
    pub fn parse(
        code: &str,
        name: &str,
        description: &str,
        kind: &str,
        department_id: Option<i64>,
        keywords: &str,
    ) -> Result<NewCategory, Vec<FieldError>> {
        let code = required_line("code", code, 40).and_then(|c| {
            if c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_') {
                Ok(c)
            } else {
                Err(FieldError::new("code", "invalid_code"))
            }
        });
        let name = required_line("name", name, 60);
        let description = required_line("description", description, 300);
        let kind = ComplaintKind::parse(kind);
        match (code, name, description, kind) {
            (Ok(code), Ok(name), Ok(description), Ok(kind)) => Ok(NewCategory {
                code,
                name,
                description,
                kind,
                department_id,
                keywords: keywords.trim().chars().take(200).collect(),
            }),
            (code, name, description, kind) => {
                Err([code.err(), name.err(), description.err(), kind.err()].into_iter().flatten().collect())
            }
        }
    }
}

impl Store {
    /// A body's categories in their board order.
    pub async fn complaint_categories(&self, body_id: i64) -> Result<Vec<ComplaintCategory>, StoreError> {
        Ok(sqlx::query_as::<_, ComplaintCategory>(&format!(
            "SELECT {COLUMNS} FROM complaint_categories WHERE body_id = $1 ORDER BY position, id"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The categories of every other public body of the installation, body by body
    /// (where a complaint can be transferred, 이송).
    pub async fn complaint_categories_elsewhere(&self, body_id: i64) -> Result<Vec<ComplaintCategory>, StoreError> {
        Ok(sqlx::query_as::<_, ComplaintCategory>(&format!(
            "SELECT {COLUMNS} FROM complaint_categories WHERE body_id <> $1 ORDER BY body_id, position, id"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn complaint_category(&self, body_id: i64, id: i64) -> Result<Option<ComplaintCategory>, StoreError> {
        Ok(sqlx::query_as::<_, ComplaintCategory>(&format!(
            "SELECT {COLUMNS} FROM complaint_categories WHERE body_id = $1 AND id = $2"
        ))
        .bind(body_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn complaint_category_by_code(
        &self,
        body_id: i64,
        code: &str,
    ) -> Result<Option<ComplaintCategory>, StoreError> {
        Ok(sqlx::query_as::<_, ComplaintCategory>(&format!(
            "SELECT {COLUMNS} FROM complaint_categories WHERE body_id = $1 AND code = $2"
        ))
        .bind(body_id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Adds a category at the end of the board's list; its department must be one of
    /// the body's, its code unused in the body.
    pub async fn add_complaint_category(
        &self,
        actor: &Actor,
        body_id: i64,
        new: &NewCategory,
    ) -> Result<ComplaintCategory, StoreError> {
        if let Some(department) = new.department_id {
            if self.org(department).await?.filter(|d| d.body_id == Some(body_id)).is_none() {
                return Err(StoreError::Invalid(FieldError::new("department", "invalid_choice")));
            }
        }
        let mut tx = self.begin().await?;
        let (position,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM complaint_categories WHERE body_id = $1")
                .bind(body_id)
                .fetch_one(&mut *tx)
                .await?;
        let category = sqlx::query_as::<_, ComplaintCategory>(&format!(
            "INSERT INTO complaint_categories (body_id, code, name, description, kind, department_id, keywords, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLUMNS}"
        ))
        .bind(body_id)
        .bind(&new.code)
        .bind(&new.name)
        .bind(&new.description)
        .bind(new.kind.as_str())
        .bind(new.department_id)
        .bind(&new.keywords)
        .bind(position)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .conflict_as("code", "code_taken")?;
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "complaint_category.create", "complaint_category", category.id).after(&category),
        )
        .await?;
        tx.commit().await?;
        Ok(category)
    }

    /// The body's rules for complaints (the defaults until it sets its own).
    pub async fn complaint_rules(&self, body_id: i64) -> Result<ComplaintRules, StoreError> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT repeat_similarity_percent, group_similarity_percent, retention_years
             FROM complaint_settings WHERE body_id = $1",
        )
        .bind(body_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => ComplaintRules::default(),
            Some((repeat, group, retention)) => ComplaintRules {
                repeat_similarity_percent: repeat,
                group_similarity_percent: group,
                retention_years: retention,
            },
        })
    }

    pub async fn set_complaint_rules(
        &self,
        actor: &Actor,
        body_id: i64,
        rules: &ComplaintRules,
    ) -> Result<(), StoreError> {
        let before = self.complaint_rules(body_id).await?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO complaint_settings (body_id, repeat_similarity_percent, group_similarity_percent, retention_years)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (body_id) DO UPDATE SET repeat_similarity_percent = $2, group_similarity_percent = $3,
                retention_years = $4",
        )
        .bind(body_id)
        .bind(rules.repeat_similarity_percent)
        .bind(rules.group_similarity_percent)
        .bind(rules.retention_years)
        .execute(&mut *tx)
        .await?;
        let as_json = |r: &ComplaintRules| {
            serde_json::json!({
                "repeat_similarity_percent": r.repeat_similarity_percent,
                "group_similarity_percent": r.group_similarity_percent,
                "retention_years": r.retention_years,
            })
        };
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "complaint_rules.update", "complaint_settings", body_id)
                .before(&as_json(&before))
                .after(&as_json(rules)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
