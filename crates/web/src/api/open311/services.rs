//! What a body offers through Open311: discovery, the service list (its complaint
//! categories, each with its kind as the group) and a service's definition (the
//! attributes a request may carry beyond the spec's fields).

use super::{error, published, requests, split_format, Format, Open311Result, Resource, BASE};
use crate::context::Ctx;
use crate::i18n::Tr;
use crate::scope::BodyScope;
use crate::urls::origin;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use sotong_store::voice::complaints::ComplaintCategory;
use std::collections::HashMap;

/// When this endpoint's behaviour last changed (discovery's `changeset`).
const CHANGESET: &str = "2026-12-03T00:00:00Z";

/// `GET discovery`, `GET services` and `GET requests` (one path segment each).
pub async fn read(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    headers: HeaderMap,
    Path(Resource { resource }): Path<Resource>,
    Query(query): Query<HashMap<String, String>>,
) -> Open311Result {
    let t = ctx.tr();
    let Some((name, format)) = split_format(&resource) else { return Ok(not_found(Format::Json, &t)) };
    match name {
        "discovery" => Ok(discovery(&state, &scope, &headers, format, &t)),
        "services" => {
            let categories = state.store.complaint_categories(scope.body.id).await?;
            let list: Vec<Value> = categories.iter().map(|c| service(c, &t)).collect();
            Ok(published(format, "services", &Value::Array(list)))
        }
        "requests" => requests::list(&state, &scope, &query, format, &t).await,
        _ => Ok(not_found(format, &t)),
    }
}

pub(crate) fn not_found(format: Format, t: &Tr) -> axum::response::Response {
    error(format, StatusCode::NOT_FOUND, &[t.t("open311.not_found").to_string()])
}

fn discovery(
    state: &AppState,
    scope: &BodyScope,
    headers: &HeaderMap,
    format: Format,
    t: &Tr,
) -> axum::response::Response {
    let url = format!("{}{}", origin(state, headers), crate::urls::body(&scope.body, BASE));
    let value = json!({
        "changeset": CHANGESET,
        "contact": t.f("open311.contact", &[scope.body.name(t.is_en())]),
        "key_service": t.t("open311.key_service"),
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": url,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    });
    published(format, "discovery", &value)
}

fn service(category: &ComplaintCategory, t: &Tr) -> Value {
    json!({
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": true,
        "type": "realtime",
        "keywords": category.keywords,
        "group": t.t(&format!("complaint_kind.{}", category.kind)),
    })
}

/// `GET services/{code}`: the attributes every category takes — the complaint's
/// title and whether it may be published (비공개 unless asked: a relayed complaint is
/// never made public by default).
pub async fn definition(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(Resource { resource }): Path<Resource>,
) -> Open311Result {
    let t = ctx.tr();
    let Some((code, format)) = split_format(&resource) else { return Ok(not_found(Format::Json, &t)) };
    let Some(category) = state.store.complaint_category_by_code(scope.body.id, code).await? else {
        return Ok(not_found(format, &t));
    };
    let value = json!({
        "service_code": category.code,
        "attributes": [
            {
                "variable": true,
                "code": requests::TITLE_ATTRIBUTE,
                "datatype": "string",
                "required": false,
                "datatype_description": t.t("open311.title_datatype"),
                "order": 1,
                "description": t.t("open311.title_description"),
            },
            {
                "variable": true,
                "code": requests::VISIBILITY_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": false,
                "datatype_description": null,
                "order": 2,
                "description": t.t("open311.visibility_description"),
                "values": [
                    { "key": "private", "name": t.t("complaint_new.private") },
                    { "key": "public", "name": t.t("complaint_new.public") },
                ],
            },
        ],
    });
    Ok(published(format, "service_definition", &value))
}
