//! Korean text for sotong (usable on its own):
//!
//! - [`normalize`]: NFC, full-width to half-width, compatibility jamo, whitespace and
//!   punctuation folding;
//! - [`jamo`]: Hangul syllables to jamo and back, initial consonants (초성) of a text
//!   and matching initial-consonant queries ("ㅂㅂㅈㅊ", "불법ㅈㅊ" find "불법주차");
//! - [`shingle`]: character 3-gram shingles and their exact Jaccard similarity;
//! - [`dedupe`]: near-duplicate detection (MinHash + LSH, confirmed exactly), groups;
//! - [`analyzer`] and [`search`]: a full-text index (tantivy) that finds words inside
//!   compounds and before particles, with initial-consonant queries.

pub mod analyzer;
pub mod dedupe;
pub mod highlight;
pub mod jamo;
pub mod normalize;
pub mod search;
pub mod shingle;
