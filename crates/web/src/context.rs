//! The request context and the outer middleware that builds it and finishes responses.
//!
//! On the way in: a request id, the signed-in account (one query), the language, the
//! client address and the CSRF token; state-changing requests must carry that token.
//! On the way out: error responses are rendered (see `error.rs`), security headers
//! and the request id are added.

use crate::error::{info_for_status, AppError, ErrorInfo};
use crate::security::{self, random_token};
use crate::{html, i18n::Tr, AppState};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sotong_core::format::Lang;
use sotong_store::{users::User, Actor};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "sotong_session";
pub const CSRF_COOKIE: &str = "sotong_csrf";
pub const LANG_COOKIE: &str = "sotong_lang";

/// Everything a handler needs to know about who is asking and how to answer.
#[derive(Clone)]
pub struct Ctx {
    pub request_id: String,
    pub lang: Lang,
    pub ip: String,
    pub user: Option<User>,
    /// SHA-256 of the session token, when signed in.
    pub session_hash: Option<String>,
    /// The token state-changing forms must echo back.
    pub csrf_token: String,
    /// The path and query of this request, for "return here" links.
    pub path: String,
    /// Unread notifications of the signed-in person.
    pub unread: i64,
    anonymous_csrf_is_new: bool,
}

impl Ctx {
    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::LoginRequired)
    }

    /// The actor recorded in the audit log for changes made by this request.
    pub fn actor(&self) -> Actor {
        let (user_id, label) = match &self.user {
            Some(user) => (Some(user.id), user.email.clone()),
            None => (None, "anonymous".to_string()),
        };
        Actor { user_id, label, ip: self.ip.clone(), request_id: self.request_id.clone() }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("context middleware not installed")))
    }
}

/// Checks the CSRF token of state-changing requests to a route that exists (a route
/// layer, so that a method a route does not have is a 405, not a "forgery").
pub async fn csrf_guard(request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method {
        return next.run(request).await;
    }
    let expected = request.extensions().get::<Ctx>().map(|ctx| ctx.csrf_token.clone()).unwrap_or_default();
    match security::verify_csrf(request, &expected).await {
        Ok(request) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

/// Marks a response whose body a handler rendered itself (e.g. a form shown again
/// with its errors), so `finish` leaves it alone.
#[derive(Clone, Copy)]
pub struct Rendered;

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The client's address: the connection's peer, or behind `hops` trusted proxies the
/// `X-Forwarded-For` entry the outermost of them appended. Entries before it are
/// whatever the client sent (taking the first once let rotating spoofed addresses
/// escape the login throttle).
fn client_ip(request: &Request, trusted_proxy_hops: Option<usize>) -> String {
    let peer = || {
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".to_string())
    };
    let Some(hops) = trusted_proxy_hops.filter(|hops| *hops > 0) else { return peer() };
    forwarded_client(request.headers(), hops).unwrap_or_else(peer)
}

fn forwarded_client(headers: &HeaderMap, hops: usize) -> Option<String> {
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let entry = entries.len().checked_sub(hops).map(|at| entries[at])?;
    entry.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

fn language(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE).and_then(Lang::parse).unwrap_or(Lang::Ko)
}

/// What the context is built from, taken out of the request so no borrow of the
/// (non-`Sync`) request body is held across an await.
struct RequestFacts {
    headers: HeaderMap,
    ip: String,
    path: String,
}

async fn build_context(state: &AppState, facts: RequestFacts) -> Result<Ctx, AppError> {
    let headers = &facts.headers;
    let mut user = None;
    let mut session_hash = None;
    let mut csrf_token = None;
    let mut unread = 0;
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        let hash = security::sha256_hex(token);
        if let Some((found, session_csrf, unread_count)) = state.store.session_user(&hash).await? {
            user = Some(found);
            session_hash = Some(hash);
            csrf_token = Some(session_csrf);
            unread = unread_count;
        }
    }
    let anonymous_cookie = cookie(headers, CSRF_COOKIE).filter(|t| t.len() == 64).map(str::to_string);
    let anonymous_csrf_is_new = csrf_token.is_none() && anonymous_cookie.is_none();
    let csrf_token = csrf_token.or(anonymous_cookie).unwrap_or_else(random_token);
    Ok(Ctx {
        request_id: random_token()[..16].to_string(),
        lang: language(headers),
        ip: facts.ip,
        user,
        session_hash,
        csrf_token,
        path: facts.path,
        unread,
        anonymous_csrf_is_new,
    })
}

/// The outermost middleware of the application.
pub async fn middleware(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_api = path.starts_with("/api/") || crate::api::open311::is_open311(path);
    let facts = RequestFacts {
        headers: request.headers().clone(),
        ip: client_ip(&request, state.config.trust_proxy_headers.then_some(state.config.trusted_proxy_hops)),
        path: request.uri().path_and_query().map(|pq| pq.as_str().to_string()).unwrap_or_else(|| "/".into()),
    };
    let ctx = match build_context(&state, facts).await {
        Ok(ctx) => ctx,
        Err(error) => {
            // Without a context (the database is down) answer plainly, still without internals.
            let fallback = Ctx {
                request_id: random_token()[..16].to_string(),
                lang: language(request.headers()),
                ip: String::new(),
                user: None,
                session_hash: None,
                csrf_token: String::new(),
                path: "/".into(),
                unread: 0,
                anonymous_csrf_is_new: false,
            };
            return finish(&state, &fallback, is_api, error.into_response());
        }
    };
    request.extensions_mut().insert(ctx.clone());
    let uri = request.uri();
    if let Err(error) = crate::input::check_path(uri.path())
        .and_then(|()| crate::input::decode_pairs(uri.query().unwrap_or("").as_bytes()))
    {
        return finish(&state, &ctx, is_api, error.into_response());
    }
    // Only the methods some route uses; the rest (TRACE echoes requests with their
    // cookies, CONNECT tunnels, PUT/PATCH/DELETE are not used yet) get 405 here,
    // before the CSRF check would call them forgeries. Add a method when a route does.
    if !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::POST) {
        return finish(&state, &ctx, is_api, StatusCode::METHOD_NOT_ALLOWED.into_response());
    }
    let handle = next.run(request);
    // A slow upload or a stuck handler gives up here (its transaction rolls back).
    let limit = state.config.connections.request_timeout;
    let response = match tokio::time::timeout(limit, handle).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(request_id = %ctx.request_id, path = %ctx.path, "request timed out after {limit:?}: 408");
            AppError::RequestTimeout.into_response()
        }
    };
    finish(&state, &ctx, is_api, response)
}

fn finish(state: &AppState, ctx: &Ctx, is_api: bool, response: Response) -> Response {
    let status = response.status();
    let mut response = if status.as_u16() >= 400 && response.extensions().get::<Rendered>().is_none() {
        let info = response.extensions().get::<ErrorInfo>().cloned().unwrap_or_else(|| info_for_status(status));
        if status == StatusCode::INTERNAL_SERVER_ERROR && response.extensions().get::<ErrorInfo>().is_none() {
            tracing::error!(request_id = %ctx.request_id, "internal error without detail (panic or bare 500)");
        }
        let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
        let mut rendered = if is_api {
            api_error(ctx, status, &info)
        } else if status == StatusCode::UNAUTHORIZED {
            // People are sent to the login page and brought back afterwards.
            Redirect::to(&crate::urls::login(&ctx.path)).into_response()
        } else {
            html::error_page(ctx, status, &info)
        };
        if let Some(value) = retry_after {
            rendered.headers_mut().insert(header::RETRY_AFTER, value);
        }
        rendered
    } else {
        response
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&ctx.request_id) {
        headers.insert("x-request-id", value);
    }
    security::add_security_headers(headers, state.config.secure_cookies);
    // What a signed-in person is shown is theirs: no shared or browser cache keeps it
    // (assets set their own caching and are left alone).
    if ctx.user.is_some() && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let is_html = headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if ctx.anonymous_csrf_is_new && is_html {
        let cookie = security::cookie_header(CSRF_COOKIE, &ctx.csrf_token, None, state.config.secure_cookies);
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}

fn api_error(ctx: &Ctx, status: StatusCode, info: &ErrorInfo) -> Response {
    let tr = ctx.tr();
    let fields: serde_json::Map<String, serde_json::Value> =
        info.fields.iter().map(|f| (f.field.to_string(), serde_json::Value::String(tr.error(f.code)))).collect();
    let mut body = serde_json::json!({
        "error": info.code,
        "message": tr.t(info.message_key),
        "request_id": ctx.request_id,
    });
    if !fields.is_empty() {
        body["fields"] = serde_json::Value::Object(fields);
        // The same fields' stable codes, for programs (a kiosk telling "already voted"
        // from a broken rule) that must not parse Korean text.
        let codes = info.fields.iter().map(|f| (f.field.to_string(), serde_json::Value::String(f.code.to_string())));
        body["codes"] = serde_json::Value::Object(codes.collect());
    }
    let mut response = (status, axum::Json(body)).into_response();
    response.extensions_mut().insert(Rendered);
    response
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;
    use axum::http::HeaderMap;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn the_address_a_trusted_proxy_appended_is_the_client() {
        // The client wrote "1.2.3.4"; our one proxy appended the address it saw.
        assert_eq!(forwarded_client(&headers(&["1.2.3.4, 203.0.113.7"]), 1).as_deref(), Some("203.0.113.7"));
        assert_eq!(forwarded_client(&headers(&["1.2.3.4", "203.0.113.7"]), 1).as_deref(), Some("203.0.113.7"));
        // Two proxies: the outer one appended the client, the inner one the outer proxy.
        let two = headers(&["9.9.9.9, 203.0.113.7, 10.0.0.2"]);
        assert_eq!(forwarded_client(&two, 2).as_deref(), Some("203.0.113.7"));
        assert_eq!(forwarded_client(&headers(&["203.0.113.7"]), 2), None, "fewer entries than proxies");
        assert_eq!(forwarded_client(&headers(&["1.2.3.4, not-an-address"]), 1), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
    }
}
