//! Resident verification (주민 확인): who may take part in a vote — participatory
//! budgeting now, citizen polls next. Three ways a Korean city can actually use:
//!
//! - a **roster** the city uploads (이름, 생년월일, 휴대전화), kept only as keyed hashes
//!   (HMAC-SHA-256 under the installation's verification key, which is not in the
//!   database), matched when a resident types the same three details;
//! - **one-time voting codes** the city prints or sends, each good for one account;
//! - an **in-person check** by an officer at a polling station (신분증 확인).
//!
//! Each way ends in a *person key*: the roster entry's keyed hash, or the code's
//! digest when a code was issued without a roster. The person key — not the account —
//! is what a participation record is keyed on, so one person with two accounts still
//! votes once (docs/BUDGETING.md "Who may vote").

use crate::FieldError;

text_enum!(
    /// Why someone may take part: they live, work or study in the area
    /// (../REFERENCE.md: "residents aged 14+ and often people who work or study there").
    Basis { Resident => "resident", Worker => "worker", Student => "student" }
);

text_enum!(
    /// How a person was verified.
    Method { Roster => "roster", Code => "code", InPerson => "in_person" }
);

/// The three details a roster holds and a resident types, normalised so that
/// "홍 길동 / 1990.3.1 / 010-1234-5678" and "홍길동 / 19900301 / 01012345678" match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    pub name: String,
    /// `1990-03-01`.
    pub born_on: String,
    /// Digits only: `01012345678`.
    pub phone: String,
}

impl PersonDetails {
    pub fn parse(name: &str, born_on: &str, phone: &str) -> Result<PersonDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        if name.is_empty() {
            errors.push(FieldError::new("name", "required"));
        } else if name.chars().count() > 40 || name.chars().any(char::is_control) {
            errors.push(FieldError::new("name", "invalid_name"));
        }
        let born = parse_birth_date(born_on);
        if born.is_none() {
            errors.push(FieldError::new("born_on", "invalid_birth_date"));
        }
        let phone_digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let phone_clean = phone.chars().all(|c| c.is_ascii_digit() || " -.".contains(c));
        if !phone_clean || !(10..=11).contains(&phone_digits.len()) || !phone_digits.starts_with("01") {
            errors.push(FieldError::new("phone", "invalid_mobile"));
        }
        match born {
            Some(born_on) if errors.is_empty() => Ok(PersonDetails { name, born_on, phone: phone_digits }),
            _ => Err(errors),
        }
    }

    /// What is hashed under the verification key: domain, then the three details.
    pub fn keyed_message(&self) -> String {
        format!("sotong-person-v1\n{}\n{}\n{}", self.name, self.born_on, self.phone)
    }
}

/// A birth date as people write it (`core::format::parse_date`), from 1900 to 2100.
pub fn parse_birth_date(raw: &str) -> Option<String> {
    crate::format::parse_date(raw).filter(|date| date.as_str() <= "2100-12-31")
}

/// Full years (만 나이) on `on` of someone born on `born_on`, both `YYYY-MM-DD`.
pub fn age_on(born_on: &str, on: &str) -> Option<i64> {
    let parse = |d: &str| -> Option<(i64, i64, i64)> {
        let mut it = d.split('-').map(|p| p.parse::<i64>().ok());
        Some((it.next()??, it.next()??, it.next()??))
    };
    let (by, bm, bd) = parse(born_on)?;
    let (y, m, d) = parse(on)?;
    Some(y - by - i64::from((m, d) < (bm, bd)))
}

/// Who may take part in one vote: a minimum age on the vote's last day, and the
/// bases accepted (residents only, or also those who work or study there).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Eligibility {
    pub min_age: i64,
    pub bases: Vec<Basis>,
}

impl Default for Eligibility {
    /// 14+, residents and those who work or study there: the most common rule.
    fn default() -> Self {
        Eligibility { min_age: 14, bases: vec![Basis::Resident, Basis::Worker, Basis::Student] }
    }
}

impl Eligibility {
    /// `born_on` is None when the way of verifying did not learn it (a code issued
    /// without a roster): then the city vouched for the age when it issued the code.
    pub fn check(&self, born_on: Option<&str>, basis: Basis, on: &str) -> Result<(), FieldError> {
        if !self.bases.contains(&basis) {
            return Err(FieldError::new("basis", "not_eligible_basis"));
        }
        if let Some(born_on) = born_on {
            match age_on(born_on, on) {
                Some(age) if age >= self.min_age => {}
                _ => return Err(FieldError::new("born_on", "too_young")),
            }
        }
        Ok(())
    }
}

/// Letters and digits that cannot be misread on paper (no I, O, 0, 1).
pub const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// 12 characters of 32: 60 bits, printed as `ABCD-EFGH-JKLM`.
pub const CODE_LENGTH: usize = 12;

/// A voting code from 12 random bytes (the caller's operating-system randomness).
pub fn voting_code(random: &[u8; CODE_LENGTH]) -> String {
    let chars: Vec<char> = random.iter().map(|b| CODE_ALPHABET[(b % 32) as usize] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A typed code in its printed form, whatever the spacing, hyphens or case.
pub fn normalise_code(raw: &str) -> Result<String, FieldError> {
    let chars: Vec<char> =
        raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    if chars.len() != CODE_LENGTH || !chars.iter().all(|c| CODE_ALPHABET.contains(&(*c as u8)) && c.is_ascii()) {
        return Err(FieldError::new("code", "invalid_voting_code"));
    }
    Ok(chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_written_differently_match() {
        let a = PersonDetails::parse("홍 길동", "1990.3.1", "010-1234-5678").unwrap();
        let b = PersonDetails::parse("홍길동", "19900301", "01012345678").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.keyed_message(), "sotong-person-v1\n홍길동\n1990-03-01\n01012345678");
        let errors = PersonDetails::parse("", "1990-02-30", "02-123-4567").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "born_on", "phone"]);
    }

    #[test]
    fn birth_dates_are_real_dates() {
        assert_eq!(parse_birth_date("2000. 2. 29."), Some("2000-02-29".into()));
        assert_eq!(parse_birth_date("1900-02-29"), None, "1900 was not a leap year");
        assert_eq!(parse_birth_date("2012-13-01"), None);
        assert_eq!(parse_birth_date("1990-3"), None);
    }

    #[test]
    fn age_in_full_years_and_the_rules() {
        assert_eq!(age_on("2012-11-02", "2026-11-01"), Some(13));
        assert_eq!(age_on("2012-11-01", "2026-11-01"), Some(14));
        let rule = Eligibility::default();
        assert_eq!(rule.check(Some("2012-11-02"), Basis::Resident, "2026-11-01").unwrap_err().code, "too_young");
        assert!(rule.check(Some("2012-11-01"), Basis::Student, "2026-11-01").is_ok());
        let residents_only = Eligibility { min_age: 19, bases: vec![Basis::Resident] };
        assert_eq!(residents_only.check(None, Basis::Worker, "2026-11-01").unwrap_err().code, "not_eligible_basis");
        assert!(residents_only.check(None, Basis::Resident, "2026-11-01").is_ok());
    }

    #[test]
    fn codes_print_and_read_back() {
        let code = voting_code(&[0, 1, 2, 3, 31, 32, 33, 63, 200, 255, 7, 8]);
        assert_eq!(code, "ABCD-9AB9-J9HJ");
        assert_eq!(normalise_code(" abcd 9ab9 j9hj "), Ok(code.clone()));
        assert_eq!(normalise_code("ABCD-9AB9-J9H0").unwrap_err().code, "invalid_voting_code", "0 is not printed");
        assert!(normalise_code("ABCD-9AB9").is_err());
        assert!(normalise_code("ABCD-9AB9-J9HJ-A").is_err());
    }
}
