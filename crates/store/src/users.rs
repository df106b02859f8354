//! Accounts and their roles in public bodies.

use crate::audit::{record, Actor, Change};
use crate::error::ConflictAs;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::role::{Role, RoleSet};
use sotong_core::user::Email;
use sotong_core::FieldError;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// PHC string (Argon2id); never serialised into audit entries or APIs.
    #[serde(skip)]
    pub password_hash: String,
    #[sqlx(try_from = "i64")]
    pub is_superadmin: crate::Flag,
    pub created_at: i64,
    pub password_changed_at: i64,
}

impl User {
    pub fn is_superadmin(&self) -> bool {
        self.is_superadmin.0
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Membership {
    pub id: i64,
    pub user_id: i64,
    pub body_id: i64,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub department_id: Option<i64>,
    pub created_at: i64,
}

/// A membership with the names an administrator needs to see.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub department_id: Option<i64>,
    pub department_name_ko: Option<String>,
    pub department_name_en: Option<String>,
}

pub(crate) const USER_COLUMNS: crate::columns::Columns =
    crate::columns::Columns("id, email, display_name, password_hash, is_superadmin, created_at, password_changed_at");
const MEMBERSHIP_COLUMNS: crate::columns::Columns =
    crate::columns::Columns("id, user_id, body_id, role, department_id, created_at");

/// Inserts an account and audits it, inside the caller's transaction.
pub(crate) async fn insert_user(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    email: &Email,
    display_name: &str,
    password_hash: &str,
    superadmin: bool,
) -> Result<User, StoreError> {
    let at = now();
    let user = sqlx::query_as::<_, User>(&format!(
        "INSERT INTO users (email, display_name, password_hash, is_superadmin, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLUMNS}"
    ))
    .bind(email.as_str())
    .bind(display_name)
    .bind(password_hash)
    .bind(i64::from(superadmin))
    .bind(at)
    .fetch_one(&mut **tx)
    .await
    .conflict_as("email", "email_taken")?;
    // A self-registered citizen is the actor of their own creation.
    let actor = match actor.user_id {
        None if actor.label == "anonymous" => {
            Actor { user_id: Some(user.id), label: user.email.clone(), ..actor.clone() }
        }
        _ => actor.clone(),
    };
    let change = Change::new(None, "user.create", "user", user.id).after(&user);
    record(tx, &actor, change).await?;
    Ok(user)
}

/// Sets an account's password hash (and when it changed) inside the caller's transaction.
pub(crate) async fn set_password_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    password_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now())
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Grants a staff role inside the caller's transaction: a department only for the
/// roles that act for one, and only a department of the same body.
pub(crate) async fn grant_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    user_id: i64,
    body_id: i64,
    role: Role,
    department_id: Option<i64>,
) -> Result<Membership, StoreError> {
    if role == Role::Citizen {
        return Err(StoreError::Invalid(FieldError::new("role", "invalid_choice")));
    }
    if role.needs_department() != department_id.is_some() {
        return Err(StoreError::Invalid(FieldError::new("department", "department_required")));
    }
    if let Some(department_id) = department_id {
        let belongs: Option<(i64,)> = sqlx::query_as("SELECT id FROM organisations WHERE id = $1 AND body_id = $2")
            .bind(department_id)
            .bind(body_id)
            .fetch_optional(&mut **tx)
            .await?;
        if belongs.is_none() {
            return Err(StoreError::Invalid(FieldError::new("department", "not_found")));
        }
    }
    let membership = sqlx::query_as::<_, Membership>(&format!(
        "INSERT INTO memberships (user_id, body_id, role, department_id, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING {MEMBERSHIP_COLUMNS}"
    ))
    .bind(user_id)
    .bind(body_id)
    .bind(role.key())
    .bind(department_id)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .conflict_as("role", "role_already_granted")?;
    let change = Change::new(Some(body_id), "membership.grant", "membership", membership.id).after(&membership);
    record(tx, actor, change).await?;
    Ok(membership)
}

impl Store {
    /// Creates an account; `password_hash` is an Argon2id PHC string.
    pub async fn create_user(
        &self,
        actor: &Actor,
        email: &Email,
        display_name: &str,
        password_hash: &str,
        superadmin: bool,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin().await?;
        let user = insert_user(&mut tx, actor, email, display_name, password_hash, superadmin).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let user = sqlx::query_as::<_, User>(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        Ok(user)
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        let user = sqlx::query_as::<_, User>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(user)
    }

    /// Replaces the password hash and ends every other session of the account.
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        password_hash: &str,
        replacement: Option<&crate::sessions::NewSession<'_>>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        set_password_in(&mut tx, user_id, password_hash).await?;
        // Every session ends, the one that asked too: it continues under a new token, so
        // a token seen before the change (a shared computer, a stolen cookie) is useless.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        if let Some(session) = replacement {
            crate::sessions::insert_session(&mut tx, session).await?;
        }
        // The hash itself is a secret: the entry records that it changed, not the values.
        let change = Change::new(None, "user.password_change", "user", user_id);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The roles an account holds in a public body (citizen always included), each
    /// body-wide or for its department. A stored role that no longer parses is an
    /// error, not a silently missing permission.
    pub async fn roles_in(&self, user: &User, body_id: i64) -> Result<RoleSet, StoreError> {
        if user.is_superadmin() {
            return Ok(RoleSet::superadmin());
        }
        #[derive(sqlx::FromRow)]
        struct Held {
            #[sqlx(try_from = "String")]
            role: Role,
            department_id: Option<i64>,
        }
        let rows: Vec<Held> =
            sqlx::query_as("SELECT role, department_id FROM memberships WHERE user_id = $1 AND body_id = $2")
                .bind(user.id)
                .bind(body_id)
                .fetch_all(&self.pool)
                .await?;
        let held = rows.into_iter().map(|h| (h.role, h.department_id));
        Ok(RoleSet::from_memberships(std::iter::once((Role::Citizen, None)).chain(held).collect()))
    }

    /// Every staff membership of an account, across bodies.
    pub async fn memberships_of(&self, user_id: i64) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query_as::<_, Membership>(&format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE user_id = $1 ORDER BY body_id, role"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The staff of a public body with their names, for the administrator.
    pub async fn members_of(&self, body_id: i64) -> Result<Vec<MemberRow>, StoreError> {
        let rows = sqlx::query_as::<_, MemberRow>(
            "SELECT m.id, m.user_id, u.email, u.display_name, m.role, m.department_id,
                    d.name_ko AS department_name_ko, d.name_en AS department_name_en
             FROM memberships m
             JOIN users u ON u.id = m.user_id
             LEFT JOIN organisations d ON d.id = m.department_id
             WHERE m.body_id = $1
             ORDER BY u.display_name, m.role",
        )
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Grants a staff role in a public body. An officer's grant names a department of
    /// that body; other roles name none.
    pub async fn grant_role(
        &self,
        actor: &Actor,
        user_id: i64,
        body_id: i64,
        role: Role,
        department_id: Option<i64>,
    ) -> Result<Membership, StoreError> {
        let mut tx = self.begin().await?;
        let membership = grant_in(&mut tx, actor, user_id, body_id, role, department_id).await?;
        tx.commit().await?;
        Ok(membership)
    }

    /// Revokes one membership of a public body.
    pub async fn revoke_role(&self, actor: &Actor, body_id: i64, membership_id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let before = sqlx::query_as::<_, Membership>(&format!(
            "DELETE FROM memberships WHERE id = $1 AND body_id = $2 RETURNING {MEMBERSHIP_COLUMNS}"
        ))
        .bind(membership_id)
        .bind(body_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let change = Change::new(Some(body_id), "membership.revoke", "membership", membership_id).before(&before);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A membership with the names of its body and department, for the account page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipNames {
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub body_name_ko: String,
    pub body_name_en: String,
    pub department_name_ko: Option<String>,
    pub department_name_en: Option<String>,
}

impl Store {
    pub async fn membership_names(&self, user_id: i64) -> Result<Vec<MembershipNames>, StoreError> {
        let rows = sqlx::query_as::<_, MembershipNames>(
            "SELECT m.role, b.name_ko AS body_name_ko, b.name_en AS body_name_en,
                    d.name_ko AS department_name_ko, d.name_en AS department_name_en
             FROM memberships m
             JOIN organisations b ON b.id = m.body_id
             LEFT JOIN organisations d ON d.id = m.department_id
             WHERE m.user_id = $1
             ORDER BY b.id, m.role",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
