//! Organisations: a tree of local governments and their units.
//!
//! A *public body* (province, metropolitan city, city, county, district) has its own
//! public pages at `/{slug}`, so its slug is unique across the installation. A *unit*
//! (bureau, department, office) lives inside a public body and is addressed as
//! `/{body}/departments/{unit}`, so its slug is unique only within its parent.

use crate::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 도 (e.g. 충청남도)
    Province,
    /// 광역시·특별시
    MetropolitanCity,
    /// 시
    City,
    /// 군
    County,
    /// 자치구
    District,
    /// 국·실 (a group of departments)
    Bureau,
    /// 과·담당관
    Department,
    /// 사업소·직속기관
    Office,
}

impl OrgKind {
    pub const ALL: [OrgKind; 8] = [
        OrgKind::Province,
        OrgKind::MetropolitanCity,
        OrgKind::City,
        OrgKind::County,
        OrgKind::District,
        OrgKind::Bureau,
        OrgKind::Department,
        OrgKind::Office,
    ];

    pub fn key(self) -> &'static str {
        match self {
            OrgKind::Province => "province",
            OrgKind::MetropolitanCity => "metropolitan_city",
            OrgKind::City => "city",
            OrgKind::County => "county",
            OrgKind::District => "district",
            OrgKind::Bureau => "bureau",
            OrgKind::Department => "department",
            OrgKind::Office => "office",
        }
    }

    pub fn parse(key: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|kind| kind.key() == key).ok_or(FieldError::new("kind", "invalid_choice"))
    }

    /// Public bodies have their own public site; units belong to one.
    pub fn is_public_body(self) -> bool {
        matches!(
            self,
            OrgKind::Province | OrgKind::MetropolitanCity | OrgKind::City | OrgKind::County | OrgKind::District
        )
    }

    /// Whether an organisation of this kind may be placed under `parent`
    /// (`None`: at the top of the installation).
    pub fn may_have_parent(self, parent: Option<OrgKind>) -> bool {
        match (self, parent) {
            (OrgKind::Province | OrgKind::MetropolitanCity, None) => true,
            (OrgKind::City | OrgKind::County, None | Some(OrgKind::Province)) => true,
            (OrgKind::District, None | Some(OrgKind::MetropolitanCity) | Some(OrgKind::City)) => true,
            (OrgKind::Bureau, Some(p)) => p.is_public_body(),
            (OrgKind::Department | OrgKind::Office, Some(p)) => p.is_public_body() || p == OrgKind::Bureau,
            _ => false,
        }
    }
}

/// Path segments that routes use at the top level, so no public body may take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "api",
    "assets",
    "healthz",
    "login",
    "logout",
    "signup",
    "account",
    "lang",
    "admin",
    "static",
    "favicon.ico",
    "robots.txt",
    "search",
    "departments",
    "staff",
];

/// A URL slug: 2–40 of `a-z`, `0-9` and inner `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let slug = raw.trim().to_ascii_lowercase();
        let valid_chars = slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if slug.is_empty() {
            return Err(FieldError::new("slug", "required"));
        }
        if !(2..=40).contains(&slug.len()) || !valid_chars || slug.starts_with('-') || slug.ends_with('-') {
            return Err(FieldError::new("slug", "invalid_slug"));
        }
        Ok(Slug(slug))
    }

    /// A slug for a public body, which must not shadow a top-level route.
    pub fn parse_public_body(raw: &str) -> Result<Self, FieldError> {
        let slug = Self::parse(raw)?;
        if RESERVED_SLUGS.contains(&slug.as_str()) {
            return Err(FieldError::new("slug", "reserved_slug"));
        }
        Ok(slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// 행정기관코드: the 7-digit code of the Ministry of the Interior and Safety's
/// administrative-agency code table (e.g. 4470000 for 당진시 on some lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AdminCode(String);

impl AdminCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let code = raw.trim();
        if code.len() == 7 && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AdminCode(code.to_string()))
        } else {
            Err(FieldError::new("admin_code", "invalid_admin_code"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AdminCode {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AdminCode::parse(&value)
    }
}

impl From<AdminCode> for String {
    fn from(value: AdminCode) -> Self {
        value.0
    }
}

/// A new organisation, fully validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub kind: OrgKind,
    pub slug: Slug,
    pub name_ko: String,
    pub name_en: String,
    pub admin_code: Option<AdminCode>,
}

impl NewOrg {
    /// Parses raw form or CLI input, reporting every invalid field at once.
    pub fn parse(
        kind: &str,
        slug: &str,
        name_ko: &str,
        name_en: &str,
        admin_code: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let kind = OrgKind::parse(kind);
        let slug = match kind {
            Ok(k) if k.is_public_body() => Slug::parse_public_body(slug),
            _ => Slug::parse(slug),
        };
        let name_ko = crate::text::required_line("name_ko", name_ko, 60);
        let name_en = crate::text::required_line("name_en", name_en, 120);
        let admin_code = if admin_code.trim().is_empty() { Ok(None) } else { AdminCode::parse(admin_code).map(Some) };
        match (kind, slug, name_ko, name_en, admin_code) {
            (Ok(kind), Ok(slug), Ok(name_ko), Ok(name_en), Ok(admin_code)) => {
                Ok(NewOrg { kind, slug, name_ko, name_en, admin_code })
            }
            (kind, slug, name_ko, name_en, admin_code) => {
                Err([kind.err(), slug.err(), name_ko.err(), name_en.err(), admin_code.err()]
                    .into_iter()
                    .flatten()
                    .collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(Slug::parse("Hanbit-City").unwrap().as_str(), "hanbit-city");
        assert_eq!(Slug::parse("a").unwrap_err().code, "invalid_slug");
        assert_eq!(Slug::parse("-ab").unwrap_err().code, "invalid_slug");
        assert_eq!(Slug::parse("한빛").unwrap_err().code, "invalid_slug");
        assert_eq!(Slug::parse_public_body("api").unwrap_err().code, "reserved_slug");
        assert!(Slug::parse("api").is_ok(), "units may use reserved words: they are nested");
    }

    #[test]
    fn tree_rules() {
        assert!(OrgKind::City.may_have_parent(Some(OrgKind::Province)));
        assert!(OrgKind::Department.may_have_parent(Some(OrgKind::Bureau)));
        assert!(!OrgKind::Department.may_have_parent(None));
        assert!(!OrgKind::Province.may_have_parent(Some(OrgKind::City)));
        assert!(!OrgKind::Bureau.may_have_parent(Some(OrgKind::Bureau)));
    }

    #[test]
    fn new_org_reports_every_field() {
        let errors = NewOrg::parse("planet", "x", "", "", "12").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "slug", "name_ko", "name_en", "admin_code"]);
        let ok = NewOrg::parse("city", "hanbit", "한빛시", "Hanbit City", "4490000").unwrap();
        assert_eq!(ok.admin_code.unwrap().as_str(), "4490000");
    }

    #[test]
    fn kinds_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.key()).unwrap(), kind);
        }
    }
}

/// The pages every public body's site links from its footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// 개인정보처리방침 (개인정보 보호법 제30조: every public body publishes one).
    Privacy,
    /// 이용약관
    Terms,
    /// 저작권정책
    Copyright,
}

impl PageKind {
    pub const ALL: [PageKind; 3] = [PageKind::Privacy, PageKind::Terms, PageKind::Copyright];

    /// The page's address segment and stored key.
    pub fn slug(self) -> &'static str {
        match self {
            PageKind::Privacy => "privacy",
            PageKind::Terms => "terms",
            PageKind::Copyright => "copyright",
        }
    }

    pub fn parse(raw: &str) -> Option<PageKind> {
        PageKind::ALL.into_iter().find(|k| k.slug() == raw)
    }
}

/// A page's text: required, at most 20,000 characters, line breaks kept.
pub fn parse_page_text(raw: &str) -> Result<String, FieldError> {
    let text = raw.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new("content", "required"));
    }
    if text.chars().count() > 20_000 {
        return Err(FieldError::new("content", "too_long"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new("content", "invalid_characters"));
    }
    Ok(text.to_string())
}

/// A phone number as Korean offices write it (`041-360-3114`, `1577-1000`,
/// `02) 123-4567`): 8 to 12 digits with hyphens, spaces or brackets; blank is none.
pub fn parse_phone(raw: &str) -> Result<String, FieldError> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(String::new());
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.chars().all(|c| c.is_ascii_digit() || " -()".contains(c));
    if !allowed || !(8..=12).contains(&digits) {
        return Err(FieldError::new("phone", "invalid_phone"));
    }
    Ok(phone.to_string())
}

#[cfg(test)]
mod contact_tests {
    use super::*;

    #[test]
    fn phones_and_pages_are_checked() {
        assert_eq!(parse_phone(" 041-360-3114 "), Ok("041-360-3114".into()));
        assert_eq!(parse_phone("1577-1000"), Ok("1577-1000".into()));
        assert_eq!(parse_phone(""), Ok(String::new()));
        assert_eq!(parse_phone("전화 041"), Err(FieldError::new("phone", "invalid_phone")));
        assert_eq!(parse_phone("123"), Err(FieldError::new("phone", "invalid_phone")));
        assert_eq!(parse_page_text("  제1조\r\n목적  "), Ok("제1조\n목적".into()));
        assert_eq!(parse_page_text(" "), Err(FieldError::new("content", "required")));
        assert_eq!(PageKind::parse("privacy"), Some(PageKind::Privacy));
        assert_eq!(PageKind::parse("cookies"), None);
    }
}
