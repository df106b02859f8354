//! Complaints (민원): filed by citizens on a body's board (or through Open311), timed
//! by the statutory clock, received, handled and answered by departments. The moves
//! are core's (`ComplaintState`); deadlines are `workdays` counted on the body's
//! calendar (`Store::calendar`). Filing and reading live here; the staff's moves in
//! `handling`, the body's categories and rules in `categories`, repeated complaints
//! and multi-person cases in `repeats`.

pub mod categories;
pub mod handling;
pub mod open311_keys;
pub mod repeats;
pub mod retention;
pub mod templates;

use crate::audit::{record, Actor, Change};
use crate::columns::Columns;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::voice::complaints::{ComplaintKind, ComplaintState, NewComplaint, RECEIPT_PERIOD};
use sotong_core::workdays::{Holidays, Period};
use sqlx::{Any, Transaction};

pub use categories::ComplaintCategory;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq)]
pub struct Complaint {
    pub id: i64,
    pub body_id: i64,
    pub category_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ComplaintKind,
    pub filer_id: Option<i64>,
    // The filer's name and contact are never serialized: the audit log keeps each
    // change's before and after, and must not keep what retention clears.
    #[serde(skip)]
    pub filer_name: Option<String>,
    #[serde(skip)]
    pub filer_email: Option<String>,
    #[serde(skip)]
    pub filer_phone: Option<String>,
    pub title: String,
    pub body: String,
    #[sqlx(try_from = "i64")]
    pub is_public: crate::columns::Flag,
    pub address: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    #[sqlx(try_from = "String")]
    pub state: ComplaintState,
    pub department_id: Option<i64>,
    pub assigned_at: Option<i64>,
    /// By when it must be received (8 working hours after filing).
    pub receipt_due_at: i64,
    /// The statutory deadline of its answer, moved by extensions and re-examination.
    pub due_at: i64,
    pub extensions: i64,
    pub interim_notified_at: Option<i64>,
    pub answer_outcome: Option<String>,
    pub answer_body: Option<String>,
    pub answer_unit: Option<String>,
    pub answer_officer: Option<String>,
    pub answer_contact: Option<String>,
    pub refusal_reason: Option<String>,
    pub remedies: Option<String>,
    pub answered_at: Option<i64>,
    pub satisfaction: Option<i64>,
    pub reexamination_reason: Option<String>,
    pub reexamination_at: Option<i64>,
    pub repeat_of: Option<i64>,
    pub case_id: Option<i64>,
    pub transferred_to: Option<i64>,
    pub transferred_from: Option<i64>,
    pub closed_at: Option<i64>,
    pub source: String,
    pub personal_purged_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const COMPLAINT_COLUMNS: Columns = Columns(
    "id, body_id, category_id, kind, filer_id, filer_name, filer_email, filer_phone, title, body, is_public, \
     address, lat, lon, state, department_id, assigned_at, receipt_due_at, due_at, extensions, interim_notified_at, \
     answer_outcome, answer_body, answer_unit, answer_officer, answer_contact, refusal_reason, remedies, answered_at, \
     satisfaction, reexamination_reason, reexamination_at, repeat_of, case_id, transferred_to, transferred_from, \
     closed_at, source, personal_purged_at, created_at, updated_at",
);

impl Complaint {
    /// Everyone may read it (공개); a private one only its filer and the staff handling it.
    pub fn is_public(&self) -> bool {
        self.is_public.0
    }

    /// Past its deadline and still unanswered.
    pub fn is_overdue(&self, at: i64) -> bool {
        self.state.is_open() && self.due_at < at
    }

    /// Not yet received (배정) though its 8 working hours have passed.
    pub fn is_receipt_late(&self, at: i64) -> bool {
        self.state == ComplaintState::Received && self.receipt_due_at < at
    }

    pub fn outcome(&self) -> Option<sotong_core::voice::complaints::AnswerOutcome> {
        self.answer_outcome.clone().and_then(|o| sotong_core::voice::complaints::AnswerOutcome::try_from(o).ok())
    }

    /// Whether `user_id` filed it.
    pub fn is_filed_by(&self, user_id: Option<i64>) -> bool {
        user_id.is_some() && self.filer_id == user_id
    }
}

/// Who files a complaint: a signed-in citizen (their account's name and e-mail are
/// copied, so the record stands when the account changes), or an Open311 client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filer {
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// What the board's near-duplicate checks found before filing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilingLinks {
    /// The filer's earlier complaint on the same matter (반복민원).
    pub repeat_of: Option<i64>,
    /// Other people's complaints on the same matter: the new one joins their case
    /// (cases they are in are merged into one).
    pub same_matter: Vec<i64>,
}

/// Where a complaint came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Web,
    Open311,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Open311 => "open311",
        }
    }
}

/// What a list of complaints is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ComplaintFilter {
    pub states: Vec<ComplaintState>,
    /// Only these categories (none: every one).
    pub categories: Vec<i64>,
    /// Only these complaints (Open311 `service_request_id`; none: every one).
    pub ids: Vec<i64>,
    /// Only these departments' complaints (an officer's inbox).
    pub departments: Option<Vec<i64>>,
    /// Only complaints not given to any department.
    pub unassigned: bool,
    /// Only public ones (every public surface).
    pub public_only: bool,
    pub filer_id: Option<i64>,
    /// Only open ones whose deadline is before this moment.
    pub due_before: Option<i64>,
    /// Only ones filed in `[from, to)` (exports).
    pub filed_from: Option<i64>,
    pub filed_to: Option<i64>,
    /// Only repeats (on the repeated-complaints board: the later filings).
    pub repeats_only: bool,
    pub sort: ComplaintSort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ComplaintSort {
    #[default]
    Newest,
    /// Soonest deadline first (the staff's inbox).
    DueFirst,
}

/// A deadline on the body's calendar; a year the calendar lacks is an operator's
/// task (`sotong holidays add`), never a guessed deadline.
pub fn deadline(calendar: &Holidays, from: i64, period: Period) -> Result<i64, StoreError> {
    calendar
        .due(from, period)
        .map_err(|e| StoreError::Unreadable(format!("working calendar: {e}; add the year with `sotong holidays add`")))
}

/// What the search index calls a complaint.
pub fn search_key(id: i64) -> String {
    format!("complaint:{id}")
}

pub(crate) async fn complaint_in(tx: &mut Transaction<'_, Any>, id: i64) -> Result<Complaint, StoreError> {
    Ok(sqlx::query_as::<_, Complaint>(&format!("SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?)
}

/// A line in a complaint's history.
pub(crate) struct Event<'a> {
    pub kind: &'a str,
    pub detail: Option<&'a str>,
    pub internal: bool,
    pub department_id: Option<i64>,
    pub due_at: Option<i64>,
}

impl<'a> Event<'a> {
    pub fn new(kind: &'a str) -> Event<'a> {
        Event { kind, detail: None, internal: false, department_id: None, due_at: None }
    }
}

pub(crate) async fn add_event(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    complaint_id: i64,
    event: Event<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO complaint_events (complaint_id, kind, actor_id, detail, internal, department_id, due_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(complaint_id)
    .bind(event.kind)
    .bind(actor.user_id)
    .bind(event.detail)
    .bind(i64::from(event.internal))
    .bind(event.department_id)
    .bind(event.due_at)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A complaint's page link, for notifications.
pub(crate) async fn link_in(tx: &mut Transaction<'_, Any>, complaint: &Complaint) -> Result<String, StoreError> {
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM organisations WHERE id = $1")
        .bind(complaint.body_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(format!("/{slug}/complaints/{}", complaint.id))
}

/// Tells the filer (when they have an account) that their complaint moved.
pub(crate) async fn tell_filer(
    tx: &mut Transaction<'_, Any>,
    complaint: &Complaint,
    kind: &str,
) -> Result<(), StoreError> {
    if let Some(user_id) = complaint.filer_id {
        let link = link_in(tx, complaint).await?;
        crate::voice::proposals::notify_one(tx, user_id, kind, &complaint.title, &link).await?;
    }
    Ok(())
}

/// One entry of a complaint's history as read back.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct ComplaintEvent {
    pub id: i64,
    pub kind: String,
    pub actor_name: Option<String>,
    pub detail: Option<String>,
    #[sqlx(try_from = "i64")]
    pub internal: crate::columns::Flag,
    pub department_id: Option<i64>,
    pub due_at: Option<i64>,
    pub created_at: i64,
}

impl Store {
    /// Files a complaint now: its deadlines from the category's kind on the body's
    /// calendar, its first department the category's, linked to the filer's earlier
    /// filing of the same matter and joined to the case of others' (`links`).
    pub async fn file_complaint(
        &self,
        actor: &Actor,
        category: &ComplaintCategory,
        filer: &Filer,
        new: &NewComplaint,
        links: &FilingLinks,
        source: Source,
    ) -> Result<Complaint, StoreError> {
        let calendar = self.calendar().await?;
        self.file_complaint_at(actor, category, filer, new, links, source, now(), &calendar).await
    }

    /// `file_complaint` at a given moment (the demo's history, the deadline tests).
    #[allow(clippy::too_many_arguments)]
    pub async fn file_complaint_at(
        &self,
        actor: &Actor,
        category: &ComplaintCategory,
        filer: &Filer,
        new: &NewComplaint,
        links: &FilingLinks,
        source: Source,
        at: i64,
        calendar: &Holidays,
    ) -> Result<Complaint, StoreError> {
        let receipt_due = deadline(calendar, at, RECEIPT_PERIOD)?;
        let due = deadline(calendar, at, category.kind.period())?;
        let mut tx = self.begin().await?;
        let complaint = sqlx::query_as::<_, Complaint>(&format!(
            "INSERT INTO complaints (body_id, category_id, kind, filer_id, filer_name, filer_email, filer_phone, title, body,
                is_public, address, lat, lon, state, department_id, receipt_due_at, due_at, source, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
             RETURNING {COMPLAINT_COLUMNS}"
        ))
        .bind(category.body_id)
        .bind(category.id)
        .bind(category.kind.as_str())
        .bind(filer.user_id)
        .bind(filer.name.as_deref())
        .bind(filer.email.as_deref())
        .bind(new.phone.as_deref())
        .bind(&new.title)
        .bind(&new.body)
        .bind(i64::from(new.is_public))
        .bind(new.place.address.as_deref())
        .bind(new.place.lat.map(|v| format!("{v:.6}")))
        .bind(new.place.long.map(|v| format!("{v:.6}")))
        .bind(ComplaintState::Received.as_str())
        .bind(category.department_id)
        .bind(receipt_due)
        .bind(due)
        .bind(source.as_str())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        add_event(&mut tx, actor, complaint.id, Event { due_at: Some(due), ..Event::new("filed") }).await?;
        if let Some(earlier) = links.repeat_of {
            repeats::link_in_tx(&mut tx, actor, &complaint, earlier).await?;
        }
        if !links.same_matter.is_empty() {
            repeats::join_case_in_tx(&mut tx, &complaint, &links.same_matter).await?;
        }
        if complaint.is_public() {
            crate::search::enqueue(&mut tx, &search_key(complaint.id)).await?;
        }
        let complaint = complaint_in(&mut tx, complaint.id).await?;
        record(
            &mut tx,
            actor,
            Change::new(Some(complaint.body_id), "complaint.file", "complaint", complaint.id).after(&complaint),
        )
        .await?;
        tx.commit().await?;
        Ok(complaint)
    }

    pub async fn complaint(&self, body_id: i64, id: i64) -> Result<Option<Complaint>, StoreError> {
        Ok(sqlx::query_as::<_, Complaint>(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE body_id = $1 AND id = $2"
        ))
        .bind(body_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A complaint by id, whatever its body (the search index).
    pub async fn complaint_by_id(&self, id: i64) -> Result<Option<Complaint>, StoreError> {
        Ok(sqlx::query_as::<_, Complaint>(&format!("SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// One page of a body's complaints and how many match in all.
    pub async fn complaints(
        &self,
        body_id: i64,
        filter: &ComplaintFilter,
    ) -> Result<(Vec<Complaint>, i64), StoreError> {
        // Every value bound is an integer or a state name: bound in order after $1.
        let mut conditions = vec!["body_id = $1".to_string()];
        let mut numbers: Vec<i64> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut bind_number = |conditions: &mut Vec<String>, sql: &str, value: i64| {
            numbers.push(value);
            conditions.push(sql.replace('?', &format!("${}", numbers.len() + 1)));
        };
        if let Some(filer) = filter.filer_id {
            bind_number(&mut conditions, "filer_id = ?", filer);
        }
        if let Some(before) = filter.due_before {
            bind_number(&mut conditions, "due_at < ? AND state IN ('received', 'assigned', 'in_progress')", before);
        }
        if let Some(from) = filter.filed_from {
            bind_number(&mut conditions, "created_at >= ?", from);
        }
        if let Some(to) = filter.filed_to {
            bind_number(&mut conditions, "created_at < ?", to);
        }
        // Ids are integers, written into the SQL as such.
        let id_list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        if !filter.categories.is_empty() {
            conditions.push(format!("category_id IN ({})", id_list(&filter.categories)));
        }
        if !filter.ids.is_empty() {
            conditions.push(format!("id IN ({})", id_list(&filter.ids)));
        }
        match &filter.departments {
            // An officer of no department sees nothing.
            Some(ids) if ids.is_empty() => conditions.push("1 = 0".into()),
            Some(ids) => conditions.push(format!("department_id IN ({})", id_list(ids))),
            None => {}
        }
        if filter.unassigned {
            conditions.push("department_id IS NULL".into());
        }
        if filter.public_only {
            conditions.push("is_public = 1".into());
        }
        if filter.repeats_only {
            conditions.push("repeat_of IS NOT NULL".into());
        }
        let offset = numbers.len() + 1;
        if !filter.states.is_empty() {
            let marks: Vec<String> = (0..filter.states.len()).map(|i| format!("${}", offset + i + 1)).collect();
            conditions.push(format!("state IN ({})", marks.join(", ")));
            texts.extend(filter.states.iter().map(|s| s.as_str().to_string()));
        }
        let order = match filter.sort {
            ComplaintSort::Newest => "created_at DESC, id DESC",
            ComplaintSort::DueFirst => "due_at, id",
        };
        let conditions = conditions.join(" AND ");
        let list_sql = format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE {conditions} ORDER BY {order} LIMIT {} OFFSET {}",
            filter.limit.max(1),
            filter.offset.max(0)
        );
        let count_sql = format!("SELECT COUNT(*) FROM complaints WHERE {conditions}");
        let mut list = sqlx::query_as::<_, Complaint>(&list_sql).bind(body_id);
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(body_id);
        for n in &numbers {
            list = list.bind(*n);
            count = count.bind(*n);
        }
        for text in &texts {
            list = list.bind(text.clone());
            count = count.bind(text.clone());
        }
        let (rows, (total,)) = tokio::try_join!(list.fetch_all(&self.pool), count.fetch_one(&self.pool))?;
        Ok((rows, total))
    }

    /// A complaint's history, oldest first; internal notes only when asked (staff).
    pub async fn complaint_events(
        &self,
        complaint_id: i64,
        with_internal: bool,
    ) -> Result<Vec<ComplaintEvent>, StoreError> {
        let internal = if with_internal { "" } else { " AND e.internal = 0" };
        Ok(sqlx::query_as::<_, ComplaintEvent>(&format!(
            "SELECT e.id, e.kind, u.display_name AS actor_name, e.detail, e.internal, e.department_id, e.due_at, e.created_at
             FROM complaint_events e LEFT JOIN users u ON u.id = e.actor_id
             WHERE e.complaint_id = $1{internal} ORDER BY e.id"
        ))
        .bind(complaint_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every public complaint of every body (the search and near-duplicate indexes).
    pub async fn public_complaints(&self) -> Result<Vec<Complaint>, StoreError> {
        Ok(sqlx::query_as::<_, Complaint>(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE is_public = 1 ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The ids of a body's complaints after the id `after` or filed at or after
    /// `since`, for the near-duplicate index of cases to catch up with (private ones
    /// included: they are grouped, never shown). Ids only: the index reads the texts
    /// of those it lacks (`complaint_texts`), so re-reading a busy last few seconds
    /// costs an index scan, not the texts.
    pub async fn complaint_ids_since(&self, body_id: i64, after: i64, since: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            // Two indexed lookups (an OR of both would scan the body's complaints).
            "SELECT id FROM complaints WHERE body_id = $1 AND id > $2 AND transferred_to IS NULL
             UNION
             SELECT id FROM complaints WHERE body_id = $1 AND created_at >= $3 AND transferred_to IS NULL
             ORDER BY id",
        )
        .bind(body_id)
        .bind(after)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The id, filer and compared text (title and body) of these complaints, by id.
    pub async fn complaint_texts(&self, ids: &[i64]) -> Result<Vec<ComplaintText>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        Ok(sqlx::query_as::<_, ComplaintText>(&format!(
            "SELECT id, filer_id, title, body, created_at FROM complaints WHERE id IN ({list}) ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }
}

/// What the near-duplicate checks compare of a complaint.
#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct ComplaintText {
    pub id: i64,
    pub filer_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub created_at: i64,
}

impl ComplaintText {
    /// The text compared: the title, then the body.
    pub fn compared(&self) -> String {
        compared_text(&self.title, &self.body)
    }
}

/// A complaint's compared text from its title and body.
pub fn compared_text(title: &str, body: &str) -> String {
    format!("{title}\n{body}")
}
