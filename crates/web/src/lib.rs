//! The HTTP layer of sotong: public pages, the staff back office and the JSON API.
//!
//! Handlers are thin: they parse input into `sotong_core` types, call the store, and
//! render a template or JSON. Every route is registered in [`router`]; every request
//! passes through `context::middleware` (request id, session, language, CSRF, error
//! pages, security headers).

pub mod api;
mod assets;
pub mod auth;
pub mod cache;
pub mod context;
pub mod demo;
pub mod error;
pub mod extract;
pub mod html;
pub mod i18n;
pub mod input;
pub mod jobs;
pub mod limits;
pub mod mail;
pub mod page_cache;
pub mod passwords;
pub mod scope;
pub mod search;
pub mod security;
pub mod urls;
pub mod webhooks;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use sotong_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Settings of the web layer (see docs/CONFIGURATION.md).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS: set when served over HTTPS (directly or
    /// behind a TLS-terminating proxy).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy_headers: bool,
    /// How many trusted proxies a request passes; the client address is the entry the
    /// outermost of them appended (the ones before it are the client's to write).
    pub trusted_proxy_hops: usize,
    pub session_hours: i64,
    pub login_limit: LoginLimit,
    /// Accounts one client address may create per hour.
    pub signups_per_ip_per_hour: i64,
    /// How many password hashes run at once, and how many may wait how long.
    pub password_hashing: passwords::HashLimits,
    pub connections: ConnectionLimits,
    /// How long cached published pages are trusted before the data version is read
    /// again (see `page_cache`); zero reads it on every anonymous request.
    pub page_cache_revalidate: Duration,
    /// The largest file one may attach, in bytes.
    pub attachment_max_bytes: usize,
    /// E-mails go out (an SMTP relay is configured). Without it, pages that would say
    /// "we e-mailed a link" show the link to the administrator instead.
    pub mail_enabled: bool,
    /// What citizens may write per account and per address (proposals, comments,
    /// supports, reports).
    pub citizen_limits: limits::CitizenLimits,
    /// Where this process keeps its search index; none: in memory, built from the
    /// database at start.
    pub search_index_dir: Option<std::path::PathBuf>,
    /// The key residents' details are hashed under (HMAC-SHA-256) for roster matching
    /// and polling-station check-ins; kept outside the database, so a copy of the
    /// database cannot be tried against guessed names. None: only voting codes verify.
    pub verification_key: Option<std::sync::Arc<[u8]>>,
}

/// Failed logins allowed within `window_minutes`: on one account from one client
/// address, and from one client address on any accounts. (Per account alone would let
/// anyone lock the owner out.) Wrong current passwords on the password form count
/// against `per_account_address` per account.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimit {
    pub per_account_address: i64,
    pub per_ip: i64,
    pub window_minutes: i64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy_headers: false,
            trusted_proxy_hops: 1,
            session_hours: 12,
            login_limit: LoginLimit { per_account_address: 5, per_ip: 30, window_minutes: 15 },
            signups_per_ip_per_hour: 20,
            password_hashing: passwords::HashLimits::default(),
            connections: ConnectionLimits::default(),
            page_cache_revalidate: Duration::from_secs(1),
            attachment_max_bytes: 20 * 1024 * 1024,
            mail_enabled: false,
            citizen_limits: limits::CitizenLimits::default(),
            search_index_dir: None,
            verification_key: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub published: Arc<cache::PublishedMetrics>,
    pub pages: Arc<page_cache::PageCache>,
    pub passwords: Arc<passwords::PasswordHasher>,
    /// This process's search index (`search`), kept current by its follower task.
    pub search: Arc<search::SearchService>,
    /// Near-duplicate checks of complaints at filing (`search::complaints`).
    pub complaint_matcher: Arc<search::complaints::ComplaintMatcher>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        let passwords = Arc::new(passwords::PasswordHasher::new(config.password_hashing));
        let search = match search::SearchService::open(config.search_index_dir.clone()) {
            Ok(service) => service,
            Err(error) => {
                tracing::error!(%error, "the search index directory cannot be used; searching from memory instead");
                search::SearchService::in_memory()
            }
        };
        let search = Arc::new(search);
        AppState {
            store,
            config: Arc::new(config),
            published: Arc::default(),
            pages: Arc::default(),
            passwords,
            search,
            complaint_matcher: Arc::default(),
        }
    }
}

/// Every page route of the application, in one place: the router is built from this
/// table (each route behind the CSRF guard), and tests walk it. The platform's own
/// pages are listed here; each module adds its table with one line.
fn page_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    let platform = vec![
        ("/", get(html::public::home)),
        ("/healthz", get(html::public::healthz)),
        ("/assets/{*path}", get(assets::serve)),
        ("/lang/{code}", get(html::public::switch_language)),
        ("/signup", get(auth::signup_form).post(auth::signup)),
        ("/login", get(auth::login_form).post(auth::login)),
        ("/invite/{token}", get(auth::invitation_form).post(auth::accept_invitation)),
        ("/logout", post(auth::logout)),
        ("/account", get(auth::account)),
        ("/account/password", post(auth::change_password)),
        ("/account/email", post(html::account::set_email)),
        ("/account/data", get(html::account::download)),
        ("/account/delete", post(html::account::delete)),
        ("/notifications", get(html::notifications::list)),
        ("/notifications/read", post(html::notifications::mark_read)),
        ("/search", get(html::search::site)),
        ("/{org}", get(html::public::org_home)),
        ("/{org}/search", get(html::search::body)),
        ("/{org}/departments", get(html::public::departments)),
        ("/{org}/news", get(html::news::page)),
        ("/{org}/files/{sha256}/{name}", get(html::files::serve)),
        ("/{org}/feed.rss", get(html::news::rss)),
        ("/{org}/feed.atom", get(html::news::atom)),
        ("/{org}/staff", get(html::staff::workspace)),
        ("/{org}/admin/departments", get(html::admin::departments).post(html::admin::create_department)),
        ("/{org}/admin/members", get(html::admin::members).post(html::admin::grant_member)),
        ("/{org}/admin/members/{id}/revoke", post(html::admin::revoke_member)),
        ("/{org}/admin/audit", get(html::admin::audit_log)),
        ("/{org}/admin/site", get(html::site::admin).post(html::site::save_contact)),
        (
            "/{org}/admin/site/logo",
            post(html::site::save_logo).layer(DefaultBodyLimit::max(html::files::UPLOAD_ROUTE_LIMIT)),
        ),
        ("/{org}/admin/site/pages/{page}", post(html::site::save_page)),
        ("/{org}/admin/webhooks", get(html::webhooks::list).post(html::webhooks::create)),
        ("/{org}/admin/webhooks/{id}", get(html::webhooks::show)),
        ("/{org}/admin/webhooks/{id}/ping", post(html::webhooks::ping)),
        ("/{org}/admin/webhooks/{id}/active", post(html::webhooks::set_active)),
        ("/{org}/admin/webhooks/{id}/remove", post(html::webhooks::remove)),
        ("/{org}/policies/{page}", get(html::site::policy)),
    ];
    let modules =
        [html::commitments::routes(), html::voice::routes(), html::budgeting::routes(), html::verification::routes()];
    platform.into_iter().chain(modules.into_iter().flatten()).collect()
}

/// The path of every route, pages and API, as the router has them (`{org}` etc. for
/// parameters): what the permission tests walk.
pub fn route_paths() -> Vec<String> {
    let pages = page_routes().into_iter().chain(api::open311::routes()).map(|(path, _)| path.to_string());
    pages.chain(api::routes().into_iter().map(|(path, _)| format!("{}{path}", api::PREFIX))).collect()
}

/// Routes from a table, each behind the CSRF guard. The guard is a route layer of the
/// method router, so it runs for the methods the route has and a method it lacks is
/// a 405, not a "forgery" (safe by default: no route can be added without it).
fn guarded<P: AsRef<str>>(table: Vec<(P, MethodRouter<AppState>)>) -> Router<AppState> {
    table.into_iter().fold(Router::new(), |router, (path, methods)| {
        router.route(path.as_ref(), methods.route_layer(axum::middleware::from_fn(context::csrf_guard)))
    })
}

/// The application: the route tables, the fallbacks and the outer layers. Open311's
/// routes alone are not behind the CSRF guard (their one write carries an API key and
/// no session is read).
pub fn router(state: AppState) -> Router {
    let open311 =
        api::open311::routes().into_iter().fold(Router::new(), |router, (path, methods)| router.route(path, methods));
    guarded(page_routes())
        .merge(open311)
        .nest(api::PREFIX, guarded(api::routes()).fallback(|| async { error::AppError::NotFound }))
        .fallback(html::public::not_found)
        .layer(DefaultBodyLimit::max(security::MAX_FORM_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), page_cache::middleware))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(state.clone(), context::middleware))
        .with_state(state)
}

/// Removes expired sessions and old rate events (failed logins among them) every hour, for as
/// long as the server runs; sends complaints' interim notices and purges finished
/// complaints' personal data after their retention period. (Expired rows are already ignored by every query; this
/// only keeps the tables small.)
pub fn spawn_maintenance(store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let day = 24 * 3600;
            if let Err(error) = store.purge_expired().await {
                tracing::warn!(%error, "purging expired sessions failed");
            }
            if let Err(error) = store.purge_rate_events(day).await {
                tracing::warn!(%error, "purging rate events failed");
            }
            // The delivery log of finished jobs is kept for 90 days.
            if let Err(error) = store.purge_finished_jobs(90 * day).await {
                tracing::warn!(%error, "purging finished jobs failed");
            }
            // Complaints open for 30 days tell their filer where they stand (시행령
            // 제23조); personal data of finished ones goes after the retention period.
            match store.send_interim_notices(sotong_store::now()).await {
                Ok(sent) if sent > 0 => tracing::info!(sent, "interim notices sent"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "sending complaints' interim notices failed"),
            }
            match store.purge_complaint_personal_data(sotong_store::now()).await {
                Ok(purged) if purged > 0 => tracing::info!(purged, "complaints' personal data purged"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "purging complaints' personal data failed"),
            }
        }
    })
}

/// Builds the complaints' near-duplicate index of every public body from its stored
/// complaints, in the background, as the server starts: reading 100,000 complaints
/// takes seconds (docs/BENCHMARKS.md), which the first filer should not wait for.
pub fn spawn_complaint_index_warmup(state: &AppState) -> tokio::task::JoinHandle<()> {
    let (store, matcher) = (state.store.clone(), state.complaint_matcher.clone());
    tokio::spawn(async move {
        let bodies = match store.public_bodies().await {
            Ok(bodies) => bodies,
            Err(error) => return tracing::warn!(%error, "listing bodies for the complaints' index failed"),
        };
        for body in bodies {
            let started = std::time::Instant::now();
            let warmed = match store.complaint_rules(body.id).await {
                Ok(rules) => matcher.warm(&store, body.id, &rules).await,
                Err(error) => Err(error),
            };
            match warmed {
                Ok(read) if read > 0 => tracing::info!(
                    target: "sotong::complaint_check",
                    body = %body.slug,
                    read,
                    millis = started.elapsed().as_millis() as u64,
                    "complaints' near-duplicate index built"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, body = %body.slug, "building the complaints' index failed"),
            }
        }
    })
}

/// Limits on connections, so slow or idle clients cannot hold the server
/// (20,000 connections each sending half a request once exhausted its descriptors).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections served at once; more wait in the kernel's queue.
    pub max_connections: usize,
    /// Time a client has to send a request's headers (also between requests on a
    /// kept-alive connection).
    pub header_read_timeout: Duration,
    /// Time a request may take from its first byte to the end of its response's
    /// headers, body included (a slow upload); then 408.
    pub request_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
        }
    }
}

/// Serves until `shutdown` resolves; requests in flight are allowed to finish.
/// Each connection is served by hyper with a header-read timeout, at most
/// `max_connections` at once; every limit that triggers writes a log line.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.config.connections;
    let follower = search::spawn_follower(state.search.clone(), state.store.clone());
    let app = router(state);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                tracing::warn!(limit = limits.max_connections, "connection limit reached: new connections wait");
                tokio::select! {
                    slot = slots.clone().acquire_owned() => slot.map_err(std::io::Error::other)?,
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or similar: wait a moment rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            tower::ServiceExt::oneshot(app.clone(), request)
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                if error.is_timeout() {
                    tracing::info!(%peer, "closed a connection that sent no complete request headers in time");
                } else {
                    tracing::debug!(%peer, %error, "connection ended with an error");
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    follower.abort();
    graceful.shutdown().await;
    Ok(())
}
