//! A person's rights over their data (개인정보 보호법 제35조~제37조): the consents they
//! gave at sign-up, their e-mail preference, a copy of everything sotong holds about
//! them, and deleting their account — the row stays, emptied of personal data, so the
//! records that name it (reports they wrote, the audit log) still hold together.

use crate::audit::{record, Actor, Change};
use crate::users::{User, USER_COLUMNS};
use crate::{now, Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sotong_core::user::{ConsentKind, Email, CONSENT_VERSION};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Consent {
    pub kind: String,
    pub version: String,
    pub accepted_at: i64,
}

/// Records consents given now, inside the caller's transaction.
pub(crate) async fn insert_consents(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    consents: &[ConsentKind],
) -> Result<(), StoreError> {
    let at = now();
    for kind in consents {
        sqlx::query("INSERT INTO consents (user_id, kind, version, accepted_at) VALUES ($1, $2, $3, $4)")
            .bind(user_id)
            .bind(kind.key())
            .bind(CONSENT_VERSION)
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Creates a citizen's account together with the consents they gave, in one
    /// transaction: there is never an account without its recorded consent.
    pub async fn sign_up(
        &self,
        actor: &Actor,
        email: &Email,
        display_name: &str,
        password_hash: &str,
        consents: &[ConsentKind],
    ) -> Result<User, StoreError> {
        let mut tx = self.begin().await?;
        let user = crate::users::insert_user(&mut tx, actor, email, display_name, password_hash, false).await?;
        insert_consents(&mut tx, user.id, consents).await?;
        let actor = Actor { user_id: Some(user.id), label: user.email.clone(), ..actor.clone() };
        let consented: Vec<&str> = consents.iter().map(|k| k.key()).collect();
        let change = Change::new(None, "user.consent", "user", user.id)
            .after(&json!({"consents": consented, "version": CONSENT_VERSION}));
        record(&mut tx, &actor, change).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn consents(&self, user_id: i64) -> Result<Vec<Consent>, StoreError> {
        let rows = sqlx::query_as::<_, Consent>(
            "SELECT kind, version, accepted_at FROM consents WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Whether the person gets notifications by e-mail too.
    pub async fn email_notifications(&self, user_id: i64) -> Result<bool, StoreError> {
        let (on,): (i64,) = sqlx::query_as("SELECT email_notifications FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(on != 0)
    }

    /// Turns e-mailed notifications on or off; turning them off also cancels the
    /// e-mails not sent yet (the notifications stay in the site).
    pub async fn set_email_notifications(&self, actor: &Actor, user_id: i64, on: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET email_notifications = $1 WHERE id = $2")
            .bind(i64::from(on))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if !on {
            sqlx::query("UPDATE notifications SET emailed_at = $1 WHERE user_id = $2 AND emailed_at IS NULL")
                .bind(now())
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let change = Change::new(None, "user.email_notifications", "user", user_id).after(&json!({"on": on}));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everything sotong holds about a person, as JSON (the "download my data" file).
    pub async fn export_user_data(&self, user_id: i64) -> Result<serde_json::Value, StoreError> {
        let user = sqlx::query_as::<_, User>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        let memberships: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT b.name_ko, m.role, d.name_ko, m.created_at FROM memberships m
             JOIN organisations b ON b.id = m.body_id LEFT JOIN organisations d ON d.id = m.department_id
             WHERE m.user_id = $1 ORDER BY m.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let follows: Vec<(String, Option<String>, Option<String>, i64)> = sqlx::query_as(
            "SELECT p.title_ko, c.code, c.title, f.created_at FROM follows f JOIN plans p ON p.id = f.plan_id
             LEFT JOIN commitments c ON c.id = f.commitment_id WHERE f.user_id = $1 ORDER BY f.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let notifications: Vec<(String, String, i64, Option<i64>)> =
            sqlx::query_as("SELECT title, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        let sessions: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT created_at, expires_at, ip, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        // body, method, basis, district, born on, verified at
        type VerificationRow = (String, String, String, Option<String>, Option<String>, i64);
        let verifications: Vec<VerificationRow> = sqlx::query_as(
            "SELECT b.name_ko, v.method, v.basis, v.district, v.born_on, v.verified_at FROM verified_residents v
             JOIN organisations b ON b.id = v.body_id WHERE v.user_id = $1 ORDER BY v.verified_at",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let actions: Vec<(i64, String, String, String, String)> =
            sqlx::query_as("SELECT at, action, entity, entity_id, ip FROM audit_log WHERE actor_id = $1 ORDER BY id")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(json!({
            "exported_at": now(),
            "account": {
                "email": user.email,
                "display_name": user.display_name,
                "created_at": user.created_at,
                "password_changed_at": user.password_changed_at,
                "email_notifications": self.email_notifications(user_id).await?,
            },
            "consents": self.consents(user_id).await?,
            "roles": memberships.into_iter().map(|(body, role, department, at)| json!({"body": body, "role": role, "department": department, "granted_at": at})).collect::<Vec<_>>(),
            "follows": follows.into_iter().map(|(plan, code, title, at)| json!({"plan": plan, "commitment_code": code, "commitment": title, "since": at})).collect::<Vec<_>>(),
            "notifications": notifications.into_iter().map(|(title, link, at, read)| json!({"title": title, "link": link, "created_at": at, "read_at": read})).collect::<Vec<_>>(),
            "resident_verifications": verifications.into_iter().map(|(body, method, basis, district, born, at)| json!({"body": body, "method": method, "basis": basis, "district": district, "born_on": born, "verified_at": at})).collect::<Vec<_>>(),
            "sessions": sessions.into_iter().map(|(created, expires, ip, agent)| json!({"created_at": created, "expires_at": expires, "ip": ip, "user_agent": agent})).collect::<Vec<_>>(),
            "actions": actions.into_iter().map(|(at, action, entity, id, ip)| json!({"at": at, "action": action, "entity": entity, "entity_id": id, "ip": ip})).collect::<Vec<_>>(),
        }))
    }

    /// Deletes an account: signs it out everywhere and removes its follows,
    /// notifications and roles; the row keeps only its id, marked deleted, so that
    /// reports it wrote and the audit log stay whole (their author shows as deleted).
    pub async fn delete_account(&self, actor: &Actor, user_id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for table in ["sessions", "follows", "notifications", "memberships", "verified_residents"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(user_id).execute(&mut *tx).await?;
        }
        let at = now();
        sqlx::query(
            "UPDATE users SET email = $1, display_name = $2, password_hash = '', email_notifications = 0, deleted_at = $3
             WHERE id = $4",
        )
        .bind(format!("deleted-{user_id}@deleted.invalid"))
        .bind("탈퇴한 사용자")
        .bind(at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let change = Change::new(None, "user.delete", "user", user_id).after(&json!({"deleted_at": at}));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
