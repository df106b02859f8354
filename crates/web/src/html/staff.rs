//! The staff workspace of a public body: the door to every back-office tool.

use super::{ok, BodyNav, Shell};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::scope::BodyScope;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sotong_core::role::Permission;

#[derive(Template)]
#[template(path = "staff.html")]
struct WorkspacePage {
    shell: Shell,
    /// Labels of the roles held here.
    roles: Vec<String>,
    /// Names of the departments the person is an officer of.
    departments: Vec<String>,
    /// Plans whose reports this person writes or reviews: (slug, title).
    report_plans: Vec<(String, String)>,
    can_manage_plans: bool,
    /// What there is to do, per plan with an open period.
    todos: Vec<super::commitments::workspace::PlanTodo>,
    /// Proposals and reports waiting, and the citizen-voice tools.
    voice: super::voice::workspace::VoiceTodo,
    /// Participatory budgeting and resident verification, for who runs them.
    budgeting: Vec<(String, String, String)>,
}

pub async fn workspace(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require(Permission::UseStaffWorkspace)?;
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, "staff.title");
    let t = shell.t;
    let user = ctx.require_user()?;
    let memberships = state.store.memberships_of(user.id).await?;
    let units = state.store.units(body.id).await?;
    let departments = memberships
        .iter()
        .filter(|m| m.body_id == body.id)
        .filter_map(|m| units.iter().find(|u| Some(u.id) == m.department_id))
        .map(|dept| dept.name(t.is_en()).to_string())
        .collect();
    let role_labels = roles
        .roles()
        .iter()
        .filter(|r| **r != sotong_core::role::Role::Citizen)
        .map(|r| t.t(&format!("role.{}", r.key())).to_string())
        .collect();
    let report_plans = if roles.allows(Permission::ReportProgress) || roles.allows(Permission::ReviewReports) {
        state
            .store
            .plans_of(body.id)
            .await?
            .into_iter()
            .map(|p| {
                let title = p.title(t.is_en()).to_string();
                (p.slug, title)
            })
            .collect()
    } else {
        Vec::new()
    };
    let todos = super::commitments::workspace::todos(&state, &body, &roles, &t).await?;
    let voice = super::voice::workspace::todo(&state, &body, &roles, &t).await?;
    let can_manage_plans = roles.allows(Permission::ManagePlans);
    let name = body.name(t.is_en()).to_string();
    let title = t.f1("staff.title_of", &name);
    let page = WorkspacePage {
        shell: shell.with_title(title).with_body(BodyNav::new(&body, &roles, &t), "staff"),
        roles: role_labels,
        departments,
        report_plans,
        todos,
        voice,
        budgeting: super::budgeting::tools(&body, &roles, &t),
        can_manage_plans,
    };
    Ok(ok(&page))
}
