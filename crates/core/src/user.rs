//! Accounts: e-mail addresses, display names and passwords as parsed values.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// A lower-cased e-mail address with one `@`, a dotted domain and no spaces.
/// (Deliverability is proven by sending mail, not by a regex.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldError::new("email", "required"));
        }
        let invalid = FieldError::new("email", "invalid_email");
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid);
        }
        let (local, domain) = email.split_once('@').ok_or(invalid.clone())?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && domain.split('.').all(|label| !label.is_empty() && !label.starts_with('-'));
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid);
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// A password as typed: 10–128 characters, not only one repeated character, and not
/// one of the most common passwords (`1234567890`, `qwertyuiop`, `password12`).
/// Length and a block list beat composition rules (NIST SP 800-63B), and 10 matches
/// the usual Korean public-sector minimum for a password of letters and digits.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let chars = raw.chars().count();
        if chars == 0 {
            return Err(FieldError::new(field, "required"));
        }
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new(field, "password_too_short"));
        }
        if chars > 128 {
            return Err(FieldError::new(field, "too_long"));
        }
        let first = raw.chars().next();
        if raw.chars().all(|c| Some(c) == first) {
            return Err(FieldError::new(field, "password_too_simple"));
        }
        if is_common_password(raw) {
            return Err(FieldError::new(field, "password_common"));
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether the password, lowercased, is on the shipped list (data/common-passwords.txt).
fn is_common_password(raw: &str) -> bool {
    static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("../data/common-passwords.txt").lines().filter(|line| !line.starts_with('#')).collect()
    });
    list.contains(raw.to_lowercase().as_str())
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A new account, fully validated.
#[derive(Debug)]
pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub password: Password,
}

impl NewUser {
    pub fn parse(email: &str, display_name: &str, password: &str) -> Result<Self, Vec<FieldError>> {
        let email = Email::parse(email);
        let display_name = crate::text::required_line("display_name", display_name, 40);
        let password = Password::parse("password", password);
        match (email, display_name, password) {
            (Ok(email), Ok(display_name), Ok(password)) => Ok(NewUser { email, display_name, password }),
            (email, name, password) => Err([email.err(), name.err(), password.err()].into_iter().flatten().collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(Email::parse(" Kim@Example.KR ").unwrap().as_str(), "kim@example.kr");
        for bad in ["kim", "kim@", "@example.kr", "kim@example", "k im@example.kr", "kim@@example.kr", "kim@.kr"] {
            assert_eq!(Email::parse(bad).unwrap_err().code, "invalid_email", "{bad}");
        }
        assert_eq!(Email::parse("").unwrap_err().code, "required");
    }

    #[test]
    fn passwords() {
        assert_eq!(Password::parse("password", "short").unwrap_err().code, "password_too_short");
        assert_eq!(Password::parse("password", "aaaaaaaaaaaa").unwrap_err().code, "password_too_simple");
        assert!(Password::parse("password", "한빛시민의 비밀번호").is_ok(), "Hangul passwords count characters");
        for common in ["1234567890", "password12", "qwertyuiop", "QwertyUiop", "iloveyou12"] {
            assert_eq!(Password::parse("password", common).unwrap_err().code, "password_common", "{common}");
        }
        assert_eq!(format!("{:?}", Password::parse("p", "secret-secret").unwrap()), "Password(***)");
    }

    #[test]
    fn new_user_reports_every_field() {
        let errors = NewUser::parse("x", "", "1").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), ["email", "display_name", "password"]);
    }
}

/// What a person consents to at sign-up, each with the version of the text they saw
/// (개인정보 보호법 제15조: purpose, items and retention are shown with the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentKind {
    /// 개인정보 수집·이용 동의 (required).
    PersonalData,
    /// 이용약관 동의 (required).
    Terms,
}

impl ConsentKind {
    pub const ALL: [ConsentKind; 2] = [ConsentKind::PersonalData, ConsentKind::Terms];

    pub fn key(self) -> &'static str {
        match self {
            ConsentKind::PersonalData => "personal_data",
            ConsentKind::Terms => "terms",
        }
    }
}

/// The version of the consent texts shown at sign-up; a new text gets a new version,
/// so what each person agreed to stays known.
pub const CONSENT_VERSION: &str = "2026-12-01";
