//! Open311 GeoReport v2 per public body, at `/{body}/open311/v2/` (REFERENCE "Open311
//! GeoReport v2"): discovery, the services (the body's complaint categories) and
//! their definitions, `POST requests` with a key an administrator issued, `GET
//! requests` with its filters, one request, and tokens; every answer in JSON or XML
//! by the path's extension (`services.json`, `services.xml`; none is JSON).
//!
//! Only public complaints are requests here, and only what the public board shows of
//! them: never the filer's name or contact, never a private complaint (its id is
//! answered as unknown). Errors are the spec's list of `{code, description}`, the
//! code the HTTP status, the description from the message catalogue.

mod requests;
mod services;

use crate::context::Rendered;
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::page_cache::Published;
use crate::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use serde_json::{json, Value};
use sotong_core::FieldError;

/// Where a body's endpoint is, after `/{org}`.
pub const BASE: &str = "/open311/v2";

/// The Open311 routes. They are not behind the CSRF guard: nothing here reads the
/// browser's session, and the one write is authorised by its `api_key`.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/{org}/open311/v2/{resource}", get(services::read).post(requests::create)),
        ("/{org}/open311/v2/services/{resource}", get(services::definition)),
        ("/{org}/open311/v2/requests/{resource}", get(requests::one)),
        ("/{org}/open311/v2/tokens/{resource}", get(requests::token)),
    ]
}

/// Whether a path is an Open311 one (its errors are answered as data, not pages).
pub fn is_open311(path: &str) -> bool {
    path.split('/').nth(2) == Some("open311")
}

/// The last path segment: `services.xml` etc.
#[derive(serde::Deserialize)]
pub(crate) struct Resource {
    resource: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
}

/// A segment's name and format: `requests.xml` → (`requests`, XML); no extension is
/// JSON; any other extension is not a resource here.
pub(crate) fn split_format(segment: &str) -> Option<(&str, Format)> {
    match segment.rsplit_once('.') {
        Some((name, "json")) => Some((name, Format::Json)),
        Some((name, "xml")) => Some((name, Format::Xml)),
        Some(_) => None,
        None => Some((segment, Format::Json)),
    }
}

/// An answer in the request's format. `root` names the XML document's element (the
/// JSON is `value` itself); arrays' items are named by [`item_name`].
pub(crate) fn respond(format: Format, status: StatusCode, root: &str, value: &Value) -> Response {
    let (content_type, body) = match format {
        Format::Json => ("application/json; charset=utf-8", value.to_string()),
        Format::Xml => ("text/xml; charset=utf-8", xml_document(root, value)),
    };
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.extensions_mut().insert(Rendered);
    response
}

/// A read of public data: the same for every anonymous caller, so kept by the page cache.
pub(crate) fn published(format: Format, root: &str, value: &Value) -> Response {
    Published(respond(format, StatusCode::OK, root, value)).into_response()
}

/// The spec's error answer: a list of `{code, description}`.
pub(crate) fn error(format: Format, status: StatusCode, descriptions: &[String]) -> Response {
    let errors: Vec<Value> =
        descriptions.iter().map(|d| json!({ "code": status.as_u16(), "description": d })).collect();
    respond(format, status, "errors", &Value::Array(errors))
}

/// A 400 naming each field and what is wrong with it.
pub(crate) fn invalid(format: Format, t: &Tr, errors: &[FieldError]) -> Response {
    let descriptions: Vec<String> =
        errors.iter().map(|e| format!("{}: {}", open311_field(e.field), t.error(e.code))).collect();
    error(format, StatusCode::BAD_REQUEST, &descriptions)
}

/// The Open311 parameter a checked field came from.
fn open311_field(field: &str) -> &str {
    match field {
        "subject" => "attribute[title]",
        "content" => "description",
        "address" => "address_string",
        "visibility" => "attribute[visibility]",
        other => other,
    }
}

pub(crate) type Open311Result = AppResult<Response>;

/// The XML element of each item of an array named `parent` (the spec's names).
fn item_name(parent: &str) -> &str {
    match parent {
        "services" => "service",
        "service_requests" => "request",
        "errors" => "error",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        other => other,
    }
}

fn xml_document(root: &str, value: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_element(&mut out, root, value);
    out
}

/// `<name>value</name>`: objects as child elements (by name: serde_json's maps are sorted), arrays as repeated
/// items, null as an empty element.
fn write_element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::Object(fields) => {
            out.push_str(&format!("<{name}>"));
            for (key, field) in fields {
                write_element(out, key, field);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            for item in items {
                write_element(out, item_name(name), item);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(text) => out.push_str(&format!("<{name}>{}</{name}>", escape(text))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_names_items_as_the_spec_does_and_escapes_text() {
        let value = json!([{ "service_code": "a&b", "keywords": null, "metadata": true }]);
        assert_eq!(
            xml_document("services", &value),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<services><service><keywords/><metadata>true</metadata>\
             <service_code>a&amp;b</service_code></service></services>"
        );
    }

    #[test]
    fn a_segment_names_its_format() {
        assert_eq!(split_format("services.xml"), Some(("services", Format::Xml)));
        assert_eq!(split_format("requests.json"), Some(("requests", Format::Json)));
        assert_eq!(split_format("discovery"), Some(("discovery", Format::Json)));
        assert_eq!(split_format("services.csv"), None);
        assert!(is_open311("/hanbit/open311/v2/services.json"));
        assert!(!is_open311("/hanbit/complaints"));
    }
}
