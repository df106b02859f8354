//! The commitments module's pages: plans and their dashboards (`plans`), the list and
//! page of a commitment (`commitment`), downloads (`exports`), following (`follow`),
//! and in the back office the reporting workflow with change requests (`reports`),
//! files on reports (`files`),
//! editing a commitment's details (`edit`) and spreadsheet uploads (`import`).

pub mod commitment;
pub mod edit;
pub mod exports;
pub mod files;
pub mod follow;
pub mod import;
pub mod periods;
pub mod plans;
pub mod reports;
pub mod search;
pub mod setup;
pub mod urls;
pub mod workspace;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, MethodRouter};

/// The module's pages, public and back office; `crate::page_routes` adds them to the
/// one route table.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/{org}/plans", get(plans::plans)),
        ("/{org}/plans/{plan}", get(plans::dashboard)),
        ("/{org}/plans/{plan}/follow", post(follow::follow)),
        ("/{org}/plans/{plan}/commitments", get(commitment::list)),
        ("/{org}/plans/{plan}/commitments/{code}", get(commitment::page)),
        ("/{org}/plans/{plan}/export.csv", get(exports::csv)),
        ("/{org}/plans/{plan}/export.json", get(exports::json)),
        ("/{org}/plans/{plan}/export.xlsx", get(exports::xlsx)),
        ("/{org}/staff/plans", get(setup::plans).post(setup::create)),
        ("/{org}/staff/plans/{plan}", get(reports::overview)),
        ("/{org}/staff/plans/{plan}/close", post(reports::close_period)),
        ("/{org}/staff/plans/{plan}/periods", post(periods::open)),
        (
            "/{org}/staff/plans/{plan}/import",
            get(import::form).post(import::upload).layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES)),
        ),
        ("/{org}/staff/plans/{plan}/import/{file}", get(import::template)),
        ("/{org}/staff/plans/{plan}/reports/{code}", get(reports::report_form).post(reports::save_report)),
        ("/{org}/staff/plans/{plan}/reports/{code}/review", post(reports::review_report)),
        (
            "/{org}/staff/plans/{plan}/reports/{code}/files",
            post(files::attach).layer(DefaultBodyLimit::max(crate::html::files::UPLOAD_ROUTE_LIMIT)),
        ),
        ("/{org}/staff/plans/{plan}/reports/{code}/files/{id}/remove", post(files::remove)),
        ("/{org}/staff/plans/{plan}/reports/{code}/changes", post(reports::request_change)),
        ("/{org}/staff/plans/{plan}/reports/{code}/indicators", post(reports::add_indicator)),
        ("/{org}/staff/plans/{plan}/reports/{code}/milestones", post(reports::add_milestone)),
        ("/{org}/staff/plans/{plan}/reports/{code}/changes/{id}/decide", post(reports::decide_change)),
        ("/{org}/staff/plans/{plan}/commitments/{code}/edit", get(edit::form).post(edit::save)),
    ]
}
