//! The citizen-voice module's pages: policy proposals (`proposals`: list, page, the
//! two-step form), what citizens do on them (`participation`: support, follow,
//! withdraw, files, comment, report), complaints on the statutory clock
//! (`complaints`: the boards, filing, the staff's inbox), the back office's answering (`answers`: queue, assignment,
//! answers, the body's rules), moderation (`moderation`) and city notices
//! (`notices`, with feeds).

pub mod answers;
pub mod complaints;
pub mod home;
pub mod moderation;
pub mod notices;
pub mod participation;
pub mod proposals;
pub mod urls;
pub mod views;
pub mod workspace;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, MethodRouter};

/// The module's pages, public and back office; `crate::page_routes` adds them to the
/// one route table.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    let mut routes = complaints::routes();
    routes.extend(vec![
        ("/{org}/proposals", get(proposals::list)),
        ("/{org}/proposals/new", get(proposals::form).post(proposals::submit)),
        ("/{org}/proposals/similar", get(proposals::similar_hint)),
        ("/{org}/proposals/{id}", get(proposals::page)),
        ("/{org}/proposals/{id}/support", post(participation::support)),
        ("/{org}/proposals/{id}/withdraw", post(participation::withdraw)),
        ("/{org}/proposals/{id}/comments", post(participation::comment)),
        ("/{org}/proposals/{id}/report", post(participation::report)),
        ("/{org}/proposals/{id}/follow", post(participation::follow)),
        (
            "/{org}/proposals/{id}/files",
            post(participation::attach).layer(DefaultBodyLimit::max(crate::html::files::UPLOAD_ROUTE_LIMIT)),
        ),
        ("/{org}/proposals/{id}/files/{file}/remove", post(participation::remove_file)),
        ("/{org}/staff/proposals", get(answers::queue)),
        ("/{org}/staff/proposals/rules", get(answers::rules_form).post(answers::save_rules)),
        ("/{org}/staff/proposals/{id}", get(answers::proposal)),
        ("/{org}/staff/proposals/{id}/assign", post(answers::assign)),
        ("/{org}/staff/proposals/{id}/answer", post(answers::answer)),
        ("/{org}/staff/moderation", get(moderation::queue).post(moderation::decide)),
        ("/{org}/notices", get(notices::list)),
        ("/{org}/notices/feed.rss", get(notices::rss)),
        ("/{org}/notices/feed.atom", get(notices::atom)),
        ("/{org}/notices/{id}", get(notices::page)),
        ("/{org}/staff/notices", get(notices::staff_list).post(notices::create)),
        ("/{org}/staff/notices/{id}", get(notices::edit_form).post(notices::update)),
        ("/{org}/staff/notices/{id}/withdraw", post(notices::withdraw)),
        (
            "/{org}/staff/notices/{id}/files",
            post(notices::attach).layer(DefaultBodyLimit::max(crate::html::files::UPLOAD_ROUTE_LIMIT)),
        ),
        ("/{org}/staff/notices/{id}/files/{file}/remove", post(notices::remove_file)),
    ]);
    routes
}
