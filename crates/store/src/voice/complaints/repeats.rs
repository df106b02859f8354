//! Repeated complaints (반복민원) and multi-person cases (다수인·중복민원).
//!
//! A repeat points at the first filing of its matter (`repeat_of`), so a matter is
//! that first complaint and every complaint pointing at it: the chain the separate
//! repeated-complaints board lists. Once the matter was filed 3 or more times and
//! answered 2 or more times, staff may close the latest filing under 법 제23조 ①.
//!
//! Complaints of different people on the same matter share a case (`case_id`): the
//! connected near-duplicates found at filing, merged or split by staff. The case is
//! answered once (`answer_complaint`), and five or more filers make it a
//! 다수인관련민원, which only the 민원조정위원회's recorded decision may close.

use super::handling::audit;
use super::{add_event, complaint_in, tell_filer, Complaint, Event, COMPLAINT_COLUMNS};
use crate::audit::Actor;
use crate::{now, Store, StoreError};
use sotong_core::voice::complaints::{check_repeat_closure, REPEAT_CLOSURE_NOTICE};
use sotong_core::FieldError;
use sqlx::{Any, Transaction};

/// A matter filed again and again: its first filing, and counts over the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatedMatter {
    pub first: Complaint,
    pub filings: i64,
    pub answers: i64,
    pub last_filed_at: i64,
}

/// The first filing of the matter `complaint` belongs to (itself when it is one).
pub fn matter_of(complaint: &Complaint) -> i64 {
    complaint.repeat_of.unwrap_or(complaint.id)
}

/// Links `complaint` to the matter of `earlier` (same body, same filer).
pub(crate) async fn link_in_tx(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    complaint: &Complaint,
    earlier: i64,
) -> Result<(), StoreError> {
    let earlier = complaint_in(tx, earlier).await?;
    if earlier.id == complaint.id || earlier.body_id != complaint.body_id {
        return Err(StoreError::Invalid(FieldError::new("repeat_of", "invalid_choice")));
    }
    if earlier.filer_id.is_none() || earlier.filer_id != complaint.filer_id {
        return Err(StoreError::Invalid(FieldError::new("repeat_of", "repeat_other_filer")));
    }
    let root = matter_of(&earlier);
    // A complaint that was itself the first of a chain brings its repeats along.
    sqlx::query("UPDATE complaints SET repeat_of = $1 WHERE id = $2 OR repeat_of = $2")
        .bind(root)
        .bind(complaint.id)
        .execute(&mut **tx)
        .await?;
    add_event(tx, actor, complaint.id, Event { detail: Some(&root.to_string()), ..Event::new("linked_repeat") }).await
}

/// Puts `complaint` in one case with `others` (their cases merged into the oldest).
pub(crate) async fn join_case_in_tx(
    tx: &mut Transaction<'_, Any>,
    complaint: &Complaint,
    others: &[i64],
) -> Result<i64, StoreError> {
    let mut ids: Vec<i64> = others.iter().copied().filter(|&id| id != complaint.id).collect();
    ids.push(complaint.id);
    ids.sort_unstable();
    ids.dedup();
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let members = sqlx::query_as::<_, Complaint>(&format!(
        "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id IN ({list}) AND body_id = $1 ORDER BY id"
    ))
    .bind(complaint.body_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut cases: Vec<i64> = members.iter().filter_map(|c| c.case_id).collect();
    cases.sort_unstable();
    cases.dedup();
    let case_id = match cases.first() {
        Some(&oldest) => oldest,
        None => {
            let first = members.first().unwrap_or(complaint);
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO complaint_cases (body_id, title, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(complaint.body_id)
            .bind(&first.title)
            .bind(now())
            .fetch_one(&mut **tx)
            .await?;
            id
        }
    };
    let member_ids = members.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(", ");
    let merged = cases.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let also_cases = if cases.len() > 1 { format!(" OR case_id IN ({merged})") } else { String::new() };
    sqlx::query(&format!("UPDATE complaints SET case_id = $1 WHERE id IN ({member_ids}){also_cases}"))
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(case_id)
}

impl Store {
    /// Staff link a complaint to an earlier one of the same person by hand.
    pub async fn link_repeat(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        earlier: i64,
    ) -> Result<Complaint, StoreError> {
        let mut tx = self.begin().await?;
        link_in_tx(&mut tx, actor, complaint, earlier).await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.link_repeat", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Staff judge a linked complaint to be a different matter after all. When it was
    /// the first filing, the next one becomes the first.
    pub async fn unlink_repeat(&self, actor: &Actor, complaint: &Complaint) -> Result<Complaint, StoreError> {
        let mut tx = self.begin().await?;
        match complaint.repeat_of {
            Some(_) => {
                sqlx::query("UPDATE complaints SET repeat_of = NULL WHERE id = $1")
                    .bind(complaint.id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                let next: Option<(i64,)> =
                    sqlx::query_as("SELECT MIN(id) FROM complaints WHERE repeat_of = $1 HAVING COUNT(*) > 0")
                        .bind(complaint.id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some((next,)) = next else {
                    return Err(StoreError::Invalid(FieldError::new("repeat_of", "not_linked")));
                };
                sqlx::query(
                    "UPDATE complaints SET repeat_of = CASE WHEN id = $1 THEN NULL ELSE $1 END WHERE repeat_of = $2",
                )
                .bind(next)
                .bind(complaint.id)
                .execute(&mut *tx)
                .await?;
            }
        }
        add_event(&mut tx, actor, complaint.id, Event::new("unlinked_repeat")).await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.unlink_repeat", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every filing of the matter `complaint` belongs to, oldest first.
    pub async fn repeat_chain(&self, complaint: &Complaint) -> Result<Vec<Complaint>, StoreError> {
        let root = matter_of(complaint);
        Ok(sqlx::query_as::<_, Complaint>(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id = $1 OR repeat_of = $1 ORDER BY created_at, id"
        ))
        .bind(root)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Closes an open complaint as a repeated one (종결, 법 제23조 ①) with the
    /// statutory notice, signed by the officer and contact; a 다수인관련민원 only with
    /// the committee's decision, which is recorded on its case (시행령 제26조).
    pub async fn close_repeated(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        officer: &str,
        contact: &str,
        committee_decision: Option<&str>,
    ) -> Result<Complaint, StoreError> {
        let next = complaint.state.close().map_err(StoreError::Invalid)?;
        let chain = self.repeat_chain(complaint).await?;
        let filings = chain.len() as i64;
        let answers = chain.iter().filter(|c| c.answered_at.is_some()).count() as i64;
        let multi_person = self.is_multi_person(complaint.case_id).await?;
        check_repeat_closure(filings, answers, multi_person, committee_decision).map_err(StoreError::Invalid)?;
        let unit = match complaint.department_id {
            Some(id) => self.org(id).await?.map(|d| d.name_ko).unwrap_or_default(),
            None => String::new(),
        };
        let at = now();
        let mut tx = self.begin().await?;
        let closed: Option<(i64,)> = sqlx::query_as(
            "UPDATE complaints SET state = $1, answer_body = $2, answer_unit = $3, answer_officer = $4, answer_contact = $5,
                closed_at = $6, updated_at = $6 WHERE id = $7 AND state = $8 RETURNING id",
        )
        .bind(next.as_str())
        .bind(REPEAT_CLOSURE_NOTICE)
        .bind(&unit)
        .bind(officer)
        .bind(contact)
        .bind(at)
        .bind(complaint.id)
        .bind(complaint.state.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        closed.ok_or(StoreError::Invalid(FieldError::new("state", "conflict")))?;
        if let (true, Some(case_id), Some(decision)) = (multi_person, complaint.case_id, committee_decision) {
            sqlx::query("UPDATE complaint_cases SET committee_decision = $1 WHERE id = $2")
                .bind(decision)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        add_event(&mut tx, actor, complaint.id, Event { detail: committee_decision, ..Event::new("closed_repeated") })
            .await?;
        if complaint.is_public() {
            crate::search::enqueue(&mut tx, &super::search_key(complaint.id)).await?;
        }
        let after = complaint_in(&mut tx, complaint.id).await?;
        tell_filer(&mut tx, &after, "complaint_closed").await?;
        audit(&mut tx, actor, "complaint.close_repeated", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The repeated-complaints board: matters filed more than once, the latest filing
    /// first; public ones only unless `with_private` (staff).
    pub async fn repeated_matters(
        &self,
        body_id: i64,
        with_private: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<RepeatedMatter>, i64), StoreError> {
        let public = if with_private { "" } else { " AND f.is_public = 1 AND r.is_public = 1" };
        let grouped = format!(
            "SELECT f.id AS first_id, COUNT(r.id) + 1 AS filings,
                    SUM(CASE WHEN r.answered_at IS NOT NULL THEN 1 ELSE 0 END)
                        + MAX(CASE WHEN f.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS answers,
                    MAX(r.created_at) AS last_filed
             FROM complaints f JOIN complaints r ON r.repeat_of = f.id
             WHERE f.body_id = $1{public} GROUP BY f.id"
        );
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT first_id, filings, answers, last_filed FROM ({grouped}) m ORDER BY last_filed DESC, first_id DESC
             LIMIT {} OFFSET {}",
            limit.max(1),
            offset.max(0)
        ))
        .bind(body_id)
        .fetch_all(&self.pool)
        .await?;
        let (total,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM ({grouped}) m")).bind(body_id).fetch_one(&self.pool).await?;
        let mut matters = Vec::with_capacity(rows.len());
        for (first_id, filings, answers, last_filed_at) in rows {
            if let Some(first) = self.complaint(body_id, first_id).await? {
                matters.push(RepeatedMatter { first, filings, answers, last_filed_at });
            }
        }
        Ok((matters, total))
    }

    /// The complaints of a case, oldest first.
    pub async fn case_members(&self, case_id: i64) -> Result<Vec<Complaint>, StoreError> {
        Ok(sqlx::query_as::<_, Complaint>(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE case_id = $1 ORDER BY created_at, id"
        ))
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Staff merge complaints of the body into one case by hand.
    pub async fn merge_complaints(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        others: &[i64],
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let case_id = join_case_in_tx(&mut tx, complaint, others).await?;
        add_event(&mut tx, actor, complaint.id, Event { detail: Some(&case_id.to_string()), ..Event::new("merged") })
            .await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.merge", complaint, &after).await?;
        tx.commit().await?;
        Ok(case_id)
    }

    /// Staff take a complaint out of its case; a case left with one complaint ends.
    pub async fn split_complaint(&self, actor: &Actor, complaint: &Complaint) -> Result<Complaint, StoreError> {
        let Some(case_id) = complaint.case_id else {
            return Err(StoreError::Invalid(FieldError::new("case", "not_in_case")));
        };
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE complaints SET case_id = NULL WHERE id = $1").bind(complaint.id).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE complaints SET case_id = NULL WHERE case_id = $1 AND (SELECT COUNT(*) FROM complaints WHERE case_id = $1) < 2",
        )
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        add_event(&mut tx, actor, complaint.id, Event::new("split")).await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.split", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }
}
