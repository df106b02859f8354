//! What the commitments module puts on a staff member's to-do list: per plan with an
//! open period, the reports this person still has to write (with the deadline as
//! D-day, red once passed), the returned ones, and for coordinators the reports
//! waiting for review, change requests to decide and the departments that are late.

use super::urls::PlanUrls;
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::AppState;
use sotong_core::format;
use sotong_core::role::{Permission, RoleSet};
use sotong_store::orgs::Org;

/// One plan's open period on the to-do list.
pub struct PlanTodo {
    pub title: String,
    pub period: String,
    pub due: String,
    pub d_day: String,
    pub overdue: bool,
    /// (what, how many, link, urgent) — only lines with something to do.
    pub lines: Vec<TodoLine>,
    /// Departments with reports not yet submitted: (name, how many).
    pub late_departments: Vec<(String, usize)>,
    pub overview: String,
}

pub struct TodoLine {
    pub label: String,
    pub count: usize,
    pub url: String,
    pub urgent: bool,
}

pub async fn todos(state: &AppState, body: &Org, roles: &RoleSet, t: &Tr) -> AppResult<Vec<PlanTodo>> {
    let reports_any = roles.allows(Permission::ReportProgress);
    let reviews = roles.allows(Permission::ReviewReports);
    if !reports_any && !reviews {
        return Ok(Vec::new());
    }
    let units = state.store.units(body.id).await?;
    let mut todos = Vec::new();
    for plan in state.store.plans_of(body.id).await? {
        let periods = state.store.periods(plan.id).await?;
        let Some(period) = periods.iter().filter(|p| p.is_open()).min_by(|a, b| a.code.cmp(&b.code)) else {
            continue;
        };
        let (commitments, reports) =
            tokio::try_join!(state.store.commitments(plan.id), state.store.reports(period.id))?;
        let state_of =
            |id: i64| reports.iter().find(|r| r.commitment_id == id).map(|r| r.state.as_str()).unwrap_or("missing");
        let days = format::days_until(&period.due_date, sotong_store::now()).unwrap_or(0);
        let overdue = days < 0;
        let urls = PlanUrls::new(body, &plan);
        let mut lines = Vec::new();
        let mine: Vec<_> = commitments
            .iter()
            .filter(|c| roles.allows_in(Permission::ReportProgress, c.lead_department_id) && !reviews)
            .collect();
        let unsubmitted = |state: &str| matches!(state, "missing" | "draft" | "returned");
        let to_write = mine.iter().filter(|c| unsubmitted(state_of(c.id))).count();
        let returned = mine.iter().filter(|c| state_of(c.id) == "returned").count();
        let mut line = |key: &str, count: usize, filter: &str, urgent: bool| {
            if count > 0 {
                let url = format!("{}?state={filter}", urls.staff());
                lines.push(TodoLine { label: t.t(key).to_string(), count, url, urgent });
            }
        };
        line("todo.to_write", to_write, "todo", overdue);
        line("todo.returned", returned, "returned", true);
        let mut late_departments: Vec<(String, usize)> = Vec::new();
        if reviews {
            let submitted = commitments.iter().filter(|c| state_of(c.id) == "submitted").count();
            line("todo.to_review", submitted, "submitted", false);
            let changes = state.store.pending_change_count(plan.id).await? as usize;
            if changes > 0 {
                lines.push(TodoLine {
                    label: t.t("todo.changes").to_string(),
                    count: changes,
                    url: urls.staff(),
                    urgent: false,
                });
            }
            for c in commitments.iter().filter(|c| unsubmitted(state_of(c.id))) {
                let name = units
                    .iter()
                    .find(|u| u.id == c.lead_department_id)
                    .map(|u| u.name(t.is_en()).to_string())
                    .unwrap_or_default();
                match late_departments.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, count)) => *count += 1,
                    None => late_departments.push((name, 1)),
                }
            }
            late_departments.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        todos.push(PlanTodo {
            title: plan.title(t.is_en()).to_string(),
            period: t.period(&period.code),
            due: t.iso_date(&period.due_date),
            d_day: format::d_day(days, t.lang),
            overdue,
            lines,
            late_departments,
            overview: urls.staff(),
        });
    }
    Ok(todos)
}
