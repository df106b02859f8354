//! The commitments workbook: a summary sheet with the period's figures per sector, then
//! one sheet per sector with its commitments — Korean headers, won and percent formats.
//! Uploads in .xlsx are read here too ([`to_csv`]): the first sheet becomes the CSV the
//! one import reads, so both formats follow the same rules and report the same lines.

use crate::commitments_csv::Row;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use sotong_core::commitments::{CommitmentState, Metrics, Taxonomy};

const HEADERS: [&str; 10] =
    ["번호", "공약·과제명", "주관부서", "추진상태", "진척률", "목표", "시작일", "종료일", "예산(원)", "분야"];

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(28).collect();
    let mut candidate = if cleaned.trim().is_empty() { "분야".to_string() } else { cleaned };
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        candidate = format!("{}({n})", candidate.chars().take(26).collect::<String>());
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

fn metrics_of<'a>(rows: impl Iterator<Item = &'a Row>, taxonomy: &Taxonomy) -> Metrics {
    Metrics::compute(
        taxonomy,
        rows.map(|r| CommitmentState {
            status: &r.status,
            progress: r.progress.clamp(0, 100) as u8,
            budget_secured: r.budget_krw,
            budget_executed: 0,
        }),
    )
}

/// Builds the workbook. `title` names the plan and period on the summary sheet.
pub fn write(title: &str, rows: &[Row], taxonomy: &Taxonomy) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let heading = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color("#E6ECF5")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let won = Format::new().set_num_format("#,##0\"원\"");
    let percent = Format::new().set_num_format("0.0%");

    let mut sectors: Vec<&str> = Vec::new();
    for row in rows {
        if !sectors.contains(&row.sector.as_str()) {
            sectors.push(&row.sector);
        }
    }

    let summary = workbook.add_worksheet();
    summary.set_name("요약")?;
    summary.write_with_format(0, 0, title, &heading)?;
    let columns = ["분야", "건수", "이행률", "목표달성률", "평균 진척률", "예산(원)"];
    for (c, name) in columns.iter().enumerate() {
        summary.write_with_format(2, c as u16, *name, &header)?;
    }
    let groups = sectors.iter().map(|s| (s.to_string(), metrics_of(rows.iter().filter(|r| r.sector == *s), taxonomy)));
    let total = std::iter::once(("전체".to_string(), metrics_of(rows.iter(), taxonomy)));
    for (line, (name, m)) in (3u32..).zip(groups.chain(total)) {
        summary.write(line, 0, crate::spreadsheet_cell(&name).as_ref())?;
        summary.write(line, 1, m.total as f64)?;
        summary.write_with_format(line, 2, m.implementation.fraction(), &percent)?;
        summary.write_with_format(line, 3, m.goal_achievement.fraction(), &percent)?;
        summary.write_with_format(line, 4, m.average_progress / 100.0, &percent)?;
        summary.write_with_format(line, 5, m.budget_secured as f64, &won)?;
    }
    summary.set_column_width(0, 18)?;
    summary.set_column_range_width(1, 5, 14)?;

    let mut taken = vec!["요약".to_string()];
    for sector in &sectors {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(sector, &mut taken))?;
        write_sector(sheet, rows.iter().filter(|r| r.sector == *sector), taxonomy, &header, &won)?;
    }
    workbook.save_to_buffer()
}

fn write_sector<'a>(
    sheet: &mut Worksheet,
    rows: impl Iterator<Item = &'a Row>,
    taxonomy: &Taxonomy,
    header: &Format,
    won: &Format,
) -> Result<(), XlsxError> {
    for (c, name) in HEADERS.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *name, header)?;
    }
    for (i, row) in rows.enumerate() {
        let r = i as u32 + 1;
        let status = taxonomy.get(&row.status).map(|s| s.label_ko.as_str()).unwrap_or(&row.status);
        sheet.write(r, 0, crate::spreadsheet_cell(&row.code).as_ref())?;
        sheet.write(r, 1, crate::spreadsheet_cell(&row.title).as_ref())?;
        sheet.write(r, 2, crate::spreadsheet_cell(&row.lead_department).as_ref())?;
        sheet.write(r, 3, crate::spreadsheet_cell(status).as_ref())?;
        sheet.write(r, 4, row.progress as f64)?;
        sheet.write(r, 5, crate::spreadsheet_cell(&row.target).as_ref())?;
        sheet.write(r, 6, row.start_date.as_deref().unwrap_or(""))?;
        sheet.write(r, 7, row.end_date.as_deref().unwrap_or(""))?;
        sheet.write_with_format(r, 8, row.budget_krw as f64, won)?;
        sheet.write(r, 9, &row.sector)?;
    }
    sheet.set_column_width(0, 8)?;
    sheet.set_column_width(1, 36)?;
    sheet.set_column_range_width(2, 3, 16)?;
    sheet.set_column_range_width(6, 7, 12)?;
    sheet.set_column_width(8, 18)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn entry(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn one_sheet_per_sector_plus_a_summary() {
        let csv = "code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw
1-01,경제/일자리,청년 창업,일자리과,완료,100,,,,1000
1-02,경제/일자리,전통시장,일자리과,정상추진,50,,,,2000
2-01,복지,산후조리원,여성가족과,일부추진,30,,,,0
";
        let taxonomy = Taxonomy::default();
        let rows = crate::commitments_csv::parse(csv.as_bytes(), &taxonomy).unwrap().rows;
        let bytes = write("민선8기 공약 — 2026년 2분기", &rows, &taxonomy).unwrap();
        assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
        let workbook = entry(&bytes, "xl/workbook.xml");
        for sheet in ["요약", "경제_일자리", "복지"] {
            assert!(workbook.contains(&format!("name=\"{sheet}\"")), "{sheet} in {workbook}");
        }
        let strings = entry(&bytes, "xl/sharedStrings.xml");
        for text in ["번호", "추진상태", "청년 창업", "정상추진", "전체", "이행률"] {
            assert!(strings.contains(text), "{text}");
        }
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec!["요약".to_string()];
        assert_eq!(sheet_name("a/b", &mut taken), "a_b");
        assert_eq!(sheet_name("a/b", &mut taken), "a_b(2)");
        assert!(sheet_name(&"가".repeat(40), &mut taken).chars().count() <= 31);
    }
}

/// The first worksheet of an uploaded .xlsx as CSV text (UTF-8), for
/// `commitments_csv::parse`: whole numbers without `.0`, date cells as `2026-03-01`.
pub fn to_csv(bytes: &[u8]) -> Result<Vec<u8>, crate::commitments_csv::ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = || crate::commitments_csv::ImportError::new(0, "file", "unreadable_xlsx", "");
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = workbook.worksheet_range_at(0).ok_or_else(unreadable)?.map_err(|_| unreadable())?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Data::Empty => String::new(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Int(i) => i.to_string(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Bool(b) => b.to_string(),
                // Excel counts days from 1899-12-30; 25,569 of them reach 1970-01-01.
                Data::DateTime(d) => sotong_core::format::iso_date_of_day(d.as_f64().floor() as i64 - 25_569),
                Data::Error(_) => "#ERROR".to_string(),
            })
            .collect();
        out.write_record(&cells).map_err(|_| unreadable())?;
    }
    out.into_inner().map_err(|_| unreadable())
}

/// Is this an .xlsx (a ZIP package) rather than CSV text?
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The upload template: the Korean column headers and one example line.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_border(FormatBorder::Thin);
    let sheet = workbook.add_worksheet();
    sheet.set_name("공약과제")?;
    for (column, (name, _)) in TEMPLATE_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *name, &header)?;
        sheet.set_column_width(column as u16, 16)?;
    }
    for (column, (_, example)) in TEMPLATE_COLUMNS.iter().enumerate() {
        sheet.write_string(1, column as u16, *example)?;
    }
    workbook.save_to_buffer()
}

/// The template's CSV twin (UTF-8 with a byte-order mark, so Excel opens it as UTF-8).
pub fn template_csv() -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let names: Vec<&str> = TEMPLATE_COLUMNS.iter().map(|(name, _)| *name).collect();
    let examples: Vec<&str> = TEMPLATE_COLUMNS.iter().map(|(_, example)| *example).collect();
    let mut writer = csv::Writer::from_writer(&mut out);
    let _ = writer.write_record(&names);
    let _ = writer.write_record(&examples);
    drop(writer);
    out
}

/// (Korean header, example value) of each column the import reads.
const TEMPLATE_COLUMNS: [(&str, &str); 10] = [
    ("번호", "1-01"),
    ("분야", "경제·일자리"),
    ("공약명", "청년 창업 지원센터 설립"),
    ("주관부서", "일자리경제과"),
    ("추진상태", "정상추진"),
    ("진척률", "40"),
    ("목표", "2026년까지 창업 기업 100곳 지원"),
    ("시작일", "2022-07-01"),
    ("종료일", "2026-06-30"),
    ("예산", "1,200,000,000"),
];

#[cfg(test)]
mod upload_tests {
    use super::*;
    use sotong_core::commitments::Taxonomy;

    #[test]
    fn the_template_reads_back_through_the_import_in_both_formats() {
        let taxonomy = Taxonomy::default();
        let xlsx = template().unwrap();
        assert!(is_xlsx(&xlsx));
        let csv = to_csv(&xlsx).unwrap();
        for bytes in [csv, template_csv()] {
            let parsed = crate::commitments_csv::parse(&bytes, &taxonomy).unwrap();
            assert_eq!(parsed.rows.len(), 1);
            let row = &parsed.rows[0];
            assert_eq!((row.code.as_str(), row.progress, row.budget_krw), ("1-01", 40, 1_200_000_000));
            assert_eq!(row.start_date.as_deref(), Some("2022-07-01"));
        }
        assert!(to_csv(b"PK\x03\x04 not really a workbook").is_err());
    }
}
