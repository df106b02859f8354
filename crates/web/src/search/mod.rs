//! One Korean search over everything public (a shared service): a tantivy index per
//! server process (`korean::search`, bigrams and 초성), built from the database when
//! missing and kept current by following the database's change log
//! (`store::search`): every 500 ms each process reads the entries after its position
//! and indexes what they name again, so a change made through any process is
//! searchable everywhere within about a second. A near-duplicate index of proposals
//! (`korean::dedupe`) finds re-posts for the similar-proposal hint.
//!
//! Why a log that every process follows rather than a queue whose jobs are claimed
//! once: each process holds its own index (derived data, nothing to share), so every
//! process must see every change. Handlers are idempotent (they re-read what is there
//! now), so an entry read twice changes nothing.

pub mod complaints;
pub mod documents;

use documents::SearchDoc;
use korean::dedupe::NearDuplicates;
use korean::search::{Analysis, Document, Filter, Results, SearchError, SearchIndex};
use sotong_store::{now, Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// How often a process reads the change log.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(500);
/// Entries of the last seconds are read again: a transaction holding a lower id may
/// commit after one holding a higher id.
const REREAD_SECONDS: i64 = 5;
/// Log entries are kept this long (a process down longer rebuilds when it starts).
const KEEP_LOG_SECONDS: i64 = 7 * 86_400;
/// A title match shown as similar scores at least this share of the best match.
const SIMILAR_SCORE_SHARE: f32 = 0.35;
/// Re-posts: proposals whose text is at least this similar (the dedupe contract).
const NEAR_DUPLICATE: f64 = 0.8;

pub struct SearchService {
    index: SearchIndex,
    /// Where the index lives on disk (none: in memory, rebuilt at every start).
    dir: Option<PathBuf>,
    /// One writer at a time (tantivy allows one per index).
    writing: Mutex<()>,
    /// Proposals' texts, for re-posts (author = the body's slug).
    near: RwLock<NearDuplicates>,
    /// The last log entry applied; 0 until the first build.
    cursor: AtomicI64,
    /// Log entries applied recently (they are read again for a few seconds).
    recent: Mutex<HashMap<i64, i64>>,
    /// The KST day whose notices are indexed (notices appear and expire by date).
    day: Mutex<String>,
    ready: tokio::sync::watch::Sender<bool>,
}

impl SearchService {
    /// An index in `dir` (opened, or created when missing or built by another
    /// version), or in memory.
    pub fn open(dir: Option<PathBuf>) -> Result<SearchService, SearchError> {
        let (index, cursor) = match &dir {
            None => (SearchIndex::in_memory(Analysis::Bigram)?, 0),
            Some(dir) => match SearchIndex::open(dir) {
                Ok(index) => {
                    let cursor = index.payload()?.and_then(|p| p.parse().ok()).unwrap_or(0);
                    (index, cursor)
                }
                Err(SearchError::NotAnIndex(_) | SearchError::OtherAnalyzer { .. }) if dir.exists() => {
                    (SearchIndex::create(dir, Analysis::Bigram)?, 0)
                }
                Err(_) => (SearchIndex::create(dir, Analysis::Bigram)?, 0),
            },
        };
        Ok(SearchService {
            index,
            dir,
            writing: Mutex::new(()),
            near: RwLock::new(NearDuplicates::new(NEAR_DUPLICATE)),
            cursor: AtomicI64::new(cursor),
            recent: Mutex::new(HashMap::new()),
            day: Mutex::new(String::new()),
            ready: tokio::sync::watch::channel(false).0,
        })
    }

    /// In memory: tests and installations that rebuild at every start.
    pub fn in_memory() -> SearchService {
        SearchService::open(None).expect("an index in memory")
    }

    pub fn dir(&self) -> Option<&PathBuf> {
        self.dir.as_ref()
    }

    /// Waits (up to `limit`) until the first build or catch-up is done.
    pub async fn wait_ready(&self, limit: Duration) {
        let mut ready = self.ready.subscribe();
        let _ = tokio::time::timeout(limit, ready.wait_for(|r| *r)).await;
    }

    pub fn search(
        &self,
        query: &str,
        filter: &Filter<'_>,
        offset: usize,
        limit: usize,
    ) -> Result<Results, SearchError> {
        self.index.find(query, filter, offset, limit)
    }

    /// Up to `limit` proposals of the body like the one being written: re-posts of
    /// its text first (near-duplicates), then the best matches of its title.
    pub fn similar_proposals(
        &self,
        scope: &str,
        title: &str,
        text: &str,
        limit: usize,
    ) -> Result<Vec<String>, SearchError> {
        let mut ids: Vec<String> = Vec::new();
        if !text.trim().is_empty() {
            let near = self.near.read().expect("near-duplicate index");
            for found in near.check(&format!("{title}\n{text}")) {
                let doc = near.document(found.doc);
                if doc.author.as_deref() == Some(scope) && !ids.contains(&doc.id) && self.index.contains(&doc.id)? {
                    ids.push(doc.id.clone());
                }
            }
        }
        let filter = Filter { kind: Some("proposal"), scope: Some(scope), ..Default::default() };
        let hits = self.index.find_like_distinct(title, &filter, limit * 2)?;
        // Words every proposal uses ("해 주세요") match too; a hit far below the best is
        // about something else.
        let best = hits.first().map_or(0.0, |h| h.score);
        for hit in hits.into_iter().filter(|h| h.score >= best * SIMILAR_SCORE_SHARE) {
            if !ids.contains(&hit.id) {
                ids.push(hit.id);
            }
        }
        ids.truncate(limit);
        Ok(ids)
    }

    /// Builds the whole index from the database.
    pub async fn rebuild(self: &Arc<Self>, store: &Store) -> Result<usize, RunError> {
        let head = store.search_head().await?;
        let today = sotong_core::format::kst_date_after(now(), 0);
        let docs = documents::all(store, &today).await?;
        let count = docs.len();
        let service = self.clone();
        tokio::task::spawn_blocking(move || service.replace_all(&docs, head, &today))
            .await
            .map_err(|e| RunError::Index(SearchError::Io(PathBuf::new(), std::io::Error::other(e))))??;
        let _ = self.ready.send(true);
        Ok(count)
    }

    fn replace_all(&self, docs: &[SearchDoc], head: i64, today: &str) -> Result<(), SearchError> {
        let _one = self.writing.lock().expect("search writer");
        let mut writer = self.index.writer()?;
        writer.delete_all()?;
        for doc in docs {
            writer.add_document(&as_document(doc))?;
        }
        writer.commit_with_payload(Some(head.to_string()))?;
        *self.near.write().expect("near-duplicate index") = near_index(docs);
        self.cursor.store(head, Ordering::SeqCst);
        *self.day.lock().expect("search day") = today.to_string();
        Ok(())
    }

    /// The proposals' texts into the near-duplicate index, from the database.
    async fn load_near_duplicates(&self, store: &Store) -> Result<(), RunError> {
        let bodies = store.public_bodies().await?;
        let mut docs = Vec::new();
        for proposal in store.public_proposals().await? {
            let Some(body) = bodies.iter().find(|b| b.id == proposal.body_id) else { continue };
            docs.extend(documents::proposal_docs(&proposal, &body.slug));
        }
        *self.near.write().expect("near-duplicate index") = near_index(&docs);
        Ok(())
    }

    /// Applies the log entries not applied yet; returns how many documents changed.
    pub async fn follow_once(self: &Arc<Self>, store: &Store) -> Result<usize, RunError> {
        let at = now();
        let cursor = self.cursor.load(Ordering::SeqCst);
        if !*self.ready.borrow() {
            // The first round: a new index is built; one kept on disk catches up,
            // unless the log entries after its position were purged meanwhile, or the
            // log is behind it (the database was restored from an older backup).
            let missed = store.search_oldest().await?.is_some_and(|oldest| oldest > cursor + 1);
            if cursor == 0 || missed || cursor > store.search_head().await? {
                return self.rebuild(store).await;
            }
            // The near-duplicate index lives in memory only: build it again.
            self.load_near_duplicates(store).await?;
        }
        let entries = store.search_changes(cursor, at - REREAD_SECONDS, 1000).await?;
        let new: Vec<(i64, String)> = {
            let mut recent = self.recent.lock().expect("recent entries");
            recent.retain(|_, seen| *seen >= at - 2 * REREAD_SECONDS);
            entries.into_iter().filter(|(id, _)| recent.insert(*id, at).is_none()).collect()
        };
        let today = sotong_core::format::kst_date_after(at, 0);
        let new_day = *self.day.lock().expect("search day") != today;
        if new.iter().any(|(_, doc)| doc == sotong_store::search::REINDEX) {
            return self.rebuild(store).await;
        }
        if new.is_empty() && !new_day {
            let _ = self.ready.send(true);
            return Ok(0);
        }
        let keys: HashSet<&str> = new.iter().map(|(_, doc)| doc.as_str()).collect();
        let mut refreshed = Vec::with_capacity(keys.len());
        for key in keys {
            refreshed.push(documents::refresh(store, key, &today).await?);
        }
        let notices = if new_day { Some(documents::notices(store, &today).await?) } else { None };
        let head = new.iter().map(|(id, _)| *id).max().unwrap_or(cursor).max(cursor);
        let service = self.clone();
        let changed = tokio::task::spawn_blocking(move || service.apply(&refreshed, notices.as_deref(), head, &today))
            .await
            .map_err(|e| RunError::Index(SearchError::Io(PathBuf::new(), std::io::Error::other(e))))??;
        let _ = self.ready.send(true);
        Ok(changed)
    }

    fn apply(
        &self,
        refreshed: &[documents::Refreshed],
        notices: Option<&[SearchDoc]>,
        head: i64,
        today: &str,
    ) -> Result<usize, SearchError> {
        let _one = self.writing.lock().expect("search writer");
        let mut writer = self.index.small_writer()?;
        let mut changed = 0;
        for r in refreshed {
            for id in &r.stale {
                writer.delete(id);
            }
            for doc in &r.docs {
                writer.put(&as_document(doc))?;
                changed += 1;
            }
        }
        if let Some(notices) = notices {
            writer.delete_kind("notice");
            for doc in notices {
                writer.put(&as_document(doc))?;
                changed += 1;
            }
        }
        writer.commit_with_payload(Some(head.to_string()))?;
        let mut near = self.near.write().expect("near-duplicate index");
        for doc in refreshed.iter().flat_map(|r| &r.docs).filter(|d| d.kind == "proposal") {
            near.add(doc.id.clone(), Some(doc.scope.clone()), &near_text(doc));
        }
        self.cursor.store(head, Ordering::SeqCst);
        *self.day.lock().expect("search day") = today.to_string();
        Ok(changed)
    }
}

/// What the near-duplicate index compares of a proposal: its title and text.
fn near_text(doc: &SearchDoc) -> String {
    format!("{}\n{}", doc.title, doc.body)
}

/// The near-duplicate index of the proposals among `docs` (answers are left out).
fn near_index(docs: &[SearchDoc]) -> NearDuplicates {
    let proposals =
        docs.iter().filter(|d| d.kind == "proposal").map(|d| (d.id.clone(), Some(d.scope.clone()), near_text(d)));
    NearDuplicates::build(NEAR_DUPLICATE, proposals.collect())
}

fn as_document(doc: &SearchDoc) -> Document<'_> {
    Document { id: &doc.id, kind: doc.kind, scope: &doc.scope, title: &doc.title, body: &doc.body, date: doc.date }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("search index: {0}")]
    Index(#[from] SearchError),
    #[error("database: {0}")]
    Store(#[from] StoreError),
}

/// Follows the change log for as long as the server runs (the first round builds
/// the index when it is new), and drops old log entries now and then.
pub fn spawn_follower(service: Arc<SearchService>, store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(FOLLOW_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut rounds: u64 = 0;
        loop {
            ticks.tick().await;
            match service.follow_once(&store).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(documents = n, "search index updated"),
                Err(error) => tracing::warn!(%error, "search index update failed; trying again"),
            }
            rounds += 1;
            if rounds % 7200 == 0 {
                if let Err(error) = store.purge_search_queue(KEEP_LOG_SECONDS).await {
                    tracing::warn!(%error, "purging the search log failed");
                }
            }
        }
    })
}
