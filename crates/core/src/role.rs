//! Roles held in an organisation, and what each role may do.
//!
//! Every signed-in account is a citizen everywhere; staff roles are granted per public
//! body by its administrators. Routes ask for a [`Permission`], never for a role, so
//! the mapping below is the single place that decides who may do what.

use crate::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 시민: proposes, supports, votes, follows.
    Citizen,
    /// 부서 담당자: member of one department; reports for its commitments, answers its cases.
    Officer,
    /// 기획·평가 담당: keeps the plans, reviews reports, closes periods.
    Coordinator,
    /// 협의회 간사: runs councils and meetings.
    CouncilSecretary,
    /// 평가 기관: defines rubrics and scores organisations.
    Evaluator,
    /// 관리자: departments, accounts and roles of the organisation.
    Administrator,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(key: String) -> Result<Self, String> {
        Role::from_stored(key)
    }
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Citizen, Role::Officer, Role::Coordinator, Role::CouncilSecretary, Role::Evaluator, Role::Administrator];

    /// The roles an administrator can grant (citizen is implicit).
    pub const STAFF: [Role; 5] =
        [Role::Officer, Role::Coordinator, Role::CouncilSecretary, Role::Evaluator, Role::Administrator];

    pub fn key(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Officer => "officer",
            Role::Coordinator => "coordinator",
            Role::CouncilSecretary => "council_secretary",
            Role::Evaluator => "evaluator",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(key: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|role| role.key() == key).ok_or(FieldError::new("role", "invalid_choice"))
    }

    /// A stored role (rows decode it with `#[sqlx(try_from = "String")]`).
    fn from_stored(key: String) -> Result<Self, String> {
        Role::parse(&key).map_err(|_| format!("not a role: {key:?}"))
    }

    /// An officer acts for one department, so the grant must name it.
    pub fn needs_department(self) -> bool {
        self == Role::Officer
    }

    pub fn grants(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Citizen => false,
            Role::Officer => matches!(
                permission,
                UseStaffWorkspace | ReportProgress | AnswerCitizens | ReviewProjects | StaffPollingStations
            ),
            Role::Coordinator => {
                matches!(
                    permission,
                    UseStaffWorkspace
                        | ReviewReports
                        | ManagePlans
                        | AnswerCitizens
                        | AssignCitizenCases
                        | ModerateContent
                        | PublishNotices
                        | RunBudgeting
                        | ReviewProjects
                        | ManageResidents
                        | StaffPollingStations
                )
            }
            Role::CouncilSecretary => matches!(permission, UseStaffWorkspace | RunCouncils),
            Role::Evaluator => matches!(permission, UseStaffWorkspace | Evaluate),
            Role::Administrator => {
                matches!(
                    permission,
                    UseStaffWorkspace
                        | ManageDepartments
                        | ManageMembers
                        | ViewAuditLog
                        | ModerateContent
                        | PublishNotices
                        | ManageIntegrations
                        | ManageResidents
                )
            }
        }
    }
}

/// What a route asks of the person calling it, within one public body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Permission {
    /// Enter the back office at all.
    UseStaffWorkspace,
    /// Create, rename and remove departments.
    ManageDepartments,
    /// Grant and revoke staff roles.
    ManageMembers,
    /// Browse the audit log.
    ViewAuditLog,
    /// Connect the body's other systems: webhooks and their delivery log.
    ManageIntegrations,
    /// Draft and submit progress reports for one's department.
    ReportProgress,
    /// Approve or return progress reports; close periods.
    ReviewReports,
    /// Keep plans, sectors and commitments.
    ManagePlans,
    /// Answer proposals and complaints assigned to one's department.
    AnswerCitizens,
    /// Assign proposals (and later complaints) to departments; set the body's rules
    /// for them.
    AssignCitizenCases,
    /// Hide and restore reported proposals and comments.
    ModerateContent,
    /// Publish city notices (시정알림).
    PublishNotices,
    /// Run participatory-budgeting processes: rules, pots, phases, ballots, results.
    RunBudgeting,
    /// Record a department's feasibility finding on budgeting projects.
    ReviewProjects,
    /// Keep the residents' rosters and voting codes (resident verification).
    ManageResidents,
    /// Check residents in at a polling station and key in paper ballots.
    StaffPollingStations,
    /// Run councils, meetings and agenda items.
    RunCouncils,
    /// Score organisations in evaluation rounds.
    Evaluate,
}

/// The roles one account holds in one public body: body-wide ones, and ones held for
/// one department only (an officer acts for their department).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSet {
    body_wide: Vec<Role>,
    /// (role, department id)
    in_departments: Vec<(Role, i64)>,
}

impl RoleSet {
    /// Body-wide roles.
    pub fn new(roles: Vec<Role>) -> Self {
        RoleSet::from_memberships(roles.into_iter().map(|role| (role, None)).collect())
    }

    /// Memberships as stored: a role, for one department or (None) the whole body.
    pub fn from_memberships(memberships: Vec<(Role, Option<i64>)>) -> Self {
        let mut body_wide: Vec<Role> = memberships.iter().filter(|(_, d)| d.is_none()).map(|(r, _)| *r).collect();
        let mut in_departments: Vec<(Role, i64)> =
            memberships.iter().filter_map(|(role, department)| department.map(|d| (*role, d))).collect();
        body_wide.sort();
        body_wide.dedup();
        in_departments.sort();
        in_departments.dedup();
        RoleSet { body_wide, in_departments }
    }

    /// An installation administrator holds every permission everywhere.
    pub fn superadmin() -> Self {
        RoleSet::new(Role::STAFF.to_vec())
    }

    /// Whether any role grants `permission` somewhere in the body.
    pub fn allows(&self, permission: Permission) -> bool {
        self.body_wide.iter().any(|role| role.grants(permission))
            || self.in_departments.iter().any(|(role, _)| role.grants(permission))
    }

    /// Whether a role grants `permission` for the work of `department`: a body-wide
    /// role, or one held for that department.
    pub fn allows_in(&self, permission: Permission, department: i64) -> bool {
        self.body_wide.iter().any(|role| role.grants(permission))
            || self.in_departments.iter().any(|(role, d)| *d == department && role.grants(permission))
    }

    /// Whether a body-wide role grants `permission` (not only one department's).
    pub fn allows_body_wide(&self, permission: Permission) -> bool {
        self.body_wide.iter().any(|role| role.grants(permission))
    }

    /// The departments whose roles grant `permission` there.
    pub fn departments_allowing(&self, permission: Permission) -> Vec<i64> {
        let mut ids: Vec<i64> =
            self.in_departments.iter().filter(|(role, _)| role.grants(permission)).map(|(_, d)| *d).collect();
        ids.dedup();
        ids
    }

    /// Every role held, body-wide or in a department, once each.
    pub fn roles(&self) -> Vec<Role> {
        let mut all: Vec<Role> =
            self.body_wide.iter().copied().chain(self.in_departments.iter().map(|(r, _)| *r)).collect();
        all.sort();
        all.dedup();
        all
    }

    pub fn is_staff(&self) -> bool {
        self.allows(Permission::UseStaffWorkspace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizens_hold_no_staff_permission() {
        let citizen = RoleSet::new(vec![Role::Citizen]);
        assert!(!citizen.is_staff());
        assert!(!citizen.allows(Permission::ViewAuditLog));
    }

    #[test]
    fn each_staff_role_enters_the_workspace_but_only_admins_manage_members() {
        for role in Role::STAFF {
            assert!(role.grants(Permission::UseStaffWorkspace), "{role:?}");
            assert_eq!(role.grants(Permission::ManageMembers), role == Role::Administrator, "{role:?}");
        }
    }

    #[test]
    fn an_officer_acts_for_their_department_only() {
        let officer = RoleSet::from_memberships(vec![(Role::Citizen, None), (Role::Officer, Some(7))]);
        assert!(officer.allows(Permission::ReportProgress), "somewhere in the body");
        assert!(officer.allows_in(Permission::ReportProgress, 7));
        assert!(!officer.allows_in(Permission::ReportProgress, 8), "not for another department");
        assert!(RoleSet::superadmin().allows_in(Permission::ReportProgress, 8));
        let coordinator = RoleSet::new(vec![Role::Coordinator]);
        assert!(
            coordinator.allows_in(Permission::ReviewReports, 8)
                && !coordinator.allows_in(Permission::ReportProgress, 8)
        );
    }

    #[test]
    fn keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()).unwrap(), role);
        }
        assert!(Role::parse("mayor").is_err());
    }
}
