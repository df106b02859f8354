//! Small text rules shared by every module.

use crate::FieldError;

/// A required single-line text of bounded length (names, titles), trimmed.
pub fn required_line(field: &'static str, raw: &str, max_chars: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if value.chars().count() > max_chars {
        return Err(FieldError::new(field, "too_long"));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(field, "invalid_characters"));
    }
    Ok(value.to_string())
}

/// Like [`required_line`], but an empty value is `None`.
pub fn optional_line(field: &'static str, raw: &str, max_chars: usize) -> Result<Option<String>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    required_line(field, raw, max_chars).map(Some)
}

/// A person's name as the public sees it beside what they wrote: the first and last
/// characters, the middle masked (김시민 → 김*민, 이선 → 이*), as Korean public boards
/// show names.
pub fn masked_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => format!("{}*", chars[0]),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds() {
        assert_eq!(required_line("name", "  기획예산담당관 ", 20).unwrap(), "기획예산담당관");
        assert_eq!(required_line("name", "   ", 20).unwrap_err().code, "required");
        assert_eq!(required_line("name", "가나다", 2).unwrap_err().code, "too_long");
        assert_eq!(required_line("name", "a\u{0}b", 20).unwrap_err().code, "invalid_characters");
        assert_eq!(optional_line("name", " ", 20).unwrap(), None);
    }

    #[test]
    fn names_are_masked_in_the_middle() {
        assert_eq!(masked_name("김시민"), "김*민");
        assert_eq!(masked_name("이선"), "이*");
        assert_eq!(masked_name("남궁민수"), "남**수");
        assert_eq!(masked_name(""), "");
    }
}
