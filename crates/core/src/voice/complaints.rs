//! Complaints (민원, "시장에게 바란다"): their kinds and statutory periods, states and
//! the moves between them, extensions, answers, ratings and re-examinations, and the
//! rule for closing a repeated complaint — the one place that says which move the law
//! allows (../REFERENCE.md "Complaints", 민원 처리에 관한 법률 and its 시행령).
//!
//! States: 접수 (`received`) → 배정 (`assigned`, to a department) → 처리중
//! (`in_progress`) → 답변완료 (`answered`) or 종결 (`closed`, under 법 제23조); 이송
//! (`transferred`, to another public body, which receives it on its own clock) and 철회
//! (`withdrawn`, by the filer) end it too. A re-examination (재검토) takes an answered
//! complaint back to 처리중 once.

use crate::text::{optional_line, required_line};
use crate::voice::proposals::bounded_text;
use crate::workdays::Period;
use crate::FieldError;

text_enum!(
    /// What kind of complaint it is, which fixes its processing period.
    ComplaintKind {
        InquiryLaw => "inquiry_law",
        Inquiry => "inquiry",
        Suggestion => "suggestion",
        Grievance => "grievance",
        Other => "other",
    }
);

text_enum!(
    /// Where a complaint is in its handling.
    ComplaintState {
        Received => "received",
        Assigned => "assigned",
        InProgress => "in_progress",
        Answered => "answered",
        Closed => "closed",
        Transferred => "transferred",
        Withdrawn => "withdrawn",
    }
);

text_enum!(
    /// What the answer decided: done as asked (처리), explained (안내), partly done
    /// (일부 수용), or refused (불수용, with its reason and the remedies).
    AnswerOutcome { Resolved => "resolved", Explained => "explained", Partial => "partial", Refused => "refused" }
);

/// Electronic complaints are received within 8 working hours of arrival (시행령 제6조 ⑦).
pub const RECEIPT_PERIOD: Period = Period::Hours(8);
/// Processing past 30 days sends the filer an interim notice (시행령 제23조).
pub const INTERIM_NOTICE_DAYS: i64 = 30;
/// 반복민원: filed this many times … (법 제23조 ①)
pub const REPEAT_FILINGS: i64 = 3;
/// … after the result was notified this many times, it may be closed.
pub const REPEAT_ANSWERS: i64 = 2;
/// 다수인관련민원: five or more people filing the same matter (법 제2조 5호).
pub const MULTI_PERSON_FILERS: i64 = 5;

pub const TITLE_MIN_CHARS: usize = 5;
pub const TITLE_MAX_CHARS: usize = 100;
pub const BODY_MIN_CHARS: usize = 10;
/// The longest description Open311 takes (GeoReport v2 `description`).
pub const BODY_MAX_CHARS: usize = 4000;

/// The notice sent when a repeated complaint is closed (법 제23조 ①).
pub const REPEAT_CLOSURE_NOTICE: &str = "같은 내용의 민원을 정당한 사유 없이 3회 이상 반복하여 제출하셨고, 2회 이상 그 처리결과를 통지하였으므로 「민원 처리에 관한 법률」 제23조 제1항에 따라 이 민원을 종결 처리합니다. 이후 같은 내용의 민원은 종결 처리될 수 있습니다.";

/// The remedies a refusal names when its officer writes none (법 제27조).
pub const DEFAULT_REMEDIES: &str = "이 답변에 이의가 있으시면 답변을 받은 날부터 한 차례 재검토를 요청하실 수 있습니다. 또한 국민권익위원회(국민신문고, 국번 없이 110)에 고충민원을 신청하시거나, 처분에 해당하는 경우 처분이 있음을 안 날부터 90일 이내에 「행정심판법」에 따른 행정심판 또는 「행정소송법」에 따른 행정소송을 제기하실 수 있습니다.";

impl ComplaintKind {
    /// The processing period the 시행령 sets for the kind: 질의 (법령 해석 14일, 제도·절차
    /// 7일, 제14조), 건의 14일 (제15조), 고충 7일 (제17조), 기타 즉시 = 3 working hours
    /// (제16조, 제19조).
    pub fn period(self) -> Period {
        match self {
            ComplaintKind::InquiryLaw | ComplaintKind::Suggestion => Period::Days(14),
            ComplaintKind::Inquiry | ComplaintKind::Grievance => Period::Days(7),
            ComplaintKind::Other => Period::Hours(3),
        }
    }

    pub fn parse(raw: &str) -> Result<ComplaintKind, FieldError> {
        ComplaintKind::try_from(raw.trim().to_string()).map_err(|_| FieldError::new("kind", "invalid_choice"))
    }
}

impl ComplaintState {
    /// Still waiting for its answer (the clock runs).
    pub fn is_open(self) -> bool {
        matches!(self, ComplaintState::Received | ComplaintState::Assigned | ComplaintState::InProgress)
    }

    /// A coordinator assigns it to a department, or moves it to another one (이첩).
    pub fn assign(self) -> Result<ComplaintState, FieldError> {
        self.open_or_closed(ComplaintState::Assigned)
    }

    /// The assigned department starts working on it.
    pub fn start(self) -> Result<ComplaintState, FieldError> {
        match self {
            ComplaintState::Assigned | ComplaintState::InProgress => Ok(ComplaintState::InProgress),
            ComplaintState::Received => Err(FieldError::new("state", "complaint_not_assigned")),
            _ => Err(FieldError::new("state", "complaint_closed")),
        }
    }

    /// The department answers.
    pub fn answer(self) -> Result<ComplaintState, FieldError> {
        match self {
            ComplaintState::Assigned | ComplaintState::InProgress => Ok(ComplaintState::Answered),
            ComplaintState::Received => Err(FieldError::new("state", "complaint_not_assigned")),
            _ => Err(FieldError::new("state", "complaint_closed")),
        }
    }

    /// Closed as a repeated complaint (법 제23조), whatever open state it was in.
    pub fn close(self) -> Result<ComplaintState, FieldError> {
        self.open_or_closed(ComplaintState::Closed)
    }

    /// Sent to another public body, which handles it from then on.
    pub fn transfer(self) -> Result<ComplaintState, FieldError> {
        self.open_or_closed(ComplaintState::Transferred)
    }

    /// The filer withdraws it before the answer.
    pub fn withdraw(self) -> Result<ComplaintState, FieldError> {
        self.open_or_closed(ComplaintState::Withdrawn)
    }

    /// The filer asks once for the answer to be examined again.
    pub fn reexamine(self, already_asked: bool) -> Result<ComplaintState, FieldError> {
        match self {
            ComplaintState::Answered if already_asked => Err(FieldError::new("reexamination", "reexamination_used")),
            ComplaintState::Answered => Ok(ComplaintState::InProgress),
            _ => Err(FieldError::new("reexamination", "complaint_not_answered")),
        }
    }

    fn open_or_closed(self, next: ComplaintState) -> Result<ComplaintState, FieldError> {
        if self.is_open() {
            Ok(next)
        } else {
            Err(FieldError::new("state", "complaint_closed"))
        }
    }
}

impl AnswerOutcome {
    pub fn parse(raw: &str) -> Result<AnswerOutcome, FieldError> {
        AnswerOutcome::try_from(raw.trim().to_string()).map_err(|_| FieldError::new("outcome", "invalid_choice"))
    }
}

/// Where a complaint is about: an address, a map point, or both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
}

impl Place {
    /// An address of up to 200 characters and a point given as both coordinates, in
    /// the range of WGS 84 (Open311 `lat`, `long`).
    pub fn parse(address: &str, lat: &str, long: &str) -> Result<Place, FieldError> {
        let address = optional_line("address", address, 200)?;
        let (lat, long) = match (lat.trim(), long.trim()) {
            ("", "") => (None, None),
            (lat, long) => {
                let lat: f64 = lat.parse().map_err(|_| FieldError::new("lat", "invalid_coordinate"))?;
                let long: f64 = long.parse().map_err(|_| FieldError::new("long", "invalid_coordinate"))?;
                if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
                    return Err(FieldError::new("lat", "invalid_coordinate"));
                }
                if !(-180.0..=180.0).contains(&long) || !long.is_finite() {
                    return Err(FieldError::new("long", "invalid_coordinate"));
                }
                (Some(lat), Some(long))
            }
        };
        Ok(Place { address, lat, long })
    }
}

/// A complaint as its filer typed it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewComplaint {
    pub title: String,
    pub body: String,
    /// 공개 (everyone may read it, the name masked) or 비공개 (the filer and the staff
    /// handling it only).
    pub is_public: bool,
    pub place: Place,
    /// How the filer wants to be reached (a telephone number), besides their account.
    pub phone: Option<String>,
}

impl NewComplaint {
    pub fn parse(
        title: &str,
        body: &str,
        is_public: bool,
        place: Result<Place, FieldError>,
        phone: &str,
    ) -> Result<NewComplaint, Vec<FieldError>> {
        let title = required_line("subject", title, TITLE_MAX_CHARS).and_then(|t| {
            if t.chars().count() < TITLE_MIN_CHARS {
                Err(FieldError::new("subject", "too_short"))
            } else {
                Ok(t)
            }
        });
        let body = bounded_text("content", body, BODY_MIN_CHARS, BODY_MAX_CHARS);
        let phone = phone_number(phone);
        match (title, body, place, phone) {
            (Ok(title), Ok(body), Ok(place), Ok(phone)) => Ok(NewComplaint { title, body, is_public, place, phone }),
            (title, body, place, phone) => {
                Err([title.err(), body.err(), place.err(), phone.err()].into_iter().flatten().collect())
            }
        }
    }
}

/// A Korean telephone number as typed (`010-1234-5678`, `041 360 3120`): digits with
/// optional hyphens or spaces, 8 to 12 digits. Empty is none.
pub fn phone_number(raw: &str) -> Result<Option<String>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let allowed = raw.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    if !allowed || !(8..=12).contains(&digits) {
        return Err(FieldError::new("phone", "invalid_phone"));
    }
    Ok(Some(raw.to_string()))
}

/// An answer, checked: the outcome and text, and the officer and contact every notice
/// names (시행령 제31조; the unit is the assigned department). A refusal states its
/// reason and the remedies (법 제27조).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintAnswer {
    pub outcome: AnswerOutcome,
    pub body: String,
    pub officer: String,
    pub contact: String,
    pub refusal_reason: Option<String>,
    pub remedies: Option<String>,
}

impl ComplaintAnswer {
    pub fn parse(
        outcome: &str,
        body: &str,
        officer: &str,
        contact: &str,
        refusal_reason: &str,
        remedies: &str,
    ) -> Result<ComplaintAnswer, Vec<FieldError>> {
        let outcome = AnswerOutcome::parse(outcome);
        let body = bounded_text("answer", body, 10, BODY_MAX_CHARS);
        let officer = required_line("officer", officer, 40);
        let contact = required_line("contact", contact, 60);
        let refused = outcome == Ok(AnswerOutcome::Refused);
        let refusal_reason =
            if refused { bounded_text("refusal_reason", refusal_reason, 5, 1000).map(Some) } else { Ok(None) };
        let remedies = if refused {
            match remedies.trim() {
                "" => Ok(Some(DEFAULT_REMEDIES.to_string())),
                text => bounded_text("remedies", text, 10, 1000).map(Some),
            }
        } else {
            Ok(None)
        };
        match (outcome, body, officer, contact, refusal_reason, remedies) {
            (Ok(outcome), Ok(body), Ok(officer), Ok(contact), Ok(refusal_reason), Ok(remedies)) => {
                Ok(ComplaintAnswer { outcome, body, officer, contact, refusal_reason, remedies })
            }
            (outcome, body, officer, contact, reason, remedies) => {
                Err([outcome.err(), body.err(), officer.err(), contact.err(), reason.err(), remedies.err()]
                    .into_iter()
                    .flatten()
                    .collect())
            }
        }
    }
}

/// How satisfied the filer is with the answer: 1 (매우 불만족) to 5 (매우 만족).
pub fn satisfaction(raw: &str) -> Result<i64, FieldError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => Ok(n),
        _ => Err(FieldError::new("satisfaction", "invalid_choice")),
    }
}

/// Why a department extends the period, why staff transfer or close a complaint, an
/// internal note: one line to a paragraph.
pub fn reason(field: &'static str, raw: &str) -> Result<String, FieldError> {
    bounded_text(field, raw, 2, 1000)
}

/// Whether the period may be extended to `new_due` (시행령 제21조): once within the
/// period's own length, a second time only with the filer's consent, never a third.
/// `current_due` is the deadline now and `longest` the latest the extension may reach
/// (the current deadline plus the kind's period again).
pub fn check_extension(
    extensions_so_far: i64,
    current_due: i64,
    new_due: i64,
    longest: i64,
    filer_consented: bool,
) -> Result<(), FieldError> {
    if extensions_so_far >= 2 {
        return Err(FieldError::new("due_date", "extension_limit"));
    }
    if extensions_so_far == 1 && !filer_consented {
        return Err(FieldError::new("consent", "extension_needs_consent"));
    }
    if new_due <= current_due {
        return Err(FieldError::new("due_date", "extension_not_later"));
    }
    if new_due > longest {
        return Err(FieldError::new("due_date", "extension_too_long"));
    }
    Ok(())
}

/// Whether a matter filed `filings` times and answered `answers` times may be closed
/// as a repeated complaint (법 제23조 ①); a 다수인관련민원 only after the 민원조정위원회
/// deliberated (시행령 제26조), whose decision is then recorded.
pub fn check_repeat_closure(
    filings: i64,
    answers: i64,
    multi_person: bool,
    committee_decision: Option<&str>,
) -> Result<(), FieldError> {
    if filings < REPEAT_FILINGS || answers < REPEAT_ANSWERS {
        return Err(FieldError::new("state", "repeat_not_enough"));
    }
    if multi_person && committee_decision.is_none_or(|d| d.trim().is_empty()) {
        return Err(FieldError::new("committee_decision", "committee_required"));
    }
    Ok(())
}

/// A body's rules for complaints (these defaults until it sets its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplaintRules {
    /// How alike (3-gram Jaccard, percent) a person's new complaint must be to one of
    /// their earlier ones to be the same matter again (반복민원).
    pub repeat_similarity_percent: i64,
    /// How alike complaints of different people must be to be one case (다수인·중복).
    pub group_similarity_percent: i64,
    /// Years after closing that the filer's personal data is kept (the answer stays).
    pub retention_years: i64,
}

impl Default for ComplaintRules {
    fn default() -> Self {
        ComplaintRules { repeat_similarity_percent: 50, group_similarity_percent: 80, retention_years: 3 }
    }
}

impl ComplaintRules {
    pub fn parse(repeat: &str, group: &str, retention: &str) -> Result<ComplaintRules, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut number =
            |field: &'static str, raw: &str, range: std::ops::RangeInclusive<i64>| match raw.trim().parse::<i64>() {
                Ok(n) if range.contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(field, "invalid_count"));
                    0
                }
            };
        let rules = ComplaintRules {
            repeat_similarity_percent: number("repeat_similarity_percent", repeat, 20..=100),
            group_similarity_percent: number("group_similarity_percent", group, 50..=100),
            retention_years: number("retention_years", retention, 1..=10),
        };
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(errors)
        }
    }

    pub fn repeat_threshold(&self) -> f64 {
        self.repeat_similarity_percent as f64 / 100.0
    }

    pub fn group_threshold(&self) -> f64 {
        self.group_similarity_percent as f64 / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_the_period_of_the_decree() {
        assert_eq!(ComplaintKind::InquiryLaw.period(), Period::Days(14));
        assert_eq!(ComplaintKind::Inquiry.period(), Period::Days(7));
        assert_eq!(ComplaintKind::Suggestion.period(), Period::Days(14));
        assert_eq!(ComplaintKind::Grievance.period(), Period::Days(7));
        assert_eq!(ComplaintKind::Other.period(), Period::Hours(3));
    }

    #[test]
    fn the_moves_a_complaint_can_make() {
        use ComplaintState::*;
        assert_eq!(Received.assign(), Ok(Assigned));
        assert_eq!(InProgress.assign(), Ok(Assigned), "moved to another department");
        assert_eq!(Received.answer().unwrap_err().code, "complaint_not_assigned");
        assert_eq!(Assigned.start(), Ok(InProgress));
        assert_eq!(InProgress.answer(), Ok(Answered));
        assert_eq!(Answered.answer().unwrap_err().code, "complaint_closed");
        assert_eq!(Answered.withdraw().unwrap_err().code, "complaint_closed");
        assert_eq!(Answered.reexamine(false), Ok(InProgress));
        assert_eq!(Answered.reexamine(true).unwrap_err().code, "reexamination_used");
        assert_eq!(InProgress.reexamine(false).unwrap_err().code, "complaint_not_answered");
        assert_eq!(Received.close(), Ok(Closed));
        assert_eq!(Closed.transfer().unwrap_err().code, "complaint_closed");
        assert_eq!(Assigned.transfer(), Ok(Transferred));
        assert!(!Transferred.is_open() && !Withdrawn.is_open() && InProgress.is_open());
    }

    #[test]
    fn a_second_extension_needs_consent_and_a_third_is_refused() {
        let (due, longest) = (1_000, 2_000);
        assert_eq!(check_extension(0, due, 1_500, longest, false), Ok(()));
        assert_eq!(check_extension(0, due, 900, longest, false).unwrap_err().code, "extension_not_later");
        assert_eq!(check_extension(0, due, 2_001, longest, false).unwrap_err().code, "extension_too_long");
        assert_eq!(check_extension(1, due, 1_500, longest, false).unwrap_err().code, "extension_needs_consent");
        assert_eq!(check_extension(1, due, 1_500, longest, true), Ok(()));
        assert_eq!(check_extension(2, due, 1_500, longest, true).unwrap_err().code, "extension_limit");
    }

    #[test]
    fn a_repeated_matter_closes_after_three_filings_and_two_answers() {
        assert_eq!(check_repeat_closure(2, 2, false, None).unwrap_err().code, "repeat_not_enough");
        assert_eq!(check_repeat_closure(3, 1, false, None).unwrap_err().code, "repeat_not_enough");
        assert_eq!(check_repeat_closure(3, 2, false, None), Ok(()));
        assert_eq!(check_repeat_closure(3, 2, true, Some(" ")).unwrap_err().code, "committee_required");
        assert_eq!(check_repeat_closure(4, 3, true, Some("2026. 11. 20. 민원조정위원회 심의: 종결 의결")), Ok(()));
    }

    #[test]
    fn a_refusal_carries_its_reason_and_the_remedies() {
        let errors =
            ComplaintAnswer::parse("refused", "검토 결과 수용이 어렵습니다.", "김주무관", "041-360-3120", "", "")
                .unwrap_err();
        assert_eq!(errors.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>(), [("refusal_reason", "required")]);
        let answer = ComplaintAnswer::parse(
            "refused",
            "검토 결과 수용이 어렵습니다.",
            "김주무관",
            "041-360-3120",
            "해당 도로는 국도로 시 관할이 아닙니다.",
            "",
        )
        .unwrap();
        assert_eq!(answer.remedies.as_deref(), Some(DEFAULT_REMEDIES));
        let resolved =
            ComplaintAnswer::parse("resolved", "보수를 마쳤습니다. 감사합니다.", "김주무관", "041-360-3120", "x", "y")
                .unwrap();
        assert_eq!((resolved.refusal_reason, resolved.remedies), (None, None));
    }

    #[test]
    fn a_complaint_reports_every_bad_field_at_once() {
        let errors = NewComplaint::parse("짧음", "짧다", true, Place::parse("", "37.5", ""), "전화").unwrap_err();
        assert_eq!(
            errors.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>(),
            [
                ("subject", "too_short"),
                ("content", "too_short"),
                ("long", "invalid_coordinate"),
                ("phone", "invalid_phone")
            ]
        );
        let ok = NewComplaint::parse(
            "가로등 고장 신고",
            "한빛로 12번길 가로등이 일주일째 꺼져 있습니다.",
            false,
            Place::parse("한빛로 12번길 3", "36.8898", "126.6459"),
            "010-1234-5678",
        )
        .unwrap();
        assert_eq!(ok.place.lat, Some(36.8898));
        assert_eq!(ok.phone.as_deref(), Some("010-1234-5678"));
        assert!(Place::parse("", "91", "0").is_err());
        assert_eq!(satisfaction("5"), Ok(5));
        assert!(satisfaction("6").is_err());
    }
}
