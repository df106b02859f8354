//! Static files embedded in the binary: KRDS styles, PretendardGOV fonts, our CSS.
//!
//! Served with a content hash as ETag; the HTML links them with `?v=<hash>` so they
//! can be cached for a year and still change with each release.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/assets_list.rs"));

struct Asset {
    bytes: &'static [u8],
    etag: String,
}

fn assets() -> &'static HashMap<&'static str, Asset> {
    static ASSETS: OnceLock<HashMap<&'static str, Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        FILES
            .iter()
            .map(|(path, bytes)| {
                (*path, Asset { bytes, etag: format!("\"{}\"", &crate::security::sha256_hex_bytes(bytes)[..16]) })
            })
            .collect()
    })
}

/// The cache-busting version of an asset for links, e.g. `sotong.css?v=ab12…`.
pub fn versioned(path: &str) -> String {
    match assets().get(path) {
        Some(asset) => format!("/assets/{path}?v={}", asset.etag.trim_matches('"')),
        None => format!("/assets/{path}"),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("svg") => "image/svg+xml",
        Some("js") => "text/javascript; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = assets().get(path.as_str()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == asset.etag.as_bytes()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        asset.bytes.into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        h.insert(header::ETAG, etag);
    }
    response
}
