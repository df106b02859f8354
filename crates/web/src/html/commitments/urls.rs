//! The commitments module's URLs, written once: handlers redirect with them and page
//! structs carry a [`PlanUrls`] so templates link with `urls.report(code)` instead
//! of assembling `/{body}/staff/plans/{plan}/…` from pieces.

use sotong_store::commitments::plans::Plan;
use sotong_store::orgs::Org;

/// A body's list of plans.
pub fn plans(body: &Org) -> String {
    crate::urls::body(body, "/plans")
}

/// The breadcrumb trail down to a plan's dashboard: body, its plans, the plan.
pub fn plan_trail(body: &Org, plan: &Plan, t: &crate::i18n::Tr) -> Vec<(String, String)> {
    let title = plan.title(t.is_en());
    vec![
        (body.name(t.is_en()).to_string(), crate::urls::body(body, "")),
        (t.t("nav.plans").to_string(), plans(body)),
        (title.to_string(), PlanUrls::new(body, plan).dashboard()),
    ]
}

/// The trail down to a plan's back-office overview: body, workspace, the plan.
pub fn staff_trail(body: &Org, plan: &Plan, t: &crate::i18n::Tr) -> Vec<(String, String)> {
    let title = plan.title(t.is_en());
    vec![
        (body.name(t.is_en()).to_string(), crate::urls::body(body, "")),
        (t.t("nav.staff").to_string(), crate::urls::staff(body)),
        (title.to_string(), PlanUrls::new(body, plan).staff()),
    ]
}

/// A trail whose last entry is the page itself (not linked).
pub fn ending_here(mut trail: Vec<(String, String)>) -> Vec<(String, String)> {
    if let Some(last) = trail.last_mut() {
        last.1.clear();
    }
    trail
}

/// Every URL of one plan, public and back office.
#[derive(Clone, Debug)]
pub struct PlanUrls {
    public: String,
    staff: String,
    api: String,
}

impl PlanUrls {
    pub fn new(body: &Org, plan: &Plan) -> PlanUrls {
        PlanUrls::from_slugs(&body.slug, &plan.slug)
    }

    pub fn from_slugs(body: &str, plan: &str) -> PlanUrls {
        PlanUrls {
            public: format!("/{body}/plans/{plan}"),
            staff: format!("/{body}/staff/plans/{plan}"),
            api: format!("{}/orgs/{body}/plans/{plan}", crate::api::PREFIX),
        }
    }

    /// The public dashboard.
    pub fn dashboard(&self) -> String {
        self.public.clone()
    }

    /// The dashboard as it was published for a period (`2026-Q1`).
    pub fn dashboard_of(&self, period: &str) -> String {
        format!("{}?period={period}", self.public)
    }

    pub fn commitments(&self) -> String {
        format!("{}/commitments", self.public)
    }

    pub fn commitment(&self, code: &str) -> String {
        format!("{}/commitments/{code}", self.public)
    }

    pub fn follow(&self) -> String {
        format!("{}/follow", self.public)
    }

    /// A download: `csv`, `json` or `xlsx`.
    pub fn export(&self, extension: &str) -> String {
        format!("{}/export.{extension}", self.public)
    }

    /// The plan's figures in the JSON API.
    pub fn api_metrics(&self) -> String {
        format!("{}/metrics", self.api)
    }

    /// The back-office overview of the open period.
    pub fn staff(&self) -> String {
        self.staff.clone()
    }

    pub fn close(&self) -> String {
        format!("{}/close", self.staff)
    }

    pub fn import(&self) -> String {
        format!("{}/import", self.staff)
    }

    /// A commitment's report form; its sub-forms post to `report_action(code, "review")` etc.
    pub fn report(&self, code: &str) -> String {
        format!("{}/reports/{code}", self.staff)
    }

    /// `review`, `changes`, `indicators` or `milestones` of a commitment's report.
    pub fn report_action(&self, code: &str, action: &str) -> String {
        format!("{}/reports/{code}/{action}", self.staff)
    }

    pub fn decide_change(&self, code: &str, change_id: &i64) -> String {
        format!("{}/reports/{code}/changes/{change_id}/decide", self.staff)
    }

    pub fn edit(&self, code: &str) -> String {
        format!("{}/commitments/{code}/edit", self.staff)
    }
}
