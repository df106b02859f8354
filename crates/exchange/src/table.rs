//! A plain table (a header row, then rows of text) as a download: CSV in UTF-8 with a
//! BOM (so Excel shows Hangul) or a one-sheet workbook with a bold, frozen header.
//! Every cell goes through [`crate::spreadsheet_cell`] against formula injection.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub struct Table {
    /// The sheet's name (at most 31 characters in a workbook).
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn to_csv(&self) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
        // Writing to memory cannot fail.
        let _ = writer.write_record(&self.headers);
        for row in &self.rows {
            let _ = writer.write_record(row.iter().map(|cell| crate::spreadsheet_cell(cell).into_owned()));
        }
        writer.into_inner().unwrap_or_default()
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let title: String = self.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        sheet.set_name(if title.trim().is_empty() { "Sheet1" } else { title.as_str() })?;
        let bold = Format::new().set_bold();
        for (column, header) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, header, &bold)?;
            sheet.set_column_width(column as u16, 14)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            for (column, cell) in row.iter().enumerate() {
                sheet.write_string((r + 1) as u32, column as u16, crate::spreadsheet_cell(cell).as_ref())?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        workbook.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_from_its_csv_and_its_workbook() {
        let table = Table {
            title: "민원 2026-11".into(),
            headers: vec!["번호".into(), "제목".into()],
            rows: vec![vec!["1".into(), "=HYPERLINK(\"x\")".into()], vec!["2".into(), "가로등, 고장".into()]],
        };
        let csv = table.to_csv();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert_eq!(text, "번호,제목\n1,\"'=HYPERLINK(\"\"x\"\")\"\n2,\"가로등, 고장\"\n");
        let back = crate::commitments_xlsx::to_csv(&table.to_xlsx().unwrap()).unwrap();
        let back = String::from_utf8(back).unwrap();
        assert!(back.contains("번호,제목") && back.contains("가로등, 고장"), "{back}");
    }
}
