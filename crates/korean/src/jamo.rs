//! Hangul syllables and their jamo.
//!
//! A precomposed syllable (U+AC00–U+D7A3) is `0xAC00 + (initial × 21 + medial) × 28 +
//! final`, with 19 initials, 21 medials and 28 finals (0 = none). Jamo are written here
//! as *compatibility* jamo (U+3131–U+318E), the characters a keyboard types (ㄱ, ㅏ),
//! so that a query typed by a person compares equal.

const SYLLABLE_FIRST: u32 = 0xAC00;
const SYLLABLE_LAST: u32 = 0xD7A3;
const MEDIALS: u32 = 21;
const FINALS: u32 = 28;

/// The 19 initial consonants, as compatibility jamo, in syllable order.
pub const INITIALS: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

/// The 21 medial vowels.
pub const MEDIAL_VOWELS: [char; 21] = [
    'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ', 'ㅞ', 'ㅟ', 'ㅠ', 'ㅡ',
    'ㅢ', 'ㅣ',
];

/// The 27 final consonants (index 0 of a syllable's final means none).
pub const FINAL_CONSONANTS: [char; 27] = [
    'ㄱ', 'ㄲ', 'ㄳ', 'ㄴ', 'ㄵ', 'ㄶ', 'ㄷ', 'ㄹ', 'ㄺ', 'ㄻ', 'ㄼ', 'ㄽ', 'ㄾ', 'ㄿ', 'ㅀ', 'ㅁ', 'ㅂ', 'ㅄ', 'ㅅ',
    'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];

/// A syllable's parts: indices into [`INITIALS`], [`MEDIAL_VOWELS`], and the final
/// (0 = none, otherwise 1 + an index into [`FINAL_CONSONANTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syllable {
    pub initial: u8,
    pub medial: u8,
    pub last: u8,
}

pub fn is_syllable(c: char) -> bool {
    (SYLLABLE_FIRST..=SYLLABLE_LAST).contains(&(c as u32))
}

pub fn decompose(c: char) -> Option<Syllable> {
    let index = (c as u32).checked_sub(SYLLABLE_FIRST).filter(|_| is_syllable(c))?;
    Some(Syllable {
        initial: (index / (MEDIALS * FINALS)) as u8,
        medial: (index % (MEDIALS * FINALS) / FINALS) as u8,
        last: (index % FINALS) as u8,
    })
}

pub fn compose(syllable: Syllable) -> Option<char> {
    let Syllable { initial, medial, last } = syllable;
    if usize::from(initial) >= INITIALS.len() || u32::from(medial) >= MEDIALS || u32::from(last) >= FINALS {
        return None;
    }
    char::from_u32(SYLLABLE_FIRST + (u32::from(initial) * MEDIALS + u32::from(medial)) * FINALS + u32::from(last))
}

/// A syllable's initial consonant (초성), as a compatibility jamo.
pub fn initial_of(c: char) -> Option<char> {
    decompose(c).map(|s| INITIALS[usize::from(s.initial)])
}

/// Syllables spelled out in compatibility jamo ("한글" → "ㅎㅏㄴㄱㅡㄹ"); other
/// characters unchanged.
pub fn to_jamo(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for c in text.chars() {
        match decompose(c) {
            Some(s) => {
                out.push(INITIALS[usize::from(s.initial)]);
                out.push(MEDIAL_VOWELS[usize::from(s.medial)]);
                if s.last > 0 {
                    out.push(FINAL_CONSONANTS[usize::from(s.last) - 1]);
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// The inverse of [`to_jamo`]: an initial, a vowel and an optional final that does not
/// begin the next syllable become one syllable ("ㅎㅏㄴㄱㅡㄹ" → "한글").
pub fn from_jamo(jamo: &str) -> String {
    let chars: Vec<char> = jamo.chars().collect();
    let position = |table: &[char], c: char| table.iter().position(|&t| t == c);
    let mut out = String::with_capacity(jamo.len());
    let mut i = 0;
    while i < chars.len() {
        let initial = position(&INITIALS, chars[i]);
        let medial = chars.get(i + 1).and_then(|&c| position(&MEDIAL_VOWELS, c));
        let (Some(initial), Some(medial)) = (initial, medial) else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        // A final is taken unless it is the initial of a following syllable.
        let mut last = 0;
        if let Some(f) = chars.get(i + 2).and_then(|&c| position(&FINAL_CONSONANTS, c)) {
            let starts_next = chars.get(i + 3).is_some_and(|&c| position(&MEDIAL_VOWELS, c).is_some());
            if !starts_next {
                last = f + 1;
            }
        }
        let syllable = Syllable { initial: initial as u8, medial: medial as u8, last: last as u8 };
        out.push(compose(syllable).expect("indices come from the tables"));
        i += if last > 0 { 3 } else { 2 };
    }
    out
}

/// The initial consonants of a text's syllables ("불법 주차" → "ㅂㅂ ㅈㅊ"); other
/// characters unchanged.
pub fn chosung(text: &str) -> String {
    text.chars().map(|c| initial_of(c).unwrap_or(c)).collect()
}

/// Is `c` a consonant a person would type as an initial (ㄱ … ㅎ, incl. ㄲ ㄸ ㅃ ㅆ ㅉ)?
pub fn is_initial_jamo(c: char) -> bool {
    INITIALS.contains(&c)
}

/// Does one query character match one text character? An initial-consonant jamo
/// matches itself and every syllable starting with it; anything else only itself.
/// One typed character against one character of a text: the same, or its initial.
pub fn char_matches(query: char, text: char) -> bool {
    query == text || (is_initial_jamo(query) && initial_of(text) == Some(query))
}

/// Does `text` contain `query`, where the query may write any syllable by its initial
/// consonant alone ("ㅂㅂㅈㅊ" and "불법ㅈㅊ" both match "불법주차장")? Whitespace is
/// ignored on both sides, so "ㅂㅂ ㅈㅊ" matches "불법주차" and "불법 주차".
pub fn matches_chosung(query: &str, text: &str) -> bool {
    chosung_position(query, text).is_some()
}

/// Where (in characters of `text` with whitespace removed) the query first matches.
pub fn chosung_position(query: &str, text: &str) -> Option<usize> {
    let query: Vec<char> = query.chars().filter(|c| !c.is_whitespace()).collect();
    let text: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if query.is_empty() {
        return Some(0);
    }
    if query.len() > text.len() {
        return None;
    }
    (0..=text.len() - query.len()).find(|&start| query.iter().zip(&text[start..]).all(|(&q, &t)| char_matches(q, t)))
}

/// Is the query written only in initial consonants (and whitespace)?
pub fn is_chosung_query(query: &str) -> bool {
    let mut any = false;
    for c in query.chars().filter(|c| !c.is_whitespace()) {
        if !is_initial_jamo(c) {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_decompose_and_compose() {
        assert_eq!(decompose('한'), Some(Syllable { initial: 18, medial: 0, last: 4 }));
        assert_eq!(compose(Syllable { initial: 18, medial: 0, last: 4 }), Some('한'));
        assert_eq!(decompose('가'), Some(Syllable { initial: 0, medial: 0, last: 0 }));
        assert_eq!(decompose('힣').map(compose), Some(Some('힣')));
        assert_eq!(decompose('A'), None);
        assert_eq!(decompose('ㄱ'), None);
    }

    #[test]
    fn text_to_jamo_and_back() {
        assert_eq!(to_jamo("한글"), "ㅎㅏㄴㄱㅡㄹ");
        assert_eq!(from_jamo("ㅎㅏㄴㄱㅡㄹ"), "한글");
        assert_eq!(to_jamo("닭갈비 2인분"), "ㄷㅏㄺㄱㅏㄹㅂㅣ 2ㅇㅣㄴㅂㅜㄴ");
        assert_eq!(from_jamo(&to_jamo("닭갈비 2인분")), "닭갈비 2인분");
        // A final that begins the next syllable stays there.
        assert_eq!(from_jamo("ㄱㅏㄴㅏ"), "가나");
    }

    #[test]
    fn initial_consonants() {
        assert_eq!(chosung("불법주차"), "ㅂㅂㅈㅊ");
        assert_eq!(chosung("까치 CCTV 설치!"), "ㄲㅊ CCTV ㅅㅊ!");
    }

    #[test]
    fn initial_consonant_queries_match() {
        assert!(matches_chosung("ㅂㅂㅈㅊ", "아파트 앞 불법주차 단속"));
        assert!(matches_chosung("불법ㅈㅊ", "불법주차가 심합니다"));
        assert!(matches_chosung("ㅈㅊ", "주차장을 늘려 주세요"));
        assert!(matches_chosung("ㅂㅂ ㅈㅊ", "불법 주차"));
        assert!(matches_chosung("ㅂㅂㅈㅊ", "불법 주차"));
        assert!(!matches_chosung("ㅂㅂㅈㅊ", "불법 주정차 단속"));
        assert!(!matches_chosung("ㄱ", "까치")); // ㄲ is its own initial
        assert!(matches_chosung("ㄲㅊ", "까치"));
        assert!(is_chosung_query("ㅂㅂ ㅈㅊ"));
        assert!(!is_chosung_query("불법ㅈㅊ"));
        assert!(!is_chosung_query(" "));
    }
}
