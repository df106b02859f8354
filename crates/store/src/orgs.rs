//! Organisations: public bodies and their units (see `sotong_core::org`).

use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::org::{NewOrg, OrgKind};
use sotong_core::FieldError;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Org {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// The public body a unit belongs to; `None` for a public body itself.
    pub body_id: Option<i64>,
    pub kind: String,
    pub slug: String,
    pub name_ko: String,
    pub name_en: String,
    pub admin_code: Option<String>,
    pub sort_order: i64,
    pub created_at: i64,
    /// Postal address as the footer shows it (`(31787) 충청남도 …`); empty until set.
    pub address: String,
    /// Main phone number (a department's: its office).
    pub phone: String,
    /// The body's uploaded logo (a PNG or JPEG in `files`); none: a text mark.
    pub logo_sha256: Option<String>,
}

impl Org {
    pub fn kind(&self) -> OrgKind {
        // The column only ever holds keys written from `OrgKind`.
        OrgKind::parse(&self.kind).unwrap_or(OrgKind::Department)
    }

    pub fn is_public_body(&self) -> bool {
        self.body_id.is_none()
    }

    pub fn name(&self, english: bool) -> &str {
        if english {
            &self.name_en
        } else {
            &self.name_ko
        }
    }
}

const ORG_COLUMNS: crate::columns::Columns =
    crate::columns::Columns(
    "id, parent_id, body_id, kind, slug, name_ko, name_en, admin_code, sort_order, created_at, address, phone, logo_sha256",
);

/// An organisation's row inside a transaction (the "before" of a change).
async fn org_in(tx: &mut sqlx::Transaction<'static, sqlx::Any>, id: i64) -> Result<Org, StoreError> {
    sqlx::query_as::<_, Org>(&format!("SELECT {ORG_COLUMNS} FROM organisations WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)
}

impl Store {
    /// Creates an organisation under `parent` (a public body at the top when `None`).
    pub async fn create_org(&self, actor: &Actor, parent_id: Option<i64>, new: &NewOrg) -> Result<Org, StoreError> {
        let mut tx = self.begin().await?;
        let parent = match parent_id {
            Some(id) => Some(
                sqlx::query_as::<_, Org>(&format!("SELECT {ORG_COLUMNS} FROM organisations WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::Invalid(FieldError::new("parent", "not_found")))?,
            ),
            None => None,
        };
        if !new.kind.may_have_parent(parent.as_ref().map(Org::kind)) {
            return Err(StoreError::Invalid(FieldError::new("parent", "invalid_parent")));
        }
        // A unit belongs to the public body above it; a public body to none.
        let body_id = match (&parent, new.kind.is_public_body()) {
            (Some(p), false) => Some(p.body_id.unwrap_or(p.id)),
            _ => None,
        };
        let sort_order: (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM organisations WHERE parent_id = $1")
                .bind(parent_id)
                .fetch_one(&mut *tx)
                .await?;
        let org = sqlx::query_as::<_, Org>(&format!(
            "INSERT INTO organisations (parent_id, body_id, kind, slug, name_ko, name_en, admin_code, sort_order, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {ORG_COLUMNS}"
        ))
        .bind(parent_id)
        .bind(body_id)
        .bind(new.kind.key())
        .bind(new.slug.as_str())
        .bind(&new.name_ko)
        .bind(&new.name_en)
        .bind(new.admin_code.as_ref().map(|c| c.as_str()))
        .bind(sort_order.0)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(slug_conflict)?;
        let change = Change::new(Some(org.body_id.unwrap_or(org.id)), "org.create", "organisation", org.id).after(&org);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Sets an organisation's address and phone (a body's for its footer, a
    /// department's phone for its commitments' pages); both already checked.
    pub async fn set_contact(&self, actor: &Actor, id: i64, address: &str, phone: &str) -> Result<Org, StoreError> {
        let mut tx = self.begin().await?;
        let before = org_in(&mut tx, id).await?;
        let after = sqlx::query_as::<_, Org>(&format!(
            "UPDATE organisations SET address = $1, phone = $2 WHERE id = $3 RETURNING {ORG_COLUMNS}"
        ))
        .bind(address)
        .bind(phone)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let body_id = after.body_id.unwrap_or(after.id);
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "org.contact", "organisation", id).before(&before).after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets (or with `None` removes) a body's logo; the file is stored content-addressed.
    pub async fn set_logo(
        &self,
        actor: &Actor,
        id: i64,
        logo: Option<&crate::files::NewFile<'_>>,
    ) -> Result<Org, StoreError> {
        let mut tx = self.begin().await?;
        let before = org_in(&mut tx, id).await?;
        let sha256 = match logo {
            Some(file) => Some(crate::files::put(&mut tx, file.bytes).await?),
            None => None,
        };
        let after = sqlx::query_as::<_, Org>(&format!(
            "UPDATE organisations SET logo_sha256 = $1 WHERE id = $2 RETURNING {ORG_COLUMNS}"
        ))
        .bind(sha256)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let body_id = after.body_id.unwrap_or(after.id);
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "org.logo", "organisation", id).before(&before).after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Renames a unit (Korean and English names).
    pub async fn rename_org(&self, actor: &Actor, id: i64, name_ko: &str, name_en: &str) -> Result<Org, StoreError> {
        let mut tx = self.begin().await?;
        let before = sqlx::query_as::<_, Org>(&format!("SELECT {ORG_COLUMNS} FROM organisations WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let after = sqlx::query_as::<_, Org>(&format!(
            "UPDATE organisations SET name_ko = $1, name_en = $2 WHERE id = $3 RETURNING {ORG_COLUMNS}"
        ))
        .bind(name_ko)
        .bind(name_en)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(after.body_id.unwrap_or(after.id)), "org.rename", "organisation", id)
            .before(&before)
            .after(&after);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A public body by its slug.
    pub async fn public_body(&self, slug: &str) -> Result<Option<Org>, StoreError> {
        let org = sqlx::query_as::<_, Org>(&format!(
            "SELECT {ORG_COLUMNS} FROM organisations WHERE slug = $1 AND body_id IS NULL"
        ))
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        Ok(org)
    }

    pub async fn org(&self, id: i64) -> Result<Option<Org>, StoreError> {
        let org = sqlx::query_as::<_, Org>(&format!("SELECT {ORG_COLUMNS} FROM organisations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(org)
    }

    /// A unit of a public body by its slug.
    pub async fn unit(&self, body_id: i64, slug: &str) -> Result<Option<Org>, StoreError> {
        let org = sqlx::query_as::<_, Org>(&format!(
            "SELECT {ORG_COLUMNS} FROM organisations WHERE body_id = $1 AND slug = $2"
        ))
        .bind(body_id)
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        Ok(org)
    }

    /// All public bodies, parents before children, in their set order.
    pub async fn public_bodies(&self) -> Result<Vec<Org>, StoreError> {
        let orgs = sqlx::query_as::<_, Org>(&format!(
            "SELECT {ORG_COLUMNS} FROM organisations WHERE body_id IS NULL ORDER BY COALESCE(parent_id, id), parent_id IS NOT NULL, sort_order, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(orgs)
    }

    /// Every unit of a public body (bureaus, departments, offices), in set order.
    pub async fn units(&self, body_id: i64) -> Result<Vec<Org>, StoreError> {
        let orgs = sqlx::query_as::<_, Org>(&format!(
            "SELECT {ORG_COLUMNS} FROM organisations WHERE body_id = $1 ORDER BY sort_order, id"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(orgs)
    }
}

fn slug_conflict(error: sqlx::Error) -> StoreError {
    match StoreError::from(error) {
        StoreError::Conflict => StoreError::Invalid(FieldError::new("slug", "slug_taken")),
        other => other,
    }
}
