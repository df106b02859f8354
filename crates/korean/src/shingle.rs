//! Character 3-gram shingles and their exact Jaccard similarity — the contract of
//! near-duplicate detection (docs/TEXT.md):
//!
//! 1. the text is put in Unicode NFC;
//! 2. every whitespace character (`char::is_whitespace`) is removed;
//! 3. its shingles are the set of all runs of 3 consecutive characters (Unicode scalar
//!    values); a text of 1 or 2 characters has one shingle, itself; an empty text none;
//! 4. similarity(a, b) = |A ∩ B| ÷ |A ∪ B|, and 0 when both sets are empty.
//!
//! A shingle is packed losslessly into a `u64` (21 bits per character; bit 63 marks the
//! short whole-text shingles), so set operations are exact.

use unicode_normalization::UnicodeNormalization;

/// The shingle set of a text, sorted and without repeats.
pub fn shingles(text: &str) -> Vec<u64> {
    let chars: Vec<u32> = text.nfc().filter(|c| !c.is_whitespace()).map(|c| c as u32).collect();
    let mut set: Vec<u64> = match chars.len() {
        0 => Vec::new(),
        1 | 2 => vec![(1 << 63) | chars.iter().fold(0u64, |packed, &c| (packed << 21) | u64::from(c))],
        _ => chars.windows(3).map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2])).collect(),
    };
    set.sort_unstable();
    set.dedup();
    set
}

/// How many shingles two sorted sets share.
pub fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The exact Jaccard similarity of two sorted shingle sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let shared = intersection(a, b);
    shared as f64 / (a.len() + b.len() - shared) as f64
}

/// The similarity of two texts, by the definition above.
pub fn similarity(a: &str, b: &str) -> f64 {
    jaccard(&shingles(a), &shingles(b))
}

/// Whether two set sizes allow a similarity of at least `threshold` at all
/// (J ≤ min/max), so most pairs are ruled out without comparing.
pub fn sizes_compatible(a: usize, b: usize, threshold: f64) -> bool {
    let (small, large) = if a <= b { (a, b) } else { (b, a) };
    large > 0 && small as f64 >= threshold * large as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_follow_the_definition() {
        // "불법 주차" → 불법주차 → {불법주, 법주차}
        assert_eq!(shingles("불법 주차").len(), 2);
        assert_eq!(shingles("불법 주차"), shingles("불법주차"));
        assert_eq!(shingles("aaaa").len(), 1);
        assert_eq!(shingles("가").len(), 1);
        assert_ne!(shingles("가"), shingles("가가"));
        assert!(shingles(" \n").is_empty());
        // NFC first: decomposed jamo give the same shingles as syllables.
        assert_eq!(shingles("\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}날"), shingles("한글날"));
    }

    #[test]
    fn similarity_is_exact_jaccard() {
        assert_eq!(similarity("불법주차 단속", "불법주차 단속"), 1.0);
        // 불법주차단속 {불법주,법주차,주차단,차단속} vs 불법주차신고 {불법주,법주차,주차신,차신고}: 2/6
        assert_eq!(similarity("불법주차 단속", "불법주차 신고"), 2.0 / 6.0);
        assert_eq!(similarity("", ""), 0.0);
        assert_eq!(similarity("", "가나다"), 0.0);
        assert!(sizes_compatible(8, 10, 0.8));
        assert!(!sizes_compatible(7, 10, 0.8));
    }
}
