//! Comments on proposals (on or off per body, `ProposalRules::comments_enabled`).

use crate::audit::{record, Actor, Change};
use crate::columns::Columns;
use crate::voice::proposals::Proposal;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::voice::proposals::Moderation;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Comment {
    pub id: i64,
    pub proposal_id: i64,
    pub author_id: i64,
    /// The author's chosen name (pages show it masked).
    pub author_name: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub moderation: Moderation,
    pub hidden_reason: Option<String>,
    pub created_at: i64,
}

const COMMENT_COLUMNS: Columns = Columns("id, proposal_id, author_id, body, moderation, hidden_reason, created_at");

impl Store {
    pub async fn add_comment(
        &self,
        actor: &Actor,
        proposal: &Proposal,
        author_id: i64,
        text: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO proposal_comments (proposal_id, author_id, body, moderation, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(proposal.id)
        .bind(author_id)
        .bind(text)
        .bind(Moderation::Visible.as_str())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(proposal.body_id), "comment.create", "comment", id)
                .after(&serde_json::json!({ "proposal_id": proposal.id, "body": text })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A proposal's comments, oldest first, hidden ones included (pages show their
    /// place and reason).
    pub async fn comments_of(&self, proposal_id: i64) -> Result<Vec<Comment>, StoreError> {
        let rows = sqlx::query_as::<_, Comment>(&format!(
            "SELECT {}, u.display_name AS author_name FROM proposal_comments c JOIN users u ON u.id = c.author_id
             WHERE c.proposal_id = $1 ORDER BY c.id",
            COMMENT_COLUMNS.of("c")
        ))
        .bind(proposal_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
