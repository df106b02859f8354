//! A residents' roster (주민 명부) as a city exports it: a CSV (UTF-8 or CP949) or
//! the first sheet of a workbook, one person a line — 이름, 생년월일, 휴대전화, and
//! optionally 구분 (거주/직장/학교) and 동. Read whole or not at all: every bad line is
//! reported with its column. The details are normalised here and hashed by the
//! caller; nothing of them is kept in clear (docs/BUDGETING.md "Who may vote").

use crate::commitments_csv::ImportError;
use crate::text::decode;
use sotong_core::verification::{Basis, PersonDetails};

/// One person of the roster, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterLine {
    pub details: PersonDetails,
    pub basis: Basis,
    pub district: Option<String>,
}

/// The columns, by their Korean or English names.
const COLUMNS: [(&str, &[&str]); 5] = [
    ("name", &["이름", "성명", "name"]),
    ("born_on", &["생년월일", "born_on", "birth_date"]),
    ("phone", &["휴대전화", "휴대폰", "전화번호", "phone", "mobile"]),
    ("basis", &["구분", "자격", "basis"]),
    ("district", &["동", "행정동", "district"]),
];

fn basis(raw: &str) -> Option<Basis> {
    Some(match raw.trim() {
        "" | "거주" | "주민" | "resident" => Basis::Resident,
        "직장" | "근무" | "worker" => Basis::Worker,
        "학교" | "재학" | "student" => Basis::Student,
        _ => return None,
    })
}

pub fn parse(bytes: &[u8]) -> Result<Vec<RosterLine>, Vec<ImportError>> {
    let bytes = if crate::commitments_xlsx::is_xlsx(bytes) {
        crate::commitments_xlsx::to_csv(bytes).map_err(|e| vec![e])?
    } else {
        bytes.to_vec()
    };
    let (text, _) = decode(&bytes).map_err(|_| vec![ImportError::new(0, "file", "unknown_encoding", "")])?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(_)) => return Err(vec![ImportError::new(1, "header", "malformed_line", "")]),
        None => return Err(vec![ImportError::new(0, "file", "empty_file", "")]),
    };
    let position = |column: &str| {
        let names = COLUMNS.iter().find(|(c, _)| *c == column).map(|(_, n)| *n).unwrap_or(&[]);
        header.iter().position(|h| names.contains(&h.trim()))
    };
    let missing: Vec<ImportError> = ["name", "born_on", "phone"]
        .into_iter()
        .filter(|c| position(c).is_none())
        .map(|c| ImportError::new(1, c, "missing_column", ""))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let at = |record: &csv::StringRecord, column: &str| {
        position(column).and_then(|i| record.get(i)).unwrap_or("").trim().to_string()
    };
    let (mut lines, mut errors) = (Vec::new(), Vec::new());
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
        let (name, born, phone) = (at(&record, "name"), at(&record, "born_on"), at(&record, "phone"));
        let details = PersonDetails::parse(&name, &born, &phone).map_err(|problems| {
            for problem in problems {
                let value = match problem.field {
                    "name" => name.as_str(),
                    "born_on" => born.as_str(),
                    _ => phone.as_str(),
                };
                // The roster's own wording of the problem: `import.invalid_birth_date` …
                errors.push(ImportError::new(line, problem.field, problem.code, value));
            }
        });
        let raw_basis = at(&record, "basis");
        let basis = basis(&raw_basis);
        if basis.is_none() {
            errors.push(ImportError::new(line, "basis", "invalid_basis", &raw_basis));
        }
        let district = Some(at(&record, "district")).filter(|d| !d.is_empty());
        if district.as_ref().is_some_and(|d| d.chars().count() > 40) {
            errors.push(ImportError::new(line, "district", "too_long", ""));
        }
        if let (Ok(details), Some(basis)) = (details, basis) {
            lines.push(RosterLine { details, basis, district });
        }
    }
    if errors.is_empty() && lines.is_empty() {
        errors.push(ImportError::new(0, "file", "no_rows", ""));
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_reads_whole_in_korean_columns() {
        let csv = "이름,생년월일,휴대전화,구분,동\n홍길동,1990.3.1,010-1234-5678,거주,중앙동\n김학생,20080505,01098765432,학교,\n";
        let lines = parse(csv.as_bytes()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].details.born_on, "1990-03-01");
        assert_eq!(lines[0].district.as_deref(), Some("중앙동"));
        assert_eq!(lines[1].basis, Basis::Student);
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_read() {
        let csv = "name,born_on,phone\n홍길동,1990-02-30,010-1234-5678\n,1990-01-01,02-123-4567\n";
        let errors = parse(csv.as_bytes()).unwrap_err();
        let found: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.line, e.column.as_str(), e.code)).collect();
        assert_eq!(
            found,
            vec![(2, "born_on", "invalid_birth_date"), (3, "name", "required"), (3, "phone", "invalid_mobile")]
        );
        assert_eq!(parse("이름,생년월일\n".as_bytes()).unwrap_err()[0].code, "missing_column");
        assert_eq!(parse("이름,생년월일,휴대전화\n".as_bytes()).unwrap_err()[0].code, "no_rows");
        let cp949 = encoding_rs::EUC_KR.encode("이름,생년월일,휴대전화\n홍길동,1990-03-01,010-1234-5678\n").0;
        assert_eq!(parse(&cp949).unwrap().len(), 1, "CP949 as Excel saves it");
    }
}
