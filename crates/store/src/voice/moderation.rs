//! Reports (신고) of proposals and comments, and moderators' decisions. Reports by
//! `REPORTS_TO_HIDE` different people hide the thing until a moderator decides; a
//! moderator hides it (the reason shown in its place) or restores it, which settles
//! its open reports. Every report and decision is audited.

use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use sotong_core::voice::proposals::{Moderation, REPORTS_TO_HIDE};

/// What can be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Proposal(i64),
    Comment(i64),
}

impl Subject {
    pub fn kind(self) -> &'static str {
        match self {
            Subject::Proposal(_) => "proposal",
            Subject::Comment(_) => "comment",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Subject::Proposal(id) | Subject::Comment(id) => id,
        }
    }

    pub fn parse(kind: &str, id: i64) -> Option<Subject> {
        match kind {
            "proposal" => Some(Subject::Proposal(id)),
            "comment" => Some(Subject::Comment(id)),
            _ => None,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Subject::Proposal(_) => "proposals",
            Subject::Comment(_) => "proposal_comments",
        }
    }
}

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    /// Counted; whether it was the one that hid the thing.
    Counted { hidden_now: bool },
    /// This person had already reported it.
    Already,
}

/// A moderator's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Hide { reason: String },
    Restore,
}

/// One line of the moderators' queue.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueItem {
    pub subject_kind: String,
    pub subject_id: i64,
    /// The proposal it is (or is a comment on).
    pub proposal_id: i64,
    pub proposal_title: String,
    /// The comment's text, for a comment.
    pub excerpt: Option<String>,
    #[sqlx(try_from = "String")]
    pub moderation: Moderation,
    pub reports: i64,
    /// The reasons people gave, one per line.
    pub reasons: String,
    pub last_reported_at: i64,
}

/// A hidden or restored proposal leaves or returns to the search index (comments are
/// not indexed).
async fn reindex_subject(tx: &mut sqlx::Transaction<'_, sqlx::Any>, subject: Subject) -> Result<(), StoreError> {
    match subject {
        Subject::Proposal(id) => crate::search::enqueue(tx, &crate::voice::proposals::search_key(id)).await,
        Subject::Comment(_) => Ok(()),
    }
}

impl Store {
    pub async fn report_content(
        &self,
        actor: &Actor,
        body_id: i64,
        subject: Subject,
        reporter_id: i64,
        reason: &str,
    ) -> Result<Reported, StoreError> {
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO content_reports (body_id, subject_kind, subject_id, reporter_id, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(body_id)
        .bind(subject.kind())
        .bind(subject.id())
        .bind(reporter_id)
        .bind(reason)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(Reported::Already);
        }
        let (open,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM content_reports WHERE subject_kind = $1 AND subject_id = $2 AND resolved_at IS NULL",
        )
        .bind(subject.kind())
        .bind(subject.id())
        .fetch_one(&mut *tx)
        .await?;
        let hidden_now = open >= REPORTS_TO_HIDE
            && sqlx::query(&format!(
                "UPDATE {} SET moderation = $1 WHERE id = $2 AND moderation = $3",
                subject.table()
            ))
            .bind(Moderation::Reported.as_str())
            .bind(subject.id())
            .bind(Moderation::Visible.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
        if hidden_now {
            reindex_subject(&mut tx, subject).await?;
        }
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "content.report", subject.kind(), subject.id())
                .after(&serde_json::json!({ "reason": reason, "open_reports": open, "hidden": hidden_now })),
        )
        .await?;
        tx.commit().await?;
        Ok(Reported::Counted { hidden_now })
    }

    /// Hides or restores a proposal or comment of the body and settles its reports.
    pub async fn moderate(
        &self,
        actor: &Actor,
        body_id: i64,
        subject: Subject,
        decision: &Decision,
    ) -> Result<(), StoreError> {
        let (moderation, reason, action) = match decision {
            Decision::Hide { reason } => (Moderation::Hidden, Some(reason.as_str()), "content.hide"),
            Decision::Restore => (Moderation::Visible, None, "content.restore"),
        };
        let at = now();
        let mut tx = self.begin().await?;
        // A comment belongs to the body through its proposal; `owned(n)` binds the
        // subject's id as ${n} and the body's as ${n+1}.
        let owned = |n: usize| match subject {
            Subject::Proposal(_) => format!("id = ${n} AND body_id = ${}", n + 1),
            Subject::Comment(_) => {
                format!("id = ${n} AND proposal_id IN (SELECT id FROM proposals WHERE body_id = ${})", n + 1)
            }
        };
        let before: Option<(String,)> =
            sqlx::query_as(&format!("SELECT moderation FROM {} WHERE {}", subject.table(), owned(1)))
                .bind(subject.id())
                .bind(body_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((before,)) = before else { return Err(StoreError::NotFound) };
        sqlx::query(&format!("UPDATE {} SET moderation = $1, hidden_reason = $2 WHERE {}", subject.table(), owned(3)))
            .bind(moderation.as_str())
            .bind(reason)
            .bind(subject.id())
            .bind(body_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE content_reports SET resolved_at = $1 WHERE subject_kind = $2 AND subject_id = $3 AND resolved_at IS NULL",
        )
        .bind(at)
        .bind(subject.kind())
        .bind(subject.id())
        .execute(&mut *tx)
        .await?;
        reindex_subject(&mut tx, subject).await?;
        if matches!(decision, Decision::Hide { .. }) && before != Moderation::Hidden.as_str() {
            tell_author_of_hiding(&mut tx, body_id, subject).await?;
        }
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), action, subject.kind(), subject.id())
                .before(&serde_json::json!({ "moderation": before }))
                .after(&serde_json::json!({ "moderation": moderation.as_str(), "reason": reason })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What moderators have to decide: everything reported and not yet settled, and
    /// what reports hid, most reported first.
    pub async fn moderation_queue(&self, body_id: i64) -> Result<Vec<QueueItem>, StoreError> {
        let reasons = crate::dialect::string_agg(self.backend, "r.reason");
        let rows = sqlx::query_as::<_, QueueItem>(&format!(
            "SELECT r.subject_kind, r.subject_id, p.id AS proposal_id, p.title AS proposal_title, c.body AS excerpt,
                    COALESCE(c.moderation, p.moderation) AS moderation, COUNT(*) AS reports,
                    {reasons} AS reasons, MAX(r.created_at) AS last_reported_at
             FROM content_reports r
             LEFT JOIN proposal_comments c ON r.subject_kind = 'comment' AND c.id = r.subject_id
             JOIN proposals p ON p.id = CASE WHEN r.subject_kind = 'comment' THEN c.proposal_id ELSE r.subject_id END
             WHERE r.body_id = $1 AND r.resolved_at IS NULL
             GROUP BY r.subject_kind, r.subject_id, p.id, p.title, c.body, c.moderation, p.moderation
             ORDER BY COUNT(*) DESC, MAX(r.created_at) DESC"
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Whether a person has reported a thing (pages then show "신고함").
    pub async fn has_reported(&self, subject: Subject, reporter_id: i64) -> Result<bool, StoreError> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM content_reports WHERE subject_kind = $1 AND subject_id = $2 AND reporter_id = $3",
        )
        .bind(subject.kind())
        .bind(subject.id())
        .bind(reporter_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }
}

/// The author of a hidden proposal or comment is told, with a link to where the
/// moderator's reason is shown.
async fn tell_author_of_hiding(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    body_id: i64,
    subject: Subject,
) -> Result<(), StoreError> {
    let (author_id, proposal_id, title): (i64, i64, String) =
        match subject {
            Subject::Proposal(id) => {
                sqlx::query_as("SELECT author_id, id, title FROM proposals WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut **tx)
                    .await?
            }
            Subject::Comment(id) => sqlx::query_as(
                "SELECT c.author_id, p.id, p.title FROM proposal_comments c JOIN proposals p ON p.id = c.proposal_id
                 WHERE c.id = $1",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?,
        };
    let link = super::proposals::link_in(tx, body_id, proposal_id).await?;
    let kind = match subject {
        Subject::Proposal(_) => "proposal_hidden",
        Subject::Comment(_) => "comment_hidden",
    };
    super::proposals::notify_one(tx, author_id, kind, &title, &link).await
}
