//! Tokens, cookies, CSRF verification and response headers (password hashing: `passwords`).

use crate::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};

/// Largest form body accepted (the CSRF check reads it before the handler does).
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// 32 random bytes as 64 hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing means the machine cannot issue safe tokens at all.
    getrandom::getrandom(&mut bytes).expect("operating-system random source");
    hex(&bytes)
}

pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// HMAC-SHA256 of `message` under `key`, as hex (RFC 2104): how webhooks are signed.
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    use hmac::Mac;
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message);
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets without revealing through timing where they first differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).map(|s| s[2..].to_string()).unwrap_or_default()
}

/// A cookie that scripts cannot read and other sites do not send along
/// (SameSite=Lax still sends it when following a link here, so people stay signed in).
pub fn cookie_header(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Checks the CSRF token of a state-changing request (and that a form body is clean
/// text): the `X-CSRF-Token` header
/// (JSON API, htmx), or the `_csrf` field of a URL-encoded form, or a `_csrf` query
/// parameter (multipart uploads, whose body is not parsed here).
pub async fn verify_csrf(request: Request, expected: &str) -> Result<Request, AppError> {
    let matches = |token: &str| !expected.is_empty() && constant_time_eq(token.as_bytes(), expected.as_bytes());
    if request.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).is_some_and(matches) {
        return Ok(request);
    }
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        let query = request.uri().query().unwrap_or("");
        let pairs = crate::input::decode_pairs(query.as_bytes())?;
        return match pairs.iter().any(|(k, v)| k == "_csrf" && matches(v)) {
            true => Ok(request),
            false => Err(AppError::Csrf),
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| AppError::PayloadTooLarge)?;
    // The body is checked as text here, once for every form (`input`): a bad byte is a
    // 400 that says so, not a CSRF refusal.
    let pairs = crate::input::decode_pairs(&bytes)?;
    if pairs.iter().any(|(k, v)| k == "_csrf" && matches(v)) {
        Ok(Request::from_parts(parts, Body::from(bytes)))
    } else {
        Err(AppError::Csrf)
    }
}

pub fn add_security_headers(headers: &mut HeaderMap, behind_tls: bool) {
    let fixed = [
        (
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
    ];
    for (name, value) in fixed {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    if behind_tls {
        headers.insert("strict-transport-security", HeaderValue::from_static("max-age=31536000"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hex() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(constant_time_eq(a.as_bytes(), a.as_bytes()));
        assert!(!constant_time_eq(a.as_bytes(), b.as_bytes()));
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn url_encoding() {
        assert_eq!(url_encode("/hanbit/staff?x=1&y=한"), "%2Fhanbit%2Fstaff%3Fx%3D1%26y%3D%ED%95%9C");
    }
}
