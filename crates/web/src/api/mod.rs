//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/v1/openapi.json` (snapshot-tested: any change to it shows up in review).
//!
//! Reads are public where the pages are. Writes use the browser session and must send
//! the session's CSRF token in `X-CSRF-Token`. Errors are
//! `{"error": code, "message": text, "request_id": id, "fields": {field: text}}`.

use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Json;
use crate::html::admin::{create_unit, UnitForm};
use crate::page_cache::{published_json, PublishedJson};
use crate::scope::BodyScope;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use serde::{Deserialize, Serialize};
use sotong_core::role::Permission;
use sotong_store::orgs::Org;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::routes;

pub mod budgeting;
pub mod commitments;
pub mod open311;
pub mod voice;

/// One route of the API: its handlers and their OpenAPI operations, made together by
/// `utoipa_axum::routes!` from the handlers' `#[utoipa::path]` (the path is written
/// once, there), so no route can be served undocumented or documented unserved.
pub type ApiRoute = utoipa_axum::router::UtoipaMethodRouter<AppState>;

/// Where the API is mounted; `#[utoipa::path]` paths start with it.
pub const PREFIX: &str = "/api/v1";

/// The platform's API routes, then each module's (one line per module).
fn documented_routes() -> Vec<ApiRoute> {
    let platform = vec![routes!(me), routes!(list_orgs), routes!(get_org), routes!(list_units, create_unit_api)];
    let modules = [commitments::routes(), voice::routes(), budgeting::routes()];
    platform.into_iter().chain(modules.into_iter().flatten()).collect()
}

/// The API's route table, paths relative to [`PREFIX`] (nested there by
/// `crate::router`): the documented routes and the document itself.
pub fn routes() -> Vec<(String, MethodRouter<AppState>)> {
    let mut table = vec![("/openapi.json".to_string(), get(openapi))];
    for (_, paths, methods) in documented_routes() {
        for path in paths.paths.keys() {
            let relative = path.strip_prefix(PREFIX).unwrap_or(path).to_string();
            table.push((relative, methods.clone()));
        }
    }
    table
}

#[derive(OpenApi)]
#[openapi(
    info(title = "sotong API", description = "소통 — transparent, two-way local administration", version = "1"),
    components(schemas(OrgKindDto, UnitKindDto, ApiError))
)]
struct ApiDoc;

/// The OpenAPI document: the routes' operations and the schemas they use, with the
/// answers every operation can give.
fn document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    for (schemas, paths, _) in documented_routes() {
        document.paths.paths.extend(paths.paths);
        document.components.get_or_insert_with(Default::default).schemas.extend(schemas);
    }
    utoipa::Modify::modify(&EveryOperationAnswers, &mut document);
    document
}

/// Answers every route can give, whatever it does: the request's text checked before
/// routing (400), a request that took too long (408), busy or the database
/// unreachable (503, with `Retry-After`), and for writes a full disk (507).
/// Documented once here rather than per route.
struct EveryOperationAnswers;

impl utoipa::Modify for EveryOperationAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let answer = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            if let Some(write) = item.post.as_mut() {
                let full = answer("the database's disk is full: nothing was saved");
                write.responses.responses.entry("507".to_string()).or_insert_with(|| full.into());
            }
            for operation in [&mut item.get, &mut item.post].into_iter().flatten() {
                // Path segments are text without control characters (else 400, above).
                for parameter in operation.parameters.iter_mut().flatten() {
                    parameter.schema = Some(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String)
                            .pattern(Some(r"^[^\u0000-\u001f\u007f-\u009f]+$"))
                            .into(),
                    );
                }
                let responses = &mut operation.responses.responses;
                for (status, description) in [
                    ("400", "malformed request: a control character or invalid UTF-8 in the path, query or body"),
                    ("408", "the request took too long"),
                    ("503", "busy or the database is unreachable; try again after Retry-After seconds"),
                ] {
                    responses.entry(status.to_string()).or_insert_with(|| answer(description).into());
                }
            }
        }
        // Text fields hold no control characters but tab and line breaks (`input`).
        let components = openapi.components.get_or_insert_with(Default::default);
        for schema in components.schemas.values_mut() {
            let utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(object)) = schema else { continue };
            for property in object.properties.values_mut() {
                let utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(field)) = property else { continue };
                let is_text = matches!(
                    &field.schema_type,
                    utoipa::openapi::schema::SchemaType::Type(utoipa::openapi::schema::Type::String)
                );
                if is_text && field.pattern.is_none() && field.enum_values.is_none() {
                    field.pattern = Some(r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$".into());
                }
            }
        }
    }
}

/// The OpenAPI 3.1 document of this API.
pub fn openapi_json() -> String {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| document().to_pretty_json().unwrap_or_default()).clone()
}

async fn openapi() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}

/// The kind of an organisation, as a schema: the values come from `core::org::OrgKind`,
/// so a new kind is documented without a second list.
pub struct OrgKindDto;

/// The kinds of unit a public body has (those of `OrgKind` that are not bodies).
pub struct UnitKindDto;

fn kind_schema(
    description: &str,
    kinds: impl Iterator<Item = sotong_core::org::OrgKind>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(description))
        .enum_values(Some(kinds.map(|kind| kind.key())))
        .into()
}

impl utoipa::PartialSchema for OrgKindDto {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        kind_schema("The kind of an organisation (`core::org::OrgKind`).", sotong_core::org::OrgKind::ALL.into_iter())
    }
}

impl ToSchema for OrgKindDto {}

impl utoipa::PartialSchema for UnitKindDto {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let units = sotong_core::org::OrgKind::ALL.into_iter().filter(|kind| !kind.is_public_body());
        kind_schema("The kinds of unit a public body has.", units)
    }
}

impl ToSchema for UnitKindDto {}

/// An organisation: a public body or one of its units.
#[derive(Serialize, ToSchema)]
pub struct OrgDto {
    pub id: i64,
    /// URL segment: `/{slug}` for a public body, `/{body}/departments/{slug}` for a unit.
    pub slug: String,
    #[schema(value_type = OrgKindDto)]
    pub kind: String,
    pub name_ko: String,
    pub name_en: String,
    /// 행정기관코드 (7 digits), when known.
    pub admin_code: Option<String>,
    pub parent_id: Option<i64>,
}

impl From<Org> for OrgDto {
    fn from(org: Org) -> Self {
        OrgDto {
            id: org.id,
            slug: org.slug,
            kind: org.kind,
            name_ko: org.name_ko,
            name_en: org.name_en,
            admin_code: org.admin_code,
            parent_id: org.parent_id,
        }
    }
}

/// The error body of every failed API request.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// Stable code: not_found, forbidden, login_required, csrf, validation, bad_request,
    /// unsupported_media_type, payload_too_large, too_many_requests, internal.
    pub error: String,
    /// Human-readable message in the request's language (Korean by default).
    pub message: String,
    pub request_id: String,
    /// For `validation`: a message per invalid field.
    pub fields: Option<std::collections::BTreeMap<String, String>>,
    /// For `validation`: each invalid field's stable code (`required`, `already_voted`,
    /// `too_many_picks` …), the same keys as `fields`.
    pub codes: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipDto {
    pub org_id: i64,
    pub role: String,
    pub department_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub memberships: Vec<MembershipDto>,
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeDto), (status = 401, body = ApiError)))]
async fn me(State(state): State<AppState>, ctx: Ctx) -> AppResult<axum::Json<MeDto>> {
    let user = ctx.require_user()?;
    let memberships = state
        .store
        .memberships_of(user.id)
        .await?
        .into_iter()
        .map(|m| MembershipDto { org_id: m.body_id, role: m.role.key().to_string(), department_id: m.department_id })
        .collect();
    Ok(axum::Json(MeDto {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        memberships,
    }))
}

/// Every public body of the installation (provinces, cities, counties, districts).
#[utoipa::path(get, path = "/api/v1/orgs", tag = "organisations", responses((status = 200, body = [OrgDto])))]
async fn list_orgs(State(state): State<AppState>) -> AppResult<PublishedJson<Vec<OrgDto>>> {
    Ok(published_json(state.store.public_bodies().await?.into_iter().map(OrgDto::from).collect()))
}

/// One public body.
#[utoipa::path(get, path = "/api/v1/orgs/{org}", tag = "organisations",
    params(("org" = String, Path, description = "slug of the public body")),
    responses((status = 200, body = OrgDto), (status = 404, body = ApiError)))]
async fn get_org(scope: BodyScope) -> AppResult<PublishedJson<OrgDto>> {
    Ok(published_json(scope.body.into()))
}

/// The units (bureaus, departments, offices) of a public body.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/units", tag = "organisations",
    params(("org" = String, Path, description = "slug of the public body")),
    responses((status = 200, body = [OrgDto]), (status = 404, body = ApiError)))]
async fn list_units(State(state): State<AppState>, scope: BodyScope) -> AppResult<PublishedJson<Vec<OrgDto>>> {
    Ok(published_json(state.store.units(scope.body.id).await?.into_iter().map(OrgDto::from).collect()))
}

/// A unit to create. Fields not listed here are refused (422), not ignored.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnitDto {
    #[schema(value_type = UnitKindDto)]
    pub kind: String,
    pub slug: String,
    pub name_ko: String,
    pub name_en: String,
    /// The bureau it belongs to; the public body itself when absent.
    pub parent_id: Option<i64>,
}

/// Creates a unit (administrators of the body; session cookie and `X-CSRF-Token`).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/units", tag = "organisations",
    params(("org" = String, Path, description = "slug of the public body")),
    request_body = NewUnitDto,
    responses((status = 201, body = OrgDto), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn create_unit_api(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Json(input): Json<NewUnitDto>,
) -> AppResult<Response> {
    scope.require(Permission::ManageDepartments)?;
    let form = UnitForm {
        parent_id: input.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        kind: input.kind,
        slug: input.slug,
        name_ko: input.name_ko,
        name_en: input.name_en,
    };
    let unit = create_unit(&state, &ctx, &scope.body, &form).await?;
    Ok((StatusCode::CREATED, axum::Json(OrgDto::from(unit))).into_response())
}
