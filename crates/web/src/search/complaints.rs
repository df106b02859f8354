//! The near-duplicate checks made when a complaint is filed (REFERENCE "Complaints",
//! 법 제23조 and 시행령 제6조 ⑥):
//!
//! - **the same person again** (반복민원): their earlier complaints in the body
//!   compared directly (a person files few), at the body's repeat threshold;
//! - **other people, the same matter** (다수인·중복민원): an in-memory MinHash index
//!   per body (`korean::dedupe`, exact 3-gram Jaccard verified) at the body's group
//!   threshold. Each check first reads the complaints added since it last looked
//!   (past the last id it holds, and those filed in the last seconds again, as
//!   transactions may commit out of order), so complaints filed through any server
//!   process are found.

use korean::dedupe::NearDuplicates;
use korean::shingle::similarity;
use sotong_core::voice::complaints::{ComplaintRules, ComplaintState};
use sotong_store::voice::complaints::{compared_text, Complaint, ComplaintFilter};
use sotong_store::{now, Store, StoreError};
use std::collections::{HashMap, HashSet};
use tokio::sync::Mutex;

/// Complaints of the last seconds are read again when catching up.
const REREAD_SECONDS: i64 = 5;

struct BodyIndex {
    percent: i64,
    index: NearDuplicates,
    /// Per document number: the complaint's id and filer.
    complaints: Vec<(i64, Option<i64>)>,
    known: HashSet<i64>,
    last_id: i64,
    read_until: i64,
}

#[derive(Default)]
pub struct ComplaintMatcher {
    bodies: Mutex<HashMap<i64, BodyIndex>>,
}

impl BodyIndex {
    fn new(rules: &ComplaintRules) -> BodyIndex {
        BodyIndex {
            percent: rules.group_similarity_percent,
            index: NearDuplicates::new(rules.group_threshold()),
            complaints: Vec::new(),
            known: HashSet::new(),
            last_id: 0,
            read_until: 0,
        }
    }

    /// Adds the complaints filed since it last looked; returns how many it read.
    async fn catch_up(&mut self, store: &Store, body_id: i64) -> Result<usize, StoreError> {
        let started = now();
        let since = (self.read_until - REREAD_SECONDS).max(0);
        let mut unknown: Vec<i64> = store.complaint_ids_since(body_id, self.last_id, since).await?;
        unknown.retain(|id| !self.known.contains(id));
        for chunk in unknown.chunks(500) {
            for text in store.complaint_texts(chunk).await? {
                self.known.insert(text.id);
                self.index.add(text.id.to_string(), None, &text.compared());
                self.complaints.push((text.id, text.filer_id));
                self.last_id = self.last_id.max(text.id);
            }
        }
        self.read_until = started;
        Ok(unknown.len())
    }
}

impl ComplaintMatcher {
    /// The body's index, caught up with every complaint filed (built on first use,
    /// and again when the body's group threshold changed).
    async fn caught_up<'a>(
        bodies: &'a mut HashMap<i64, BodyIndex>,
        store: &Store,
        body_id: i64,
        rules: &ComplaintRules,
    ) -> Result<(&'a mut BodyIndex, usize), StoreError> {
        let stale = bodies.get(&body_id).is_none_or(|b| b.percent != rules.group_similarity_percent);
        if stale {
            bodies.insert(body_id, BodyIndex::new(rules));
        }
        let entry = bodies.get_mut(&body_id).expect("inserted above");
        let read = entry.catch_up(store, body_id).await?;
        Ok((entry, read))
    }

    /// Builds a body's index from its stored complaints before anyone files (the
    /// server does this at start, so the first filing after a restart does not wait
    /// for every stored complaint to be read).
    pub async fn warm(&self, store: &Store, body_id: i64, rules: &ComplaintRules) -> Result<usize, StoreError> {
        let mut bodies = self.bodies.lock().await;
        Ok(Self::caught_up(&mut bodies, store, body_id, rules).await?.1)
    }

    /// Other people's complaints in the body on the same matter as `title`/`body`
    /// (ids, most similar first).
    pub async fn same_matter(
        &self,
        store: &Store,
        body_id: i64,
        filer_id: Option<i64>,
        title: &str,
        body: &str,
        rules: &ComplaintRules,
    ) -> Result<Vec<i64>, StoreError> {
        let mut bodies = self.bodies.lock().await;
        let timer = std::time::Instant::now();
        let (entry, read) = Self::caught_up(&mut bodies, store, body_id, rules).await?;
        let found = entry.index.check(&compared_text(title, body));
        // bench/complaints.sh reads these (the check's own time, past the lock's queue).
        tracing::debug!(
            target: "sotong::complaint_check",
            micros = timer.elapsed().as_micros() as u64,
            read,
            indexed = entry.complaints.len(),
            "near-duplicate check"
        );
        Ok(found
            .into_iter()
            .map(|m| entry.complaints[m.doc])
            .filter(|(_, filer)| filer_id.is_none() || *filer != filer_id)
            .map(|(id, _)| id)
            .collect())
    }
}

/// The filer's earlier complaints in the body on the same matter, most similar first
/// (at most five): what they are shown before submitting, and linked to.
pub async fn earlier_filings(
    store: &Store,
    body_id: i64,
    filer_id: i64,
    title: &str,
    body: &str,
    rules: &ComplaintRules,
) -> Result<Vec<Complaint>, StoreError> {
    let filter = ComplaintFilter { filer_id: Some(filer_id), limit: 500, ..Default::default() };
    let (mine, _) = store.complaints(body_id, &filter).await?;
    let text = compared_text(title, body);
    let mut scored: Vec<(f64, Complaint)> = mine
        .into_iter()
        .filter(|c| !matches!(c.state, ComplaintState::Withdrawn | ComplaintState::Transferred))
        .map(|c| (similarity(&text, &compared_text(&c.title, &c.body)), c))
        .filter(|(s, _)| *s >= rules.repeat_threshold())
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    Ok(scored.into_iter().take(5).map(|(_, c)| c).collect())
}
