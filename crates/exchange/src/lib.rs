//! File formats of sotong, apart from the domain so their dependencies stay in a leaf
//! crate: decoding what Korean offices' spreadsheets write, and the commitments CSV.

pub mod commitments_csv;
pub mod commitments_xlsx;
pub mod roster;
pub mod table;
pub mod text;

/// A text cell as written to a CSV or XLSX file: one starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'`, so that a spreadsheet shows it as
/// text instead of running it as a formula (CSV/formula injection, OWASP).
pub fn spreadsheet_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The text of a cell written by [`spreadsheet_cell`]: the protecting `'` removed, so
/// an export imports back unchanged.
pub fn from_spreadsheet_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_written_as_text_and_read_back_unchanged() {
        for text in ["=HYPERLINK(\"http://evil.example\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let written = spreadsheet_cell(text);
            assert!(written.starts_with('\''), "{text:?}");
            assert_eq!(from_spreadsheet_cell(&written), text);
        }
        for text in ["1-01", "청년 일자리", "'quoted", ""] {
            assert_eq!(spreadsheet_cell(text), text);
            assert_eq!(from_spreadsheet_cell(text), text);
        }
    }
}
