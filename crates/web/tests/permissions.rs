//! The permission matrix, built from the router's own route table: every route and
//! every method it has — each POST included — for every kind of visitor, across
//! departments and across public bodies, on both engines. A route added without a row
//! here fails the test. For writes that are allowed, the write is checked to have
//! happened; for refused ones, that nothing changed.

mod common;

use common::{spawn_app, Browser, Page, TestApp};
use sotong_store::{both_backends, Actor, Store};
use sotong_web::demo::DEMO_PASSWORD;
use std::collections::BTreeSet;

/// Who is asking. `admin@hangaram.example` administers the province, not the city.
const VISITORS: [&str; 9] = [
    "anonymous",
    "citizen@hanbit.example",
    "officer@hanbit.example",
    "coordinator@hanbit.example",
    "secretary@hanbit.example",
    "evaluator@hangaram.example",
    "admin@hanbit.example",
    "operator@sotong.example",
    "admin@hangaram.example",
];

/// A request and what each visitor (in VISITORS order) gets: L = sent to log in
/// (401 for the API), F = 403, N = 404 (what must not be known to exist), O = allowed (200/201, or a redirect elsewhere than the
/// login page). An allowed write is then checked with `check`.
struct Case {
    method: &'static str,
    /// The route as the router has it.
    route: &'static str,
    /// The concrete path; `{report}`, `{review}`, `{change}`, `{membership}` are
    /// filled per run.
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    expect: &'static str,
    check: Check,
}

#[derive(Clone, Copy)]
enum Check {
    None,
    EmailSet,
    AccountDeleted,
    AccountCreated,
    Notified,
    Following,
    UnitCreated(&'static str),
    Granted,
    Revoked,
    ReportSaved,
    ReportApproved,
    ChangeRequested,
    ChangeDecided,
    IndicatorAdded,
    MilestoneAdded,
    Edited,
    Imported,
    PeriodClosed,
    PeriodOpened,
    PlanCreated,
    FileAttached,
    FileRemoved,
    ContactSaved,
    LogoSaved,
    PageSaved,
    PasswordChanged,
    ProposalCreated,
    Supported,
    Commented,
    Reported,
    Assigned,
    Answered,
    RulesSaved,
    Hidden,
    NoticeCreated,
    NoticeUpdated,
    NoticeWithdrawn,
    SupportedApi,
    AnsweredApi,
    FollowingProposal,
    NoticeFileAttached,
    NoticeFileRemoved,
    WebhookAdded,
    WebhookPinged,
    WebhookPaused,
    WebhookRemoved,
    ComplaintFiled,
    /// The visitor's move on a complaint, written into its history under this kind.
    ComplaintEvent(&'static str, &'static str),
    Open311KeyIssued,
    Open311KeyRevoked,
    Open311Filed,
    TemplateAdded,
    TemplateDeleted,
    IdeaSubmitted,
    Verified,
    BallotCast,
    BallotCastApi,
    RosterImported,
    CodesIssued,
    PhaseAdvanced,
    ResultsPublished,
    ProcessCreated,
    PotAdded,
    CategoryAdded,
    NoteSaved,
    MemberAppointed,
    StationAdded,
    CheckedIn,
    PaperEntered,
    Reviewed,
    Selected,
    Scored,
}

const PUBLIC: &str = "OOOOOOOOO";
const SIGNED_IN: &str = "LOOOOOOOO";
const HANBIT_REPORTERS: &str = "LFOOFFFOF";
const HANBIT_PLANNERS: &str = "LFFOFFFOF";
const HANBIT_ADMINS: &str = "LFFFFFOOF";
/// The budgeting workspace: running it (coordinators), reviewing projects and staffing
/// polling stations (officers too).
const BUDGET_STAFF: &str = "LFOOFFFOF";
/// The committee's scoring page: its members only (the coordinator is one here).
const COMMITTEE: &str = "LFFOFFFFF";
/// Handling proposals: AnswerCitizens (officers for their department, coordinators).
const ANSWERERS: &str = "LFOOFFFOF";
/// Moderating and publishing notices: coordinators and administrators of the city.
const CITY_EDITORS: &str = "LFFOFFOOF";
/// Writing reports and asking for changes: the lead department's officers (and the
/// installation operator); coordinators review, they do not report.
const OFFICERS: &str = "LFOFFFFOF";
/// What no visitor may see (a private complaint through Open311) or do without a key.
const NOBODY: &str = "NNNNNNNNN";
const FORBIDDEN: &str = "FFFFFFFFF";
/// What only the author of a proposal may do (the author is none of the visitors).
const AUTHOR_ONLY: &str = "LFFFFFFFF";

macro_rules! case {
    ($method:literal, $route:literal, $path:literal, $expect:expr) => {
        Case { method: $method, route: $route, path: $path, fields: &[], expect: $expect, check: Check::None }
    };
    ($method:literal, $route:literal, $path:literal, $fields:expr, $expect:expr, $check:expr) => {
        Case { method: $method, route: $route, path: $path, fields: $fields, expect: $expect, check: $check }
    };
}

/// In order: reads, then writes, the ones that end or change something (closing the
/// period, changing the password, signing up or in as someone, logging out) last.
const CASES: &[Case] = &[
    case!("GET", "/", "/", PUBLIC),
    case!("GET", "/healthz", "/healthz", PUBLIC),
    case!("GET", "/assets/{*path}", "/assets/sotong.css", PUBLIC),
    case!("GET", "/lang/{code}", "/lang/ko?next=/hanbit", PUBLIC),
    case!("GET", "/signup", "/signup", PUBLIC),
    // An invitation link that does not exist is not found, for everyone.
    case!("GET", "/invite/{token}", "/invite/0000", "NNNNNNNNN"),
    case!("GET", "/login", "/login", PUBLIC),
    case!("GET", "/account", "/account", SIGNED_IN),
    case!("GET", "/notifications", "/notifications", SIGNED_IN),
    case!("GET", "/account/data", "/account/data", SIGNED_IN),
    case!("GET", "/{org}", "/hanbit", PUBLIC),
    case!("GET", "/{org}/departments", "/hangaram/departments", PUBLIC),
    case!("GET", "/{org}/news", "/hanbit/news", PUBLIC),
    case!("GET", "/{org}/feed.rss", "/hanbit/feed.rss", PUBLIC),
    case!("GET", "/{org}/feed.atom", "/hanbit/feed.atom", PUBLIC),
    case!("GET", "/{org}/files/{sha256}/{name}", "/hanbit/files/{published_file}/계획서.pdf", PUBLIC),
    // A file on a report not yet published: the body's staff only.
    case!("GET", "/{org}/files/{sha256}/{name}", "/hanbit/files/{draft_file}/증빙.pdf", "NNOOONOON"),
    // A private complaint's file: its filer (no visitor) and the staff handling it.
    case!("GET", "/{org}/files/{sha256}/{name}", "/hanbit/files/{complaint_file}/민원.pdf", "NNOONNNON"),
    case!("GET", "/{org}/policies/{page}", "/hanbit/policies/privacy", PUBLIC),
    case!("GET", "/{org}/plans", "/hanbit/plans", PUBLIC),
    case!("GET", "/{org}/plans/{plan}", "/hanbit/plans/pledges-8", PUBLIC),
    case!("GET", "/{org}/plans/{plan}/commitments", "/hanbit/plans/pledges-8/commitments", PUBLIC),
    case!("GET", "/{org}/plans/{plan}/commitments/{code}", "/hanbit/plans/pledges-8/commitments/3-01", PUBLIC),
    case!("GET", "/{org}/plans/{plan}/export.csv", "/hanbit/plans/pledges-8/export.csv", PUBLIC),
    case!("GET", "/{org}/plans/{plan}/export.json", "/hanbit/plans/pledges-8/export.json", PUBLIC),
    case!("GET", "/{org}/plans/{plan}/export.xlsx", "/hanbit/plans/pledges-8/export.xlsx", PUBLIC),
    case!("GET", "/{org}/proposals", "/hanbit/proposals", PUBLIC),
    case!("GET", "/{org}/proposals/new", "/hanbit/proposals/new", SIGNED_IN),
    case!("GET", "/{org}/proposals/{id}", "/hanbit/proposals/{proposal}", PUBLIC),
    case!("GET", "/{org}/proposals/similar", "/hanbit/proposals/similar?subject=받은%20제안", PUBLIC),
    case!("GET", "/search", "/search?q=제안", PUBLIC),
    case!("GET", "/{org}/search", "/hanbit/search?q=%E3%85%88%E3%85%8A&kind=proposal", PUBLIC),
    case!("GET", "/{org}/notices", "/hanbit/notices", PUBLIC),
    case!("GET", "/{org}/notices/feed.rss", "/hanbit/notices/feed.rss", PUBLIC),
    case!("GET", "/{org}/notices/feed.atom", "/hanbit/notices/feed.atom?category=event", PUBLIC),
    case!("GET", "/{org}/notices/{id}", "/hanbit/notices/{notice}", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/proposals", "/api/v1/orgs/hanbit/proposals?state=received", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/proposals/{id}", "/api/v1/orgs/hanbit/proposals/{proposal}", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/notices", "/api/v1/orgs/hanbit/notices", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/notices/{id}", "/api/v1/orgs/hanbit/notices/{notice}", PUBLIC),
    case!("GET", "/{org}/staff/proposals", "/hanbit/staff/proposals", ANSWERERS),
    case!("GET", "/{org}/complaints", "/hanbit/complaints?state=open", PUBLIC),
    case!("GET", "/{org}/complaints/new", "/hanbit/complaints/new", SIGNED_IN),
    case!("GET", "/{org}/complaints/mine", "/hanbit/complaints/mine", SIGNED_IN),
    case!("GET", "/{org}/complaints/repeated", "/hanbit/complaints/repeated", PUBLIC),
    case!("GET", "/{org}/complaints/{id}", "/hanbit/complaints/{complaint}", PUBLIC),
    // A private complaint: its filer (none of the visitors) and the staff handling it
    // (culture's officer, body-wide answerers); for everyone else it does not exist.
    case!("GET", "/{org}/complaints/{id}", "/hanbit/complaints/{private_complaint}", "NNOONNNON"),
    case!("GET", "/{org}/staff/complaints", "/hanbit/staff/complaints?view=overdue", ANSWERERS),
    case!("GET", "/{org}/staff/complaints/{id}", "/hanbit/staff/complaints/{private_complaint}", ANSWERERS),
    case!("GET", "/{org}/staff/proposals/rules", "/hanbit/staff/proposals/rules", HANBIT_PLANNERS),
    // The culture officer sees the proposal assigned to culture, not an unassigned one.
    case!("GET", "/{org}/staff/proposals/{id}", "/hanbit/staff/proposals/{assigned}", ANSWERERS),
    case!("GET", "/{org}/staff/proposals/{id}", "/hanbit/staff/proposals/{proposal}", HANBIT_PLANNERS),
    case!("GET", "/{org}/staff/moderation", "/hanbit/staff/moderation", CITY_EDITORS),
    case!("GET", "/{org}/staff/notices", "/hanbit/staff/notices", CITY_EDITORS),
    case!("GET", "/{org}/staff/notices/{id}", "/hanbit/staff/notices/{notice}", CITY_EDITORS),
    // Staff workspaces: a body's own staff only (the evaluator works for the province).
    case!("GET", "/{org}/staff", "/hanbit/staff", "LFOOOFOOF"),
    case!("GET", "/{org}/staff", "/hangaram/staff", "LFFFFOFOO"),
    case!("GET", "/{org}/staff/plans", "/hanbit/staff/plans", HANBIT_PLANNERS),
    case!("GET", "/{org}/staff/plans/{plan}", "/hanbit/staff/plans/pledges-8", HANBIT_REPORTERS),
    // The culture officer reports for culture's commitments, not for the jobs department's.
    case!(
        "GET",
        "/{org}/staff/plans/{plan}/reports/{code}",
        "/hanbit/staff/plans/pledges-8/reports/{report}",
        HANBIT_REPORTERS
    ),
    case!(
        "GET",
        "/{org}/staff/plans/{plan}/reports/{code}",
        "/hanbit/staff/plans/pledges-8/reports/1-01",
        HANBIT_PLANNERS
    ),
    case!("GET", "/{org}/staff/plans/{plan}/import", "/hanbit/staff/plans/pledges-8/import", HANBIT_PLANNERS),
    case!(
        "GET",
        "/{org}/staff/plans/{plan}/import/{file}",
        "/hanbit/staff/plans/pledges-8/import/template.xlsx",
        HANBIT_PLANNERS
    ),
    case!(
        "GET",
        "/{org}/staff/plans/{plan}/commitments/{code}/edit",
        "/hanbit/staff/plans/pledges-8/commitments/3-01/edit",
        HANBIT_PLANNERS
    ),
    case!("GET", "/{org}/admin/departments", "/hanbit/admin/departments", HANBIT_ADMINS),
    case!("GET", "/{org}/admin/departments", "/hangaram/admin/departments", "LFFFFFFOO"),
    case!("GET", "/{org}/admin/members", "/hanbit/admin/members", HANBIT_ADMINS),
    case!("GET", "/{org}/admin/audit", "/hanbit/admin/audit", HANBIT_ADMINS),
    case!("GET", "/{org}/admin/site", "/hanbit/admin/site", HANBIT_ADMINS),
    case!("GET", "/{org}/admin/webhooks", "/hanbit/admin/webhooks", HANBIT_ADMINS),
    case!("GET", "/{org}/admin/webhooks/{id}", "/hanbit/admin/webhooks/{webhook}", HANBIT_ADMINS),
    case!("GET", "/{org}/admin/audit", "/hangaram/admin/audit", "LFFFFFFOO"),
    // The API: public reads, 401 instead of a redirect.
    case!("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", PUBLIC),
    case!("GET", "/api/v1/me", "/api/v1/me", SIGNED_IN),
    case!("GET", "/api/v1/orgs", "/api/v1/orgs", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}", "/api/v1/orgs/hanbit", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/units", "/api/v1/orgs/hanbit/units", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/plans", "/api/v1/orgs/hanbit/plans", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/plans/{plan}/metrics", "/api/v1/orgs/hanbit/plans/pledges-8/metrics", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/plans/{plan}/sectors", "/api/v1/orgs/hanbit/plans/pledges-8/sectors", PUBLIC),
    case!(
        "GET",
        "/api/v1/orgs/{org}/plans/{plan}/commitments",
        "/api/v1/orgs/hanbit/plans/pledges-8/commitments",
        PUBLIC
    ),
    case!("GET", "/api/v1/orgs/{org}/plans/{plan}/snapshots", "/api/v1/orgs/hanbit/plans/pledges-8/snapshots", PUBLIC),
    case!(
        "GET",
        "/api/v1/orgs/{org}/plans/{plan}/snapshots/{period}",
        "/api/v1/orgs/hanbit/plans/pledges-8/snapshots/2026-Q2",
        PUBLIC
    ),
    // Writes.
    case!("POST", "/notifications/read", "/notifications/read", &[], SIGNED_IN, Check::Notified),
    case!(
        "POST",
        "/{org}/plans/{plan}/follow",
        "/hanbit/plans/pledges-8/follow",
        &[("action", "follow")],
        SIGNED_IN,
        Check::Following
    ),
    case!(
        "POST",
        "/{org}/proposals/new",
        "/hanbit/proposals/new",
        &[
            ("subject", "권한 시험 제안 {n}"),
            ("content", "권한 시험을 위한 제안 본문입니다. 스무 자를 넘깁니다."),
            ("category", "transport"),
            ("step", "submit")
        ],
        SIGNED_IN,
        Check::ProposalCreated
    ),
    case!(
        "POST",
        "/{org}/proposals/{id}/support",
        "/hanbit/proposals/{proposal}/support",
        &[("action", "support")],
        SIGNED_IN,
        Check::Supported
    ),
    case!(
        "POST",
        "/{org}/proposals/{id}/comments",
        "/hanbit/proposals/{proposal}/comments",
        &[("comment", "권한 시험 댓글 {n}")],
        SIGNED_IN,
        Check::Commented
    ),
    case!(
        "POST",
        "/{org}/proposals/{id}/report",
        "/hanbit/proposals/{proposal}/report",
        &[("kind", "proposal"), ("reason", "abuse")],
        SIGNED_IN,
        Check::Reported
    ),
    case!(
        "POST",
        "/{org}/proposals/{id}/follow",
        "/hanbit/proposals/{proposal}/follow",
        &[],
        SIGNED_IN,
        Check::FollowingProposal
    ),
    // Files on a proposal are its author's (none of the visitors) to add and remove.
    case!("POST", "/{org}/proposals/{id}/files", "/hanbit/proposals/{proposal}/files", &[], AUTHOR_ONLY, Check::None),
    case!(
        "POST",
        "/{org}/complaints/{id}/files",
        "/hanbit/complaints/{complaint}/files",
        &[],
        AUTHOR_ONLY,
        Check::None
    ),
    case!(
        "POST",
        "/{org}/complaints/{id}/files/{file}/remove",
        "/hanbit/complaints/{private_complaint}/files/{complaint_attachment}/remove",
        &[],
        "LNFFNNNFN",
        Check::None
    ),
    case!(
        "POST",
        "/{org}/proposals/{id}/files/{file}/remove",
        "/hanbit/proposals/{proposal}/files/{proposal_file}/remove",
        &[],
        AUTHOR_ONLY,
        Check::None
    ),
    case!(
        "POST",
        "/api/v1/orgs/{org}/proposals",
        "/api/v1/orgs/hanbit/proposals",
        &[
            ("title", "권한 시험 제안 {n}"),
            ("text", "API로 보내는 권한 시험 제안의 본문입니다. 스무 자를 넘깁니다."),
            ("category", "other")
        ],
        SIGNED_IN,
        Check::ProposalCreated
    ),
    case!(
        "POST",
        "/api/v1/orgs/{org}/proposals/{id}/supports",
        "/api/v1/orgs/hanbit/proposals/{api_assigned}/supports",
        &[],
        SIGNED_IN,
        Check::SupportedApi
    ),
    case!(
        "POST",
        "/api/v1/orgs/{org}/proposals/{id}/assignment",
        "/api/v1/orgs/hanbit/proposals/{proposal}/assignment",
        &[("department", "culture-tourism")],
        HANBIT_PLANNERS,
        Check::Assigned
    ),
    case!(
        "POST",
        "/api/v1/orgs/{org}/proposals/{id}/answer",
        "/api/v1/orgs/hanbit/proposals/{api_assigned}/answer",
        &[
            ("result", "long_term"),
            ("text", "API로 등록하는 권한 시험 답변입니다."),
            ("officer", "문담당"),
            ("contact", "041-360-3120")
        ],
        ANSWERERS,
        Check::AnsweredApi
    ),
    case!(
        "POST",
        "/api/v1/orgs/{org}/notices",
        "/api/v1/orgs/hanbit/notices",
        &[("title", "권한 시험 알림 {n}"), ("text", "API 알림 본문"), ("category", "press")],
        CITY_EDITORS,
        Check::NoticeCreated
    ),
    case!(
        "POST",
        "/{org}/complaints/new",
        "/hanbit/complaints/new",
        &[
            ("category", "{complaint_category}"),
            ("subject", "권한 시험 민원 {n}"),
            ("content", "권한 시험을 위한 민원 본문입니다. 열 자를 넘깁니다."),
            ("visibility", "public"),
            ("step", "submit")
        ],
        SIGNED_IN,
        Check::ComplaintFiled
    ),
    // Only the filer rates, asks again or withdraws; no visitor filed these.
    case!(
        "POST",
        "/{org}/complaints/{id}/rate",
        "/hanbit/complaints/{repeated_complaint}/rate",
        &[("satisfaction", "5")],
        AUTHOR_ONLY,
        Check::None
    ),
    case!(
        "POST",
        "/{org}/complaints/{id}/reexamine",
        "/hanbit/complaints/{assigned_complaint}/reexamine",
        &[("reexamination", "다시 검토해 주세요.")],
        AUTHOR_ONLY,
        Check::None
    ),
    case!(
        "POST",
        "/{org}/complaints/{id}/withdraw",
        "/hanbit/complaints/{complaint}/withdraw",
        &[],
        AUTHOR_ONLY,
        Check::None
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/note",
        "/hanbit/staff/complaints/{complaint}/note",
        &[("note", "권한 시험 메모")],
        ANSWERERS,
        Check::ComplaintEvent("received", "note")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/extend",
        "/hanbit/staff/complaints/{complaint}/extend",
        &[("due_date", "{extend_date}"), ("reason", "현장 조사가 필요합니다.")],
        ANSWERERS,
        Check::ComplaintEvent("received", "extended")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/assign",
        "/hanbit/staff/complaints/{complaint}/assign",
        &[("department", "{culture}")],
        HANBIT_PLANNERS,
        Check::ComplaintEvent("received", "assigned")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/answer",
        "/hanbit/staff/complaints/{assigned_complaint}/answer",
        &[
            ("outcome", "explained"),
            ("answer", "권한 시험을 위한 답변 본문입니다."),
            ("officer", "문담당"),
            ("contact", "041-360-3120")
        ],
        ANSWERERS,
        Check::ComplaintEvent("assigned", "answered")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/close",
        "/hanbit/staff/complaints/{repeated_complaint}/close",
        &[("officer", "문담당"), ("contact", "041-360-3120")],
        ANSWERERS,
        Check::ComplaintEvent("repeated", "closed_repeated")
    ),
    // Any handler links a repeat by hand and unlinks it; the coordinator merges,
    // splits and transfers (as they assign).
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/link",
        "/hanbit/staff/complaints/{assigned_complaint}/link",
        &[("repeat_of", "{complaint}")],
        ANSWERERS,
        Check::ComplaintEvent("assigned", "linked_repeat")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/unlink",
        "/hanbit/staff/complaints/{assigned_complaint}/unlink",
        &[],
        ANSWERERS,
        Check::ComplaintEvent("assigned", "unlinked_repeat")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/merge",
        "/hanbit/staff/complaints/{complaint}/merge",
        &[("case_with", "{assigned_complaint}")],
        HANBIT_PLANNERS,
        Check::ComplaintEvent("received", "merged")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/split",
        "/hanbit/staff/complaints/{complaint}/split",
        &[],
        HANBIT_PLANNERS,
        Check::ComplaintEvent("received", "split")
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/{id}/transfer",
        "/hanbit/staff/complaints/{transfer_complaint}/transfer",
        &[("target", "{province_category}"), ("reason", "도가 관리하는 도로입니다.")],
        HANBIT_PLANNERS,
        Check::ComplaintEvent("transfer", "transferred")
    ),
    case!("GET", "/{org}/staff/complaints/templates", "/hanbit/staff/complaints/templates", ANSWERERS),
    case!(
        "POST",
        "/{org}/staff/complaints/templates",
        "/hanbit/staff/complaints/templates",
        &[("template_title", "권한 시험 서식 {n}"), ("template_body", "권한 시험을 위한 답변 서식의 본문입니다.")],
        HANBIT_PLANNERS,
        Check::TemplateAdded
    ),
    case!(
        "POST",
        "/{org}/staff/complaints/templates/{id}/delete",
        "/hanbit/staff/complaints/templates/{complaint_template}/delete",
        &[],
        HANBIT_PLANNERS,
        Check::TemplateDeleted
    ),
    case!("GET", "/{org}/budgeting", "/hanbit/budgeting", PUBLIC),
    case!("GET", "/{org}/budgeting/{process}", "/hanbit/budgeting/vote-2027", PUBLIC),
    case!("GET", "/{org}/budgeting/{process}/projects/{id}", "/hanbit/budgeting/vote-2027/projects/{vote_project}", PUBLIC),
    case!("GET", "/{org}/budgeting/{process}/ideas/new", "/hanbit/budgeting/ideas-2027/ideas/new", SIGNED_IN),
    case!("GET", "/{org}/budgeting/{process}/ballot", "/hanbit/budgeting/vote-2027/ballot", SIGNED_IN),
    case!("GET", "/{org}/budgeting/{process}/receipt", "/hanbit/budgeting/vote-2027/receipt", PUBLIC),
    case!("GET", "/{org}/budgeting/{process}/results", "/hanbit/budgeting/done-2026/results", PUBLIC),
    case!("GET", "/{org}/budgeting/{process}/ballots.txt", "/hanbit/budgeting/done-2026/ballots.txt", PUBLIC),
    case!(
        "GET",
        "/{org}/budgeting/{process}/pots/{pot}/ballots.pb",
        "/hanbit/budgeting/done-2026/pots/{done_pot}/ballots.pb",
        PUBLIC
    ),
    case!("GET", "/{org}/staff/budgeting", "/hanbit/staff/budgeting", BUDGET_STAFF),
    case!("GET", "/{org}/staff/budgeting/{process}", "/hanbit/staff/budgeting/count-2026", BUDGET_STAFF),
    case!("GET", "/{org}/staff/budgeting/new", "/hanbit/staff/budgeting/new", HANBIT_PLANNERS),
    case!(
        "POST",
        "/{org}/staff/budgeting/new",
        "/hanbit/staff/budgeting/new",
        &[
            ("title", "권한 시험 주민참여예산 {n}"),
            ("slug", "matrix-{n}"),
            ("description", "권한 시험을 위한 주민참여예산입니다."),
            ("min_age", "14"),
            ("bases", "resident"),
            ("rule", "greedy_votes"),
            ("resident_percent", "100"),
            ("committee_percent", "0"),
            ("paper_weight", "1"),
            ("normalisation", "max"),
            ("committee_max_score", "100"),
            ("warn_ratio", "50")
        ],
        HANBIT_PLANNERS,
        Check::ProcessCreated
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/pots",
        "/hanbit/staff/budgeting/ideas-2027/pots",
        &[("name", "권한 시험 분야 {n}"), ("budget", "100,000,000"), ("ballot_kind", "approval"), ("max_picks", "3")],
        HANBIT_PLANNERS,
        Check::PotAdded
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/categories",
        "/hanbit/staff/budgeting/ideas-2027/categories",
        &[("name", "권한 시험 분류 {n}"), ("max_picks", "1")],
        HANBIT_PLANNERS,
        Check::CategoryAdded
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/notes",
        "/hanbit/staff/budgeting/ideas-2027/notes",
        &[("phase", "proposals"), ("starts_on", "2027-03-02"), ("ends_on", "2027-04-30"), ("rules", "권한 시험 규칙 {n}")],
        HANBIT_PLANNERS,
        Check::NoteSaved
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/committee",
        "/hanbit/staff/budgeting/ideas-2027/committee",
        &[("email", "citizen@hanbit.example")],
        HANBIT_PLANNERS,
        Check::MemberAppointed
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/stations",
        "/hanbit/staff/budgeting/vote-2027/stations",
        &[("name", "권한 시험 투표소 {n}"), ("place", "한빛시청 1층")],
        HANBIT_PLANNERS,
        Check::StationAdded
    ),
    case!(
        "GET",
        "/{org}/staff/budgeting/{process}/stations/{station}",
        "/hanbit/staff/budgeting/vote-2027/stations/{station}",
        BUDGET_STAFF
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/stations/{station}/check-in",
        "/hanbit/staff/budgeting/vote-2027/stations/{station}/check-in",
        &[("name", "권한시"), ("born_on", "1980-05-05"), ("phone", "010-5555-0101"), ("basis", "resident")],
        BUDGET_STAFF,
        Check::CheckedIn
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/stations/{station}/paper",
        "/hanbit/staff/budgeting/vote-2027/stations/{station}/paper",
        &[("sheet", "권한-{n}"), ("district", ""), ("pick", "{vote_project}")],
        BUDGET_STAFF,
        Check::PaperEntered
    ),
    case!(
        "GET",
        "/{org}/staff/budgeting/{process}/projects/{id}",
        "/hanbit/staff/budgeting/review-2027/projects/{review_project}",
        BUDGET_STAFF
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/projects/{id}/feasibility",
        "/hanbit/staff/budgeting/review-2027/projects/{review_project}/feasibility",
        &[("feasibility", "conditional"), ("reason", "권한 시험 검토 {n}"), ("estimated_cost", "")],
        BUDGET_STAFF,
        Check::Reviewed
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/projects/{id}/selection",
        "/hanbit/staff/budgeting/select-2027/projects/{select_project}/selection",
        &[("on_ballot", "1")],
        HANBIT_PLANNERS,
        Check::Selected
    ),
    case!("GET", "/{org}/budgeting/{process}/committee", "/hanbit/budgeting/vote-2027/committee", COMMITTEE),
    case!(
        "POST",
        "/{org}/budgeting/{process}/committee",
        "/hanbit/budgeting/vote-2027/committee",
        &[("score_{vote_project}", "73")],
        COMMITTEE,
        Check::Scored
    ),
    case!("GET", "/{org}/verify", "/hanbit/verify?next=/hanbit/budgeting/vote-2027/ballot", SIGNED_IN),
    case!("GET", "/{org}/staff/residents", "/hanbit/staff/residents", CITY_EDITORS),
    case!(
        "POST",
        "/{org}/staff/residents/roster",
        "/hanbit/staff/residents/roster",
        &[("name", "권한 명부 {n}")],
        CITY_EDITORS,
        Check::RosterImported
    ),
    case!(
        "POST",
        "/{org}/staff/residents/codes",
        "/hanbit/staff/residents/codes",
        &[("batch", "권한 시험 {n}"), ("count", "2")],
        CITY_EDITORS,
        Check::CodesIssued
    ),
    case!("GET", "/api/v1/orgs/{org}/budgeting", "/api/v1/orgs/hanbit/budgeting", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/budgeting/{process}", "/api/v1/orgs/hanbit/budgeting/vote-2027", PUBLIC),
    case!("GET", "/api/v1/orgs/{org}/budgeting/{process}/results", "/api/v1/orgs/hanbit/budgeting/done-2026/results", PUBLIC),
    case!(
        "POST",
        "/{org}/budgeting/{process}/receipt",
        "/hanbit/budgeting/vote-2027/receipt",
        &[("code", "{receipt}")],
        PUBLIC,
        Check::None
    ),
    case!(
        "POST",
        "/{org}/budgeting/{process}/ideas/new",
        "/hanbit/budgeting/ideas-2027/ideas/new",
        &[
            ("title", "권한 시험 사업 {n}"),
            ("description", "권한 시험을 위해 제안하는 주민참여예산 사업입니다."),
            ("pot", "{ideas_pot}"),
            ("cost", "10,000,000"),
            ("step", "submit")
        ],
        SIGNED_IN,
        Check::IdeaSubmitted
    ),
    // Verifying comes before the ballot: each visitor verifies with the city's code.
    case!(
        "POST",
        "/{org}/verify",
        "/hanbit/verify",
        &[("method", "code"), ("code", "maze-wxyz-2345"), ("next", "/hanbit/budgeting/vote-2027/ballot")],
        SIGNED_IN,
        Check::Verified
    ),
    case!(
        "POST",
        "/{org}/budgeting/{process}/ballot",
        "/hanbit/budgeting/vote-2027/ballot",
        &[("pick", "{vote_project}")],
        SIGNED_IN,
        Check::BallotCast
    ),
    // Through the API, in another process: each visitor (verified just above) votes once.
    case!(
        "POST",
        "/api/v1/orgs/{org}/budgeting/{process}/ballots",
        "/api/v1/orgs/hanbit/budgeting/api-vote-2027/ballots",
        &[("project", "{api_vote_project}")],
        SIGNED_IN,
        Check::BallotCastApi
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/phase",
        "/hanbit/staff/budgeting/ideas-2027/phase",
        &[("to", "feasibility")],
        HANBIT_PLANNERS,
        Check::PhaseAdvanced
    ),
    case!(
        "POST",
        "/{org}/staff/budgeting/{process}/publish",
        "/hanbit/staff/budgeting/count-2026/publish",
        &[],
        HANBIT_PLANNERS,
        Check::ResultsPublished
    ),
    // Only the author withdraws a proposal; no visitor wrote this one.
    case!(
        "POST",
        "/{org}/proposals/{id}/withdraw",
        "/hanbit/proposals/{proposal}/withdraw",
        &[],
        "LFFFFFFFF",
        Check::None
    ),
    case!(
        "POST",
        "/{org}/staff/proposals/{id}/assign",
        "/hanbit/staff/proposals/{proposal}/assign",
        &[("department", "{culture}")],
        HANBIT_PLANNERS,
        Check::Assigned
    ),
    case!(
        "POST",
        "/{org}/staff/proposals/{id}/answer",
        "/hanbit/staff/proposals/{assigned}/answer",
        &[
            ("result", "accepted"),
            ("answer", "권한 시험 답변입니다. 반영하겠습니다."),
            ("officer", "문담당"),
            ("contact", "041-360-3120")
        ],
        ANSWERERS,
        Check::Answered
    ),
    case!(
        "POST",
        "/{org}/staff/proposals/rules",
        "/hanbit/staff/proposals/rules",
        &[
            ("support_threshold", "77"),
            ("support_window_days", "30"),
            ("answer_days", "14"),
            ("threshold_answer_days", "30"),
            ("comments_enabled", "1")
        ],
        HANBIT_PLANNERS,
        Check::RulesSaved
    ),
    case!(
        "POST",
        "/{org}/staff/moderation",
        "/hanbit/staff/moderation",
        &[("kind", "proposal"), ("id", "{proposal}"), ("decision", "hide"), ("reason", "권한 시험 숨김")],
        CITY_EDITORS,
        Check::Hidden
    ),
    case!(
        "POST",
        "/{org}/staff/notices",
        "/hanbit/staff/notices",
        &[("subject", "권한 시험 알림 {n}"), ("content", "알림 본문"), ("category", "general")],
        CITY_EDITORS,
        Check::NoticeCreated
    ),
    case!(
        "POST",
        "/{org}/staff/notices/{id}",
        "/hanbit/staff/notices/{notice}",
        &[("subject", "권한 시험 수정 {n}"), ("content", "알림 본문"), ("category", "event")],
        CITY_EDITORS,
        Check::NoticeUpdated
    ),
    case!(
        "POST",
        "/{org}/staff/notices/{id}/files",
        "/hanbit/staff/notices/{notice}/files",
        &[],
        CITY_EDITORS,
        Check::NoticeFileAttached
    ),
    case!(
        "POST",
        "/{org}/staff/notices/{id}/files/{file}/remove",
        "/hanbit/staff/notices/{notice}/files/{notice_file}/remove",
        &[],
        CITY_EDITORS,
        Check::NoticeFileRemoved
    ),
    case!(
        "POST",
        "/{org}/staff/notices/{id}/withdraw",
        "/hanbit/staff/notices/{notice}/withdraw",
        &[],
        CITY_EDITORS,
        Check::NoticeWithdrawn
    ),
    case!(
        "POST",
        "/{org}/admin/departments",
        "/hanbit/admin/departments",
        &[("kind", "department"), ("slug", "matrix-{n}"), ("name_ko", "권한시험과"), ("name_en", "Matrix")],
        HANBIT_ADMINS,
        Check::UnitCreated("hanbit")
    ),
    case!(
        "POST",
        "/{org}/admin/departments",
        "/hangaram/admin/departments",
        &[("kind", "department"), ("slug", "matrix-{n}"), ("name_ko", "권한시험과"), ("name_en", "Matrix")],
        "LFFFFFFOO",
        Check::UnitCreated("hangaram")
    ),
    case!(
        "POST",
        "/{org}/admin/members",
        "/hanbit/admin/members",
        &[("email", "citizen@hanbit.example"), ("role", "council_secretary")],
        HANBIT_ADMINS,
        Check::Granted
    ),
    case!(
        "POST",
        "/{org}/admin/members/{id}/revoke",
        "/hanbit/admin/members/{membership}/revoke",
        &[],
        HANBIT_ADMINS,
        Check::Revoked
    ),
    case!(
        "POST",
        "/{org}/admin/site",
        "/hanbit/admin/site",
        &[("address", "(31787) 권한시 시청로 {n}"), ("phone", "041-360-3114")],
        HANBIT_ADMINS,
        Check::ContactSaved
    ),
    case!("POST", "/{org}/admin/site/logo", "/hanbit/admin/site/logo", &[], HANBIT_ADMINS, Check::LogoSaved),
    case!(
        "POST",
        "/{org}/admin/webhooks",
        "/hanbit/admin/webhooks",
        &[("url", "http://127.0.0.1:9/matrix-{n}"), ("event_notice_published", "1")],
        HANBIT_ADMINS,
        Check::WebhookAdded
    ),
    case!(
        "POST",
        "/{org}/admin/webhooks/{id}/ping",
        "/hanbit/admin/webhooks/{webhook}/ping",
        &[],
        HANBIT_ADMINS,
        Check::WebhookPinged
    ),
    case!(
        "POST",
        "/{org}/admin/webhooks/{id}/active",
        "/hanbit/admin/webhooks/{webhook}/active",
        &[("active", "0")],
        HANBIT_ADMINS,
        Check::WebhookPaused
    ),
    case!(
        "POST",
        "/{org}/admin/webhooks/{id}/remove",
        "/hanbit/admin/webhooks/{webhook}/remove",
        &[],
        HANBIT_ADMINS,
        Check::WebhookRemoved
    ),
    case!("GET", "/{org}/admin/open311", "/hanbit/admin/open311", HANBIT_ADMINS),
    case!(
        "POST",
        "/{org}/admin/open311",
        "/hanbit/admin/open311",
        &[("open311_key_name", "권한 시험 연계 {n}")],
        HANBIT_ADMINS,
        Check::Open311KeyIssued
    ),
    case!(
        "GET",
        "/{org}/staff/complaints/export",
        "/hanbit/staff/complaints/export?from=2026-01-01&to=2026-12-31",
        ANSWERERS
    ),
    case!("GET", "/api/v1/orgs/{org}/complaints/figures", "/api/v1/orgs/hanbit/complaints/figures", PUBLIC),
    // Open311 reads are public; its one write needs an issued key, whoever sends it.
    case!("GET", "/{org}/open311/v2/{resource}", "/hanbit/open311/v2/services.json", PUBLIC),
    case!("GET", "/{org}/open311/v2/services/{resource}", "/hanbit/open311/v2/services/festivals.xml", PUBLIC),
    case!("GET", "/{org}/open311/v2/requests/{resource}", "/hanbit/open311/v2/requests/{complaint}.json", PUBLIC),
    case!(
        "GET",
        "/{org}/open311/v2/requests/{resource}",
        "/hanbit/open311/v2/requests/{private_complaint}.json",
        NOBODY
    ),
    case!("GET", "/{org}/open311/v2/tokens/{resource}", "/hanbit/open311/v2/tokens/{complaint}.json", NOBODY),
    case!(
        "POST",
        "/{org}/open311/v2/{resource}",
        "/hanbit/open311/v2/requests.json",
        &[("service_code", "festivals"), ("description", "권한 시험 연계 민원 {n}: 열 자를 넘기는 내용입니다.")],
        FORBIDDEN,
        Check::None
    ),
    case!(
        "POST",
        "/{org}/open311/v2/{resource}",
        "/hanbit/open311/v2/requests.json",
        &[
            ("api_key", "matrix-open311-key"),
            ("service_code", "festivals"),
            ("description", "권한 시험 연계 민원 {n}: 열 자를 넘기는 내용입니다.")
        ],
        PUBLIC,
        Check::Open311Filed
    ),
    // After the filing above: the key it used is revoked here.
    case!(
        "POST",
        "/{org}/admin/open311/{id}/revoke",
        "/hanbit/admin/open311/{open311_key}/revoke",
        &[],
        HANBIT_ADMINS,
        Check::Open311KeyRevoked
    ),
    case!(
        "POST",
        "/{org}/admin/site/pages/{page}",
        "/hanbit/admin/site/pages/terms",
        &[("content", "권한 시험 약관 {n}")],
        HANBIT_ADMINS,
        Check::PageSaved
    ),
    case!(
        "POST",
        "/api/v1/orgs/{org}/units",
        "/api/v1/orgs/hanbit/units",
        &[("kind", "department"), ("slug", "api-{n}"), ("name_ko", "권한시험과"), ("name_en", "Matrix")],
        HANBIT_ADMINS,
        Check::UnitCreated("hanbit")
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}",
        "/hanbit/staff/plans/pledges-8/reports/{report}",
        &[
            ("status", "on_track"),
            ("progress", "40"),
            ("achievements", "권한 시험 실적"),
            ("budget_executed", "0"),
            ("action", "draft")
        ],
        OFFICERS,
        Check::ReportSaved
    ),
    // Across departments: the jobs department's report, with the same fields.
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}",
        "/hanbit/staff/plans/pledges-8/reports/1-01",
        &[
            ("status", "on_track"),
            ("progress", "40"),
            ("achievements", "권한 시험 실적"),
            ("budget_executed", "0"),
            ("action", "draft")
        ],
        "LFFFFFFOF",
        Check::None
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}/review",
        "/hanbit/staff/plans/pledges-8/reports/{review}/review",
        &[("decision", "approve")],
        HANBIT_PLANNERS,
        Check::ReportApproved
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}/files",
        "/hanbit/staff/plans/pledges-8/reports/{report}/files",
        &[],
        OFFICERS,
        Check::FileAttached
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}/files/{id}/remove",
        "/hanbit/staff/plans/pledges-8/reports/{report}/files/{attachment}/remove",
        &[],
        OFFICERS,
        Check::FileRemoved
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}/changes",
        "/hanbit/staff/plans/pledges-8/reports/{report}/changes",
        &[("kind", "modify"), ("reason", "권한 시험 조정")],
        OFFICERS,
        Check::ChangeRequested
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}/changes/{id}/decide",
        "/hanbit/staff/plans/pledges-8/reports/{report}/changes/{change}/decide",
        &[("decision", "approve"), ("decision_note", "승인")],
        HANBIT_PLANNERS,
        Check::ChangeDecided
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}/indicators",
        "/hanbit/staff/plans/pledges-8/reports/{report}/indicators",
        &[("indicator_name", "권한 지표"), ("unit", "건"), ("target_value", "10")],
        HANBIT_PLANNERS,
        Check::IndicatorAdded
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/reports/{code}/milestones",
        "/hanbit/staff/plans/pledges-8/reports/{report}/milestones",
        &[("milestone_title", "권한 시험 일정"), ("due_date", "2026-09-30")],
        HANBIT_PLANNERS,
        Check::MilestoneAdded
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/commitments/{code}/edit",
        "/hanbit/staff/plans/pledges-8/commitments/3-01/edit",
        &[
            ("title", "권한 시험 제목"),
            ("budget_national", "0"),
            ("budget_provincial", "0"),
            ("budget_city", "0"),
            ("budget_other", "0")
        ],
        HANBIT_PLANNERS,
        Check::Edited
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/import",
        "/hanbit/staff/plans/pledges-8/import",
        &[],
        HANBIT_PLANNERS,
        Check::Imported
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/close",
        "/hanbit/staff/plans/pledges-8/close",
        &[],
        HANBIT_PLANNERS,
        Check::PeriodClosed
    ),
    case!(
        "POST",
        "/{org}/staff/plans",
        "/hanbit/staff/plans",
        &[
            ("title_ko", "권한 시험 계획"),
            ("slug", "matrix-plan-{n}"),
            ("kind", "policy_tasks"),
            ("term_start", "2026-01-01"),
            ("term_end", "2026-12-31"),
            ("cadence", "quarterly"),
            ("sectors", "시험 분야")
        ],
        HANBIT_PLANNERS,
        Check::PlanCreated
    ),
    case!(
        "POST",
        "/{org}/staff/plans/{plan}/periods",
        "/hanbit/staff/plans/pledges-8/periods",
        &[("period", "2026-Q4"), ("due_date", "2027-01-10")],
        HANBIT_PLANNERS,
        Check::PeriodOpened
    ),
    case!("POST", "/account/email", "/account/email", &[], SIGNED_IN, Check::EmailSet),
    case!(
        "POST",
        "/account/password",
        "/account/password",
        &[
            ("current_password", DEMO_PASSWORD),
            ("new_password", "새롭고 충분히 긴 비밀번호"),
            ("new_password_confirm", "새롭고 충분히 긴 비밀번호")
        ],
        SIGNED_IN,
        Check::PasswordChanged
    ),
    case!(
        "POST",
        "/account/delete",
        "/account/delete",
        &[("current_password", "새롭고 충분히 긴 비밀번호"), ("confirm", "yes")],
        SIGNED_IN,
        Check::AccountDeleted
    ),
    case!("POST", "/invite/{token}", "/invite/0000", &[("password", "x")], "NNNNNNNNN", Check::None),
    case!(
        "POST",
        "/signup",
        "/signup",
        &[
            ("email", "new-{n}@example.kr"),
            ("display_name", "새 시민"),
            ("password", "충분히 긴 비밀번호"),
            ("password_confirm", "충분히 긴 비밀번호"),
            ("consent_personal_data", "yes"),
            ("consent_terms", "yes")
        ],
        PUBLIC,
        Check::AccountCreated
    ),
    case!(
        "POST",
        "/login",
        "/login",
        &[("email", "member@hanbit.example"), ("password", DEMO_PASSWORD)],
        PUBLIC,
        Check::None
    ),
    case!("POST", "/logout", "/logout", &[], PUBLIC, Check::None),
];

/// What one run fills into the paths: culture commitments with no report and with a
/// submitted one, a pending change request and a membership to revoke.
struct Fixture {
    /// Budgeting: a project on the ballot of `vote-2027`, the receipt of a ballot cast
    /// there, the pot of the published `done-2026`, the pot of `ideas-2027`.
    vote_project: String,
    api_vote_project: String,
    receipt: String,
    done_pot: String,
    ideas_pot: String,
    /// A polling station of `vote-2027`, a project awaiting review in `review-2027`,
    /// a feasible one awaiting selection in `select-2027`.
    station: String,
    review_project: String,
    select_project: String,
    report: String,
    review: String,
    change: String,
    membership: String,
    /// SHA-256 of a file the city published, and of one on an unpublished report.
    published_file: String,
    draft_file: String,
    /// The draft file's attachment id.
    attachment: String,
    /// A received proposal, one assigned to the culture department, the culture
    /// department's id, and a notice.
    proposal: String,
    assigned: String,
    culture: String,
    notice: String,
    /// Another proposal assigned to culture, answered through the API.
    api_assigned: String,
    /// A webhook of the city.
    webhook: String,
    /// A file on the received proposal (its author's) and one on the notice.
    proposal_file: String,
    notice_file: String,
    /// Complaints of 박제안 to culture: received (public), assigned, private, and the
    /// third filing of a matter answered twice (closable); the culture category; the
    /// day after the received one's deadline (a valid extension).
    complaint: String,
    assigned_complaint: String,
    private_complaint: String,
    repeated_complaint: String,
    complaint_category: String,
    extend_date: String,
    /// The city's Open311 key (`matrix-open311-key`).
    open311_key: String,
    /// A received complaint to transfer, a category of the province to transfer it
    /// to, and an answer template of the city.
    transfer_complaint: String,
    province_category: String,
    complaint_template: String,
    /// A file on the private complaint: its SHA-256 and attachment id.
    complaint_file: String,
    complaint_attachment: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let store = &app.store;
    let common::PledgePlan { city, plan, open } = common::pledge_plan(app).await;
    let cli = Actor::cli();
    // The province's own administrator, for the across-bodies rows.
    let email = sotong_core::user::Email::parse("admin@hangaram.example").unwrap();
    let hash = sotong_web::passwords::hash_password(DEMO_PASSWORD).unwrap();
    let admin = store.create_user(&cli, &email, "도관리", &hash, false).await.unwrap();
    let province = store.public_body("hangaram").await.unwrap().unwrap();
    store.grant_role(&cli, admin.id, province.id, sotong_core::role::Role::Administrator, None).await.unwrap();
    let culture = store.unit(city.id, "culture-tourism").await.unwrap().unwrap();
    let reports = store.reports(open.id).await.unwrap();
    let mine: Vec<_> =
        store.commitments(plan.id).await.unwrap().into_iter().filter(|c| c.lead_department_id == culture.id).collect();
    let without_report = mine.iter().find(|c| reports.iter().all(|r| r.commitment_id != c.id)).unwrap();
    let submitted = mine
        .iter()
        .find(|c| reports.iter().any(|r| r.commitment_id == c.id && r.state.as_str() == "submitted"))
        .unwrap();
    let change = store
        .request_change(
            &cli,
            &plan,
            without_report,
            sotong_core::commitments::states::ChangeKind::Hold,
            "예산 확보 지연",
        )
        .await
        .unwrap();
    let email = sotong_core::user::Email::parse("member@hanbit.example").unwrap();
    let member = store.create_user(&cli, &email, "회원", &hash, false).await.unwrap();
    let grant = store.grant_role(&cli, member.id, city.id, sotong_core::role::Role::Evaluator, None).await.unwrap();
    let file = |bytes: &'static [u8], name: &str| sotong_store::files::NewFile {
        name: name.into(),
        kind: sotong_core::files::FileKind::Pdf,
        bytes,
    };
    let plan_doc = file(b"%PDF-1.4 plan", "계획서.pdf");
    let published = store.attach_to_commitment(&cli, &plan, without_report, &plan_doc).await.unwrap();
    sqlx::query("INSERT INTO published_files (body_id, sha256) VALUES ($1, $2)")
        .bind(city.id)
        .bind(&published.sha256)
        .execute(store.pool())
        .await
        .unwrap();
    let evidence = file(b"%PDF-1.4 evidence", "증빙.pdf");
    let draft = store.attach_to_report(&cli, &plan, without_report, &open, &evidence).await.unwrap();
    let email = sotong_core::user::Email::parse("proposer@hanbit.example").unwrap();
    let proposer = store.create_user(&cli, &email, "박제안", &hash, false).await.unwrap();
    let new = |title: &str| {
        sotong_core::voice::proposals::NewProposal::parse(
            title,
            "권한 시험을 위해 미리 만든 제안의 본문입니다.",
            "welfare",
            "",
        )
        .unwrap()
    };
    let proposal = store.create_proposal(&cli, city.id, proposer.id, &new("받은 제안 하나")).await.unwrap();
    let assigned = store.create_proposal(&cli, city.id, proposer.id, &new("배정된 제안 하나")).await.unwrap();
    let rules = sotong_core::voice::proposals::ProposalRules::default();
    store.assign_proposal(&cli, "hanbit", &assigned, culture.id, &rules).await.unwrap();
    let api_assigned = store.create_proposal(&cli, city.id, proposer.id, &new("API로 답할 제안")).await.unwrap();
    store.assign_proposal(&cli, "hanbit", &api_assigned, culture.id, &rules).await.unwrap();
    let notice = sotong_core::voice::notices::NewNotice::parse(
        "권한 시험 알림",
        "본문",
        "general",
        false,
        "2026-01-01",
        "",
        "2026-01-01",
    )
    .unwrap();
    let notice = store.create_notice(&cli, city.id, &notice).await.unwrap();
    let hook = sotong_core::webhooks::NewWebhook::parse("http://127.0.0.1:9/matrix", &["proposal.answered".into()], "")
        .unwrap();
    let webhook = store.create_webhook(&cli, city.id, &hook, "whsec_matrix").await.unwrap();
    let open311_key = store.issue_open311_key(&cli, city.id, "권한 시험 연계", "matrix-open311-key").await.unwrap();
    let on = |owner| {
        let store = store.clone();
        async move {
            let photo = sotong_store::files::NewFile {
                name: "현장 사진.pdf".into(),
                kind: sotong_core::files::FileKind::Pdf,
                bytes: b"%PDF-1.4 site",
            };
            store.attach_voice_file(&Actor::cli(), city.id, owner, &photo).await.unwrap().id.to_string()
        }
    };
    let proposal_file = on(sotong_store::voice::attachments::Owner::Proposal(proposal.id)).await;
    let complaints = complaints(store, city.id, culture.id, &proposer).await;
    let notice_file = on(sotong_store::voice::attachments::Owner::Notice(notice.id)).await;
    let (transfer_complaint, province_category, complaint_template) =
        transfer_and_template(store, city.id, &proposer).await;
    let statement = sotong_store::files::NewFile {
        name: "소득 자료.pdf".into(),
        kind: sotong_core::files::FileKind::Pdf,
        bytes: b"%PDF-1.4 private complaint",
    };
    let private_id = complaints.2.parse().unwrap();
    let owner = sotong_store::voice::attachments::Owner::Complaint(private_id);
    let complaint_file = store.attach_voice_file(&Actor::cli(), city.id, owner, &statement).await.unwrap();
    let budgeting = budgeting(store, city.id).await;
    Fixture {
        vote_project: budgeting.0,
        api_vote_project: budgeting.4,
        receipt: budgeting.1,
        done_pot: budgeting.2,
        ideas_pot: budgeting.3,
        station: budgeting.5,
        review_project: budgeting.6,
        select_project: budgeting.7,
        complaint_file: complaint_file.sha256.clone(),
        complaint_attachment: complaint_file.id.to_string(),
        transfer_complaint,
        province_category,
        complaint_template,
        complaint: complaints.0,
        assigned_complaint: complaints.1,
        private_complaint: complaints.2,
        repeated_complaint: complaints.3,
        complaint_category: complaints.4,
        extend_date: complaints.5,
        proposal_file,
        notice_file,
        webhook: webhook.id.to_string(),
        open311_key: open311_key.id.to_string(),
        proposal: proposal.id.to_string(),
        assigned: assigned.id.to_string(),
        culture: culture.id.to_string(),
        notice: notice.id.to_string(),
        api_assigned: api_assigned.id.to_string(),
        report: without_report.code.clone(),
        review: submitted.code.clone(),
        change: change.id.to_string(),
        membership: grant.id.to_string(),
        published_file: published.sha256,
        draft_file: draft.sha256,
        attachment: draft.id.to_string(),
    }
}

/// The budgeting processes the rows act on: `ideas-2027` taking ideas, `vote-2027`
/// voting (with one ballot cast), `done-2026` published, `count-2026` counted but not
/// published; and the city's voting code `MAZE-WXYZ-2345`.
async fn budgeting(store: &Store, city: i64) -> (String, String, String, String, String, String, String, String) {
    use sotong_core::budgeting::ballot::Ballot;
    use sotong_core::budgeting::Phase;
    use sotong_store::testing::budget_process;
    let cli = Actor::cli();
    let (ideas, _) = budget_process(store, city, "ideas-2027", Phase::Proposals).await;
    let ideas_pot = store.process_setup(ideas).await.unwrap().pots[0].id;
    let ballot_in = |process: sotong_store::budgeting::Process, projects: Vec<sotong_store::budgeting::projects::Project>| {
        let store = store.clone();
        async move {
            let setup = store.process_setup(process.clone()).await.unwrap();
            let pot = &setup.pots[0];
            let ballot = Ballot { pots: [(pot.id, [(projects[0].id, 1)].into())].into() };
            let ballot = setup.ballot_sheet(&projects).check(None, ballot).unwrap();
            let receipt = store.cast_ballot(&Actor::cli(), &process, "fixture-person", &ballot).await.unwrap();
            (receipt.code, pot.id)
        }
    };
    let (vote, vote_projects) = budget_process(store, city, "vote-2027", Phase::Voting).await;
    let (receipt, _) = ballot_in(vote.clone(), vote_projects.clone()).await;
    let station = store.add_station(&cli, &vote, "한빛시청 투표소", "한빛시청 1층 민원실").await.unwrap();
    let coordinator = store.user_by_email("coordinator@hanbit.example").await.unwrap().unwrap();
    store.set_committee_member(&cli, &vote, coordinator.id, true).await.unwrap();
    let (_, review_projects) = budget_process(store, city, "review-2027", Phase::Feasibility).await;
    let (_, select_projects) = budget_process(store, city, "select-2027", Phase::Committee).await;
    let (done, done_projects) = budget_process(store, city, "done-2026", Phase::Voting).await;
    let (_, done_pot) = ballot_in(done.clone(), done_projects).await;
    let done = store.advance_phase(&cli, &done, Phase::Results).await.unwrap();
    store.publish_results(&cli, &done).await.unwrap();
    budget_process(store, city, "count-2026", Phase::Results).await;
    let (_, api_projects) = budget_process(store, city, "api-vote-2027", Phase::Voting).await;
    let code = sotong_core::verification::normalise_code("MAZE-WXYZ-2345").unwrap();
    let issued = sotong_store::verification::IssuedCode {
        digest: sotong_web::security::sha256_hex(&code),
        code,
        person_key: None,
        basis: sotong_core::verification::Basis::Resident,
        district: None,
    };
    store.issue_codes(&cli, city, "권한 시험", &[issued]).await.unwrap();
    (
        vote_projects[1].id.to_string(),
        receipt,
        done_pot.to_string(),
        ideas_pot.to_string(),
        api_projects[0].id.to_string(),
        station.id.to_string(),
        review_projects[0].id.to_string(),
        select_projects[0].id.to_string(),
    )
}

/// The complaints the rows act on (see `Fixture`).
async fn complaints(
    store: &Store,
    city: i64,
    culture: i64,
    proposer: &sotong_store::users::User,
) -> (String, String, String, String, String, String) {
    use sotong_core::voice::complaints::{ComplaintAnswer, NewComplaint, Place};
    use sotong_store::voice::complaints::{categories::NewCategory, Filer, FilingLinks, Source};
    let cli = Actor::cli();
    let new = NewCategory::parse("festivals", "축제·행사", "축제와 행사 운영", "grievance", Some(culture), "").unwrap();
    let category = store.add_complaint_category(&cli, city, &new).await.unwrap();
    let filer = Filer {
        user_id: Some(proposer.id),
        name: Some(proposer.display_name.clone()),
        email: Some(proposer.email.clone()),
    };
    let file = |title: &'static str, public: bool, repeat_of: Option<i64>| {
        let (store, category, filer) = (store.clone(), category.clone(), filer.clone());
        async move {
            let new = NewComplaint::parse(
                title,
                "권한 시험을 위해 미리 신청한 민원의 본문입니다.",
                public,
                Place::parse("", "", ""),
                "",
            )
            .unwrap();
            let links = FilingLinks { repeat_of, same_matter: Vec::new() };
            store.file_complaint(&Actor::cli(), &category, &filer, &new, &links, Source::Web).await.unwrap()
        }
    };
    let answer =
        ComplaintAnswer::parse("resolved", "권한 시험을 위해 미리 드린 답변입니다.", "문담당", "041-360-3120", "", "")
            .unwrap();
    let received = file("접수된 민원 하나", true, None).await;
    let assigned = file("배정된 민원 하나", true, None).await;
    store.assign_complaint(&cli, &assigned, culture, None).await.unwrap();
    let private = file("비공개 민원 하나", false, None).await;
    let first = file("반복 민원 첫 번째", true, None).await;
    for n in 0..3 {
        let c = if n == 0 { first.clone() } else { file("반복 민원 다시", true, Some(first.id)).await };
        let c = store.assign_complaint(&cli, &c, culture, None).await.unwrap();
        if n < 2 {
            store.answer_complaint(&cli, &c, &answer).await.unwrap();
        } else {
            let due = sotong_core::format::KstDateTime::from_unix(received.due_at + 86_400);
            let date = format!("{:04}-{:02}-{:02}", due.year, due.month, due.day);
            return (
                received.id.to_string(),
                assigned.id.to_string(),
                private.id.to_string(),
                c.id.to_string(),
                category.id.to_string(),
                date,
            );
        }
    }
    unreachable!()
}

/// A complaint to transfer, the province's category it goes to, and a template.
async fn transfer_and_template(
    store: &Store,
    city: i64,
    proposer: &sotong_store::users::User,
) -> (String, String, String) {
    use sotong_core::voice::complaints::{NewComplaint, Place};
    use sotong_store::voice::complaints::{categories::NewCategory, Filer, FilingLinks, Source};
    let cli = Actor::cli();
    let province = store.public_body("hangaram").await.unwrap().unwrap();
    let roads =
        NewCategory::parse("provincial-roads", "도로(도 관리)", "도가 관리하는 도로", "grievance", None, "").unwrap();
    let target = store.add_complaint_category(&cli, province.id, &roads).await.unwrap();
    let category = store.complaint_category_by_code(city, "festivals").await.unwrap().unwrap();
    let filer = Filer { user_id: Some(proposer.id), name: Some(proposer.display_name.clone()), email: None };
    let new = NewComplaint::parse(
        "이송할 민원 하나",
        "도가 관리하는 도로의 파손을 알려 드립니다.",
        true,
        Place::parse("", "", ""),
        "",
    )
    .unwrap();
    let filed =
        store.file_complaint(&cli, &category, &filer, &new, &FilingLinks::default(), Source::Web).await.unwrap();
    let template = store
        .create_complaint_template(&cli, city, "권한 시험 서식", "권한 시험을 위한 답변 서식입니다.")
        .await
        .unwrap();
    (filed.id.to_string(), target.id.to_string(), template.id.to_string())
}

fn fill(text: &str, f: &Fixture, n: usize) -> String {
    text.replace("{report}", &f.report)
        .replace("{review}", &f.review)
        .replace("{change}", &f.change)
        .replace("{membership}", &f.membership)
        .replace("{published_file}", &f.published_file)
        .replace("{draft_file}", &f.draft_file)
        .replace("{attachment}", &f.attachment)
        .replace("{proposal}", &f.proposal)
        .replace("{assigned}", &f.assigned)
        .replace("{culture}", &f.culture)
        .replace("{notice}", &f.notice)
        .replace("{api_assigned}", &f.api_assigned)
        .replace("{webhook}", &f.webhook)
        .replace("{open311_key}", &f.open311_key)
        .replace("{proposal_file}", &f.proposal_file)
        .replace("{notice_file}", &f.notice_file)
        .replace("{complaint}", &f.complaint)
        .replace("{assigned_complaint}", &f.assigned_complaint)
        .replace("{private_complaint}", &f.private_complaint)
        .replace("{repeated_complaint}", &f.repeated_complaint)
        .replace("{complaint_category}", &f.complaint_category)
        .replace("{extend_date}", &f.extend_date)
        .replace("{transfer_complaint}", &f.transfer_complaint)
        .replace("{province_category}", &f.province_category)
        .replace("{complaint_template}", &f.complaint_template)
        .replace("{complaint_file}", &f.complaint_file)
        .replace("{complaint_attachment}", &f.complaint_attachment)
        .replace("{vote_project}", &f.vote_project)
        .replace("{api_vote_project}", &f.api_vote_project)
        .replace("{receipt}", &f.receipt)
        .replace("{done_pot}", &f.done_pot)
        .replace("{ideas_pot}", &f.ideas_pot)
        .replace("{station}", &f.station)
        .replace("{review_project}", &f.review_project)
        .replace("{select_project}", &f.select_project)
        .replace("{n}", &n.to_string())
}

async fn browser_for(app: &TestApp, visitor: &str) -> Browser {
    let browser = Browser::new(app);
    if visitor != "anonymous" {
        assert_eq!(browser.login(visitor, DEMO_PASSWORD).await.status, 303, "{visitor} signs in");
    }
    browser
}

async fn answer(response: reqwest::Response) -> Page {
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    Page { status, location, headers, body: response.text().await.unwrap() }
}

/// Sends the case's request and reduces the answer to L, F or O.
async fn outcome(browser: &Browser, case: &Case, f: &Fixture, n: usize) -> char {
    let path = fill(case.path, f, n);
    let owned: Vec<(String, String)> = case.fields.iter().map(|(k, v)| (fill(k, f, n), fill(v, f, n))).collect();
    let fields: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // The sign-up page carries a form (with this visitor's token) for everyone.
    let token = browser.get("/signup").await.csrf();
    let page: Page = match (case.method, path.starts_with("/api/")) {
        ("GET", _) => browser.get(&path).await,
        ("POST", true) if path.ends_with("/ballots") => {
            // A ballot is a list of picks: the case's `project` field, picked once.
            let project: i64 = owned.iter().find(|(k, _)| k == "project").map_or(0, |(_, v)| v.parse().unwrap());
            let body = serde_json::json!({ "picks": [{ "project": project }] });
            let response = browser
                .client
                .post(format!("{}{path}", browser.base))
                .header("x-csrf-token", token)
                .json(&body)
                .send()
                .await
                .unwrap();
            answer(response).await
        }
        ("POST", true) => {
            let body: serde_json::Map<String, serde_json::Value> =
                owned.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
            let response = browser
                .client
                .post(format!("{}{path}", browser.base))
                .header("x-csrf-token", token)
                .json(&body)
                .send()
                .await
                .unwrap();
            answer(response).await
        }
        ("POST", false) if path.ends_with("/import") => {
            let csv = "code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw\n\
                       9-99,문화관광,권한 시험 과제,문화관광과,정상추진,10,,,,\n";
            let form = reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("plan.csv"));
            let url = format!("{}{path}?_csrf={token}", browser.base);
            answer(browser.client.post(url).multipart(form).send().await.unwrap()).await
        }
        ("POST", false) if path.ends_with("/roster") => {
            let csv = "이름,생년월일,휴대전화,동\n권한시,1980-01-01,010-1111-2222,중앙동\n";
            let name = owned.iter().find(|(k, _)| k == "name").map(|(_, v)| v.clone()).unwrap_or_default();
            let form = reqwest::multipart::Form::new()
                .text("name", name)
                .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("명부.csv"));
            let url = format!("{}{path}?_csrf={token}", browser.base);
            answer(browser.client.post(url).multipart(form).send().await.unwrap()).await
        }
        ("POST", false) if path.ends_with("/logo") => {
            let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 16]].concat();
            let form = reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(png).file_name("logo.png"));
            let url = format!("{}{path}?_csrf={token}", browser.base);
            answer(browser.client.post(url).multipart(form).send().await.unwrap()).await
        }
        ("POST", false) if path.ends_with("/files") => {
            let form = reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 matrix".to_vec()).file_name("권한 시험.pdf"));
            let url = format!("{}{path}?_csrf={token}", browser.base);
            answer(browser.client.post(url).multipart(form).send().await.unwrap()).await
        }
        ("POST", false) => {
            let mut all = vec![("_csrf", token.as_str())];
            all.extend_from_slice(&fields);
            browser.post_form(&path, &all).await
        }
        (other, _) => unreachable!("{other}"),
    };
    match (page.status, page.location.as_deref()) {
        (303, Some(location)) if location.starts_with("/login") => 'L',
        (401, _) => 'L',
        (403, _) => 'F',
        (404, _) => 'N',
        (200 | 201 | 303, _) => 'O',
        (status, location) => panic!("{} {path}: unexpected {status} {location:?} {}", case.method, page.body),
    }
}

/// Whether the write of an allowed case happened (run `n`).
async fn happened(store: &Store, check: Check, visitor: &str, f: &Fixture, n: usize) -> bool {
    let count = |sql: String| {
        let store = store.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(&sql).fetch_one(store.pool()).await.unwrap();
            n
        }
    };
    let user = format!("(SELECT id FROM users WHERE email = '{visitor}')");
    let open = format!(
        "(SELECT r.id FROM reporting_periods r JOIN plans p ON p.id = r.plan_id WHERE p.slug = 'pledges-8' AND r.code = '{}')",
        sotong_web::demo::commitments::OPEN_QUARTER
    );
    let commitment = |code: &str| {
        format!("(SELECT c.id FROM commitments c JOIN plans p ON p.id = c.plan_id WHERE p.slug = 'pledges-8' AND c.code = '{code}')")
    };
    match check {
        Check::None => true,
        Check::EmailSet => count(format!("SELECT COUNT(*) FROM users WHERE email = '{visitor}' AND email_notifications = 0")).await == 1,
        Check::AccountDeleted => count(format!("SELECT COUNT(*) FROM users WHERE email = '{visitor}'")).await == 0,
        Check::AccountCreated => count(format!("SELECT COUNT(*) FROM users WHERE email = 'new-{n}@example.kr'")).await == 1,
        Check::Notified => count(format!("SELECT COUNT(*) FROM notifications WHERE user_id = {user} AND read_at IS NULL")).await == 0,
        Check::Following => count(format!("SELECT COUNT(*) FROM follows WHERE user_id = {user} AND commitment_id IS NULL")).await == 1,
        Check::UnitCreated(body) => {
            count(format!("SELECT COUNT(*) FROM organisations WHERE slug IN ('matrix-{n}', 'api-{n}') AND body_id = (SELECT id FROM organisations WHERE slug = '{body}' AND body_id IS NULL)")).await == 1
        }
        Check::Granted => count("SELECT COUNT(*) FROM memberships WHERE role = 'council_secretary' AND user_id = (SELECT id FROM users WHERE email = 'citizen@hanbit.example')".into()).await == 1,
        Check::Revoked => count(format!("SELECT COUNT(*) FROM memberships WHERE id = {}", f.membership)).await == 0,
        Check::ReportSaved => count(format!("SELECT COUNT(*) FROM progress_reports WHERE commitment_id = {} AND period_id = {open} AND achievements = '권한 시험 실적'", commitment(&f.report))).await == 1,
        Check::ReportApproved => count(format!("SELECT COUNT(*) FROM progress_reports WHERE commitment_id = {} AND period_id = {open} AND state = 'approved'", commitment(&f.review))).await == 1,
        Check::ChangeRequested => count(format!("SELECT COUNT(*) FROM change_requests WHERE reason = '권한 시험 조정' AND commitment_id = {}", commitment(&f.report))).await == 1,
        Check::ChangeDecided => count(format!("SELECT COUNT(*) FROM change_requests WHERE id = {} AND decision = 'approved'", f.change)).await == 1,
        Check::IndicatorAdded => count(format!("SELECT COUNT(*) FROM indicators WHERE name = '권한 지표' AND commitment_id = {}", commitment(&f.report))).await == 1,
        Check::MilestoneAdded => count(format!("SELECT COUNT(*) FROM milestones WHERE title = '권한 시험 일정' AND commitment_id = {}", commitment(&f.report))).await == 1,
        Check::Edited => count(format!("SELECT COUNT(*) FROM commitments WHERE id = {} AND title = '권한 시험 제목'", commitment("3-01"))).await == 1,
        Check::Imported => count(format!("SELECT COUNT(*) FROM commitments WHERE id = {}", commitment("9-99"))).await == 1,
        Check::PeriodClosed => count(format!("SELECT COUNT(*) FROM reporting_periods WHERE code = '{}' AND state = 'closed'", sotong_web::demo::commitments::OPEN_QUARTER)).await >= 1,
        Check::FileAttached => count(format!("SELECT COUNT(*) FROM attachments WHERE commitment_id = {} AND file_name = '권한 시험.pdf' AND removed_at IS NULL", commitment(&f.report))).await == 1,
        Check::FileRemoved => count(format!("SELECT COUNT(*) FROM attachments WHERE id = {} AND removed_at IS NOT NULL", f.attachment)).await == 1,
        Check::ContactSaved => count(format!("SELECT COUNT(*) FROM organisations WHERE slug = 'hanbit' AND address = '(31787) 권한시 시청로 {n}'")).await == 1,
        Check::LogoSaved => count("SELECT COUNT(*) FROM organisations WHERE slug = 'hanbit' AND logo_sha256 IS NOT NULL".into()).await == 1,
        Check::PageSaved => count(format!("SELECT COUNT(*) FROM body_pages WHERE kind = 'terms' AND content = '권한 시험 약관 {n}'")).await == 1,
        Check::PeriodOpened => count("SELECT COUNT(*) FROM reporting_periods r JOIN plans p ON p.id = r.plan_id WHERE p.slug = 'pledges-8' AND r.code = '2026-Q4'".into()).await == 1,
        Check::PlanCreated => count(format!("SELECT COUNT(*) FROM plans p JOIN sectors s ON s.plan_id = p.id WHERE p.slug = 'matrix-plan-{n}' AND s.name_ko = '시험 분야'")).await == 1,
        Check::ProposalCreated => count(format!("SELECT COUNT(*) FROM proposals WHERE title = '권한 시험 제안 {n}' AND author_id = {user}")).await == 1,
        Check::Supported => count(format!("SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = {} AND user_id = {user}", f.proposal)).await == 1,
        Check::Commented => count(format!("SELECT COUNT(*) FROM proposal_comments WHERE body = '권한 시험 댓글 {n}' AND author_id = {user}")).await == 1,
        Check::Reported => count(format!("SELECT COUNT(*) FROM content_reports WHERE subject_id = {} AND reporter_id = {user}", f.proposal)).await == 1,
        Check::Assigned => count(format!("SELECT COUNT(*) FROM proposals WHERE id = {} AND department_id = {} AND state = 'reviewing'", f.proposal, f.culture)).await == 1,
        Check::Answered => count(format!("SELECT COUNT(*) FROM proposals WHERE id = {} AND state = 'answered' AND answer_officer = '문담당'", f.assigned)).await == 1,
        Check::RulesSaved => count("SELECT COUNT(*) FROM voice_settings WHERE support_threshold = 77".into()).await == 1,
        Check::Hidden => count(format!("SELECT COUNT(*) FROM proposals WHERE id = {} AND moderation = 'hidden' AND hidden_reason = '권한 시험 숨김'", f.proposal)).await == 1,
        Check::NoticeCreated => count(format!("SELECT COUNT(*) FROM notices WHERE title = '권한 시험 알림 {n}'")).await == 1,
        Check::NoticeUpdated => count(format!("SELECT COUNT(*) FROM notices WHERE id = {} AND title = '권한 시험 수정 {n}'", f.notice)).await == 1,
        Check::NoticeWithdrawn => count(format!("SELECT COUNT(*) FROM notices WHERE id = {} AND withdrawn_at IS NOT NULL", f.notice)).await == 1,
        Check::SupportedApi => count(format!("SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = {} AND user_id = {user}", f.api_assigned)).await == 1,
        Check::AnsweredApi => count(format!("SELECT COUNT(*) FROM proposals WHERE id = {} AND answer_result = 'long_term'", f.api_assigned)).await == 1,
        Check::FollowingProposal => count(format!("SELECT COUNT(*) FROM proposal_follows WHERE proposal_id = {} AND user_id = {user}", f.proposal)).await == 1,
        Check::NoticeFileAttached => count(format!("SELECT COUNT(*) FROM voice_attachments WHERE owner_kind = 'notice' AND owner_id = {} AND file_name = '권한 시험.pdf' AND removed_at IS NULL", f.notice)).await == 1,
        Check::NoticeFileRemoved => count(format!("SELECT COUNT(*) FROM voice_attachments WHERE id = {} AND removed_at IS NOT NULL", f.notice_file)).await == 1,
        Check::WebhookAdded => count(format!("SELECT COUNT(*) FROM webhooks WHERE url = 'http://127.0.0.1:9/matrix-{n}'")).await == 1,
        Check::WebhookPinged => count(format!("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook' AND payload LIKE '%\"event\":\"ping\"%' AND payload LIKE '%\"webhook_id\":{}}}%'", f.webhook)).await == 1,
        Check::WebhookPaused => count(format!("SELECT COUNT(*) FROM webhooks WHERE id = {} AND active = 0", f.webhook)).await == 1,
        Check::WebhookRemoved => count(format!("SELECT COUNT(*) FROM webhooks WHERE id = {} AND removed_at IS NOT NULL", f.webhook)).await == 1,
        Check::Open311KeyIssued => count(format!("SELECT COUNT(*) FROM open311_keys WHERE name = '권한 시험 연계 {n}'")).await == 1,
        Check::Open311KeyRevoked => count(format!("SELECT COUNT(*) FROM open311_keys WHERE id = {} AND revoked_at IS NOT NULL", f.open311_key)).await == 1,
        Check::TemplateAdded => count(format!("SELECT COUNT(*) FROM complaint_templates WHERE title = '권한 시험 서식 {n}'")).await == 1,
        Check::TemplateDeleted => count(format!("SELECT COUNT(*) FROM complaint_templates WHERE id = {}", f.complaint_template)).await == 0,
        Check::Open311Filed => count(format!("SELECT COUNT(*) FROM complaints WHERE source = 'open311' AND body LIKE '권한 시험 연계 민원 {n}:%'")).await == 1,
        Check::ComplaintFiled => count(format!("SELECT COUNT(*) FROM complaints WHERE filer_id = {user} AND title = '권한 시험 민원 {n}'")).await == 1,
        Check::ComplaintEvent(which, kind) => {
            let id = match which {
                "assigned" => &f.assigned_complaint,
                "repeated" => &f.repeated_complaint,
                "transfer" => &f.transfer_complaint,
                _ => &f.complaint,
            };
            count(format!("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND kind = '{kind}' AND actor_id = {user}")).await == 1
        }
        Check::IdeaSubmitted => count(format!("SELECT COUNT(*) FROM budget_projects WHERE title = '권한 시험 사업 {n}' AND proposer_id = {user}")).await == 1,
        Check::Verified => count(format!("SELECT COUNT(*) FROM verified_residents WHERE user_id = {user} AND method = 'code'")).await == 1,
        Check::BallotCast => count(format!("SELECT COUNT(*) FROM budget_participations p JOIN verified_residents v ON v.person_key = p.person_key WHERE v.user_id = {user} AND p.process_id = (SELECT id FROM budget_processes WHERE slug = 'vote-2027')")).await == 1,
        Check::BallotCastApi => count(format!("SELECT COUNT(*) FROM budget_participations p JOIN verified_residents v ON v.person_key = p.person_key WHERE v.user_id = {user} AND p.process_id = (SELECT id FROM budget_processes WHERE slug = 'api-vote-2027')")).await == 1,
        Check::RosterImported => count(format!("SELECT COUNT(*) FROM verification_rosters WHERE name = '권한 명부 {n}' AND entries = 1")).await == 1,
        Check::CodesIssued => count(format!("SELECT COUNT(*) FROM verification_codes WHERE batch = '권한 시험 {n}'")).await == 2,
        Check::PhaseAdvanced => count("SELECT COUNT(*) FROM budget_processes WHERE slug = 'ideas-2027' AND phase = 'feasibility'".into()).await == 1,
        Check::ResultsPublished => count("SELECT COUNT(*) FROM budget_publications b JOIN budget_processes p ON p.id = b.process_id WHERE p.slug = 'count-2026'".into()).await == 1,
        Check::ProcessCreated => count(format!("SELECT COUNT(*) FROM budget_processes WHERE slug = 'matrix-{n}' AND title = '권한 시험 주민참여예산 {n}'")).await == 1,
        Check::PotAdded => count(format!("SELECT COUNT(*) FROM budget_pots WHERE name = '권한 시험 분야 {n}' AND budget = 100000000")).await == 1,
        Check::CategoryAdded => count(format!("SELECT COUNT(*) FROM budget_categories WHERE name = '권한 시험 분류 {n}' AND max_picks = 1")).await == 1,
        Check::NoteSaved => count(format!("SELECT COUNT(*) FROM budget_phase_notes WHERE rules = '권한 시험 규칙 {n}' AND starts_on = '2027-03-02'")).await == 1,
        Check::MemberAppointed => count("SELECT COUNT(*) FROM budget_committee_members m JOIN users u ON u.id = m.user_id WHERE u.email = 'citizen@hanbit.example' AND m.process_id = (SELECT id FROM budget_processes WHERE slug = 'ideas-2027')".into()).await == 1,
        Check::StationAdded => count(format!("SELECT COUNT(*) FROM budget_stations WHERE name = '권한 시험 투표소 {n}'")).await == 1,
        Check::CheckedIn => count(format!("SELECT COUNT(*) FROM budget_participations WHERE channel = 'paper' AND station_id = {}", f.station)).await == 1,
        Check::PaperEntered => count(format!("SELECT COUNT(*) FROM budget_paper_entries WHERE sheet = '권한-{n}' AND entered_by = {user}")).await == 1,
        Check::Reviewed => count(format!("SELECT COUNT(*) FROM budget_projects WHERE id = {} AND feasibility = 'conditional' AND feasibility_reason = '권한 시험 검토 {n}'", f.review_project)).await == 1,
        Check::Selected => count(format!("SELECT COUNT(*) FROM budget_projects WHERE id = {} AND state = 'on_ballot'", f.select_project)).await == 1,
        Check::Scored => count(format!("SELECT COUNT(*) FROM budget_committee_scores WHERE project_id = {} AND member_id = {user} AND points = 73", f.vote_project)).await == 1,
        Check::PasswordChanged => count(format!("SELECT COUNT(*) FROM users WHERE email = '{visitor}' AND password_changed_at IS NOT NULL")).await == 1,
    }
}

/// The rows of the audit log that are changes (sign-ins aside).
async fn changes(store: &Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action NOT LIKE 'auth.%'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn every_route_and_method_of_the_router_is_in_the_matrix() {
    // The router's methods, asked of the router itself: a method a route lacks is 405.
    let app = spawn_app(sotong_store::Backend::Sqlite).await;
    let covered: BTreeSet<(&str, &str)> = CASES.iter().map(|c| (c.method, c.route)).collect();
    let mut missing = Vec::new();
    for route in sotong_web::route_paths() {
        let concrete = route
            .replace("{*path}", "sotong.css")
            .replace("{code}", "3-01")
            .replace("{org}", "hanbit")
            .replace("{plan}", "pledges-8")
            .replace("{id}", "1")
            .replace("{period}", "2026-Q2");
        for method in ["GET", "POST"] {
            let url = format!("{}{concrete}", app.base);
            let response = reqwest::Client::new().request(method.parse().unwrap(), url).send().await.unwrap();
            let routed = response.status().as_u16() != 405;
            if routed && !covered.contains(&(method, route.as_str())) {
                missing.push(format!("{method} {route}"));
            }
        }
    }
    let known: BTreeSet<String> = sotong_web::route_paths().into_iter().collect();
    let stale: Vec<_> = CASES.iter().filter(|c| !known.contains(c.route)).map(|c| c.route).collect();
    assert!(missing.is_empty(), "routes without a row in the permission matrix: {missing:?}");
    assert!(stale.is_empty(), "matrix rows for routes the router does not have: {stale:?}");
}

both_backends!(every_visitor_can_do_what_they_should_and_nothing_more, |backend| async move {
    let mut failures = Vec::new();
    for (v, visitor) in VISITORS.iter().enumerate() {
        // A fresh city per visitor: every write starts from the same state.
        // With a verification key, so rosters can be imported.
        let key: std::sync::Arc<[u8]> = std::sync::Arc::from(b"the permission matrix's verification key".as_slice());
        let config = sotong_web::WebConfig { verification_key: Some(key), ..Default::default() };
        let app = common::spawn_fixture(backend, common::Fixture::DemoPlans, config).await;
        let f = fixture(&app).await;
        let browser = browser_for(&app, visitor).await;
        for (n, case) in CASES.iter().enumerate() {
            let expected = case.expect.as_bytes()[v] as char;
            let before = changes(&app.store).await;
            let got = outcome(&browser, case, &f, n).await;
            let label = format!("{visitor} {} {}", case.method, fill(case.path, &f, n));
            if got != expected {
                failures.push(format!("{label}: expected {expected}, got {got}"));
            } else if case.method == "POST" && got == 'O' && !happened(&app.store, case.check, visitor, &f, n).await {
                failures.push(format!("{label}: allowed, but the change did not happen"));
            } else if case.method == "POST" && got != 'O' && changes(&app.store).await != before {
                failures.push(format!("{label}: refused, but something changed"));
            }
        }
    }
    assert!(failures.is_empty(), "permission matrix mismatches:\n{}", failures.join("\n"));
});
