//! Policy proposals (정책제안): submitted by citizens, supported (공감), assigned to a
//! department by a coordinator and answered by it. The moves are core's
//! (`ProposalState`); every change is audited in its own transaction, and the
//! proposal's followers are told through the shared `notifications` table.

use crate::audit::{record, Actor, Change};
use crate::columns::Columns;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::voice::proposals::{
    Answer, AnswerResult, Moderation, NewProposal, ProposalCategory, ProposalRules, ProposalState,
};
use sotong_core::webhooks::WebhookEvent;
use sotong_core::FieldError;
use sqlx::{Any, Transaction};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub body_id: i64,
    pub author_id: i64,
    pub title: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub category: ProposalCategory,
    pub location: Option<String>,
    #[sqlx(try_from = "String")]
    pub state: ProposalState,
    #[sqlx(try_from = "String")]
    pub moderation: Moderation,
    pub hidden_reason: Option<String>,
    pub support_count: i64,
    pub department_id: Option<i64>,
    pub assigned_at: Option<i64>,
    pub threshold_reached_at: Option<i64>,
    /// The last day of the answer (KST), once assigned or 답변 대상.
    pub due_on: Option<String>,
    pub answer_result: Option<String>,
    pub answer_body: Option<String>,
    pub answer_unit: Option<String>,
    pub answer_officer: Option<String>,
    pub answer_contact: Option<String>,
    pub answered_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const PROPOSAL_COLUMNS: Columns = Columns(
    "id, body_id, author_id, title, body, category, location, state, moderation, hidden_reason, support_count, \
     department_id, assigned_at, threshold_reached_at, due_on, answer_result, answer_body, answer_unit, \
     answer_officer, answer_contact, answered_at, created_at, updated_at",
);

impl Proposal {
    pub fn answer_result(&self) -> Option<AnswerResult> {
        self.answer_result.clone().and_then(|r| AnswerResult::try_from(r).ok())
    }

    /// 답변 대상: enough supports within the window.
    pub fn is_answer_due(&self) -> bool {
        self.threshold_reached_at.is_some()
    }

    /// Past its answer's last day (KST) and still unanswered.
    pub fn is_overdue(&self, now_unix: i64) -> bool {
        self.state.is_open()
            && self.due_on.as_deref().and_then(|d| sotong_core::format::days_until(d, now_unix)).is_some_and(|d| d < 0)
    }

    /// Everyone may read it: not hidden by a moderator or by reports.
    pub fn is_public(&self) -> bool {
        self.moderation.is_public()
    }
}

/// What a list of proposals is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    pub state: Option<ProposalState>,
    pub category: Option<ProposalCategory>,
    /// Only the proposals of this department (its staff queue).
    pub department_id: Option<i64>,
    /// Only 답변 대상 ones.
    pub answer_due: bool,
    /// Only unanswered ones whose last day is before this date (`YYYY-MM-DD`).
    pub overdue_before: Option<String>,
    /// Include hidden and reported ones (moderators and staff).
    pub include_hidden: bool,
    pub sort: ProposalSort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProposalSort {
    #[default]
    Newest,
    MostSupported,
    /// Soonest answer deadline first (staff).
    DueFirst,
}

/// What a support attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supported {
    /// Counted now; the new count, and whether it made the proposal 답변 대상.
    Added { count: i64, reached_threshold: bool },
    /// This person had already supported it: nothing changed.
    Already,
}

/// A proposal's public counts for its page and list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalCounts {
    pub received: i64,
    pub reviewing: i64,
    pub answered: i64,
    pub overdue: i64,
}

/// What waits for staff (`proposal_queue_counts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCounts {
    pub unassigned: i64,
    pub reviewing: i64,
    pub answer_due: i64,
    pub overdue: i64,
}

async fn insert_notifications(
    tx: &mut Transaction<'_, Any>,
    proposal: &Proposal,
    kind: &str,
    link: &str,
    except_user: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, title, link, created_at)
         SELECT user_id, $1, $2, $3, $4 FROM proposal_follows WHERE proposal_id = $5 AND user_id <> $6 ORDER BY user_id",
    )
    .bind(kind)
    .bind(&proposal.title)
    .bind(link)
    .bind(now())
    .bind(proposal.id)
    .bind(except_user.unwrap_or(0))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells one person (a moderated text's author) in the app and, by their choice, by e-mail.
pub(crate) async fn notify_one(
    tx: &mut Transaction<'_, Any>,
    user_id: i64,
    kind: &str,
    title: &str,
    link: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO notifications (user_id, kind, title, link, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(kind)
        .bind(title)
        .bind(link)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A proposal's public link, its body's slug read in the transaction (for changes
/// made without the slug at hand).
pub(crate) async fn link_in(tx: &mut Transaction<'_, Any>, body_id: i64, id: i64) -> Result<String, StoreError> {
    let (slug,): (String,) =
        sqlx::query_as("SELECT slug FROM organisations WHERE id = $1").bind(body_id).fetch_one(&mut **tx).await?;
    Ok(link_of(&slug, id))
}

async fn follow_in(tx: &mut Transaction<'_, Any>, proposal_id: i64, user_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO proposal_follows (proposal_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(proposal_id)
    .bind(user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn proposal_in(tx: &mut Transaction<'_, Any>, id: i64) -> Result<Proposal, StoreError> {
    let row = sqlx::query_as::<_, Proposal>(&format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row)
}

/// What the search index calls a proposal (and its answer).
pub fn search_key(id: i64) -> String {
    format!("proposal:{id}")
}

/// The public link of a proposal, for notifications.
fn link_of(body_slug: &str, id: i64) -> String {
    format!("/{body_slug}/proposals/{id}")
}

impl Store {
    /// The body's rules for proposals (the defaults until it sets its own).
    pub async fn proposal_rules(&self, body_id: i64) -> Result<ProposalRules, StoreError> {
        let row: Option<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT support_threshold, support_window_days, answer_days, threshold_answer_days, comments_enabled
             FROM voice_settings WHERE body_id = $1",
        )
        .bind(body_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => ProposalRules::default(),
            Some((support_threshold, support_window_days, answer_days, threshold_answer_days, comments)) => {
                ProposalRules {
                    support_threshold,
                    support_window_days,
                    answer_days,
                    threshold_answer_days,
                    comments_enabled: comments != 0,
                }
            }
        })
    }

    pub async fn set_proposal_rules(
        &self,
        actor: &Actor,
        body_id: i64,
        rules: &ProposalRules,
    ) -> Result<(), StoreError> {
        let before = self.proposal_rules(body_id).await?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO voice_settings (body_id, support_threshold, support_window_days, answer_days, threshold_answer_days, comments_enabled)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (body_id) DO UPDATE SET support_threshold = $2, support_window_days = $3, answer_days = $4,
                threshold_answer_days = $5, comments_enabled = $6",
        )
        .bind(body_id)
        .bind(rules.support_threshold)
        .bind(rules.support_window_days)
        .bind(rules.answer_days)
        .bind(rules.threshold_answer_days)
        .bind(i64::from(rules.comments_enabled))
        .execute(&mut *tx)
        .await?;
        let as_json = |r: &ProposalRules| {
            serde_json::json!({
                "support_threshold": r.support_threshold, "support_window_days": r.support_window_days,
                "answer_days": r.answer_days, "threshold_answer_days": r.threshold_answer_days,
                "comments_enabled": r.comments_enabled,
            })
        };
        record(
            &mut tx,
            actor,
            Change::new(Some(body_id), "proposal_rules.update", "voice_settings", body_id)
                .before(&as_json(&before))
                .after(&as_json(rules)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A citizen's proposal, received now; its author follows it.
    pub async fn create_proposal(
        &self,
        actor: &Actor,
        body_id: i64,
        author_id: i64,
        new: &NewProposal,
    ) -> Result<Proposal, StoreError> {
        let at = now();
        let mut tx = self.begin().await?;
        let proposal = sqlx::query_as::<_, Proposal>(&format!(
            "INSERT INTO proposals (body_id, author_id, title, body, category, location, state, moderation, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING {PROPOSAL_COLUMNS}"
        ))
        .bind(body_id)
        .bind(author_id)
        .bind(&new.title)
        .bind(&new.body)
        .bind(new.category.as_str())
        .bind(new.location.as_deref())
        .bind(ProposalState::Received.as_str())
        .bind(Moderation::Visible.as_str())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        follow_in(&mut tx, proposal.id, author_id).await?;
        crate::search::enqueue(&mut tx, &search_key(proposal.id)).await?;
        record(&mut tx, actor, Change::new(Some(body_id), "proposal.create", "proposal", proposal.id).after(&proposal))
            .await?;
        tx.commit().await?;
        Ok(proposal)
    }

    pub async fn proposal(&self, body_id: i64, id: i64) -> Result<Option<Proposal>, StoreError> {
        let row = sqlx::query_as::<_, Proposal>(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE body_id = $1 AND id = $2"
        ))
        .bind(body_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// One page of a body's proposals and how many match in all.
    pub async fn proposals(&self, body_id: i64, filter: &ProposalFilter) -> Result<(Vec<Proposal>, i64), StoreError> {
        let mut conditions = vec!["body_id = $1".to_string()];
        let mut texts: Vec<String> = Vec::new();
        let mut push_text = |conditions: &mut Vec<String>, column: &str, value: String| {
            texts.push(value);
            conditions.push(format!("{column} = ${}", texts.len() + 1));
        };
        if let Some(state) = filter.state {
            push_text(&mut conditions, "state", state.as_str().to_string());
        }
        if let Some(category) = filter.category {
            push_text(&mut conditions, "category", category.as_str().to_string());
        }
        if !filter.include_hidden {
            push_text(&mut conditions, "moderation", Moderation::Visible.as_str().to_string());
        }
        if let Some(day) = &filter.overdue_before {
            texts.push(day.clone());
            conditions.push(format!("due_on < ${} AND state IN ('received', 'reviewing')", texts.len() + 1));
        }
        if filter.answer_due {
            conditions.push("threshold_reached_at IS NOT NULL".into());
        }
        let department = filter.department_id.map(|d| {
            conditions.push(format!("department_id = ${}", texts.len() + 2));
            d
        });
        let order = match filter.sort {
            ProposalSort::Newest => "created_at DESC, id DESC",
            ProposalSort::MostSupported => "support_count DESC, id DESC",
            ProposalSort::DueFirst => "CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, created_at, id",
        };
        let conditions = conditions.join(" AND ");
        let list_sql = format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE {conditions} ORDER BY {order} LIMIT {} OFFSET {}",
            filter.limit.max(1),
            filter.offset.max(0)
        );
        let count_sql = format!("SELECT COUNT(*) FROM proposals WHERE {conditions}");
        let mut list = sqlx::query_as::<_, Proposal>(&list_sql).bind(body_id);
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(body_id);
        for text in &texts {
            list = list.bind(text.clone());
            count = count.bind(text.clone());
        }
        if let Some(d) = department {
            list = list.bind(d);
            count = count.bind(d);
        }
        let (rows, (total,)) = tokio::try_join!(list.fetch_all(&self.pool), count.fetch_one(&self.pool))?;
        Ok((rows, total))
    }

    /// How many of a body's public proposals are in each state, and overdue (`today`
    /// the KST date).
    pub async fn proposal_counts(&self, body_id: i64, today: &str) -> Result<ProposalCounts, StoreError> {
        let (received, reviewing, answered, overdue): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN state = 'received' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state = 'reviewing' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state = 'answered' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state IN ('received', 'reviewing') AND due_on < $2 THEN 1 ELSE 0 END), 0)
             FROM proposals WHERE body_id = $1 AND moderation = 'visible'",
        )
        .bind(body_id)
        .bind(today)
        .fetch_one(&self.pool)
        .await?;
        Ok(ProposalCounts { received, reviewing, answered, overdue })
    }

    /// What waits for staff among a body's visible proposals (one department's, when
    /// given): unassigned, under review, 답변 대상 without an answer, and overdue.
    pub async fn proposal_queue_counts(
        &self,
        body_id: i64,
        department_id: Option<i64>,
        today: &str,
    ) -> Result<QueueCounts, StoreError> {
        let department = if department_id.is_some() { " AND department_id = $3" } else { "" };
        let sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN state = 'received' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state = 'reviewing' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state IN ('received', 'reviewing') AND threshold_reached_at IS NOT NULL THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state IN ('received', 'reviewing') AND due_on < $2 THEN 1 ELSE 0 END), 0)
             FROM proposals WHERE body_id = $1 AND moderation = 'visible'{department}"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64, i64)>(&sql).bind(body_id).bind(today);
        if let Some(d) = department_id {
            query = query.bind(d);
        }
        let (unassigned, reviewing, answer_due, overdue) = query.fetch_one(&self.pool).await?;
        Ok(QueueCounts { unassigned, reviewing, answer_due, overdue })
    }

    /// Counts one person's support once, whatever the concurrency: the primary key of
    /// `proposal_supports` refuses a second row, and the count moves only with an
    /// inserted row, in the same transaction. The support that reaches the threshold
    /// within the window makes the proposal 답변 대상 and sets its deadline.
    pub async fn support_proposal(
        &self,
        actor: &Actor,
        proposal: &Proposal,
        user_id: i64,
        rules: &ProposalRules,
    ) -> Result<Supported, StoreError> {
        proposal.state.accepts_supports().map_err(StoreError::Invalid)?;
        let at = now();
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO proposal_supports (proposal_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(proposal.id)
        .bind(user_id)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(Supported::Already);
        }
        // The row lock of this UPDATE orders concurrent supports of one proposal.
        let (count, state, threshold_at, assigned_at): (i64, String, Option<i64>, Option<i64>) = sqlx::query_as(
            "UPDATE proposals SET support_count = support_count + 1 WHERE id = $1
             RETURNING support_count, state, threshold_reached_at, assigned_at",
        )
        .bind(proposal.id)
        .fetch_one(&mut *tx)
        .await?;
        let state = ProposalState::try_from(state).map_err(StoreError::Unreadable)?;
        if state.accepts_supports().is_err() {
            return Err(StoreError::Invalid(FieldError::new("support", "proposal_closed")));
            // rolled back
        }
        let reached = threshold_at.is_none() && rules.reaches_threshold(count, proposal.created_at, at);
        if reached {
            sqlx::query("UPDATE proposals SET threshold_reached_at = $1, due_on = $2, updated_at = $1 WHERE id = $3")
                .bind(at)
                .bind(rules.answer_due(assigned_at, Some(at)))
                .bind(proposal.id)
                .execute(&mut *tx)
                .await?;
        }
        follow_in(&mut tx, proposal.id, user_id).await?;
        if reached {
            // The author and the supporters before this one learn it will be answered.
            let link = link_in(&mut tx, proposal.body_id, proposal.id).await?;
            insert_notifications(&mut tx, proposal, "proposal_threshold", &link, Some(user_id)).await?;
        }
        record(
            &mut tx,
            actor,
            Change::new(Some(proposal.body_id), "proposal.support", "proposal", proposal.id)
                .after(&serde_json::json!({ "supports": count, "answer_due": reached || threshold_at.is_some() })),
        )
        .await?;
        tx.commit().await?;
        Ok(Supported::Added { count, reached_threshold: reached })
    }

    /// Takes a support back, until the proposal has reached its threshold (then the
    /// supports that made it 답변 대상 stay).
    pub async fn withdraw_support(&self, actor: &Actor, proposal: &Proposal, user_id: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let locked: Option<(i64,)> =
            sqlx::query_as("UPDATE proposals SET support_count = support_count WHERE id = $1 AND threshold_reached_at IS NULL RETURNING id")
                .bind(proposal.id)
                .fetch_optional(&mut *tx)
                .await?;
        if locked.is_none() {
            return Err(StoreError::Invalid(FieldError::new("support", "support_locked")));
        }
        let deleted = sqlx::query("DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2")
            .bind(proposal.id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Ok(false);
        }
        let (count,): (i64,) = sqlx::query_as(
            "UPDATE proposals SET support_count = support_count - 1 WHERE id = $1 RETURNING support_count",
        )
        .bind(proposal.id)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(proposal.body_id), "proposal.unsupport", "proposal", proposal.id)
                .after(&serde_json::json!({ "supports": count })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Follows a proposal (told of its assignment, answer and state changes) or stops;
    /// following twice keeps one row (primary key).
    pub async fn set_following_proposal(&self, proposal_id: i64, user_id: i64, follow: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        if follow {
            follow_in(&mut tx, proposal_id, user_id).await?;
        } else {
            sqlx::query("DELETE FROM proposal_follows WHERE proposal_id = $1 AND user_id = $2")
                .bind(proposal_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn follows_proposal(&self, proposal_id: i64, user_id: i64) -> Result<bool, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM proposal_follows WHERE proposal_id = $1 AND user_id = $2")
                .bind(proposal_id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    pub async fn has_supported(&self, proposal_id: i64, user_id: i64) -> Result<bool, StoreError> {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT proposal_id FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2")
                .bind(proposal_id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// How many supports the table holds for a proposal (what `support_count` keeps).
    pub async fn counted_supports(&self, proposal_id: i64) -> Result<i64, StoreError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = $1")
            .bind(proposal_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }

    /// A coordinator assigns (or reassigns) a proposal to a department of its body. The
    /// deadline counts from the first assignment, so reassigning does not extend it.
    pub async fn assign_proposal(
        &self,
        actor: &Actor,
        body_slug: &str,
        proposal: &Proposal,
        department_id: i64,
        rules: &ProposalRules,
    ) -> Result<Proposal, StoreError> {
        let state = proposal.state.assign().map_err(StoreError::Invalid)?;
        let department = self.org(department_id).await?.filter(|d| d.body_id == Some(proposal.body_id));
        if department.is_none() {
            return Err(StoreError::Invalid(FieldError::new("department", "invalid_choice")));
        }
        let at = now();
        let assigned_at = proposal.assigned_at.unwrap_or(at);
        let mut tx = self.begin().await?;
        let updated: Option<(i64,)> = sqlx::query_as(
            "UPDATE proposals SET state = $1, department_id = $2, assigned_at = $3, due_on = $4, updated_at = $5
             WHERE id = $6 AND state = $7 RETURNING id",
        )
        .bind(state.as_str())
        .bind(department_id)
        .bind(assigned_at)
        .bind(rules.answer_due(Some(assigned_at), proposal.threshold_reached_at))
        .bind(at)
        .bind(proposal.id)
        .bind(proposal.state.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if updated.is_none() {
            return Err(StoreError::Invalid(FieldError::new("state", "conflict")));
        }
        let after = proposal_in(&mut tx, proposal.id).await?;
        insert_notifications(&mut tx, &after, "proposal_assigned", &link_of(body_slug, proposal.id), actor.user_id)
            .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(proposal.body_id), "proposal.assign", "proposal", proposal.id)
                .before(proposal)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The assigned department answers, naming its unit, officer and contact.
    pub async fn answer_proposal(
        &self,
        actor: &Actor,
        body_slug: &str,
        proposal: &Proposal,
        answer: &Answer,
    ) -> Result<Proposal, StoreError> {
        let state = proposal.state.answer().map_err(StoreError::Invalid)?;
        let unit = match proposal.department_id {
            Some(id) => self.org(id).await?.map(|d| d.name_ko).unwrap_or_default(),
            None => String::new(),
        };
        let at = now();
        let mut tx = self.begin().await?;
        let updated: Option<(i64,)> = sqlx::query_as(
            "UPDATE proposals SET state = $1, answer_result = $2, answer_body = $3, answer_unit = $4, answer_officer = $5,
                answer_contact = $6, answered_at = $7, updated_at = $7
             WHERE id = $8 AND state = $9 RETURNING id",
        )
        .bind(state.as_str())
        .bind(answer.result.as_str())
        .bind(&answer.body)
        .bind(&unit)
        .bind(&answer.officer)
        .bind(&answer.contact)
        .bind(at)
        .bind(proposal.id)
        .bind(proposal.state.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if updated.is_none() {
            return Err(StoreError::Invalid(FieldError::new("state", "conflict")));
        }
        let after = proposal_in(&mut tx, proposal.id).await?;
        insert_notifications(&mut tx, &after, "proposal_answered", &link_of(body_slug, proposal.id), actor.user_id)
            .await?;
        crate::search::enqueue(&mut tx, &search_key(proposal.id)).await?;
        crate::webhooks::announce(&mut tx, proposal.body_id, WebhookEvent::ProposalAnswered, proposal.id, at).await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(proposal.body_id), "proposal.answer", "proposal", proposal.id)
                .before(proposal)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The author withdraws their proposal before it is answered.
    pub async fn withdraw_proposal(&self, actor: &Actor, proposal: &Proposal) -> Result<Proposal, StoreError> {
        let state = proposal.state.withdraw().map_err(StoreError::Invalid)?;
        let mut tx = self.begin().await?;
        let updated: Option<(i64,)> = sqlx::query_as(
            "UPDATE proposals SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4 RETURNING id",
        )
        .bind(state.as_str())
        .bind(now())
        .bind(proposal.id)
        .bind(proposal.state.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if updated.is_none() {
            return Err(StoreError::Invalid(FieldError::new("state", "conflict")));
        }
        let after = proposal_in(&mut tx, proposal.id).await?;
        crate::search::enqueue(&mut tx, &search_key(proposal.id)).await?;
        // Its supporters are told that it will not be answered.
        let link = link_in(&mut tx, proposal.body_id, proposal.id).await?;
        insert_notifications(&mut tx, &after, "proposal_withdrawn", &link, Some(proposal.author_id)).await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(proposal.body_id), "proposal.withdraw", "proposal", proposal.id)
                .before(proposal)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Puts a proposal's history in the past: submitted at `submitted_at` (its
    /// supports, comments and threshold moved back with it), assigned and answered at
    /// the times given (when it was), its deadline set again from them. The demo
    /// city's proposals were made over past months; nothing else calls this.
    pub async fn backdate_proposal(
        &self,
        actor: &Actor,
        proposal: &Proposal,
        submitted_at: i64,
        assigned_at: Option<i64>,
        answered_at: Option<i64>,
        rules: &ProposalRules,
    ) -> Result<Proposal, StoreError> {
        let delta = proposal.created_at - submitted_at;
        let assigned_at = proposal.assigned_at.and(assigned_at);
        let answered_at = proposal.answered_at.and(answered_at);
        let threshold_at = proposal.threshold_reached_at.map(|t| t - delta);
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE proposals SET created_at = created_at - $1, updated_at = $2, threshold_reached_at = $3,
                assigned_at = $4, answered_at = $5, due_on = $6
             WHERE id = $7",
        )
        .bind(delta)
        .bind(answered_at.or(assigned_at).unwrap_or(submitted_at))
        .bind(threshold_at)
        .bind(assigned_at)
        .bind(answered_at)
        .bind(rules.answer_due(assigned_at, threshold_at))
        .bind(proposal.id)
        .execute(&mut *tx)
        .await?;
        for table in ["proposal_supports", "proposal_comments", "proposal_follows"] {
            sqlx::query(&format!("UPDATE {table} SET created_at = created_at - $1 WHERE proposal_id = $2"))
                .bind(delta)
                .bind(proposal.id)
                .execute(&mut *tx)
                .await?;
        }
        let after = proposal_in(&mut tx, proposal.id).await?;
        crate::search::enqueue(&mut tx, &search_key(proposal.id)).await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(proposal.body_id), "proposal.backdate", "proposal", proposal.id)
                .before(proposal)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The proposals a person wrote (their account page), newest first.
    pub async fn proposals_by(&self, author_id: i64) -> Result<Vec<Proposal>, StoreError> {
        let rows = sqlx::query_as::<_, Proposal>(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE author_id = $1 ORDER BY id DESC"
        ))
        .bind(author_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// A proposal by id, whatever its body (for the search index).
    pub async fn proposal_by_id(&self, id: i64) -> Result<Option<Proposal>, StoreError> {
        let row = sqlx::query_as::<_, Proposal>(&format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row)
    }

    /// Every public proposal of every body (for the similar-proposal and search indexes).
    pub async fn public_proposals(&self) -> Result<Vec<Proposal>, StoreError> {
        let rows = sqlx::query_as::<_, Proposal>(&format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE moderation = 'visible' ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
