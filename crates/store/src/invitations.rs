//! Inviting staff by e-mail: the administrator names a person, a role and (for an
//! officer) a department; the account is created without a password, the role
//! granted, and the e-mail (through the shared notifications and their mail delivery)
//! carries a one-time link — valid for [`INVITATION_DAYS`] days — to set the password.

use crate::audit::{record, Actor, Change};
use crate::users::{User, USER_COLUMNS};
use crate::{now, Store, StoreError};
use serde_json::json;
use sotong_core::role::Role;
use sotong_core::user::Email;

pub const INVITATION_DAYS: i64 = 7;

/// Who is invited, to what.
pub struct NewInvitation<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub body_id: i64,
    pub role: Role,
    pub department_id: Option<i64>,
    /// SHA-256 of the link's token (the token itself is only in the e-mail).
    pub token_hash: &'a str,
    /// Where the link points, site-relative (`/invite/{token}`).
    pub link: &'a str,
    /// The e-mail's subject, e.g. "한빛시 업무 공간에 초대되었습니다".
    pub title: &'a str,
}

impl Store {
    /// Creates the invited account (or finds it, when it was invited before and never
    /// finished), grants the role and queues the e-mail — one transaction. An e-mail
    /// that already has a working account is refused: grant that account the role.
    pub async fn invite_staff(&self, actor: &Actor, invite: &NewInvitation<'_>) -> Result<User, StoreError> {
        let mut tx = self.begin().await?;
        let existing = sqlx::query_as::<_, User>(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(invite.email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let user = match existing {
            Some(user) if !user.password_hash.is_empty() => {
                return Err(StoreError::Invalid(sotong_core::FieldError::new("email", "account_exists")));
            }
            Some(user) => user,
            None => crate::users::insert_user(&mut tx, actor, invite.email, invite.display_name, "", false).await?,
        };
        crate::users::grant_in(&mut tx, actor, user.id, invite.body_id, invite.role, invite.department_id).await?;
        let at = now();
        sqlx::query(
            "INSERT INTO invitations (token_hash, user_id, body_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(invite.token_hash)
        .bind(user.id)
        .bind(invite.body_id)
        .bind(at)
        .bind(at + INVITATION_DAYS * 86_400)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO notifications (user_id, kind, title, link, created_at) VALUES ($1, 'invitation', $2, $3, $4)",
        )
        .bind(user.id)
        .bind(invite.title)
        .bind(invite.link)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let change = Change::new(Some(invite.body_id), "user.invite", "user", user.id)
            .after(&json!({"email": user.email, "role": invite.role.key(), "department_id": invite.department_id}));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The account an unused, unexpired invitation link is for.
    pub async fn invited_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let user = sqlx::query_as::<_, User>(&format!(
            "SELECT {} FROM invitations i JOIN users u ON u.id = i.user_id
             WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND u.deleted_at IS NULL",
            USER_COLUMNS.of("u")
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(user)
    }

    /// Uses the link: sets the password and records the consents, once (a second use,
    /// even at the same moment, finds the link used and changes nothing).
    pub async fn accept_invitation(
        &self,
        actor: &Actor,
        token_hash: &str,
        password_hash: &str,
        consents: &[sotong_core::user::ConsentKind],
    ) -> Result<User, StoreError> {
        let mut tx = self.begin().await?;
        let claimed: Option<(i64,)> = sqlx::query_as(
            "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(now())
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let (user_id,) = claimed.ok_or(StoreError::NotFound)?;
        crate::users::set_password_in(&mut tx, user_id, password_hash).await?;
        crate::privacy::insert_consents(&mut tx, user_id, consents).await?;
        let user = sqlx::query_as::<_, User>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        let actor = Actor { user_id: Some(user.id), label: user.email.clone(), ..actor.clone() };
        record(&mut tx, &actor, Change::new(None, "user.accept_invitation", "user", user.id)).await?;
        tx.commit().await?;
        Ok(user)
    }
}
