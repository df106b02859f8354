//! The workflow states of the commitments module and the moves between them — the
//! one place that says which change is allowed, so the store compares no strings.
//!
//! Reports: `draft` → `submitted` → `approved`, or `submitted` → `returned` (with the
//! coordinator's comment) → `submitted` again. Periods: `open` → `closed` (published).
//! Change requests (조정): `pending` → `approved` or `rejected`, once.

use crate::FieldError;

text_enum!(
    /// Where a progress report is in its review.
    ReportState { Draft => "draft", Submitted => "submitted", Returned => "returned", Approved => "approved" }
);

text_enum!(
    /// A reporting period: open for reports, or closed (published).
    PeriodState { Open => "open", Closed => "closed" }
);

text_enum!(
    /// What became of a change request.
    ChangeDecision { Pending => "pending", Approved => "approved", Rejected => "rejected" }
);

text_enum!(
    /// What a change request (조정) asks for.
    ChangeKind { Modify => "modify", Hold => "hold", Abandon => "abandon" }
);

text_enum!(
    /// The kind of a plan: a head's pledges (공약), policy tasks (정책과제), or a
    /// department's work plan (부서 업무계획).
    PlanKind { Pledges => "pledges", PolicyTasks => "policy_tasks", DepartmentPlan => "department_plan" }
);

impl ChangeKind {
    /// A form's choice: one of the kinds, else an error on `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<ChangeKind, FieldError> {
        ChangeKind::try_from(raw.trim().to_string()).map_err(|_| FieldError::new(field, "invalid_choice"))
    }

    /// The status an approved request gives the commitment (a hold holds it, an
    /// abandonment ends it; a modification changes its content, not its status).
    pub fn status_when_approved(self) -> Option<&'static str> {
        match self {
            ChangeKind::Modify => None,
            ChangeKind::Hold => Some("on_hold"),
            ChangeKind::Abandon => Some("abandoned"),
        }
    }
}

impl PlanKind {
    pub fn parse(field: &'static str, raw: &str) -> Result<PlanKind, FieldError> {
        PlanKind::try_from(raw.trim().to_string()).map_err(|_| FieldError::new(field, "invalid_choice"))
    }
}

impl ReportState {
    /// An officer may still change it (not awaiting review, not approved).
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }

    /// The state after an officer saves (`submit` false) or submits the report that is
    /// `current` (none yet: a first save).
    pub fn after_save(current: Option<ReportState>, submit: bool) -> Result<ReportState, FieldError> {
        if current.is_some_and(|state| !state.editable()) {
            return Err(FieldError::new("report", "report_locked"));
        }
        Ok(if submit { ReportState::Submitted } else { ReportState::Draft })
    }

    /// The state after a coordinator approves or returns it; only a submitted report
    /// can be reviewed.
    pub fn after_review(self, approve: bool) -> Result<ReportState, FieldError> {
        match self {
            ReportState::Submitted if approve => Ok(ReportState::Approved),
            ReportState::Submitted => Ok(ReportState::Returned),
            _ => Err(FieldError::new("report", "report_not_submitted")),
        }
    }
}

impl ChangeDecision {
    /// Deciding a request: once, from pending.
    pub fn decide(self, approve: bool) -> Result<ChangeDecision, FieldError> {
        match self {
            ChangeDecision::Pending if approve => Ok(ChangeDecision::Approved),
            ChangeDecision::Pending => Ok(ChangeDecision::Rejected),
            _ => Err(FieldError::new("decision", "already_decided")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_forms_and_rows() {
        assert_eq!(ChangeKind::parse("kind", " hold ").unwrap(), ChangeKind::Hold);
        assert_eq!(ChangeKind::parse("kind", "delete").unwrap_err().field, "kind");
        assert_eq!(ChangeKind::Abandon.status_when_approved(), Some("abandoned"));
        assert_eq!(ChangeKind::Modify.status_when_approved(), None);
        assert_eq!(PlanKind::try_from("policy_tasks".to_string()).unwrap(), PlanKind::PolicyTasks);
        assert!(PlanKind::try_from("budget".to_string()).is_err());
        for kind in PlanKind::ALL {
            assert_eq!(PlanKind::try_from(kind.as_str().to_string()).unwrap(), *kind);
        }
    }

    #[test]
    fn a_report_moves_only_along_its_workflow() {
        use ReportState::*;
        assert_eq!(ReportState::after_save(None, false), Ok(Draft));
        assert_eq!(ReportState::after_save(Some(Draft), true), Ok(Submitted));
        assert_eq!(ReportState::after_save(Some(Returned), true), Ok(Submitted));
        for locked in [Submitted, Approved] {
            assert_eq!(ReportState::after_save(Some(locked), false).unwrap_err().code, "report_locked");
        }
        assert_eq!(Submitted.after_review(true), Ok(Approved));
        assert_eq!(Submitted.after_review(false), Ok(Returned));
        for not_submitted in [Draft, Returned, Approved] {
            assert_eq!(not_submitted.after_review(true).unwrap_err().code, "report_not_submitted");
        }
    }

    #[test]
    fn a_change_is_decided_once() {
        assert_eq!(ChangeDecision::Pending.decide(true), Ok(ChangeDecision::Approved));
        assert_eq!(ChangeDecision::Pending.decide(false), Ok(ChangeDecision::Rejected));
        assert!(ChangeDecision::Approved.decide(false).is_err());
    }

    #[test]
    fn states_read_and_write_their_stored_text() {
        for state in ReportState::ALL {
            assert_eq!(ReportState::try_from(state.as_str().to_string()), Ok(*state));
            assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
        }
        for state in PeriodState::ALL {
            assert_eq!(PeriodState::try_from(state.to_string()), Ok(*state));
        }
        assert!(ReportState::try_from("done".to_string()).is_err());
    }
}
