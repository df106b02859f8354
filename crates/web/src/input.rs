//! What every request's text must be, checked once before routing: the path, the
//! query and URL-encoded form bodies decode to UTF-8 without control characters.
//!
//! PostgreSQL refuses NUL in text, so `GET /hanbit%00` once answered 500 on eleven
//! routes; other control characters are invisible and never typed. A form that is not
//! UTF-8 was read with U+FFFD substitutes or refused as a CSRF failure. Now each of
//! these is a 400 that says what is wrong, whatever the route (docs/SECURITY.md).
//! JSON bodies get the same rule in `extract::Json`.

use crate::error::AppError;

/// Control characters no field may hold: all of C0 and DEL except tab, line feed
/// and carriage return (which multi-line text fields use), and C1.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn control_character() -> AppError {
    AppError::BadRequest("control_character")
}

/// The path, percent-decoded: no control character at all (not even a tab).
pub fn check_path(path: &str) -> Result<(), AppError> {
    let bytes = percent_decode(path.as_bytes(), false);
    let text = std::str::from_utf8(&bytes).map_err(|_| AppError::BadRequest("encoding"))?;
    if text.chars().any(char::is_control) {
        return Err(control_character());
    }
    Ok(())
}

/// URL-encoded pairs (a query string or a form body), decoded and checked.
pub fn decode_pairs(encoded: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let mut pairs = Vec::new();
    for pair in encoded.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let decode =
            |raw: &[u8]| String::from_utf8(percent_decode(raw, true)).map_err(|_| AppError::BadRequest("encoding"));
        let (name, value) = (decode(name)?, decode(value)?);
        if name.chars().chain(value.chars()).any(is_forbidden) {
            return Err(control_character());
        }
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Percent-decoding; with `plus_is_space`, `+` is a space (forms and queries).
fn percent_decode(raw: &[u8], plus_is_space: bool) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// Every text value of a JSON document, checked like form fields.
pub fn check_json(value: &serde_json::Value) -> Result<(), AppError> {
    match value {
        serde_json::Value::String(text) if text.chars().any(is_forbidden) => Err(control_character()),
        serde_json::Value::Array(items) => items.iter().try_for_each(check_json),
        serde_json::Value::Object(fields) => fields.iter().try_for_each(|(name, value)| {
            if name.chars().any(is_forbidden) {
                return Err(control_character());
            }
            check_json(value)
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_control_characters_or_bad_utf8_are_refused() {
        assert!(check_path("/hanbit/plans/pledges-8/commitments/1-01").is_ok());
        assert!(check_path("/%ED%95%9C%EB%B9%9B").is_ok());
        for bad in ["/hanbit%00", "/hanbit%09x", "/%0d%0a", "/a%7f", "/%C2%85"] {
            assert!(matches!(check_path(bad), Err(AppError::BadRequest("control_character"))), "{bad}");
        }
        assert!(matches!(check_path("/%FF"), Err(AppError::BadRequest("encoding"))));
    }

    #[test]
    fn form_pairs_decode_and_keep_line_breaks() {
        let pairs = decode_pairs(b"a=%ED%95%9C+%EA%B8%80&b=line%0D%0Anext%09tab&c&=x").unwrap();
        assert_eq!(pairs[0], ("a".into(), "한 글".into()));
        assert_eq!(pairs[1], ("b".into(), "line\r\nnext\ttab".into()));
        assert_eq!(pairs[2], ("c".into(), String::new()));
        assert_eq!(pairs[3], (String::new(), "x".into()));
        assert_eq!(decode_pairs(b"a=100%25&b=%zz&c=%4").unwrap()[1].1, "%zz");
        assert!(matches!(decode_pairs(b"a=x%00"), Err(AppError::BadRequest("control_character"))));
        assert!(matches!(decode_pairs(b"a=%0B"), Err(AppError::BadRequest("control_character"))));
        assert!(matches!(decode_pairs(b"a=%C0%AF"), Err(AppError::BadRequest("encoding"))));
        assert!(matches!(decode_pairs(b"a=\xff"), Err(AppError::BadRequest("encoding"))));
    }

    #[test]
    fn json_strings_are_checked_at_any_depth() {
        assert!(check_json(&serde_json::json!({"a": ["ok\n", {"b": "fine"}]})).is_ok());
        assert!(check_json(&serde_json::json!({"a": ["ok", {"b": "nul\u{0}"}]})).is_err());
        assert!(check_json(&serde_json::json!({"k\u{1}": 1})).is_err());
    }
}
