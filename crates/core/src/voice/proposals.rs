//! Policy proposals (정책제안): their states, answers, moderation and the body's rules
//! for supports and answer deadlines — the one place that says which move is allowed.
//!
//! States: 접수 (`received`) → 검토중 (`reviewing`, once a coordinator assigns it to a
//! department) → 답변완료 (`answered`, with a result), or 철회 (`withdrawn`) by its
//! author before the answer. Moderation is kept apart from the state, so a proposal
//! hidden by a moderator (숨김, with the reason shown) and restored comes back where it
//! was; three people reporting it hide it pending a moderator's decision.
//!
//! Defaults (`ProposalRules::default`) follow ../REFERENCE.md "Proposals and petitions":
//! 50 supports within 30 days make a proposal 답변 대상 (상상대로 서울), which is then
//! answered within 30 days; an assigned proposal is answered within 14 days of the
//! assignment (the 14 days of a 건의민원, 민원 처리에 관한 법률 시행령 제15조).

use crate::format::kst_date_after;
use crate::text::{optional_line, required_line};
use crate::FieldError;

text_enum!(
    /// Where a proposal is in its handling.
    ProposalState { Received => "received", Reviewing => "reviewing", Answered => "answered", Withdrawn => "withdrawn" }
);

text_enum!(
    /// The department's answer: 수용, 부분수용, 불수용, 장기검토.
    AnswerResult {
        Accepted => "accepted",
        PartiallyAccepted => "partially_accepted",
        Rejected => "rejected",
        LongTerm => "long_term",
    }
);

text_enum!(
    /// Whether people see a proposal or comment: shown, hidden because enough people
    /// reported it (until a moderator decides), or hidden by a moderator.
    Moderation { Visible => "visible", Reported => "reported", Hidden => "hidden" }
);

text_enum!(
    /// The fields a city sorts proposals into.
    ProposalCategory {
        Transport => "transport",
        Environment => "environment",
        Welfare => "welfare",
        Safety => "safety",
        Economy => "economy",
        Culture => "culture",
        Education => "education",
        Urban => "urban",
        Administration => "administration",
        Other => "other",
    }
);

/// Reports by this many different people hide a proposal or comment until a moderator
/// decides.
pub const REPORTS_TO_HIDE: i64 = 3;

pub const TITLE_MIN_CHARS: usize = 5;
pub const TITLE_MAX_CHARS: usize = 100;
pub const BODY_MIN_CHARS: usize = 20;
pub const BODY_MAX_CHARS: usize = 5000;
pub const COMMENT_MAX_CHARS: usize = 1000;

impl ProposalState {
    /// Still waiting for its answer.
    pub fn is_open(self) -> bool {
        matches!(self, ProposalState::Received | ProposalState::Reviewing)
    }

    /// A coordinator assigns (or reassigns) a proposal not yet answered.
    pub fn assign(self) -> Result<ProposalState, FieldError> {
        if self.is_open() {
            Ok(ProposalState::Reviewing)
        } else {
            Err(FieldError::new("state", "proposal_closed"))
        }
    }

    /// The assigned department answers once.
    pub fn answer(self) -> Result<ProposalState, FieldError> {
        match self {
            ProposalState::Reviewing => Ok(ProposalState::Answered),
            ProposalState::Received => Err(FieldError::new("state", "proposal_not_assigned")),
            _ => Err(FieldError::new("state", "proposal_closed")),
        }
    }

    /// The author withdraws a proposal that has no answer yet.
    pub fn withdraw(self) -> Result<ProposalState, FieldError> {
        if self.is_open() {
            Ok(ProposalState::Withdrawn)
        } else {
            Err(FieldError::new("state", "proposal_closed"))
        }
    }

    /// Supports are taken while a proposal waits for its answer.
    pub fn accepts_supports(self) -> Result<(), FieldError> {
        if self.is_open() {
            Ok(())
        } else {
            Err(FieldError::new("support", "proposal_closed"))
        }
    }
}

impl Moderation {
    pub fn is_public(self) -> bool {
        self == Moderation::Visible
    }
}

impl ProposalCategory {
    pub fn parse(raw: &str) -> Result<ProposalCategory, FieldError> {
        ProposalCategory::try_from(raw.trim().to_string()).map_err(|_| FieldError::new("category", "invalid_choice"))
    }
}

impl AnswerResult {
    pub fn parse(raw: &str) -> Result<AnswerResult, FieldError> {
        AnswerResult::try_from(raw.trim().to_string()).map_err(|_| FieldError::new("result", "invalid_choice"))
    }
}

/// A body's rules for proposals (`voice_settings`; these defaults until it sets its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposalRules {
    /// Supports within the window that make a proposal 답변 대상.
    pub support_threshold: i64,
    /// Days from submission within which supports count toward the threshold.
    pub support_window_days: i64,
    /// Days from assignment to the answer.
    pub answer_days: i64,
    /// Days from reaching the threshold to the answer.
    pub threshold_answer_days: i64,
    /// Whether citizens may comment on proposals.
    pub comments_enabled: bool,
}

impl Default for ProposalRules {
    fn default() -> Self {
        ProposalRules {
            support_threshold: 50,
            support_window_days: 30,
            answer_days: 14,
            threshold_answer_days: 30,
            comments_enabled: true,
        }
    }
}

const SECONDS_PER_DAY: i64 = 86_400;

impl ProposalRules {
    /// The rules an administrator typed: whole numbers in sensible ranges.
    pub fn parse(
        support_threshold: &str,
        support_window_days: &str,
        answer_days: &str,
        threshold_answer_days: &str,
        comments_enabled: bool,
    ) -> Result<ProposalRules, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut number = |field: &'static str, raw: &str, max: i64| match raw.trim().parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                errors.push(FieldError::new(field, "invalid_count"));
                0
            }
        };
        let rules = ProposalRules {
            support_threshold: number("support_threshold", support_threshold, 1_000_000),
            support_window_days: number("support_window_days", support_window_days, 365),
            answer_days: number("answer_days", answer_days, 365),
            threshold_answer_days: number("threshold_answer_days", threshold_answer_days, 365),
            comments_enabled,
        };
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(errors)
        }
    }

    /// Whether the `count`-th support, given at `at`, makes a proposal submitted at
    /// `submitted_at` 답변 대상: the threshold reached within the window.
    pub fn reaches_threshold(&self, count: i64, submitted_at: i64, at: i64) -> bool {
        count >= self.support_threshold && at <= submitted_at + self.support_window_days * SECONDS_PER_DAY
    }

    /// The last day (KST date) of the answer: the earlier of 14 days from assignment and
    /// 30 days from reaching the threshold; none while neither happened.
    pub fn answer_due(&self, assigned_at: Option<i64>, threshold_at: Option<i64>) -> Option<String> {
        let by_assignment = assigned_at.map(|at| kst_date_after(at, self.answer_days));
        let by_threshold = threshold_at.map(|at| kst_date_after(at, self.threshold_answer_days));
        // ISO dates compare as text.
        match (by_assignment, by_threshold) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// A proposal as its author typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub title: String,
    pub body: String,
    pub category: ProposalCategory,
    /// Where it is about (a place, an address), when it is about one place.
    pub location: Option<String>,
}

/// A text of `min..=max` characters, trimmed; line breaks allowed, other control
/// characters not.
pub fn bounded_text(field: &'static str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let text = raw.trim().replace("\r\n", "\n");
    let chars = text.chars().count();
    if chars == 0 {
        return Err(FieldError::new(field, "required"));
    }
    if chars < min {
        return Err(FieldError::new(field, "too_short"));
    }
    if chars > max {
        return Err(FieldError::new(field, "too_long"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(field, "invalid_characters"));
    }
    Ok(text)
}

impl NewProposal {
    pub fn parse(title: &str, body: &str, category: &str, location: &str) -> Result<NewProposal, Vec<FieldError>> {
        let title = required_line("subject", title, TITLE_MAX_CHARS).and_then(|t| {
            if t.chars().count() < TITLE_MIN_CHARS {
                Err(FieldError::new("subject", "too_short"))
            } else {
                Ok(t)
            }
        });
        let body = bounded_text("content", body, BODY_MIN_CHARS, BODY_MAX_CHARS);
        let category = ProposalCategory::parse(category);
        let location = optional_line("location", location, 200);
        match (title, body, category, location) {
            (Ok(title), Ok(body), Ok(category), Ok(location)) => Ok(NewProposal { title, body, category, location }),
            (title, body, category, location) => {
                Err([title.err(), body.err(), category.err(), location.err()].into_iter().flatten().collect())
            }
        }
    }
}

/// A department's answer, checked: the result, the text, and who answers — the unit
/// is the assigned department; the officer and contact are named on every answer
/// (시행령 제31조: a notice names the responsible unit, officer and contact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub result: AnswerResult,
    pub body: String,
    pub officer: String,
    pub contact: String,
}

impl Answer {
    pub fn parse(result: &str, body: &str, officer: &str, contact: &str) -> Result<Answer, Vec<FieldError>> {
        let result = AnswerResult::parse(result);
        let body = bounded_text("answer", body, 10, BODY_MAX_CHARS);
        let officer = required_line("officer", officer, 40);
        let contact = required_line("contact", contact, 60);
        match (result, body, officer, contact) {
            (Ok(result), Ok(body), Ok(officer), Ok(contact)) => Ok(Answer { result, body, officer, contact }),
            (result, body, officer, contact) => {
                Err([result.err(), body.err(), officer.err(), contact.err()].into_iter().flatten().collect())
            }
        }
    }
}

/// Why a moderator hid something: shown publicly in its place.
pub fn hide_reason(raw: &str) -> Result<String, FieldError> {
    required_line("reason", raw, 200)
}

/// A comment's text.
pub fn comment_text(raw: &str) -> Result<String, FieldError> {
    bounded_text("comment", raw, 2, COMMENT_MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_moves_a_proposal_can_make() {
        use ProposalState::*;
        assert_eq!(Received.assign(), Ok(Reviewing));
        assert_eq!(Reviewing.assign(), Ok(Reviewing), "reassigning to another department");
        assert_eq!(Received.answer().unwrap_err().code, "proposal_not_assigned");
        assert_eq!(Reviewing.answer(), Ok(Answered));
        assert_eq!(Answered.answer().unwrap_err().code, "proposal_closed");
        assert_eq!(Answered.withdraw().unwrap_err().code, "proposal_closed");
        assert_eq!(Reviewing.withdraw(), Ok(Withdrawn));
        assert!(Withdrawn.accepts_supports().is_err());
        assert!(Withdrawn.assign().is_err());
        assert!(Received.accepts_supports().is_ok());
    }

    #[test]
    fn threshold_counts_only_within_the_window() {
        let rules = ProposalRules::default();
        let submitted = 1_780_000_000;
        assert!(!rules.reaches_threshold(49, submitted, submitted + 10));
        assert!(rules.reaches_threshold(50, submitted, submitted + 30 * 86_400));
        assert!(!rules.reaches_threshold(50, submitted, submitted + 30 * 86_400 + 1));
    }

    #[test]
    fn the_answer_is_due_at_the_earlier_deadline() {
        let rules = ProposalRules::default();
        // 2026-06-01 10:00 KST = 01:00 UTC.
        let june_first = crate::format::kst_unix("2026-06-01", 10).unwrap();
        assert_eq!(rules.answer_due(None, None), None);
        assert_eq!(rules.answer_due(Some(june_first), None).as_deref(), Some("2026-06-15"));
        assert_eq!(rules.answer_due(None, Some(june_first)).as_deref(), Some("2026-07-01"));
        let late_assignment = june_first + 20 * 86_400;
        assert_eq!(rules.answer_due(Some(late_assignment), Some(june_first)).as_deref(), Some("2026-07-01"));
        // Late in the KST evening is still that day.
        let evening = crate::format::kst_unix("2026-06-01", 23).unwrap();
        assert_eq!(rules.answer_due(Some(evening), None).as_deref(), Some("2026-06-15"));
    }

    #[test]
    fn a_proposal_reports_every_bad_field_at_once() {
        let errors = NewProposal::parse("짧음", "너무 짧은 본문", "parking", &"가".repeat(201)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("subject", "too_short"),
                ("content", "too_short"),
                ("category", "invalid_choice"),
                ("location", "too_long")
            ]
        );
        let ok = NewProposal::parse(
            " 공원 주차장 확충 ",
            "주말마다 한빛공원 주변 도로가 불법 주차로 막힙니다.\r\n공영주차장을 늘려 주세요.",
            "transport",
            "",
        )
        .unwrap();
        assert_eq!(ok.title, "공원 주차장 확충");
        assert!(ok.body.contains("막힙니다.\n공영"));
        assert_eq!(ok.location, None);
    }

    #[test]
    fn an_answer_names_its_officer_and_contact() {
        let errors = Answer::parse("maybe", "", " ", "").unwrap_err();
        assert_eq!(errors.len(), 4);
        let answer =
            Answer::parse("partially_accepted", "내년 예산에 일부 반영하겠습니다.", "박주무관", "041-360-3120");
        assert_eq!(answer.unwrap().result, AnswerResult::PartiallyAccepted);
    }

    #[test]
    fn rules_are_whole_numbers_in_range() {
        assert_eq!(ProposalRules::parse("50", "30", "14", "30", true), Ok(ProposalRules::default()));
        let errors = ProposalRules::parse("0", "x", "400", "30", false).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["support_threshold", "support_window_days", "answer_days"]
        );
    }
}
