//! Files people attach (reports' evidence, commitments' documents, later complaints'
//! photos): which kinds are accepted, told by their content and not by their name,
//! and a file name safe to show and to send back.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// The kinds of file accepted: what Korean public offices exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    /// 한글 (HWP 5), an OLE compound file.
    Hwp,
    /// 한글 (HWPX, KS X 6101), a ZIP package.
    Hwpx,
    Docx,
    Xlsx,
    Jpeg,
    Png,
}

const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP: &[u8] = b"PK\x03\x04";

impl FileKind {
    pub const ALL: [FileKind; 7] =
        [FileKind::Pdf, FileKind::Hwp, FileKind::Hwpx, FileKind::Docx, FileKind::Xlsx, FileKind::Jpeg, FileKind::Png];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Hwp => "hwp",
            FileKind::Hwpx => "hwpx",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
        }
    }

    pub fn parse(raw: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The file-name endings of the kind.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Hwp => &["hwp"],
            FileKind::Hwpx => &["hwpx"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Png => &["png"],
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Hwp => "application/x-hwp",
            FileKind::Hwpx => "application/hwp+zip",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png)
    }

    /// The kind the bytes are, if any accepted one. ZIP packages are told apart by the
    /// parts they contain (OOXML's main part, HWPX's `mimetype`).
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(OLE) {
            // HWP 5 names its first stream "FileHeader" (UTF-16) in the directory.
            contains(bytes, &utf16("FileHeader")).then_some(FileKind::Hwp)
        } else if bytes.starts_with(ZIP) {
            if contains(bytes, b"application/hwp+zip") {
                Some(FileKind::Hwpx)
            } else if contains(bytes, b"word/document.xml") {
                Some(FileKind::Docx)
            } else if contains(bytes, b"xl/workbook.xml") {
                Some(FileKind::Xlsx)
            } else {
                None
            }
        } else {
            None
        }
    }

    /// Checks an upload: not empty, within `max_bytes`, of an accepted kind by its
    /// content, and named with that kind's ending (a renamed file is refused: the
    /// person would open it with the wrong program).
    pub fn check(file_name: &str, bytes: &[u8], max_bytes: usize) -> Result<FileKind, FieldError> {
        if bytes.is_empty() {
            return Err(FieldError::new("file", "empty_file"));
        }
        if bytes.len() > max_bytes {
            return Err(FieldError::new("file", "file_too_large"));
        }
        let kind = FileKind::sniff(bytes).ok_or(FieldError::new("file", "file_kind"))?;
        let ending = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !kind.extensions().contains(&ending.as_str()) {
            return Err(FieldError::new("file", "file_name_kind"));
        }
        Ok(kind)
    }
}

/// A file name to keep: the last path component, without control characters or
/// quotes, at most 120 characters (the ending kept).
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':')).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.chars().count() <= 120 {
        return if cleaned.is_empty() { "file".into() } else { cleaned };
    }
    let (stem, ending) = cleaned.rsplit_once('.').unwrap_or((&cleaned, ""));
    let stem: String = stem.chars().take(110).collect();
    if ending.is_empty() {
        stem
    } else {
        format!("{stem}.{ending}")
    }
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(part: &str) -> Vec<u8> {
        let mut bytes = ZIP.to_vec();
        bytes.extend_from_slice(&[0; 26]);
        bytes.extend_from_slice(part.as_bytes());
        bytes
    }

    #[test]
    fn kinds_are_told_by_content() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        let mut hwp = OLE.to_vec();
        hwp.extend(utf16("FileHeader"));
        assert_eq!(FileKind::sniff(&hwp), Some(FileKind::Hwp));
        assert_eq!(FileKind::sniff(OLE), None, "an OLE file that is not HWP (an old .doc)");
        assert_eq!(FileKind::sniff(&zip_with("mimetypeapplication/hwp+zip")), Some(FileKind::Hwpx));
        assert_eq!(FileKind::sniff(&zip_with("word/document.xml")), Some(FileKind::Docx));
        assert_eq!(FileKind::sniff(&zip_with("xl/workbook.xml")), Some(FileKind::Xlsx));
        assert_eq!(FileKind::sniff(&zip_with("random.txt")), None, "a ZIP of something else");
        assert_eq!(FileKind::sniff(b"<html><script>"), None);
        assert_eq!(FileKind::sniff(b"MZ\x90\x00"), None, "a Windows program");
    }

    #[test]
    fn uploads_are_checked_by_content_size_and_name() {
        assert_eq!(FileKind::check("보고서.PDF", b"%PDF-1.4", 100), Ok(FileKind::Pdf));
        assert_eq!(FileKind::check("사진.jpg", &[0xFF, 0xD8, 0xFF, 0xE1], 100), Ok(FileKind::Jpeg));
        assert_eq!(FileKind::check("a.pdf", b"", 100), Err(FieldError::new("file", "empty_file")));
        assert_eq!(FileKind::check("a.pdf", b"%PDF-1.4", 4), Err(FieldError::new("file", "file_too_large")));
        assert_eq!(FileKind::check("a.exe", b"MZ", 100), Err(FieldError::new("file", "file_kind")));
        assert_eq!(FileKind::check("표.pdf", b"<html>", 100), Err(FieldError::new("file", "file_kind")));
        assert_eq!(
            FileKind::check("계획.hwp", b"%PDF-1.4", 100),
            Err(FieldError::new("file", "file_name_kind")),
            "a PDF named .hwp"
        );
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\김주무관\\2026 실적.hwp"), "2026 실적.hwp");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b<c>.pdf\r\n"), "abc.pdf");
        assert_eq!(clean_file_name(".hidden.pdf"), "hidden.pdf");
        assert_eq!(clean_file_name(""), "file");
        let long = format!("{}.pdf", "가".repeat(200));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), 114);
        assert!(cleaned.ends_with(".pdf"));
    }
}
