//! The platform's URLs, built in one place (redirects and links): a page's path is
//! written once, here or in its module's `urls`, never with `format!` at the call.
//! `suffix` is what follows the path: `""`, `"?saved=1"`, `"#reports"`.

use axum::http::{header, HeaderMap};
use sotong_store::orgs::Org;

/// `/{body}{rest}`: any page of a public body.
pub fn body(body: &Org, rest: &str) -> String {
    format!("/{}{rest}", body.slug)
}

pub fn admin_departments(of: &Org, suffix: &str) -> String {
    body(of, &format!("/admin/departments{suffix}"))
}

pub fn admin_members(of: &Org, suffix: &str) -> String {
    body(of, &format!("/admin/members{suffix}"))
}

pub fn revoke_membership(of: &Org, membership_id: i64) -> String {
    body(of, &format!("/admin/members/{membership_id}/revoke"))
}

pub fn admin_audit(of: &Org, suffix: &str) -> String {
    body(of, &format!("/admin/audit{suffix}"))
}

/// A body's news page (새 소식).
pub fn news(of: &Org) -> String {
    body(of, "/news")
}

/// A body's news feed: `rss` or `atom`.
pub fn feed(of: &Org, format: &str) -> String {
    body(of, &format!("/feed.{format}"))
}

pub fn staff(of: &Org) -> String {
    body(of, "/staff")
}

/// The login page, returning to `next` afterwards.
pub fn login(next: &str) -> String {
    format!("/login?next={}", crate::security::url_encode(next))
}

/// A file of a body, by its SHA-256, under the name it is shown with.
pub fn file(of: &Org, sha256: &str, name: &str) -> String {
    body(of, &format!("/files/{sha256}/{}", crate::security::url_encode(name).replace('+', "%20")))
}

/// The one-time link of a staff invitation.
pub fn invitation(token: &str) -> String {
    format!("/invite/{token}")
}

/// The site's origin as the request reached it (`https://…` behind TLS), for the
/// absolute links feeds and Open311 discovery need.
pub(crate) fn origin(state: &crate::AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}
