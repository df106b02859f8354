//! Rendered published pages and API reads, kept per process and revalidated with
//! `ETag` / `304 Not Modified`.
//!
//! What the public sees of published data is the same for every anonymous visitor:
//! a function of the path and query, the language and the database's contents. A
//! handler opts in by marking its response [`Published`]; this middleware keeps such
//! a response of an anonymous `GET` and answers the next identical request without
//! running the handler (no query at all). Signed-in people always get a fresh page
//! (theirs carries their name, follows and CSRF token).
//!
//! Invalidation: every change is audited in the transaction that makes it, so the
//! newest audit entry's id ([`sotong_store::Store::data_version`]) moves whenever a
//! page may have changed. A process re-reads that number at most once per
//! `WebConfig::page_cache_revalidate` (one second), and at once after it served any `POST` itself; other servers on the
//! same PostgreSQL database, and the CLI, are therefore seen within one second.

use crate::context::Ctx;
use crate::security::sha256_hex_bytes;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sotong_core::format::Lang;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Bounds on what is kept; reaching either empties the cache (arbitrary query
/// strings cannot grow memory, only cost re-rendering).
const MAX_ENTRIES: usize = 4096;
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The largest response kept.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// A response extension: this response shows published data only, the same for every
/// anonymous visitor of this URL and language.
#[derive(Clone, Copy)]
pub struct PublishedMark;

/// Wraps a response (page or JSON) as [`PublishedMark`]ed.
pub struct Published<T>(pub T);

impl<T: IntoResponse> IntoResponse for Published<T> {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        response.extensions_mut().insert(PublishedMark);
        response
    }
}

/// A JSON read of published data.
pub type PublishedJson<T> = Published<axum::Json<T>>;

pub fn published_json<T>(value: T) -> PublishedJson<T> {
    Published(axum::Json(value))
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    lang: Lang,
    /// Feeds write absolute links from the `Host` a request names.
    host: Option<HeaderValue>,
}

struct Entry {
    version: i64,
    etag: HeaderValue,
    /// The handler's headers (content type, disposition, counts), caching ones aside.
    headers: HeaderMap,
    body: Bytes,
}

pub struct PageCache {
    entries: Mutex<HashMap<Key, Arc<Entry>>>,
    bytes: AtomicU64,
    version: AtomicI64,
    /// Milliseconds since `epoch` when `version` was read; 0 forces a re-read.
    checked_at: AtomicU64,
    epoch: Instant,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            entries: Mutex::default(),
            bytes: AtomicU64::new(0),
            version: AtomicI64::new(-1),
            checked_at: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }
}

impl PageCache {
    /// The data version, re-read from the database when the last reading is older
    /// than the configured interval or a write of this process made it stale.
    async fn version(&self, state: &AppState) -> Option<i64> {
        let now = self.epoch.elapsed().as_millis() as u64 + 1;
        let checked = self.checked_at.load(Ordering::Acquire);
        if checked != 0 && now - checked < state.config.page_cache_revalidate.as_millis() as u64 {
            return Some(self.version.load(Ordering::Acquire));
        }
        match state.store.data_version().await {
            Ok(version) => {
                self.version.store(version, Ordering::Release);
                self.checked_at.store(now, Ordering::Release);
                Some(version)
            }
            Err(error) => {
                tracing::warn!(%error, "reading the data version failed: serving without the page cache");
                None
            }
        }
    }

    /// This process changed something: the next read looks at the database again.
    fn written(&self) {
        self.checked_at.store(0, Ordering::Release);
    }

    fn get(&self, key: &Key, version: i64) -> Option<Arc<Entry>> {
        self.lock().get(key).filter(|entry| entry.version == version).cloned()
    }

    fn put(&self, key: Key, entry: Entry) {
        let size = (entry.body.len() + key.path_and_query.len()) as u64;
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES || self.bytes.load(Ordering::Relaxed) + size > MAX_BYTES as u64 {
            entries.clear();
            self.bytes.store(0, Ordering::Relaxed);
        }
        if let Some(old) = entries.insert(key, Arc::new(entry)) {
            self.bytes.fetch_sub(old.body.len() as u64, Ordering::Relaxed);
        }
        self.bytes.fetch_add(size, Ordering::Relaxed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Arc<Entry>>> {
        // Inserts and clears cannot leave the map half-changed: a poisoned lock is usable.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The middleware (inside `context::middleware`, which has set the [`Ctx`]).
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = &state.pages;
    let anonymous_read = matches!(*request.method(), Method::GET | Method::HEAD)
        && request.extensions().get::<Ctx>().is_some_and(|ctx| ctx.user.is_none());
    if !anonymous_read {
        let is_write = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let response = next.run(request).await;
        if is_write {
            cache.written();
        }
        return response;
    }
    let Some(ctx) = request.extensions().get::<Ctx>().cloned() else { return next.run(request).await };
    let host = request.headers().get(header::HOST).cloned();
    let key = Key { path_and_query: ctx.path.clone(), lang: ctx.lang, host };
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let Some(version) = cache.version(&state).await else { return next.run(request).await };
    if let Some(entry) = cache.get(&key, version) {
        return answer(&entry, if_none_match.as_ref());
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.extensions().get::<PublishedMark>().is_none() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        tracing::warn!(path = %ctx.path, "a published response exceeded the cache's size limit");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // A page carrying this visitor's CSRF token (a form) is theirs, not everybody's.
    if contains(&body, ctx.csrf_token.as_bytes()) || parts.headers.contains_key(header::SET_COOKIE) {
        tracing::warn!(path = %ctx.path, "a response marked published carries personal data: not cached");
        return Response::from_parts(parts, Body::from(body));
    }
    let mut headers = parts.headers;
    headers.remove(header::CACHE_CONTROL);
    let etag = HeaderValue::from_str(&format!("\"{}\"", &sha256_hex_bytes(&body)[..32]))
        .expect("hex digits are a valid header value");
    let entry = Entry { version, etag, headers, body };
    let response = answer(&entry, if_none_match.as_ref());
    cache.put(key, entry);
    response
}

/// The kept response, or `304` when the browser already has it.
fn answer(entry: &Entry, if_none_match: Option<&HeaderValue>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, entry.etag.clone());
    // Browsers keep the page but ask each time (a publication must show at once).
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
    if if_none_match.is_some_and(|value| etag_matches(value, &entry.etag)) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.extend(entry.headers.clone());
    (StatusCode::OK, headers, entry.body.clone()).into_response()
}

/// `If-None-Match` is a list of tags, or `*`.
fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(list) = if_none_match.to_str() else { return false };
    let ours = etag.to_str().unwrap_or_default();
    list.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::etag_matches;
    use axum::http::HeaderValue;

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let ours = HeaderValue::from_static("\"abc\"");
        assert!(etag_matches(&HeaderValue::from_static("\"abc\""), &ours));
        assert!(etag_matches(&HeaderValue::from_static("\"x\", W/\"abc\""), &ours));
        assert!(etag_matches(&HeaderValue::from_static("*"), &ours));
        assert!(!etag_matches(&HeaderValue::from_static("\"abd\""), &ours));
    }
}
