//! Closing a period into a published snapshot, chained to the plan's previous one, and
//! verifying the chains. `Store::close_period` is five steps in one transaction:
//! lock, load, build (pure, in core), write, notify.

use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{Commitment, Plan, COMMITMENT_COLUMNS};
use crate::commitments::reports::{
    invalid, lock_period, ProgressReport, ReportingPeriod, PERIOD_COLUMNS, REPORT_COLUMNS,
};
use crate::{now, Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sotong_core::commitments::published::{
    Budget, Details, PublishedAttachment, PublishedChange, PublishedIndicator, PublishedItem, PublishedMilestone,
    PublishedReport,
};
use sotong_core::commitments::states::{ChangeDecision, PeriodState, ReportState};
use sotong_core::commitments::{CommitmentState, Metrics};
use sotong_core::snapshot::{build_snapshot, chain_hash, BuiltSnapshot};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Snapshot {
    pub id: i64,
    pub plan_id: i64,
    pub period_id: i64,
    pub sequence: i64,
    pub summary_json: String,
    pub hash: String,
    pub previous_hash: Option<String>,
    pub published_at: i64,
    pub published_by: Option<i64>,
}

/// A snapshot without its (large) summary: what lists and charts need.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SnapshotHead {
    pub id: i64,
    pub period_id: i64,
    pub sequence: i64,
    pub hash: String,
    pub published_at: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SnapshotItem {
    pub snapshot_id: i64,
    pub commitment_id: i64,
    pub code: String,
    pub content_json: String,
    pub item_hash: String,
}

/// A place where published data no longer matches its hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tampering {
    pub plan_id: i64,
    pub plan_slug: String,
    pub period: String,
    /// The commitment whose published row changed, when one can be named.
    pub commitment_code: Option<String>,
    pub what: &'static str,
}

impl std::fmt::Display for Tampering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "plan {} (id {}), period {}", self.plan_slug, self.plan_id, self.period)?;
        if let Some(code) = &self.commitment_code {
            write!(f, ", commitment {code}")?;
        }
        write!(f, ": {}", self.what)
    }
}

const SNAPSHOT_COLUMNS: crate::columns::Columns = crate::columns::Columns(
    "id, plan_id, period_id, sequence, summary_json, hash, previous_hash, published_at, published_by",
);

/// The published part of a report: what citizens read and the hash covers.
fn published_report(report: &ProgressReport) -> PublishedReport {
    PublishedReport {
        status: report.status.clone(),
        progress: report.progress,
        achievements: report.achievements.clone(),
        problems: report.problems.clone(),
        next_steps: report.next_steps.clone(),
        budget_executed: report.budget_executed,
        links: report.links.clone(),
    }
}

/// What a period's publication is made of, loaded in step 2.
struct Publication {
    /// Every commitment of the plan, in byte order of codes, with its approved report
    /// and its published form.
    entries: Vec<(Commitment, Option<ProgressReport>, PublishedItem)>,
    /// The plan's latest snapshot before this one: (sequence, hash).
    previous: Option<(i64, String)>,
}

/// Step 2: the plan's commitments, approved reports, indicators with this period's
/// actuals, details, milestones and decided changes — a fixed number of queries, not
/// one per commitment.
async fn load_publication(
    tx: &mut Transaction<'static, Any>,
    plan: &Plan,
    period: &ReportingPeriod,
) -> Result<Publication, StoreError> {
    let mut commitments =
        sqlx::query_as::<_, Commitment>(&format!("SELECT {COMMITMENT_COLUMNS} FROM commitments WHERE plan_id = $1"))
            .bind(plan.id)
            .fetch_all(&mut **tx)
            .await?;
    // Byte order of codes, not a database collation: the same on every engine.
    commitments.sort_by(|a, b| a.code.cmp(&b.code));
    let approved = sqlx::query_as::<_, ProgressReport>(&format!(
        "SELECT {REPORT_COLUMNS} FROM progress_reports WHERE period_id = $1 AND state = $2"
    ))
    .bind(period.id)
    .bind(ReportState::Approved.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let previous: Option<(i64, String)> =
        sqlx::query_as("SELECT sequence, hash FROM snapshots WHERE plan_id = $1 ORDER BY sequence DESC LIMIT 1")
            .bind(plan.id)
            .fetch_optional(&mut **tx)
            .await?;
    let indicators: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT i.commitment_id, i.name, i.unit, i.target_value, a.value
         FROM indicators i JOIN commitments c ON c.id = i.commitment_id
         LEFT JOIN indicator_actuals a ON a.indicator_id = i.id AND a.period_id = $2
         WHERE c.plan_id = $1 ORDER BY i.commitment_id, i.sort_order, i.id",
    )
    .bind(plan.id)
    .bind(period.id)
    .fetch_all(&mut **tx)
    .await?;
    let collaborators: Vec<(i64, i64)> =
        of_plan(tx, plan, "commitment_collaborators", "department_id", "department_id").await?;
    let targets: Vec<(i64, i64, String)> =
        of_plan(tx, plan, "commitment_yearly_targets", "year, target", "year").await?;
    let links: Vec<(i64, String, String)> = of_plan(tx, plan, "commitment_links", "title, url", "id").await?;
    // Milestones and decided changes are public only as published (they were once
    // shown the moment they were entered, outside any snapshot).
    let milestones: Vec<(i64, String, String, Option<String>)> =
        of_plan(tx, plan, "milestones", "title, due_date, done_date", "due_date, id").await?;
    let decided: Vec<(i64, String, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT r.commitment_id, r.kind, r.reason, r.decision, r.decision_note, r.decided_at
         FROM change_requests r JOIN commitments c ON c.id = r.commitment_id
         WHERE c.plan_id = $1 AND r.decision <> $2 ORDER BY r.commitment_id, r.id",
    )
    .bind(plan.id)
    .bind(ChangeDecision::Pending.as_str())
    .fetch_all(&mut **tx)
    .await?;

    // The commitment's own documents, and this period's files of approved reports.
    let files: Vec<(i64, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT a.commitment_id, a.sha256, a.file_name, a.kind, a.size, p.code
         FROM attachments a JOIN commitments c ON c.id = a.commitment_id
         LEFT JOIN reporting_periods p ON p.id = a.period_id
         WHERE c.plan_id = $1 AND a.removed_at IS NULL
           AND (a.period_id IS NULL OR (a.period_id = $2 AND EXISTS (
               SELECT 1 FROM progress_reports r
               WHERE r.commitment_id = a.commitment_id AND r.period_id = $2 AND r.state = $3)))
         ORDER BY a.commitment_id, a.id",
    )
    .bind(plan.id)
    .bind(period.id)
    .bind(ReportState::Approved.as_str())
    .fetch_all(&mut **tx)
    .await?;

    let mut attachments_of: HashMap<i64, Vec<PublishedAttachment>> = HashMap::new();
    for (id, sha256, name, kind, size, period) in files {
        attachments_of.entry(id).or_default().push(PublishedAttachment { sha256, name, kind, size, period });
    }
    let mut indicators_of: HashMap<i64, Vec<PublishedIndicator>> = HashMap::new();
    for (id, name, unit, target, actual) in indicators {
        indicators_of.entry(id).or_default().push(PublishedIndicator { name, unit, target, actual });
    }
    let mut details_of: HashMap<i64, Details> = HashMap::new();
    for (id, department) in collaborators {
        details_of.entry(id).or_default().collaborators.push(department);
    }
    for (id, year, target) in targets {
        details_of.entry(id).or_default().yearly_targets.push((year, target));
    }
    for (id, title, url) in links {
        details_of.entry(id).or_default().links.push((title, url));
    }
    for (id, title, due_date, done_date) in milestones {
        details_of.entry(id).or_default().milestones.push(PublishedMilestone { title, due_date, done_date });
    }
    for (id, kind, reason, decision, note, decided_at) in decided {
        details_of.entry(id).or_default().changes.push(PublishedChange { kind, reason, decision, note, decided_at });
    }
    let entries = commitments
        .into_iter()
        .map(|c| {
            let report = approved.iter().find(|r| r.commitment_id == c.id).cloned();
            let item = PublishedItem {
                code: c.code.clone(),
                title: c.title.clone(),
                summary: c.summary.clone(),
                sector_id: c.sector_id,
                lead_department_id: c.lead_department_id,
                term_target: c.term_target.clone(),
                start_date: c.start_date.clone(),
                end_date: c.end_date.clone(),
                budget: Budget {
                    national: c.budget_national,
                    provincial: c.budget_provincial,
                    city: c.budget_city,
                    other: c.budget_other,
                },
                status: report.as_ref().map(|r| r.status.clone()).unwrap_or_else(|| c.status.clone()),
                progress: report.as_ref().map(|r| r.progress).unwrap_or(c.progress),
                report: report.as_ref().map(published_report),
                indicators: indicators_of.remove(&c.id).unwrap_or_default(),
                details: details_of.remove(&c.id).unwrap_or_default(),
                attachments: attachments_of.remove(&c.id).unwrap_or_default(),
            };
            (c, report, item)
        })
        .collect();
    Ok(Publication { entries, previous })
}

/// `(commitment_id, columns…)` of a table that belongs to commitments, for every
/// commitment of the plan, in commitment order then `order`: one query for the
/// whole plan, not one per commitment.
async fn of_plan<T>(
    tx: &mut Transaction<'static, Any>,
    plan: &Plan,
    table: &'static str,
    columns: &'static str,
    order: &'static str,
) -> Result<Vec<T>, StoreError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let prefixed = crate::columns::Columns(columns).of("x");
    let order = crate::columns::Columns(order).of("x");
    let sql = format!(
        "SELECT x.commitment_id, {prefixed} FROM {table} x JOIN commitments c ON c.id = x.commitment_id
         WHERE c.plan_id = $1 ORDER BY x.commitment_id, {order}"
    );
    Ok(sqlx::query_as(&sql).bind(plan.id).fetch_all(&mut **tx).await?)
}

/// A stored item, typed; unreadable is an error naming the commitment.
pub(crate) fn parse_item(code: &str, content_json: &str) -> Result<PublishedItem, StoreError> {
    PublishedItem::parse(content_json).map_err(|e| StoreError::Unreadable(format!("published item {code}: {e}")))
}

/// Step 3 (pure): the period's metrics and the chained snapshot.
fn build_publication(
    plan: &Plan,
    period: &ReportingPeriod,
    publication: &Publication,
) -> Result<BuiltSnapshot, StoreError> {
    let metrics = Metrics::compute(
        &plan.taxonomy(),
        publication.entries.iter().map(|(_, report, item)| CommitmentState {
            status: &item.status,
            progress: item.progress.clamp(0, 100) as u8,
            budget_secured: item.budget.total(),
            budget_executed: report.as_ref().map(|r| r.budget_executed).unwrap_or(0),
        }),
    );
    let header = json!({
        "plan": {"id": plan.id, "slug": plan.slug, "title_ko": plan.title_ko},
        "period": period.code,
        "metrics": metrics,
    });
    let header = header.as_object().cloned().unwrap_or_default();
    let items = publication.entries.iter().map(|(c, _, item)| (c.code.clone(), item));
    build_snapshot(publication.previous.as_ref().map(|(_, hash)| hash.as_str()), header, items)
        .map_err(|e| StoreError::Database(sqlx::Error::Protocol(format!("building the snapshot: {e}"))))
}

/// Step 4: the snapshot, its items, and the approved statuses as the commitments'
/// current ones.
async fn write_publication(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    plan: &Plan,
    period: &ReportingPeriod,
    publication: &Publication,
    built: &BuiltSnapshot,
) -> Result<Snapshot, StoreError> {
    let snapshot = sqlx::query_as::<_, Snapshot>(&format!(
        "INSERT INTO snapshots (plan_id, period_id, sequence, summary_json, hash, previous_hash, published_at, published_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {SNAPSHOT_COLUMNS}"
    ))
    .bind(plan.id)
    .bind(period.id)
    .bind(publication.previous.as_ref().map(|(sequence, _)| sequence + 1).unwrap_or(1))
    .bind(&built.summary)
    .bind(&built.hash)
    .bind(publication.previous.as_ref().map(|(_, hash)| hash.clone()))
    .bind(now())
    .bind(actor.user_id)
    .fetch_one(&mut **tx)
    .await?;
    // Entries and built items are both in byte order of codes; a few hundred rows per
    // statement rather than one statement per commitment.
    let rows: Vec<_> = publication.entries.iter().zip(&built.items).collect();
    for chunk in rows.chunks(crate::batch::ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO snapshot_items (snapshot_id, commitment_id, code, content_json, item_hash) VALUES {}",
            crate::batch::values(chunk.len(), 5)
        );
        let mut insert = sqlx::query(&sql);
        for ((c, _, _), item) in chunk {
            insert = insert.bind(snapshot.id).bind(c.id).bind(&c.code).bind(&item.canonical).bind(&item.hash);
        }
        insert.execute(&mut **tx).await?;
    }
    // The files published now may be downloaded by anyone (once per body and file).
    let mut published_files: Vec<&str> = publication
        .entries
        .iter()
        .flat_map(|(_, _, item)| item.attachments.iter().map(|a| a.sha256.as_str()))
        .collect();
    published_files.sort_unstable();
    published_files.dedup();
    for sha256 in published_files {
        sqlx::query("INSERT INTO published_files (body_id, sha256) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(plan.body_id)
            .bind(sha256)
            .execute(&mut **tx)
            .await?;
    }
    // The approved statuses become the commitments' current ones, in one statement.
    sqlx::query(
        "UPDATE commitments SET status = r.status, progress = r.progress, updated_at = $1
         FROM progress_reports r WHERE r.commitment_id = commitments.id AND r.period_id = $2 AND r.state = $3",
    )
    .bind(now())
    .bind(period.id)
    .bind(ReportState::Approved.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(snapshot)
}

/// Step 5: notifications for the plan's followers, and for followers of commitments
/// whose published status or progress changed since the previous snapshot.
async fn notify_changed(
    tx: &mut Transaction<'static, Any>,
    plan: &Plan,
    period: &ReportingPeriod,
    publication: &Publication,
) -> Result<(), StoreError> {
    let previous_items: Vec<(i64, String)> =
        match &publication.previous {
            Some((sequence, _)) => sqlx::query_as(
                "SELECT i.commitment_id, i.content_json FROM snapshot_items i JOIN snapshots s ON s.id = i.snapshot_id
                 WHERE s.plan_id = $1 AND s.sequence = $2",
            )
            .bind(plan.id)
            .bind(sequence)
            .fetch_all(&mut **tx)
            .await?,
            None => Vec::new(),
        };
    let before: HashMap<i64, (String, i64)> = previous_items
        .iter()
        .filter_map(|(id, json)| PublishedItem::parse(json).ok().map(|item| (*id, (item.status, item.progress))))
        .collect();
    let changed: Vec<i64> = publication
        .entries
        .iter()
        .filter(|(c, _, item)| before.get(&c.id) != Some(&(item.status.clone(), item.progress)))
        .map(|(c, _, _)| c.id)
        .collect();
    crate::commitments::follows::notify_published(tx, plan, &period.code, &changed).await
}

fn item_hash(canonical: &str) -> String {
    chain_hash(None, canonical)
}

/// A published period of one of a body's plans, for its news page and feeds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublishedPeriod {
    pub plan_slug: String,
    pub plan_title_ko: String,
    pub plan_title_en: String,
    pub period_code: String,
    pub sequence: i64,
    pub hash: String,
    pub published_at: i64,
}

impl Store {
    /// The body's newest publications, newest first.
    pub async fn recent_publications(&self, body_id: i64, limit: i64) -> Result<Vec<PublishedPeriod>, StoreError> {
        let rows = sqlx::query_as::<_, PublishedPeriod>(
            "SELECT p.slug AS plan_slug, p.title_ko AS plan_title_ko, p.title_en AS plan_title_en,
                    r.code AS period_code, s.sequence, s.hash, s.published_at
             FROM snapshots s JOIN plans p ON p.id = s.plan_id JOIN reporting_periods r ON r.id = s.period_id
             WHERE p.body_id = $1 ORDER BY s.published_at DESC, s.id DESC LIMIT $2",
        )
        .bind(body_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Closes and publishes a period: freezes every commitment with its approved report
    /// (if any) into a snapshot chained to the plan's previous one, and makes the
    /// approved statuses the commitments' current ones. Five steps in one transaction:
    /// lock, load, build (pure, in core), write, notify.
    pub async fn close_period(
        &self,
        actor: &Actor,
        plan: &Plan,
        period: &ReportingPeriod,
    ) -> Result<Snapshot, StoreError> {
        let mut tx = self.begin().await?;
        let current = self.lock_and_close(&mut tx, actor, plan, period).await?;
        let publication = load_publication(&mut tx, plan, &current).await?;
        let built = build_publication(plan, &current, &publication)?;
        let snapshot = write_publication(&mut tx, actor, plan, &current, &publication, &built).await?;
        notify_changed(&mut tx, plan, &current, &publication).await?;
        crate::search::enqueue(&mut tx, &search_key(plan.id)).await?;
        let event = sotong_core::webhooks::WebhookEvent::PeriodPublished;
        crate::webhooks::announce(&mut tx, plan.body_id, event, snapshot.id, crate::now()).await?;
        let change = Change::new(Some(plan.body_id), "period.close", "reporting_period", current.id)
            .before(period)
            .after(&json!({"period": current, "snapshot_hash": snapshot.hash, "sequence": snapshot.sequence}));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(snapshot)
    }

    /// Records when a publication happened, for a city bringing in the quarters it
    /// published before sotong (and the demo). The time is not part of the hash chain;
    /// the change is audited.
    pub async fn set_publication_time(
        &self,
        actor: &Actor,
        plan: &Plan,
        snapshot: &Snapshot,
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE snapshots SET published_at = $1 WHERE id = $2 AND plan_id = $3")
            .bind(at)
            .bind(snapshot.id)
            .bind(plan.id)
            .execute(&mut *tx)
            .await?;
        crate::search::enqueue(&mut tx, &search_key(plan.id)).await?;
        let change = Change::new(Some(plan.body_id), "snapshot.published_at", "snapshot", snapshot.id)
            .before(&json!({"published_at": snapshot.published_at}))
            .after(&json!({"published_at": at}));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Step 1: takes the period (locked, and re-read: two coordinators closing at once
    /// publish once) and marks it closed.
    async fn lock_and_close(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        plan: &Plan,
        period: &ReportingPeriod,
    ) -> Result<ReportingPeriod, StoreError> {
        lock_period(self.backend, tx, period).await?;
        sqlx::query_as::<_, ReportingPeriod>(&format!(
            "UPDATE reporting_periods SET state = $5, closed_at = $1, closed_by = $2
             WHERE id = $3 AND plan_id = $4 AND state = $6 RETURNING {PERIOD_COLUMNS}"
        ))
        .bind(now())
        .bind(actor.user_id)
        .bind(period.id)
        .bind(plan.id)
        .bind(PeriodState::Closed.as_str())
        .bind(PeriodState::Open.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(invalid("period", "period_closed"))
    }

    /// A snapshot by id with its period's code (`2026-Q3`): what a webhook announces.
    pub async fn snapshot_with_period(&self, id: i64) -> Result<Option<(Snapshot, String)>, StoreError> {
        let Some(snapshot) =
            sqlx::query_as::<_, Snapshot>(&format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let (code,): (String,) = sqlx::query_as("SELECT code FROM reporting_periods WHERE id = $1")
            .bind(snapshot.period_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some((snapshot, code)))
    }

    pub async fn snapshots(&self, plan_id: i64) -> Result<Vec<Snapshot>, StoreError> {
        let rows = sqlx::query_as::<_, Snapshot>(&format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE plan_id = $1 ORDER BY sequence"
        ))
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The plan's snapshots, oldest first, without their summaries.
    pub async fn snapshot_heads(&self, plan_id: i64) -> Result<Vec<SnapshotHead>, StoreError> {
        let rows = sqlx::query_as::<_, SnapshotHead>(
            "SELECT id, period_id, sequence, hash, published_at FROM snapshots WHERE plan_id = $1 ORDER BY sequence",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// The items of a snapshot in byte order of their codes (as published).
    pub async fn snapshot_items(&self, snapshot_id: i64) -> Result<Vec<SnapshotItem>, StoreError> {
        let mut rows = sqlx::query_as::<_, SnapshotItem>(
            "SELECT snapshot_id, commitment_id, code, content_json, item_hash FROM snapshot_items WHERE snapshot_id = $1",
        )
        .bind(snapshot_id)
        .fetch_all(&self.pool)
        .await?;
        rows.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(rows)
    }

    /// The items of a snapshot as published, typed, in byte order of their codes. An
    /// item that cannot be read is an error, not left out.
    pub async fn published_items(&self, snapshot_id: i64) -> Result<Vec<PublishedItem>, StoreError> {
        self.snapshot_items(snapshot_id).await?.iter().map(|item| parse_item(&item.code, &item.content_json)).collect()
    }

    /// Recomputes every plan's chain from the stored rows. Returns the first place in
    /// each plan where published data no longer matches (empty: all intact).
    pub async fn verify_snapshots(&self) -> Result<Vec<Tampering>, StoreError> {
        let plans: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, slug FROM plans ORDER BY id").fetch_all(&self.pool).await?;
        let mut problems = Vec::new();
        for (plan_id, slug) in plans {
            if let Some(problem) = self.verify_plan(plan_id, &slug).await? {
                problems.push(problem);
            }
        }
        Ok(problems)
    }

    async fn verify_plan(&self, plan_id: i64, slug: &str) -> Result<Option<Tampering>, StoreError> {
        let mut previous: Option<String> = None;
        for snapshot in self.snapshots(plan_id).await? {
            let period: (String,) = sqlx::query_as("SELECT code FROM reporting_periods WHERE id = $1")
                .bind(snapshot.period_id)
                .fetch_one(&self.pool)
                .await?;
            let found = |code: Option<String>, what| Tampering {
                plan_id,
                plan_slug: slug.to_string(),
                period: period.0.clone(),
                commitment_code: code,
                what,
            };
            let items = self.snapshot_items(snapshot.id).await?;
            let reports = self.reports(snapshot.period_id).await?;
            for item in &items {
                if item_hash(&item.content_json) != item.item_hash {
                    return Ok(Some(found(Some(item.code.clone()), "published content differs from its hash")));
                }
                // The approved report behind a published item must still read the same.
                let Ok(published) = PublishedItem::parse(&item.content_json) else {
                    return Ok(Some(found(Some(item.code.clone()), "published content cannot be read")));
                };
                let live =
                    reports.iter().find(|r| r.commitment_id == item.commitment_id && r.state == ReportState::Approved);
                if published.report != live.map(published_report) {
                    return Ok(Some(found(
                        Some(item.code.clone()),
                        "the approved report was changed after publication",
                    )));
                }
                for attachment in &published.attachments {
                    let content = self.file_content(&attachment.sha256).await?;
                    if content.as_deref().map(crate::files::sha256_hex).as_deref() != Some(attachment.sha256.as_str()) {
                        return Ok(Some(found(
                            Some(item.code.clone()),
                            "a published file is missing or its bytes differ from its SHA-256",
                        )));
                    }
                }
            }
            let summary: serde_json::Value = serde_json::from_str(&snapshot.summary_json).unwrap_or_default();
            let listed: Vec<serde_json::Value> = items.iter().map(|i| json!([i.code, i.item_hash])).collect();
            if summary["items"] != serde_json::Value::Array(listed) {
                return Ok(Some(found(None, "the list of published items differs from the snapshot")));
            }
            if snapshot.previous_hash != previous
                || chain_hash(previous.as_deref(), &snapshot.summary_json) != snapshot.hash
            {
                return Ok(Some(found(None, "the snapshot hash or its link to the previous snapshot does not match")));
            }
            previous = Some(snapshot.hash);
        }
        // Deleting the newest snapshot leaves an intact shorter chain; the period it
        // published still says it was closed.
        let unpublished: Option<(String,)> = sqlx::query_as(
            "SELECT p.code FROM reporting_periods p
             WHERE p.plan_id = $1 AND p.state = $2
               AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.period_id = p.id)
             ORDER BY p.code LIMIT 1",
        )
        .bind(plan_id)
        .bind(PeriodState::Closed.as_str())
        .fetch_optional(&self.pool)
        .await?;
        if let Some((period,)) = unpublished {
            let what = "a closed period's snapshot is missing";
            return Ok(Some(Tampering { plan_id, plan_slug: slug.to_string(), period, commitment_code: None, what }));
        }
        Ok(None)
    }
}

/// What the search index calls a plan's published commitments.
pub fn search_key(plan_id: i64) -> String {
    format!("plan:{plan_id}")
}
