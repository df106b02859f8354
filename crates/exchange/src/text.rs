//! Decoding uploaded text files. Korean offices' Excel saves CSV as CP949 (EUC-KR's
//! Microsoft superset) unless told otherwise; newer tools write UTF-8, often with a BOM.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Cp949,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the file is neither UTF-8 nor CP949/EUC-KR text")]
pub struct UnknownEncoding;

/// Decodes UTF-8 (with or without BOM) or CP949. Anything else — UTF-16, binary, a
/// spreadsheet's .xlsx saved under a .csv name — is refused rather than guessed.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), UnknownEncoding> {
    // NUL is never text (and PostgreSQL refuses it), with or without a BOM.
    if bytes.contains(&0) {
        return Err(UnknownEncoding);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(|s| (s.to_string(), Encoding::Utf8Bom)).map_err(|_| UnknownEncoding);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(UnknownEncoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(UnknownEncoding);
    }
    Ok((text.into_owned(), Encoding::Cp949))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_three_encodings_of_korean_offices() {
        let text = "번호,분야\n1-01,경제\n";
        assert_eq!(decode(text.as_bytes()).unwrap(), (text.to_string(), Encoding::Utf8));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap(), (text.to_string(), Encoding::Utf8Bom));
        let (cp949, _, _) = encoding_rs::EUC_KR.encode(text);
        assert_eq!(decode(&cp949).unwrap(), (text.to_string(), Encoding::Cp949));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert_eq!(decode(b"\xFF\xFEa\x00b\x00"), Err(UnknownEncoding), "UTF-16");
        assert_eq!(decode(b"\xEF\xBB\xBFa,\x00"), Err(UnknownEncoding), "NUL after a BOM");
        assert_eq!(decode(b"PK\x03\x04\x00\x00"), Err(UnknownEncoding), "an xlsx (zip) file");
        assert_eq!(decode(b"\xEF\xBB\xBF\xC3\x28"), Err(UnknownEncoding), "BOM then invalid UTF-8");
        assert_eq!(decode(b"\x80\x80\x80"), Err(UnknownEncoding), "not CP949 either");
    }
}
