//! Text normalisation: what makes two spellings of the same Korean text compare equal.
//!
//! - Unicode NFC: decomposed Hangul (as some Mac and mobile input produces) becomes
//!   precomposed syllables;
//! - full-width ASCII (`ＣＣＴＶ１２３`) and the ideographic space become ASCII, half-width
//!   Hangul jamo become compatibility jamo;
//! - leftover conjoining jamo (U+1100…) become compatibility jamo (ㄱ, ㅏ);
//! - whitespace runs become one space; [`search_form`] also lower-cases and turns
//!   punctuation into spaces.

use crate::jamo::{FINAL_CONSONANTS, INITIALS, MEDIAL_VOWELS};
use unicode_normalization::UnicodeNormalization;

/// NFC, width folding, compatibility jamo, whitespace collapsed and trimmed.
pub fn normalize(text: &str) -> String {
    collapse(text.nfc().map(fold_char))
}

/// [`normalize`], then lower-cased with punctuation and symbols as spaces: the form
/// search and matching compare.
pub fn search_form(text: &str) -> String {
    collapse(text.nfc().map(fold_char).flat_map(char::to_lowercase).map(punctuation_to_space))
}

fn collapse(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// One character's width and jamo folding.
pub fn fold_char(c: char) -> char {
    let code = c as u32;
    match code {
        // Full-width ASCII variants and the ideographic space.
        0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        // Half-width Hangul jamo: NFKC gives a conjoining jamo, folded below.
        0xFFA1..=0xFFDC => match std::iter::once(c).nfkc().next() {
            Some(jamo) if jamo != c => fold_char(jamo),
            _ => c,
        },
        // Conjoining jamo left alone by NFC (no syllable to join).
        0x1100..=0x1112 => INITIALS[(code - 0x1100) as usize],
        0x1161..=0x1175 => MEDIAL_VOWELS[(code - 0x1161) as usize],
        0x11A8..=0x11C2 => FINAL_CONSONANTS[(code - 0x11A8) as usize],
        _ => c,
    }
}

/// Punctuation and symbols (ASCII, general punctuation, CJK brackets and marks) as a
/// space; Hangul, letters and digits unchanged.
fn punctuation_to_space(c: char) -> char {
    let code = c as u32;
    let is_punctuation = c.is_ascii_punctuation()
        || (0x2010..=0x206F).contains(&code)   // general punctuation: ‘’ “” … ※
        || (0x3001..=0x303F).contains(&code)   // CJK punctuation: 、。「」『』【】
        || (0x2190..=0x21FF).contains(&code)   // arrows
        || (0x25A0..=0x25FF).contains(&code)   // geometric shapes: ■ ○ ◆
        || matches!(c, '·' | '¡' | '¿' | '«' | '»' | '§' | '¶' | '´' | '¨');
    if is_punctuation {
        ' '
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_hangul_becomes_syllables() {
        let decomposed = "\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}"; // 한글 as jamo
        assert_eq!(normalize(decomposed), "한글");
    }

    #[test]
    fn widths_and_jamo_fold() {
        assert_eq!(normalize("ＣＣＴＶ　설치　１２３"), "CCTV 설치 123");
        assert_eq!(normalize("\u{FFA1}\u{FFC2}"), "ㄱㅏ"); // half-width jamo
        assert_eq!(normalize("\u{1107}\u{1107}"), "ㅂㅂ"); // lone conjoining initials
    }

    #[test]
    fn whitespace_and_punctuation_fold() {
        assert_eq!(normalize("  불법  주차\n\t단속 "), "불법 주차 단속");
        assert_eq!(search_form("「불법주차」… 단속!! CCTV를"), "불법주차 단속 cctv를");
        assert_eq!(search_form("‘코로나19’ 지원금"), "코로나19 지원금");
    }
}
