//! What staff and filers do to a complaint after filing: receive and assign it to a
//! department (or move it to another, 이첩), start it, extend its period, answer it
//! (a case's answer goes to every filer in it), note it internally, transfer it to
//! another public body (이송), and what the filer does with the answer: rate it,
//! ask once for a re-examination, or withdraw the complaint before it. Each move
//! checks the state it started from in its UPDATE, so two staff at once cannot both
//! move it; each is audited and written into the complaint's history.

use super::{add_event, complaint_in, deadline, tell_filer, Complaint, Event, COMPLAINT_COLUMNS};
use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use sotong_core::voice::complaints::{
    check_extension, ComplaintAnswer, ComplaintState, INTERIM_NOTICE_DAYS, MULTI_PERSON_FILERS,
};
use sotong_core::workdays::Holidays;
use sotong_core::FieldError;
use sqlx::{Any, Transaction};

fn conflict() -> StoreError {
    StoreError::Invalid(FieldError::new("state", "conflict"))
}

/// Moves a complaint from the state it was read in to `next`, or fails when someone
/// moved it meanwhile.
async fn move_state(
    tx: &mut Transaction<'_, Any>,
    complaint: &Complaint,
    next: ComplaintState,
    at: i64,
) -> Result<(), StoreError> {
    let moved: Option<(i64,)> =
        sqlx::query_as("UPDATE complaints SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4 RETURNING id")
            .bind(next.as_str())
            .bind(at)
            .bind(complaint.id)
            .bind(complaint.state.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    moved.map(|_| ()).ok_or_else(conflict)
}

/// The answers the figures count: those of the last year.
pub const FIGURES_ANSWERED_SECONDS: i64 = 365 * 86_400;

/// Per department: what it holds open, how much of it is overdue, and how it
/// answered (on time or late) in the last year — the coordinator's figures and the API's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DepartmentFigures {
    pub department_id: Option<i64>,
    pub open: i64,
    pub overdue: i64,
    pub answered: i64,
    pub answered_late: i64,
}

/// What waits in an inbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxCounts {
    pub new: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub in_progress: i64,
}

impl Store {
    /// Receives a complaint into a department of its body, or moves it to another
    /// one (이첩, with the reason). The deadline stays: the filer's clock does not
    /// restart when the city moves the work inside itself.
    pub async fn assign_complaint(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        department_id: i64,
        reason: Option<&str>,
    ) -> Result<Complaint, StoreError> {
        let next = complaint.state.assign().map_err(StoreError::Invalid)?;
        let department = self.org(department_id).await?.filter(|d| d.body_id == Some(complaint.body_id));
        if department.is_none() {
            return Err(StoreError::Invalid(FieldError::new("department", "invalid_choice")));
        }
        let at = now();
        let mut tx = self.begin().await?;
        move_state(&mut tx, complaint, next, at).await?;
        sqlx::query("UPDATE complaints SET department_id = $1, assigned_at = COALESCE(assigned_at, $2) WHERE id = $3")
            .bind(department_id)
            .bind(at)
            .bind(complaint.id)
            .execute(&mut *tx)
            .await?;
        let kind = if complaint.assigned_at.is_some() { "moved" } else { "assigned" };
        add_event(
            &mut tx,
            actor,
            complaint.id,
            Event { detail: reason, department_id: Some(department_id), ..Event::new(kind) },
        )
        .await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        if complaint.assigned_at.is_none() {
            tell_filer(&mut tx, &after, "complaint_received").await?;
        }
        audit(&mut tx, actor, "complaint.assign", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The department starts working on it (처리중).
    pub async fn start_complaint(&self, actor: &Actor, complaint: &Complaint) -> Result<Complaint, StoreError> {
        let next = complaint.state.start().map_err(StoreError::Invalid)?;
        if next == complaint.state {
            return Ok(complaint.clone());
        }
        let mut tx = self.begin().await?;
        move_state(&mut tx, complaint, next, now()).await?;
        add_event(&mut tx, actor, complaint.id, Event::new("started")).await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.start", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Extends the period to `new_due` with its reason, notified to the filer
    /// (시행령 제21조: once within the period's length; a second time only with the
    /// filer's consent).
    pub async fn extend_complaint(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        new_due: i64,
        reason: &str,
        filer_consented: bool,
        calendar: &Holidays,
    ) -> Result<Complaint, StoreError> {
        if !complaint.state.is_open() {
            return Err(StoreError::Invalid(FieldError::new("state", "complaint_closed")));
        }
        let longest = deadline(calendar, complaint.due_at, complaint.kind.period())?;
        check_extension(complaint.extensions, complaint.due_at, new_due, longest, filer_consented)
            .map_err(StoreError::Invalid)?;
        let mut tx = self.begin().await?;
        let moved: Option<(i64,)> = sqlx::query_as(
            "UPDATE complaints SET due_at = $1, extensions = extensions + 1, updated_at = $2
             WHERE id = $3 AND extensions = $4 AND state = $5 RETURNING id",
        )
        .bind(new_due)
        .bind(now())
        .bind(complaint.id)
        .bind(complaint.extensions)
        .bind(complaint.state.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        moved.ok_or_else(conflict)?;
        let kind = if filer_consented && complaint.extensions == 1 { "extended_with_consent" } else { "extended" };
        add_event(
            &mut tx,
            actor,
            complaint.id,
            Event { detail: Some(reason), due_at: Some(new_due), ..Event::new(kind) },
        )
        .await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        tell_filer(&mut tx, &after, "complaint_extended").await?;
        audit(&mut tx, actor, "complaint.extend", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The department answers, naming its unit, officer and contact. A complaint of a
    /// multi-person case answers the case: every open complaint in it gets the same
    /// answer, and every filer is told.
    pub async fn answer_complaint(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        answer: &ComplaintAnswer,
    ) -> Result<Complaint, StoreError> {
        complaint.state.answer().map_err(StoreError::Invalid)?;
        let unit = match complaint.department_id {
            Some(id) => self.org(id).await?.map(|d| d.name_ko).unwrap_or_default(),
            None => String::new(),
        };
        let at = now();
        let mut tx = self.begin().await?;
        // The complaint itself first, guarded by the state it was read in.
        let mut targets = vec![complaint.clone()];
        if let Some(case_id) = complaint.case_id {
            let others = sqlx::query_as::<_, Complaint>(&format!(
                "SELECT {COMPLAINT_COLUMNS} FROM complaints
                 WHERE case_id = $1 AND id <> $2 AND state IN ('received', 'assigned', 'in_progress') ORDER BY id"
            ))
            .bind(case_id)
            .bind(complaint.id)
            .fetch_all(&mut *tx)
            .await?;
            targets.extend(others);
        }
        for target in &targets {
            answer_one(&mut tx, actor, target, answer, &unit, at).await?;
        }
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.answer", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The filer rates the answer (만족도, 1–5); rating again changes it.
    pub async fn rate_complaint(&self, actor: &Actor, complaint: &Complaint, rating: i64) -> Result<(), StoreError> {
        if complaint.answered_at.is_none() {
            return Err(StoreError::Invalid(FieldError::new("satisfaction", "complaint_not_answered")));
        }
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE complaints SET satisfaction = $1, updated_at = $2 WHERE id = $3")
            .bind(rating)
            .bind(now())
            .bind(complaint.id)
            .execute(&mut *tx)
            .await?;
        add_event(&mut tx, actor, complaint.id, Event { detail: Some(&rating.to_string()), ..Event::new("rated") })
            .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(complaint.body_id), "complaint.rate", "complaint", complaint.id)
                .after(&serde_json::json!({ "satisfaction": rating })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The filer asks once for the answer to be examined again: back to 처리중 with
    /// the kind's period counted anew from the request.
    pub async fn reexamine_complaint(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        reason: &str,
        calendar: &Holidays,
    ) -> Result<Complaint, StoreError> {
        let next = complaint.state.reexamine(complaint.reexamination_at.is_some()).map_err(StoreError::Invalid)?;
        let at = now();
        let due = deadline(calendar, at, complaint.kind.period())?;
        let mut tx = self.begin().await?;
        move_state(&mut tx, complaint, next, at).await?;
        sqlx::query(
            "UPDATE complaints SET reexamination_reason = $1, reexamination_at = $2, due_at = $3, extensions = 0,
                interim_notified_at = NULL WHERE id = $4",
        )
        .bind(reason)
        .bind(at)
        .bind(due)
        .bind(complaint.id)
        .execute(&mut *tx)
        .await?;
        add_event(
            &mut tx,
            actor,
            complaint.id,
            Event { detail: Some(reason), due_at: Some(due), ..Event::new("reexamination") },
        )
        .await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.reexamine", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The filer withdraws the complaint before its answer (철회).
    pub async fn withdraw_complaint(&self, actor: &Actor, complaint: &Complaint) -> Result<Complaint, StoreError> {
        let next = complaint.state.withdraw().map_err(StoreError::Invalid)?;
        let at = now();
        let mut tx = self.begin().await?;
        move_state(&mut tx, complaint, next, at).await?;
        sqlx::query("UPDATE complaints SET closed_at = $1 WHERE id = $2")
            .bind(at)
            .bind(complaint.id)
            .execute(&mut *tx)
            .await?;
        add_event(&mut tx, actor, complaint.id, Event::new("withdrawn")).await?;
        crate::search::enqueue(&mut tx, &super::search_key(complaint.id)).await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.withdraw", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A note for the staff handling it, never shown to the filer.
    pub async fn note_complaint(&self, actor: &Actor, complaint: &Complaint, note: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        add_event(&mut tx, actor, complaint.id, Event { detail: Some(note), internal: true, ..Event::new("note") })
            .await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(complaint.body_id), "complaint.note", "complaint", complaint.id)
                .after(&serde_json::json!({ "note": note })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Transfers a complaint to another public body of the installation (이송): it
    /// ends here, and the other body receives it as a new complaint in `category`
    /// (one of its own), on its own clock from now.
    pub async fn transfer_complaint(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        category: &super::ComplaintCategory,
        reason: &str,
        calendar: &Holidays,
    ) -> Result<Complaint, StoreError> {
        let next = complaint.state.transfer().map_err(StoreError::Invalid)?;
        if category.body_id == complaint.body_id {
            return Err(StoreError::Invalid(FieldError::new("target", "transfer_same_body")));
        }
        let at = now();
        let receipt_due = deadline(calendar, at, sotong_core::voice::complaints::RECEIPT_PERIOD)?;
        let due = deadline(calendar, at, category.kind.period())?;
        let mut tx = self.begin().await?;
        move_state(&mut tx, complaint, next, at).await?;
        let (received,): (i64,) = sqlx::query_as(
            "INSERT INTO complaints (body_id, category_id, kind, filer_id, filer_name, filer_email, filer_phone, title, body,
                is_public, address, lat, lon, state, department_id, receipt_due_at, due_at, transferred_from, source,
                created_at, updated_at)
             SELECT $1, $2, $3, filer_id, filer_name, filer_email, filer_phone, title, body, is_public, address, lat, lon,
                'received', $4, $5, $6, id, source, $7, $7 FROM complaints WHERE id = $8
             RETURNING id",
        )
        .bind(category.body_id)
        .bind(category.id)
        .bind(category.kind.as_str())
        .bind(category.department_id)
        .bind(receipt_due)
        .bind(due)
        .bind(at)
        .bind(complaint.id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE complaints SET transferred_to = $1, closed_at = $2 WHERE id = $3")
            .bind(received)
            .bind(at)
            .bind(complaint.id)
            .execute(&mut *tx)
            .await?;
        add_event(&mut tx, actor, complaint.id, Event { detail: Some(reason), ..Event::new("transferred") }).await?;
        add_event(
            &mut tx,
            actor,
            received,
            Event { detail: Some(reason), due_at: Some(due), ..Event::new("transferred_in") },
        )
        .await?;
        if complaint.is_public() {
            crate::search::enqueue(&mut tx, &super::search_key(received)).await?;
        }
        let after = complaint_in(&mut tx, complaint.id).await?;
        tell_filer(&mut tx, &after, "complaint_transferred").await?;
        audit(&mut tx, actor, "complaint.transfer", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sends the interim notice (중간 통지, 시행령 제23조) to every filer whose
    /// complaint has been open more than 30 days without one; returns how many.
    pub async fn send_interim_notices(&self, at: i64) -> Result<usize, StoreError> {
        let cutoff = at - INTERIM_NOTICE_DAYS * 86_400;
        let due = sqlx::query_as::<_, Complaint>(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints
             WHERE state IN ('received', 'assigned', 'in_progress') AND interim_notified_at IS NULL
               AND COALESCE(reexamination_at, created_at) < $1 ORDER BY id LIMIT 500"
        ))
        .bind(cutoff)
        .fetch_all(&self.pool)
        .await?;
        let actor = Actor::cli();
        for complaint in &due {
            let mut tx = self.begin().await?;
            let claimed: Option<(i64,)> = sqlx::query_as(
                "UPDATE complaints SET interim_notified_at = $1 WHERE id = $2 AND interim_notified_at IS NULL RETURNING id",
            )
            .bind(at)
            .bind(complaint.id)
            .fetch_optional(&mut *tx)
            .await?;
            if claimed.is_none() {
                continue;
            }
            add_event(
                &mut tx,
                &actor,
                complaint.id,
                Event { due_at: Some(complaint.due_at), ..Event::new("interim_notice") },
            )
            .await?;
            tell_filer(&mut tx, complaint, "complaint_interim").await?;
            tx.commit().await?;
        }
        Ok(due.len())
    }

    /// Per department at `at`: open and overdue now, and answered (on time or late) in
    /// the year before. Two scans of covering indexes (0015): the open complaints, and
    /// the year's answers — not every complaint the body ever had.
    pub async fn complaint_figures(&self, body_id: i64, at: i64) -> Result<Vec<DepartmentFigures>, StoreError> {
        let open: Vec<(Option<i64>, i64, i64)> = sqlx::query_as(
            "SELECT department_id, COUNT(*), COALESCE(SUM(CASE WHEN due_at < $2 THEN 1 ELSE 0 END), 0)
             FROM complaints WHERE body_id = $1 AND state IN ('received', 'assigned', 'in_progress')
             GROUP BY department_id",
        )
        .bind(body_id)
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        let answered: Vec<(Option<i64>, i64, i64)> = sqlx::query_as(
            "SELECT department_id, COUNT(*), COALESCE(SUM(CASE WHEN answered_at > due_at THEN 1 ELSE 0 END), 0)
             FROM complaints WHERE body_id = $1 AND answered_at >= $2 AND answered_at <= $3
             GROUP BY department_id",
        )
        .bind(body_id)
        .bind(at - FIGURES_ANSWERED_SECONDS)
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        let mut figures: std::collections::BTreeMap<Option<i64>, DepartmentFigures> = Default::default();
        let row =
            |department_id| DepartmentFigures { department_id, open: 0, overdue: 0, answered: 0, answered_late: 0 };
        for (department_id, count, overdue) in open {
            let entry = figures.entry(department_id).or_insert_with(|| row(department_id));
            (entry.open, entry.overdue) = (count, overdue);
        }
        for (department_id, count, late) in answered {
            let entry = figures.entry(department_id).or_insert_with(|| row(department_id));
            (entry.answered, entry.answered_late) = (count, late);
        }
        Ok(figures.into_values().collect())
    }

    /// What waits in an inbox (these departments', or the whole body's): new (not yet
    /// received), due within `soon` seconds, overdue, in progress.
    pub async fn complaint_inbox_counts(
        &self,
        body_id: i64,
        departments: Option<&[i64]>,
        at: i64,
        soon: i64,
    ) -> Result<InboxCounts, StoreError> {
        let scope = match departments {
            None => String::new(),
            Some([]) => " AND 1 = 0".into(),
            Some(ids) => {
                format!(" AND department_id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
            }
        };
        let (new, due_soon, overdue, in_progress): (i64, i64, i64, i64) = sqlx::query_as(&format!(
            "SELECT COALESCE(SUM(CASE WHEN state = 'received' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state IN ('received', 'assigned', 'in_progress') AND due_at >= $2 AND due_at < $3 THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state IN ('received', 'assigned', 'in_progress') AND due_at < $2 THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN state IN ('assigned', 'in_progress') THEN 1 ELSE 0 END), 0)
             FROM complaints WHERE body_id = $1 AND state IN ('received', 'assigned', 'in_progress'){scope}"
        ))
        .bind(body_id)
        .bind(at)
        .bind(at + soon)
        .fetch_one(&self.pool)
        .await?;
        Ok(InboxCounts { new, due_soon, overdue, in_progress })
    }

    /// How many different people filed the complaints of a case (a 다수인관련민원 from
    /// five).
    pub async fn case_filers(&self, case_id: i64) -> Result<i64, StoreError> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT COALESCE(CAST(filer_id AS TEXT), filer_email, CAST(id AS TEXT))) FROM complaints WHERE case_id = $1",
        )
        .bind(case_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }

    /// Moves a complaint's handling back in time: received at `handled_at`, each
    /// later step of its history a day after the one before, answered or closed at
    /// `settled_at`. The demo city's complaints were handled over past months; nothing
    /// else calls this (the deadline stays as filed: it was computed at filing).
    pub async fn backdate_complaint_handling(
        &self,
        actor: &Actor,
        complaint: &Complaint,
        handled_at: i64,
        settled_at: Option<i64>,
    ) -> Result<Complaint, StoreError> {
        let mut tx = self.begin().await?;
        let events: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, kind FROM complaint_events WHERE complaint_id = $1 AND kind <> 'filed' ORDER BY id",
        )
        .bind(complaint.id)
        .fetch_all(&mut *tx)
        .await?;
        let mut step = handled_at;
        for (id, kind) in &events {
            let at = match (kind.as_str(), settled_at) {
                ("answered" | "closed" | "closed_repeated", Some(settled)) => settled,
                ("rated" | "reexamination", Some(settled)) => settled + 86_400,
                _ => step,
            };
            step += 86_400;
            sqlx::query("UPDATE complaint_events SET created_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE complaints SET assigned_at = CASE WHEN assigned_at IS NULL THEN NULL ELSE $1 END,
                answered_at = CASE WHEN answered_at IS NULL THEN NULL ELSE $2 END,
                closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE $2 END,
                updated_at = $3
             WHERE id = $4",
        )
        .bind(handled_at)
        .bind(settled_at.unwrap_or(handled_at))
        .bind(settled_at.unwrap_or(step))
        .bind(complaint.id)
        .execute(&mut *tx)
        .await?;
        let after = complaint_in(&mut tx, complaint.id).await?;
        audit(&mut tx, actor, "complaint.backdate", complaint, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Whether a case counts as 다수인관련민원 (법 제2조 5호).
    pub async fn is_multi_person(&self, case_id: Option<i64>) -> Result<bool, StoreError> {
        match case_id {
            Some(id) => Ok(self.case_filers(id).await? >= MULTI_PERSON_FILERS),
            None => Ok(false),
        }
    }
}

async fn answer_one(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    complaint: &Complaint,
    answer: &ComplaintAnswer,
    unit: &str,
    at: i64,
) -> Result<(), StoreError> {
    let answered: Option<(i64,)> = sqlx::query_as(
        "UPDATE complaints SET state = 'answered', answer_outcome = $1, answer_body = $2, answer_unit = $3,
            answer_officer = $4, answer_contact = $5, refusal_reason = $6, remedies = $7, answered_at = $8, updated_at = $8,
            department_id = COALESCE(department_id, $9)
         WHERE id = $10 AND state = $11 RETURNING id",
    )
    .bind(answer.outcome.as_str())
    .bind(&answer.body)
    .bind(unit)
    .bind(&answer.officer)
    .bind(&answer.contact)
    .bind(answer.refusal_reason.as_deref())
    .bind(answer.remedies.as_deref())
    .bind(at)
    .bind(complaint.department_id)
    .bind(complaint.id)
    .bind(complaint.state.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    answered.ok_or_else(conflict)?;
    add_event(tx, actor, complaint.id, Event::new("answered")).await?;
    if complaint.is_public() {
        crate::search::enqueue(tx, &super::search_key(complaint.id)).await?;
    }
    tell_filer(tx, complaint, "complaint_answered").await?;
    Ok(())
}

pub(crate) async fn audit(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    action: &str,
    before: &Complaint,
    after: &Complaint,
) -> Result<(), StoreError> {
    record(tx, actor, Change::new(Some(before.body_id), action, "complaint", before.id).before(before).after(after))
        .await
}
