//! Complaints' pages (민원, "시장에게 바란다"): the public board and the repeated-
//! complaints board (`board`), filing with the repeat and same-matter checks
//! (`filing`), a complaint's page and what its filer does there (`board`), and the
//! filer's files (`files`), the staff's inbox and handling (`staff`), linking, merging and transfer (`cases`),
//! answer templates (`templates`) and the period's export (`export`). Who may see a complaint is decided once,
//! here (`Access`): a private one only its filer and the staff handling it.

pub mod board;
pub mod cases;
pub mod export;
pub mod files;
pub mod filing;
pub mod open311_keys;
pub mod staff;
pub mod templates;

use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::scope::BodyScope;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, MethodRouter};
use sotong_core::format::{d_day, KstDateTime};
use sotong_core::role::Permission;
use sotong_store::orgs::Org;
use sotong_store::voice::complaints::{Complaint, ComplaintCategory};

pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/{org}/complaints", get(board::list)),
        ("/{org}/complaints/new", get(filing::form).post(filing::submit)),
        ("/{org}/complaints/mine", get(board::mine)),
        ("/{org}/complaints/repeated", get(board::repeated)),
        ("/{org}/complaints/{id}", get(board::page)),
        ("/{org}/complaints/{id}/rate", post(board::rate)),
        ("/{org}/complaints/{id}/reexamine", post(board::reexamine)),
        ("/{org}/complaints/{id}/withdraw", post(board::withdraw)),
        (
            "/{org}/complaints/{id}/files",
            post(files::attach).layer(DefaultBodyLimit::max(crate::html::files::UPLOAD_ROUTE_LIMIT)),
        ),
        ("/{org}/complaints/{id}/files/{file}/remove", post(files::remove)),
        ("/{org}/staff/complaints", get(staff::inbox)),
        ("/{org}/staff/complaints/export", get(export::download)),
        ("/{org}/staff/complaints/{id}", get(staff::page)),
        ("/{org}/staff/complaints/{id}/assign", post(staff::assign)),
        ("/{org}/staff/complaints/{id}/extend", post(staff::extend)),
        ("/{org}/staff/complaints/{id}/answer", post(staff::answer)),
        ("/{org}/staff/complaints/{id}/note", post(staff::note)),
        ("/{org}/staff/complaints/{id}/close", post(staff::close)),
        ("/{org}/staff/complaints/{id}/link", post(cases::link)),
        ("/{org}/staff/complaints/{id}/unlink", post(cases::unlink)),
        ("/{org}/staff/complaints/{id}/merge", post(cases::merge)),
        ("/{org}/staff/complaints/{id}/split", post(cases::split)),
        ("/{org}/staff/complaints/{id}/transfer", post(cases::transfer)),
        ("/{org}/staff/complaints/templates", get(templates::list).post(templates::create)),
        ("/{org}/staff/complaints/templates/{id}/delete", post(templates::delete)),
        ("/{org}/admin/open311", get(open311_keys::list).post(open311_keys::issue)),
        ("/{org}/admin/open311/{id}/revoke", post(open311_keys::revoke)),
    ]
}

/// The complaints' URLs, written once.
pub struct ComplaintUrls<'a> {
    body: &'a Org,
}

impl<'a> ComplaintUrls<'a> {
    pub fn new(body: &'a Org) -> ComplaintUrls<'a> {
        ComplaintUrls { body }
    }

    fn path(&self, rest: &str) -> String {
        crate::urls::body(self.body, rest)
    }

    pub fn board(&self) -> String {
        self.path("/complaints")
    }

    pub fn new_complaint(&self) -> String {
        self.path("/complaints/new")
    }

    pub fn mine(&self) -> String {
        self.path("/complaints/mine")
    }

    pub fn repeated(&self) -> String {
        self.path("/complaints/repeated")
    }

    /// A complaint's page, with a suffix (`/rate`, `?done=filed`).
    pub fn complaint(&self, id: i64, suffix: &str) -> String {
        self.path(&format!("/complaints/{id}{suffix}"))
    }

    pub fn inbox(&self, suffix: &str) -> String {
        self.path(&format!("/staff/complaints{suffix}"))
    }

    /// A complaint in the back office, with a suffix (`/assign`, `?saved=1`).
    pub fn staff(&self, id: i64, suffix: &str) -> String {
        self.path(&format!("/staff/complaints/{id}{suffix}"))
    }
}

/// What a visitor may do with one complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// The filer (signed in as the account that filed it).
    pub is_filer: bool,
    /// Staff handling it: body-wide answerers, or officers of its department.
    pub handles: bool,
}

impl Access {
    pub fn of(scope: &BodyScope, user_id: Option<i64>, complaint: &Complaint) -> Access {
        let handles = scope.roles.allows_body_wide(Permission::AnswerCitizens)
            || complaint.department_id.is_some_and(|d| scope.roles.allows_in(Permission::AnswerCitizens, d));
        Access { is_filer: complaint.is_filed_by(user_id), handles }
    }

    /// A private complaint is seen by its filer and the staff handling it only;
    /// everyone else is told it does not exist.
    pub fn may_read(self, complaint: &Complaint) -> bool {
        complaint.is_public() || self.is_filer || self.handles
    }
}

/// A complaint of the body the visitor may read, or 404.
pub async fn load_readable(
    state: &AppState,
    scope: &BodyScope,
    user_id: Option<i64>,
    id: i64,
) -> AppResult<(Complaint, Access)> {
    let complaint = state.store.complaint(scope.body.id, id).await?.ok_or(AppError::NotFound)?;
    let access = Access::of(scope, user_id, &complaint);
    if !access.may_read(&complaint) {
        return Err(AppError::NotFound);
    }
    Ok((complaint, access))
}

/// How a complaint reads in a list or at the top of its page.
pub struct ComplaintView {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub category: String,
    pub kind: String,
    pub state_key: &'static str,
    pub state: String,
    pub filed: String,
    pub department: Option<String>,
    /// The deadline (`2026. 9. 30. 18:00`) and its D-day while open.
    pub due: Option<String>,
    pub d_day: Option<String>,
    pub overdue: bool,
    pub receipt_late: bool,
    pub is_public: bool,
    pub is_repeat: bool,
    pub in_case: bool,
    pub extensions: i64,
}

impl ComplaintView {
    pub fn new(
        complaint: &Complaint,
        body: &Org,
        categories: &[ComplaintCategory],
        units: &[Org],
        t: &Tr,
        now: i64,
    ) -> ComplaintView {
        let open = complaint.state.is_open();
        ComplaintView {
            id: complaint.id,
            url: ComplaintUrls::new(body).complaint(complaint.id, ""),
            title: complaint.title.clone(),
            category: categories
                .iter()
                .find(|c| c.id == complaint.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            kind: t.t(&format!("complaint_kind.{}", complaint.kind)).to_string(),
            state_key: complaint.state.as_str(),
            state: t.t(&format!("complaint_state.{}", complaint.state)).to_string(),
            filed: t.date(complaint.created_at),
            department: complaint
                .department_id
                .and_then(|id| units.iter().find(|u| u.id == id))
                .map(|u| u.name(t.is_en()).to_string()),
            due: open.then(|| t.date_time(complaint.due_at)),
            d_day: open.then(|| d_day(kst_days_between(now, complaint.due_at), t.lang)),
            overdue: complaint.is_overdue(now),
            receipt_late: complaint.is_receipt_late(now),
            is_public: complaint.is_public(),
            is_repeat: complaint.repeat_of.is_some(),
            in_case: complaint.case_id.is_some(),
            extensions: complaint.extensions,
        }
    }
}

/// Calendar days (KST) from `now` to `due`: 0 on the day, negative once passed —
/// a deadline at 18:00 today is D-day until it passes, then "1일 지남" from tomorrow;
/// passed today, it shows as 지남 at once.
pub fn kst_days_between(now: i64, due: i64) -> i64 {
    let day = |t: i64| (t + sotong_core::format::KST_OFFSET_SECONDS).div_euclid(86_400);
    let days = day(due) - day(now);
    if days == 0 && due < now {
        -1
    } else {
        days
    }
}

/// The deadline a staff member types (`2026-10-02`) as its close of day (18:00 KST).
pub fn due_of_date(raw: &str) -> Option<i64> {
    let unix = sotong_core::format::kst_unix(raw.trim(), 18)?;
    let back = KstDateTime::from_unix(unix);
    // `kst_unix` takes 2026-02-31; a real date reads back the same.
    (format!("{:04}-{:02}-{:02}", back.year, back.month, back.day) == raw.trim()).then_some(unix)
}

pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}
