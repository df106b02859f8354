//! City notices (시정알림): what staff publish to everyone, with a category, pinning
//! and publish/expiry dates. A notice is public from its publish date to its expiry
//! date (both KST days, inclusive); pinned ones come first while public.

use super::proposals::bounded_text;
use crate::text::required_line;
use crate::FieldError;

text_enum!(
    /// The boards a city's notices are sorted into.
    NoticeCategory {
        General => "general",
        PublicNotice => "public_notice",
        Event => "event",
        Recruitment => "recruitment",
        Tender => "tender",
        Press => "press",
    }
);

impl NoticeCategory {
    pub fn parse(raw: &str) -> Result<NoticeCategory, FieldError> {
        NoticeCategory::try_from(raw.trim().to_string()).map_err(|_| FieldError::new("category", "invalid_choice"))
    }
}

/// A notice as staff typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub title: String,
    pub body: String,
    pub category: NoticeCategory,
    pub pinned: bool,
    /// First public day (`2026-12-01`).
    pub publish_on: String,
    /// Last public day, when it ends.
    pub expires_on: Option<String>,
}

/// A `YYYY-MM-DD` date that exists.
fn iso_day(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    match crate::format::days_until(raw, 0) {
        Some(_) if raw.len() == 10 && crate::format::kst_unix(raw, 0).is_some() => Ok(raw.to_string()),
        _ => Err(FieldError::new(field, "invalid_date")),
    }
}

impl NewNotice {
    /// `today` (KST) fills an empty publish date.
    pub fn parse(
        title: &str,
        body: &str,
        category: &str,
        pinned: bool,
        publish_on: &str,
        expires_on: &str,
        today: &str,
    ) -> Result<NewNotice, Vec<FieldError>> {
        let title = required_line("subject", title, 120);
        let body = bounded_text("content", body, 1, 20_000);
        let category = NoticeCategory::parse(category);
        let publish_on =
            if publish_on.trim().is_empty() { Ok(today.to_string()) } else { iso_day("publish_on", publish_on) };
        let expires_on =
            if expires_on.trim().is_empty() { Ok(None) } else { iso_day("expires_on", expires_on).map(Some) };
        let mut errors: Vec<FieldError> = [
            title.as_ref().err(),
            body.as_ref().err(),
            category.as_ref().err(),
            publish_on.as_ref().err(),
            expires_on.as_ref().err(),
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        if let (Ok(start), Ok(Some(end))) = (&publish_on, &expires_on) {
            if end < start {
                errors.push(FieldError::new("expires_on", "end_before_start"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewNotice {
            title: title.unwrap(),
            body: body.unwrap(),
            category: category.unwrap(),
            pinned,
            publish_on: publish_on.unwrap(),
            expires_on: expires_on.unwrap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_checked_whole() {
        let notice = NewNotice::parse(
            "2027년 주민참여예산 위원 모집",
            "모집합니다.",
            "recruitment",
            true,
            "",
            "2027-01-15",
            "2026-12-01",
        )
        .unwrap();
        assert_eq!(notice.publish_on, "2026-12-01");
        assert_eq!(notice.expires_on.as_deref(), Some("2027-01-15"));
        let errors = NewNotice::parse("", "", "gossip", false, "2026-13-01", "2026-11-30", "2026-12-01").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject", "content", "category", "publish_on"]);
        let errors =
            NewNotice::parse("제목", "본문", "general", false, "2026-12-10", "2026-12-01", "2026-12-01").unwrap_err();
        assert_eq!(errors[0].code, "end_before_start");
    }
}
