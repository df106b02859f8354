//! The search analyzer: how a text becomes the terms the index stores.
//!
//! Korean writes particles and endings onto words ("주차장을", "불법주차가") and joins
//! nouns into compounds, so whole words do not match what people type. The analyzer
//! cuts text (NFC, width-folded, lower-cased) into runs, and
//!
//! - a run of Hangul syllables (or of Han characters) becomes its overlapping syllable
//!   bigrams ("불법주차가" → 불법 법주 주차 차가); a one-syllable run stays one term;
//! - a run of other letters and digits (Latin, numbers) is one whole lower-cased term
//!   ("CCTV" → cctv, "2020");
//! - a run of compatibility jamo ("ㅋㅋ") is one term;
//! - two Hangul runs with exactly one space between them also give the bigram across
//!   the space ("운전 기사" → 운전 전기 기사), because Korean spacing varies and a
//!   query "운전기사" must find it. Punctuation between them stops this.
//!
//! Terms carry consecutive positions, so a multi-syllable query word is looked up as a
//! phrase of its bigrams: "주차장" must find 주차 followed by 차장, and so finds
//! "주차장을" (and "주차 장") but not a text with "주차" and "차장" in separate places.
//!
//! [`chosung_terms`] is the same cut applied to the initial consonants of each Hangul
//! run ("불법주차가" → ㅂㅂ ㅂㅈ ㅈㅊ ㅊㄱ), for queries typed in initial consonants.

use crate::jamo::{initial_of, is_syllable};
use crate::normalize::normalize;

/// Longest whole-word term kept; longer runs (URLs, hashes) are cut to this many chars.
const MAX_WORD_CHARS: usize = 40;

/// One term with its position among the text's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub position: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Hangul,
    Han,
    Jamo,
    Word,
    Separator,
}

fn class_of(c: char) -> Class {
    let code = c as u32;
    if is_syllable(c) {
        Class::Hangul
    } else if (0x4E00..=0x9FFF).contains(&code)
        || (0x3400..=0x4DBF).contains(&code)
        || (0xF900..=0xFAFF).contains(&code)
    {
        Class::Han
    } else if (0x3131..=0x318E).contains(&code) {
        Class::Jamo
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Separator
    }
}

/// A run of characters of one class; `spaced_on` is true when a Hangul run follows
/// another Hangul run after exactly one space ("운전 기사"), so that the bigram across
/// the space is also a term and "운전기사" still matches: Korean spacing varies.
struct Run {
    class: Class,
    chars: Vec<char>,
    spaced_on: bool,
}

/// The runs of the text (NFC, width-folded, lower-cased), in order.
fn runs(text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    // What separates the next run from the last: None = nothing yet, Some(true) =
    // one space, Some(false) = anything else (punctuation).
    let mut gap: Option<bool> = None;
    for c in normalize(text).chars().flat_map(char::to_lowercase) {
        let class = class_of(c);
        if class == Class::Separator {
            gap = Some(gap.is_none() && c == ' ');
            continue;
        }
        match out.last_mut() {
            Some(last) if gap.is_none() && last.class == class => last.chars.push(c),
            last => {
                let spaced_on = gap == Some(true) && class == Class::Hangul && last.is_some_and(|l| l.class == class);
                out.push(Run { class, chars: vec![c], spaced_on });
            }
        }
        gap = None;
    }
    out
}

/// Overlapping bigrams of a run (after the bigram across the space from the previous
/// run, when spaced on); a one-character run is also its own term.
fn push_bigrams(previous: Option<char>, run: &[char], terms: &mut Vec<Term>) {
    let mut push = |text: String| {
        let position = terms.len();
        terms.push(Term { text, position });
    };
    if let Some(before) = previous {
        push([before, run[0]].iter().collect());
    }
    if run.len() == 1 {
        push(run[0].to_string());
    }
    for pair in run.windows(2) {
        push(pair.iter().collect());
    }
}

/// The terms of a text: Hangul and Han bigrams, whole Latin/digit words, jamo runs.
pub fn terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut last_char: Option<char> = None;
    for run in runs(text) {
        match run.class {
            Class::Hangul | Class::Han => {
                push_bigrams(last_char.filter(|_| run.spaced_on), &run.chars, &mut out);
            }
            Class::Word | Class::Jamo => {
                let position = out.len();
                out.push(Term { text: run.chars.iter().take(MAX_WORD_CHARS).collect(), position });
            }
            Class::Separator => {}
        }
        last_char = run.chars.last().copied();
    }
    out
}

/// The initial-consonant terms of a text: bigrams of the initials of each Hangul run.
pub fn chosung_terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut last_initial: Option<char> = None;
    for run in runs(text) {
        if run.class == Class::Hangul {
            let initials: Vec<char> = run.chars.iter().filter_map(|&c| initial_of(c)).collect();
            push_bigrams(last_initial.filter(|_| run.spaced_on), &initials, &mut out);
            last_initial = initials.last().copied();
        } else {
            last_initial = None;
        }
    }
    out
}

/// The bigram terms of a run of initial consonants typed as a query ("ㅂㅂㅈㅊ").
pub fn chosung_query_terms(initials: &str) -> Vec<Term> {
    let run: Vec<char> = initials.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    if !run.is_empty() {
        push_bigrams(None, &run, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terms: Vec<Term>) -> Vec<String> {
        terms.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn hangul_runs_become_bigrams() {
        assert_eq!(texts(terms("불법주차가")), ["불법", "법주", "주차", "차가"]);
        assert_eq!(texts(terms("주차장을, 만들어")), ["주차", "차장", "장을", "만들", "들어"]);
    }

    #[test]
    fn one_space_between_hangul_runs_gives_the_bigram_across_it() {
        assert_eq!(texts(terms("운전 기사")), ["운전", "전기", "기사"]);
        assert_eq!(texts(terms("운전. 기사")), ["운전", "기사"]);
        assert_eq!(texts(terms("주차 및 단속")), ["주차", "차및", "및", "및단", "단속"]);
        assert_eq!(texts(chosung_terms("불법 주차")), ["ㅂㅂ", "ㅂㅈ", "ㅈㅊ"]);
    }

    #[test]
    fn latin_and_digits_are_whole_lowercase_words() {
        assert_eq!(texts(terms("ＣＣＴＶ를 2020년에")), ["cctv", "를", "2020", "년에"]);
    }

    #[test]
    fn one_syllable_runs_and_jamo_runs_are_single_terms() {
        assert_eq!(texts(terms("물 ㅋㅋ, 또!")), ["물", "ㅋㅋ", "또"]);
    }

    #[test]
    fn positions_are_consecutive_across_runs() {
        let positions: Vec<usize> = terms("CCTV 설치를").into_iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2]);
    }

    #[test]
    fn chosung_terms_follow_hangul_runs() {
        assert_eq!(texts(chosung_terms("불법주차가 CCTV")), ["ㅂㅂ", "ㅂㅈ", "ㅈㅊ", "ㅊㄱ"]);
        assert_eq!(texts(chosung_query_terms("ㅂㅂ ㅈㅊ")), ["ㅂㅂ", "ㅂㅈ", "ㅈㅊ"]);
    }
}
