//! What the search index holds, asked of each module through its public functions:
//! published commitments (the latest published period of each plan), visible
//! proposals and their answers, and notices on display. Private or hidden content is
//! never returned, so it is never indexed.

use sotong_store::commitments::plans::Plan;
use sotong_store::orgs::Org;
use sotong_store::voice::notices::Notice;
use sotong_store::voice::proposals::Proposal;
use sotong_store::{Store, StoreError};

/// One searchable thing, with where it lives on the site.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    /// `proposal:12`, `answer:12`, `notice:3`, `commitment:5:1-01`.
    pub id: String,
    /// `commitment`, `proposal`, `answer`, `notice`.
    pub kind: &'static str,
    /// The public body's slug.
    pub scope: String,
    pub title: String,
    pub body: String,
    pub date: i64,
}

/// The documents a change-log entry stands for now, and the ids it may have had
/// before (to delete the ones that no longer exist).
pub struct Refreshed {
    pub docs: Vec<SearchDoc>,
    pub stale: Vec<String>,
}

fn slug_of(bodies: &[Org], body_id: i64) -> String {
    bodies.iter().find(|b| b.id == body_id).map(|b| b.slug.clone()).unwrap_or_default()
}

/// A proposal's documents: itself and, once answered, its answer — only while
/// moderators let it be seen.
pub fn proposal_docs(proposal: &Proposal, scope: &str) -> Vec<SearchDoc> {
    if !proposal.is_public() {
        return Vec::new();
    }
    let mut docs = vec![SearchDoc {
        id: format!("proposal:{}", proposal.id),
        kind: "proposal",
        scope: scope.to_string(),
        title: proposal.title.clone(),
        body: proposal.body.clone(),
        date: proposal.created_at,
    }];
    if let (Some(text), Some(at)) = (&proposal.answer_body, proposal.answered_at) {
        let unit = proposal.answer_unit.clone().unwrap_or_default();
        docs.push(SearchDoc {
            id: format!("answer:{}", proposal.id),
            kind: "answer",
            scope: scope.to_string(),
            title: proposal.title.clone(),
            body: format!("{text}\n{unit}"),
            date: at,
        });
    }
    docs
}

pub fn notice_doc(notice: &Notice, scope: &str) -> SearchDoc {
    SearchDoc {
        id: format!("notice:{}", notice.id),
        kind: "notice",
        scope: scope.to_string(),
        title: notice.title.clone(),
        body: notice.body.clone(),
        date: sotong_core::format::kst_unix(&notice.publish_on, 0).unwrap_or(notice.created_at),
    }
}

/// The commitments of a plan's latest published period.
async fn plan_docs(store: &Store, plan: &Plan, scope: &str) -> Result<Vec<SearchDoc>, StoreError> {
    let heads = store.snapshot_heads(plan.id).await?;
    let Some(latest) = heads.last() else { return Ok(Vec::new()) };
    let items = store.published_items(latest.id).await?;
    Ok(items
        .into_iter()
        .map(|item| {
            let report = item.report.as_ref();
            let body = [
                item.summary.as_str(),
                item.term_target.as_str(),
                report.map(|r| r.achievements.as_str()).unwrap_or(""),
                report.map(|r| r.next_steps.as_str()).unwrap_or(""),
            ]
            .iter()
            .filter(|t| !t.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
            SearchDoc {
                id: format!("commitment:{}:{}", plan.id, item.code),
                kind: "commitment",
                scope: scope.to_string(),
                title: item.title,
                body,
                date: latest.published_at,
            }
        })
        .collect())
}

/// Everything public, for a full build.
pub async fn all(store: &Store, today: &str) -> Result<Vec<SearchDoc>, StoreError> {
    let bodies = store.public_bodies().await?;
    let mut docs = Vec::new();
    for body in &bodies {
        for plan in store.plans_of(body.id).await? {
            docs.extend(plan_docs(store, &plan, &body.slug).await?);
        }
    }
    for proposal in store.public_proposals().await? {
        docs.extend(proposal_docs(&proposal, &slug_of(&bodies, proposal.body_id)));
    }
    for notice in store.notices_public_on(today).await? {
        docs.push(notice_doc(&notice, &slug_of(&bodies, notice.body_id)));
    }
    Ok(docs)
}

/// Every notice on display `today` (notices appear and expire by date, not by a change).
pub async fn notices(store: &Store, today: &str) -> Result<Vec<SearchDoc>, StoreError> {
    let bodies = store.public_bodies().await?;
    Ok(store.notices_public_on(today).await?.iter().map(|n| notice_doc(n, &slug_of(&bodies, n.body_id))).collect())
}

/// The documents behind one change-log entry (`proposal:12`, `notice:3`, `plan:5`).
pub async fn refresh(store: &Store, key: &str, today: &str) -> Result<Refreshed, StoreError> {
    let (kind, id) = key.split_once(':').unwrap_or((key, ""));
    let Ok(id) = id.parse::<i64>() else { return Ok(Refreshed { docs: Vec::new(), stale: Vec::new() }) };
    let bodies = store.public_bodies().await?;
    Ok(match kind {
        "proposal" => {
            let docs = match store.proposal_by_id(id).await? {
                Some(p) => proposal_docs(&p, &slug_of(&bodies, p.body_id)),
                None => Vec::new(),
            };
            Refreshed { docs, stale: vec![format!("proposal:{id}"), format!("answer:{id}")] }
        }
        "notice" => {
            let docs = match store.notice_by_id(id).await? {
                Some(n) if n.is_public_on(today) => vec![notice_doc(&n, &slug_of(&bodies, n.body_id))],
                _ => Vec::new(),
            };
            Refreshed { docs, stale: vec![format!("notice:{id}")] }
        }
        "plan" => match store.plan_by_id(id).await? {
            Some(plan) => {
                let docs = plan_docs(store, &plan, &slug_of(&bodies, plan.body_id)).await?;
                // Every code the plan has, published or not: a commitment gone from
                // the latest period leaves the index.
                let stale = store
                    .commitments(plan.id)
                    .await?
                    .iter()
                    .map(|c| format!("commitment:{}:{}", plan.id, c.code))
                    .collect();
                Refreshed { docs, stale }
            }
            None => Refreshed { docs: Vec::new(), stale: Vec::new() },
        },
        _ => Refreshed { docs: Vec::new(), stale: Vec::new() },
    })
}
