//! The commitments spreadsheet: import and export in one format, so an export read
//! back changes nothing.
//!
//! Columns (header required, any order; Korean header names are accepted too):
//! `code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw`
//!
//! Every problem is reported with its line (1 = the header) and column; a file with
//! any problem imports nothing.

use crate::text::{decode, Encoding};
use sotong_core::commitments::Taxonomy;

pub const COLUMNS: [&str; 10] = [
    "code",
    "sector",
    "title",
    "lead_department",
    "status",
    "progress",
    "target",
    "start_date",
    "end_date",
    "budget_krw",
];

/// Korean names a spreadsheet may use for each column.
const KOREAN_HEADERS: [(&str, &str); 10] = [
    ("번호", "code"),
    ("분야", "sector"),
    ("공약명", "title"),
    ("주관부서", "lead_department"),
    ("추진상태", "status"),
    ("진척률", "progress"),
    ("목표", "target"),
    ("시작일", "start_date"),
    ("종료일", "end_date"),
    ("예산", "budget_krw"),
];

/// One valid data line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub code: String,
    pub sector: String,
    pub title: String,
    /// As written: a department's Korean name or its slug.
    pub lead_department: String,
    /// A status key of the plan's taxonomy.
    pub status: String,
    pub progress: i64,
    pub target: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub budget_krw: i64,
}

/// A problem at a line and column (`line` 0 and column `file` for the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub column: String,
    /// Catalogue key suffix: `import.<code>`.
    pub code: &'static str,
    /// The offending value, as written (shortened).
    pub value: String,
}

impl ImportError {
    pub fn new(line: usize, column: &str, code: &'static str, value: &str) -> ImportError {
        ImportError { line, column: column.to_string(), code, value: value.chars().take(60).collect() }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.code)?;
        if !self.value.is_empty() {
            write!(f, " ({:?})", self.value)?;
        }
        Ok(())
    }
}

/// The parsed file and the encoding it was in.
#[derive(Debug)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub encoding: Encoding,
}

pub fn parse(bytes: &[u8], taxonomy: &Taxonomy) -> Result<Parsed, Vec<ImportError>> {
    let (text, encoding) = decode(bytes).map_err(|_| vec![ImportError::new(0, "file", "unknown_encoding", "")])?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(_)) => return Err(vec![ImportError::new(1, "header", "malformed_line", "")]),
        None => return Err(vec![ImportError::new(0, "file", "empty_file", "")]),
    };
    let positions = header_positions(&header)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut first_line_of_code = std::collections::HashMap::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|p| p.line() as usize).unwrap_or(0);
                errors.push(ImportError::new(line, "line", "malformed_line", ""));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            errors.push(ImportError::new(line, "line", "wrong_field_count", &record.len().to_string()));
            continue;
        }
        let get = |column: &str| {
            crate::from_spreadsheet_cell(record.get(positions[column_index(column)]).unwrap_or("").trim())
        };
        let row = parse_row(line, &get, taxonomy);
        let code = get("code");
        let duplicate = match first_line_of_code.get(code) {
            Some(first) if !code.is_empty() => {
                Some(ImportError::new(line, "code", "duplicate_code", &format!("{code} (line {first})")))
            }
            _ => {
                first_line_of_code.insert(code.to_string(), line);
                None
            }
        };
        match row {
            Ok(row) => rows.push(row),
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
        errors.extend(duplicate);
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ImportError::new(0, "file", "no_rows", ""));
    }
    if errors.is_empty() {
        Ok(Parsed { rows, encoding })
    } else {
        Err(errors)
    }
}

fn column_index(column: &str) -> usize {
    COLUMNS.iter().position(|c| *c == column).unwrap_or(0)
}

/// Where each required column is in the file.
fn header_positions(header: &csv::StringRecord) -> Result<[usize; 10], Vec<ImportError>> {
    let mut positions = [usize::MAX; 10];
    let mut errors = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        let canonical = KOREAN_HEADERS.iter().find(|(ko, _)| *ko == name).map(|(_, en)| *en).unwrap_or(name);
        match COLUMNS.iter().position(|c| *c == canonical) {
            Some(index) if positions[index] == usize::MAX => positions[index] = i,
            Some(_) => errors.push(ImportError::new(1, name, "duplicate_column", name)),
            None => errors.push(ImportError::new(1, name, "unknown_column", name)),
        }
    }
    for (index, position) in positions.iter().enumerate() {
        if *position == usize::MAX {
            errors.push(ImportError::new(1, COLUMNS[index], "missing_column", ""));
        }
    }
    if errors.is_empty() {
        Ok(positions)
    } else {
        Err(errors)
    }
}

fn parse_row<'a>(line: usize, get: &impl Fn(&str) -> &'a str, taxonomy: &Taxonomy) -> Result<Row, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut required = |column: &str, max: usize| -> String {
        let value = get(column);
        if value.is_empty() {
            errors.push(ImportError::new(line, column, "required", ""));
        } else if value.chars().count() > max {
            errors.push(ImportError::new(line, column, "too_long", value));
        }
        value.to_string()
    };
    let code = required("code", 30);
    let sector = required("sector", 60);
    let title = required("title", 200);
    let lead_department = required("lead_department", 60);
    let status = match taxonomy.parse(get("status")) {
        Ok(def) => def.key.clone(),
        Err(_) => {
            errors.push(ImportError::new(line, "status", "invalid_status", get("status")));
            String::new()
        }
    };
    let progress = match parse_progress(get("progress")) {
        Some(p) => p,
        None => {
            errors.push(ImportError::new(line, "progress", "invalid_progress", get("progress")));
            0
        }
    };
    let mut date = |column: &str| -> Option<String> {
        let raw = get(column);
        if raw.is_empty() {
            return None;
        }
        let parsed = parse_date(raw);
        if parsed.is_none() {
            errors.push(ImportError::new(line, column, "invalid_date", raw));
        }
        parsed
    };
    let start_date = date("start_date");
    let end_date = date("end_date");
    if let (Some(start), Some(end)) = (&start_date, &end_date) {
        if end < start {
            errors.push(ImportError::new(line, "end_date", "end_before_start", get("end_date")));
        }
    }
    let budget_krw = match parse_krw(get("budget_krw")) {
        Some(amount) => amount,
        None => {
            errors.push(ImportError::new(line, "budget_krw", "invalid_amount", get("budget_krw")));
            0
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Row {
        line,
        code,
        sector,
        title,
        lead_department,
        status,
        progress,
        target: get("target").to_string(),
        start_date,
        end_date,
        budget_krw,
    })
}

/// `40`, `40%`, empty (0).
fn parse_progress(raw: &str) -> Option<i64> {
    let raw = raw.trim().trim_end_matches('%').trim();
    if raw.is_empty() {
        return Some(0);
    }
    raw.parse::<i64>().ok().filter(|p| (0..=100).contains(p))
}

pub use sotong_core::format::{parse_krw, MAX_KRW};

/// A date as spreadsheets and forms write it (`2026-03-01`, `2026. 3. 1.`): the one
/// strict parser, `core::format::parse_date`.
pub use sotong_core::format::parse_date;

/// Writes rows in the import format: UTF-8 with a BOM (so Excel shows Hangul) and the
/// status as its Korean label.
pub fn write(rows: &[Row], taxonomy: &Taxonomy) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(COLUMNS);
    for row in rows {
        let status = taxonomy.get(&row.status).map(|s| s.label_ko.as_str()).unwrap_or(&row.status);
        let cells = [
            row.code.as_str(),
            &row.sector,
            &row.title,
            &row.lead_department,
            status,
            &row.progress.to_string(),
            &row.target,
            row.start_date.as_deref().unwrap_or(""),
            row.end_date.as_deref().unwrap_or(""),
            &row.budget_krw.to_string(),
        ];
        let _ = writer.write_record(cells.map(|cell| crate::spreadsheet_cell(cell).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw
1-01,경제,청년 일자리 1만 개,일자리경제과,완료,100,일자리 10000개,2022-07-01,2026-06-30,\"1,500,000,000\"
1-02,경제,전통시장 현대화,일자리경제과,이행후 계속추진,90%,시장 5곳,2022.7.1,2026. 6. 30.,300000000원
2-01,복지,공공 산후조리원,여성가족과,on_track,40,1곳 개원,,,
";

    #[test]
    fn amounts_are_whole_won_grouped_by_thousands_and_bounded() {
        assert_eq!(parse_krw("1,500,000,000"), Some(1_500_000_000));
        assert_eq!(parse_krw("300000000원"), Some(300_000_000));
        assert_eq!(parse_krw("12,345 원"), Some(12_345));
        assert_eq!(parse_krw(""), Some(0));
        assert_eq!(parse_krw("1,000,000,000,000,000"), Some(MAX_KRW));
        for bad in
            ["1,2,3", "1,23", ",123", "1234,567", "1,000,", "-5", "1.5", "1,000,000,000,000,001", "9223372036854775807"]
        {
            assert_eq!(parse_krw(bad), None, "{bad}");
        }
        // Four maximal parts still add up.
        assert!(MAX_KRW.checked_mul(4).is_some());
    }

    #[test]
    fn reads_a_good_file() {
        let parsed = parse(GOOD.as_bytes(), &Taxonomy::default()).unwrap();
        assert_eq!(parsed.rows.len(), 3);
        let r = &parsed.rows[1];
        assert_eq!((r.line, r.status.as_str(), r.progress), (3, "continuing", 90));
        assert_eq!((r.start_date.as_deref(), r.end_date.as_deref()), (Some("2022-07-01"), Some("2026-06-30")));
        assert_eq!(r.budget_krw, 300_000_000);
        assert_eq!(parsed.rows[0].budget_krw, 1_500_000_000);
        assert_eq!(parsed.rows[2].start_date, None);
    }

    #[test]
    fn korean_headers_and_cp949() {
        let korean = GOOD.replacen(
            "code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw",
            "번호,분야,공약명,주관부서,추진상태,진척률,목표,시작일,종료일,예산",
            1,
        );
        let (cp949, _, _) = encoding_rs::EUC_KR.encode(&korean);
        let parsed = parse(&cp949, &Taxonomy::default()).unwrap();
        assert_eq!(parsed.encoding, Encoding::Cp949);
        assert_eq!(parsed.rows[0].title, "청년 일자리 1만 개");
    }

    #[test]
    fn every_error_is_reported_with_line_and_column() {
        let bad = "code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw
1-01,경제,가,과,진행중,150,,2022-02-30,,-5
1-01,경제,나,과,완료,10,,2026-01-01,2025-01-01,0
,경제,다,과,완료,10,,,,
1-04,경제
";
        let errors = parse(bad.as_bytes(), &Taxonomy::default()).unwrap_err();
        let found: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.line, e.column.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                (2, "status", "invalid_status"),
                (2, "progress", "invalid_progress"),
                (2, "start_date", "invalid_date"),
                (2, "budget_krw", "invalid_amount"),
                (3, "end_date", "end_before_start"),
                (3, "code", "duplicate_code"),
                (4, "code", "required"),
                (5, "line", "wrong_field_count"),
            ]
        );
        assert_eq!(errors[5].value, "1-01 (line 2)");
    }

    #[test]
    fn header_problems() {
        let errors = parse("code,sector,title\n".as_bytes(), &Taxonomy::default()).unwrap_err();
        assert!(errors.iter().any(|e| e.code == "missing_column" && e.column == "status"));
        let errors = parse("code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw,colour\n1,a,b,c,완료,1,,,,,red\n".as_bytes(), &Taxonomy::default()).unwrap_err();
        assert_eq!((errors[0].line, errors[0].code), (1, "unknown_column"));
        assert_eq!(parse(b"", &Taxonomy::default()).unwrap_err()[0].code, "empty_file");
        assert_eq!(parse(b"\xFF\xFEx\x00", &Taxonomy::default()).unwrap_err()[0].code, "unknown_encoding");
    }

    #[test]
    fn export_reads_back_the_same() {
        let taxonomy = Taxonomy::default();
        let rows = parse(GOOD.as_bytes(), &taxonomy).unwrap().rows;
        let written = write(&rows, &taxonomy);
        assert!(written.starts_with('\u{feff}'));
        let again = parse(written.as_bytes(), &taxonomy).unwrap().rows;
        assert_eq!(again, rows);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026. 11. 22."), Some("2026-11-22".into()));
        assert_eq!(parse_date("22/11/2026"), None);
    }
}
