//! Participatory budgeting (주민참여예산): a body's processes, their phases and the
//! projects that go through them — the one place that says which move is allowed.
//!
//! A process runs 제안 접수 (`proposals`) → 부서 검토 (`feasibility`, 실현가능성) →
//! 위원회 심사 (`committee`) → 주민 투표 (`voting`) → 결과 발표 (`results`) → 사업 추진
//! (`implementation`), as 지방재정법 제39조 and 시행령 제46조 have cities run it
//! (docs/BUDGETING.md; ../REFERENCE.md "Participatory budgeting"). Phases only move
//! forward, one at a time, so no ballot is cast after its results are out. Money is
//! whole won in 64 bits: a city-wide pot of billions fits (Decidim's 32-bit amounts
//! stopped at 2.1 billion KRW).

pub mod ballot;
pub mod results;
pub mod score;

use crate::text::{optional_line, required_line};
use crate::FieldError;

text_enum!(
    /// Where a process is: the phases in the order they run.
    Phase {
        Proposals => "proposals",
        Feasibility => "feasibility",
        Committee => "committee",
        Voting => "voting",
        Results => "results",
        Implementation => "implementation",
    }
);

text_enum!(
    /// A department's finding on a project (실현가능성 검토): 가능, 조건부 가능, 불가.
    Feasibility { Feasible => "feasible", Conditional => "conditional", Infeasible => "infeasible" }
);

text_enum!(
    /// Where a project is: submitted, reviewed, put on the ballot (or not) by the
    /// committee, and after the count funded or not.
    ProjectState {
        Submitted => "submitted",
        Reviewed => "reviewed",
        OnBallot => "on_ballot",
        NotSelected => "not_selected",
        Funded => "funded",
        NotFunded => "not_funded",
        Withdrawn => "withdrawn",
    }
);

text_enum!(
    /// How a process turns ballots (and committee scores) into funded projects — the
    /// rules `pb` computes: greedy by votes, greedy by the combined score, or the
    /// Method of Equal Shares completed by add1.
    OutcomeRule { GreedyVotes => "greedy_votes", GreedyCombined => "greedy_combined", EqualShares => "equal_shares" }
);

impl Phase {
    /// The phase after this one; the last has none.
    pub fn next(self) -> Option<Phase> {
        let at = Phase::ALL.iter().position(|p| *p == self)?;
        Phase::ALL.get(at + 1).copied()
    }

    /// This phase comes before `other` in a process.
    pub fn is_before(self, other: Phase) -> bool {
        let at = |phase: Phase| Phase::ALL.iter().position(|p| *p == phase);
        at(self) < at(other)
    }

    /// A process moves only to the phase right after its own.
    pub fn advance_to(self, to: Phase) -> Result<Phase, FieldError> {
        if self.next() == Some(to) {
            Ok(to)
        } else {
            Err(FieldError::new("phase", "phase_not_next"))
        }
    }

    pub fn accepts_ideas(self) -> bool {
        self == Phase::Proposals
    }

    pub fn accepts_feasibility(self) -> bool {
        matches!(self, Phase::Proposals | Phase::Feasibility)
    }

    pub fn accepts_committee(self) -> bool {
        self == Phase::Committee
    }

    pub fn accepts_ballots(self) -> bool {
        self == Phase::Voting
    }

    /// Running totals stay hidden until the results are out (secrecy of the count).
    pub fn shows_results(self) -> bool {
        matches!(self, Phase::Results | Phase::Implementation)
    }
}

impl ProjectState {
    /// A department records its finding before the committee decides.
    pub fn review(self) -> Result<ProjectState, FieldError> {
        match self {
            ProjectState::Submitted | ProjectState::Reviewed => Ok(ProjectState::Reviewed),
            _ => Err(FieldError::new("feasibility", "project_already_decided")),
        }
    }

    /// The committee puts a project on the ballot or leaves it off; only a feasible
    /// or conditionally feasible project may go on it.
    pub fn select(self, feasibility: Option<Feasibility>, on_ballot: bool) -> Result<ProjectState, FieldError> {
        if !matches!(self, ProjectState::Reviewed | ProjectState::OnBallot | ProjectState::NotSelected) {
            return Err(FieldError::new("selection", "project_not_reviewed"));
        }
        if !on_ballot {
            return Ok(ProjectState::NotSelected);
        }
        match feasibility {
            Some(Feasibility::Feasible | Feasibility::Conditional) => Ok(ProjectState::OnBallot),
            _ => Err(FieldError::new("selection", "project_infeasible")),
        }
    }

    pub fn is_on_ballot(self) -> bool {
        matches!(self, ProjectState::OnBallot | ProjectState::Funded | ProjectState::NotFunded)
    }

    /// Shown to citizens: everything but a withdrawn idea.
    pub fn is_public(self) -> bool {
        self != ProjectState::Withdrawn
    }
}

pub const NAME_MAX_CHARS: usize = 100;
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
pub const REASON_MAX_CHARS: usize = 2000;
/// 999조 원: more than any Korean budget; keeps every sum of costs far from `i64::MAX`.
pub const MAX_AMOUNT_KRW: i64 = 999_999_999_999_999;

/// Budgets and costs are counted in thousands of won (천원), the unit of Korean
/// budget documents; the count and the Pabulib export use it too, so equal shares'
/// add1 raises each voter's share by 1,000 won a step, not by one won.
pub const AMOUNT_UNIT_KRW: i64 = 1_000;

/// An amount as a person typed it (`300,000,000`, `3억 원`): None when left empty, the
/// field's `not_an_amount` error when it is not an amount at all, so a form names
/// that rather than calling the field empty.
pub fn typed_amount(field: &'static str, raw: &str) -> Result<Option<i64>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    crate::format::parse_krw(raw).map(Some).ok_or(FieldError::new(field, "not_an_amount"))
}

/// The errors of a form whose amount field was typed as `typed`: an amount that
/// could not be read replaces whatever the parser said of that field.
pub fn with_typed_amount(mut errors: Vec<FieldError>, typed: &Result<Option<i64>, FieldError>) -> Vec<FieldError> {
    if let Err(error) = typed {
        errors.retain(|e| e.field != error.field);
        errors.push(error.clone());
    }
    errors
}

/// A whole-won amount that is positive, bounded and in whole thousands of won.
pub fn parse_amount(field: &'static str, amount: Option<i64>) -> Result<i64, FieldError> {
    match amount {
        None => Err(FieldError::new(field, "required")),
        Some(a) if a <= 0 => Err(FieldError::new(field, "amount_not_positive")),
        Some(a) if a > MAX_AMOUNT_KRW => Err(FieldError::new(field, "amount_too_large")),
        Some(a) if a % AMOUNT_UNIT_KRW != 0 => Err(FieldError::new(field, "amount_not_thousands")),
        Some(a) => Ok(a),
    }
}

/// A department's feasibility finding: 불가 and 조건부 need their reason; an
/// estimated cost replaces the proposer's if the department gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeasibilityReview {
    pub feasibility: Feasibility,
    pub reason: Option<String>,
    pub estimated_cost: Option<i64>,
}

impl FeasibilityReview {
    pub fn parse(feasibility: &str, reason: &str, estimated_cost: Option<i64>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let feasibility = Feasibility::try_from(feasibility.trim().to_string())
            .map_err(|_| errors.push(FieldError::new("feasibility", "required")))
            .ok();
        let reason = optional_multiline("reason", reason, REASON_MAX_CHARS).map_err(|e| errors.push(e)).ok().flatten();
        if matches!(feasibility, Some(Feasibility::Conditional | Feasibility::Infeasible)) && reason.is_none() {
            errors.push(FieldError::new("reason", "feasibility_reason_required"));
        }
        let estimated_cost = match estimated_cost {
            None => None,
            some => parse_amount("estimated_cost", some).map_err(|e| errors.push(e)).ok(),
        };
        match feasibility {
            Some(feasibility) if errors.is_empty() => Ok(FeasibilityReview { feasibility, reason, estimated_cost }),
            _ => Err(errors),
        }
    }
}

/// A citizen's idea (or a staff member's entry of a project): title, description,
/// the pot and category it is for, its cost, where, and whether the proposer's name
/// may be shown beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    pub title: String,
    pub description: String,
    pub pot_id: i64,
    pub category_id: Option<i64>,
    pub cost: i64,
    pub location: Option<String>,
    pub show_proposer: bool,
}

pub struct ProjectInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub pot_id: Option<i64>,
    pub category_id: Option<i64>,
    pub cost: Option<i64>,
    pub location: &'a str,
    pub show_proposer: bool,
}

impl NewProject {
    /// Every field's error at once; the title and description follow the proposals'
    /// lengths (`voice::proposals`), so an idea reads like a proposal.
    pub fn parse(input: &ProjectInput<'_>) -> Result<NewProject, Vec<FieldError>> {
        use crate::voice::proposals::{BODY_MAX_CHARS, BODY_MIN_CHARS, TITLE_MAX_CHARS, TITLE_MIN_CHARS};
        let mut errors = Vec::new();
        let title = required_line("title", input.title, TITLE_MAX_CHARS)
            .and_then(|t| {
                if t.chars().count() < TITLE_MIN_CHARS {
                    Err(FieldError::new("title", "too_short"))
                } else {
                    Ok(t)
                }
            })
            .map_err(|e| errors.push(e))
            .ok();
        let description = input.description.trim().replace("\r\n", "\n");
        let length = description.chars().count();
        if length < BODY_MIN_CHARS {
            errors.push(FieldError::new("description", if length == 0 { "required" } else { "too_short" }));
        } else if length > BODY_MAX_CHARS {
            errors.push(FieldError::new("description", "too_long"));
        }
        if input.pot_id.is_none() {
            errors.push(FieldError::new("pot", "required"));
        }
        let cost = parse_amount("cost", input.cost).map_err(|e| errors.push(e)).ok();
        let location = optional_line("location", input.location, NAME_MAX_CHARS).map_err(|e| errors.push(e)).ok();
        match (title, cost, location, input.pot_id) {
            (Some(title), Some(cost), Some(location), Some(pot_id)) if errors.is_empty() => Ok(NewProject {
                title,
                description,
                pot_id,
                category_id: input.category_id,
                cost,
                location,
                show_proposer: input.show_proposer,
            }),
            _ => Err(errors),
        }
    }
}

/// A process as staff set it up: what it is called, who may vote, how the vote is
/// counted and when it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProcess {
    pub slug: crate::org::Slug,
    pub title: String,
    pub description: String,
    pub rule: OutcomeRule,
    pub formula: score::ScoreFormula,
    pub eligibility: crate::verification::Eligibility,
    /// The most points one committee member gives a project (1: a yes/no vote).
    pub committee_max_score: i64,
    pub voting_opens_at: Option<i64>,
    pub voting_closes_at: Option<i64>,
}

impl NewProcess {
    /// Every problem at once, each on its field.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(e) = required_line("title", &self.title, NAME_MAX_CHARS) {
            errors.push(e);
        }
        if self.description.chars().count() > DESCRIPTION_MAX_CHARS {
            errors.push(FieldError::new("description", "too_long"));
        }
        if let Err(e) = self.formula.check() {
            errors.push(e);
        }
        if self.rule == OutcomeRule::GreedyCombined && !self.formula.uses_committee() {
            errors.push(FieldError::new("rule", "combined_needs_committee"));
        }
        if !(0..=120).contains(&self.eligibility.min_age) {
            errors.push(FieldError::new("min_age", "age_out_of_range"));
        }
        if self.eligibility.bases.is_empty() {
            errors.push(FieldError::new("bases", "required"));
        }
        if !(1..=100).contains(&self.committee_max_score) {
            errors.push(FieldError::new("committee_max_score", "score_out_of_range"));
        }
        if let (Some(opens), Some(closes)) = (self.voting_opens_at, self.voting_closes_at) {
            if closes <= opens {
                errors.push(FieldError::new("voting_closes_at", "closes_before_opening"));
            }
        }
        errors
    }
}

/// A pot: its name, the district (동) it is for (None: the whole body), its budget
/// and its ballot rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPot {
    pub name: String,
    pub district: Option<String>,
    pub budget: i64,
    pub rules: ballot::BallotRules,
}

impl NewPot {
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(e) = required_line("name", &self.name, NAME_MAX_CHARS) {
            errors.push(e);
        }
        if let Some(district) = &self.district {
            if let Err(e) = required_line("district", district, NAME_MAX_CHARS) {
                errors.push(e);
            }
        }
        if let Err(e) = parse_amount("budget", Some(self.budget)) {
            errors.push(e);
        }
        if let Err(e) = self.rules.check() {
            errors.push(e);
        }
        errors
    }
}

fn optional_multiline(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, FieldError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max_chars {
        return Err(FieldError::new(field, "too_long"));
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_amount_that_is_not_one_is_named_as_such() {
        assert_eq!(typed_amount("budget", "  "), Ok(None));
        assert_eq!(typed_amount("budget", "3억 원"), Ok(Some(300_000_000)));
        assert_eq!(typed_amount("budget", "300,000,000"), Ok(Some(300_000_000)));
        assert_eq!(typed_amount("budget", "삼억"), Err(FieldError::new("budget", "not_an_amount")));
        // The parser said "required" of the field it was given None for; the typed
        // error replaces it, and other fields' errors stay.
        let parsed = vec![FieldError::new("cost", "required"), FieldError::new("title", "required")];
        let typed = typed_amount("cost", "많이");
        assert_eq!(
            with_typed_amount(parsed, &typed),
            vec![FieldError::new("title", "required"), FieldError::new("cost", "not_an_amount")]
        );
    }

    #[test]
    fn phases_move_forward_one_at_a_time() {
        assert_eq!(Phase::Proposals.advance_to(Phase::Feasibility), Ok(Phase::Feasibility));
        assert!(Phase::Proposals.advance_to(Phase::Voting).is_err(), "no skipping the review");
        assert!(Phase::Results.advance_to(Phase::Voting).is_err(), "no going back to voting");
        assert_eq!(Phase::Implementation.next(), None);
        assert!(Phase::Voting.accepts_ballots() && !Phase::Results.accepts_ballots());
        assert!(!Phase::Voting.shows_results() && Phase::Results.shows_results());
    }

    #[test]
    fn only_feasible_projects_go_on_the_ballot() {
        let reviewed = ProjectState::Submitted.review().unwrap();
        assert_eq!(reviewed.select(Some(Feasibility::Conditional), true), Ok(ProjectState::OnBallot));
        assert_eq!(
            reviewed.select(Some(Feasibility::Infeasible), true),
            Err(FieldError::new("selection", "project_infeasible"))
        );
        assert_eq!(reviewed.select(Some(Feasibility::Infeasible), false), Ok(ProjectState::NotSelected));
        assert!(ProjectState::Submitted.select(Some(Feasibility::Feasible), true).is_err(), "reviewed first");
        assert!(ProjectState::Funded.review().is_err());
    }

    #[test]
    fn a_finding_against_needs_its_reason() {
        let errors = FeasibilityReview::parse("infeasible", " ", None).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("reason", "feasibility_reason_required")]);
        let review = FeasibilityReview::parse("conditional", "부지 협의 후 가능", Some(3_000_000_000)).unwrap();
        assert_eq!(review.estimated_cost, Some(3_000_000_000), "billions fit");
        assert!(FeasibilityReview::parse("maybe", "", None).is_err());
        assert_eq!(
            FeasibilityReview::parse("feasible", "", Some(0)).unwrap_err(),
            vec![FieldError::new("estimated_cost", "amount_not_positive")]
        );
    }

    #[test]
    fn an_idea_reports_every_field_at_once() {
        let input = ProjectInput {
            title: "짧",
            description: "",
            pot_id: None,
            category_id: None,
            cost: Some(-5),
            location: "",
            show_proposer: false,
        };
        let fields: Vec<_> = NewProject::parse(&input).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "description", "pot", "cost"]);
        let input = ProjectInput {
            title: "어린이공원 그늘막 설치",
            description: "여름철 한낮에 놀이터를 쓸 수 없어 그늘막이 필요합니다.",
            pot_id: Some(1),
            cost: Some(45_000_000),
            ..input
        };
        assert_eq!(NewProject::parse(&input).unwrap().cost, 45_000_000);
    }
}
