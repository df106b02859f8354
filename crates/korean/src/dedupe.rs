//! Near-duplicate detection over character shingles: MinHash signatures banded into
//! locality-sensitive hash tables find candidate pairs, and every candidate is
//! confirmed by its exact similarity ([`crate::shingle`]), so nothing below the
//! threshold is ever reported.
//!
//! With `rows` hash values per band and `bands` bands, a pair of similarity `s` becomes
//! a candidate with probability `1 − (1 − s^rows)^bands`; [`LshShape::for_threshold`]
//! picks the shape that keeps that at least 99.95 % at the threshold with at most 128
//! hash functions (0.8 → 20 bands of 5 rows: a pair at exactly 0.8 is missed with
//! probability 0.0004, at 0.9 with 10⁻¹⁴).

use crate::shingle::{jaccard, shingles, sizes_compatible};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

/// How the MinHash signature is cut into bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LshShape {
    pub bands: usize,
    pub rows: usize,
}

const MAX_HASHES: usize = 128;
const MIN_RECALL: f64 = 0.9995;

impl LshShape {
    /// The shape with the most rows per band (fewest false candidates) whose recall at
    /// `threshold` is at least 99.95 % within 128 hash functions.
    pub fn for_threshold(threshold: f64) -> LshShape {
        let t = threshold.clamp(0.05, 1.0);
        let mut best = LshShape { bands: MAX_HASHES, rows: 1 };
        for rows in 1..=MAX_HASHES {
            let p = t.powi(rows as i32);
            // Smallest bands with 1 − (1 − p)^bands ≥ MIN_RECALL.
            let bands = if p >= 1.0 { 1 } else { ((1.0 - MIN_RECALL).ln() / (1.0 - p).ln()).ceil() as usize };
            if bands * rows > MAX_HASHES {
                break;
            }
            best = LshShape { bands: bands.max(1), rows };
        }
        best
    }

    pub fn hashes(self) -> usize {
        self.bands * self.rows
    }

    /// Probability that a pair of similarity `s` becomes a candidate.
    pub fn candidate_probability(self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }
}

/// The splitmix64 finaliser: a fast, well-mixed 64-bit hash of a 64-bit value.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// MinHash with `hashes` functions `h_i(x) = high 32 bits of (a_i · mix(x) + b_i)`.
#[derive(Debug, Clone)]
struct MinHasher {
    shape: LshShape,
    coefficients: Vec<(u64, u64)>,
}

impl MinHasher {
    fn new(shape: LshShape) -> MinHasher {
        // Fixed coefficients: signatures are comparable across runs and processes.
        let coefficients = (0..shape.hashes() as u64).map(|i| (mix(2 * i + 1) | 1, mix(0x5EED_0000 + 2 * i))).collect();
        MinHasher { shape, coefficients }
    }

    fn signature(&self, shingles: &[u64]) -> Vec<u32> {
        let mut minimum = vec![u32::MAX; self.coefficients.len()];
        for &shingle in shingles {
            let base = mix(shingle);
            for (slot, &(a, b)) in minimum.iter_mut().zip(&self.coefficients) {
                let h = (a.wrapping_mul(base).wrapping_add(b) >> 32) as u32;
                if h < *slot {
                    *slot = h;
                }
            }
        }
        minimum
    }

    /// One key per band: the band's rows hashed together.
    fn band_keys<'s>(&self, signature: &'s [u32]) -> impl Iterator<Item = u64> + 's {
        let rows = self.shape.rows;
        signature
            .chunks(rows)
            .enumerate()
            .map(|(band, values)| values.iter().fold(mix(band as u64), |key, &v| mix(key ^ u64::from(v))))
    }
}

/// A document in the index.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub author: Option<String>,
    pub shingles: Vec<u64>,
}

/// A document found similar to another, with the exact similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub doc: usize,
    pub similarity: f64,
}

/// An incremental near-duplicate index: add documents one by one and check a text
/// against everything added so far.
pub struct NearDuplicates {
    threshold: f64,
    hasher: MinHasher,
    documents: Vec<Document>,
    /// Per band: band key → documents.
    buckets: Vec<FxHashMap<u64, Vec<u32>>>,
}

impl NearDuplicates {
    pub fn new(threshold: f64) -> NearDuplicates {
        let shape = LshShape::for_threshold(threshold);
        NearDuplicates {
            threshold,
            hasher: MinHasher::new(shape),
            documents: Vec::new(),
            buckets: vec![FxHashMap::default(); shape.bands],
        }
    }

    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    pub fn shape(&self) -> LshShape {
        self.hasher.shape
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    pub fn document(&self, doc: usize) -> &Document {
        &self.documents[doc]
    }

    /// Adds a document; returns its number.
    pub fn add(&mut self, id: impl Into<String>, author: Option<String>, text: &str) -> usize {
        let shingles = shingles(text);
        let signature = self.hasher.signature(&shingles);
        self.insert(Document { id: id.into(), author, shingles }, &signature)
    }

    fn insert(&mut self, document: Document, signature: &[u32]) -> usize {
        let doc = self.documents.len();
        // An empty text is similar to nothing (similarity 0 by definition).
        if !document.shingles.is_empty() {
            for (band, key) in self.hasher.band_keys(signature).enumerate() {
                self.buckets[band].entry(key).or_default().push(doc as u32);
            }
        }
        self.documents.push(document);
        doc
    }

    /// Every indexed document whose similarity to `text` is at least the threshold,
    /// most similar first.
    pub fn check(&self, text: &str) -> Vec<Match> {
        let shingles = shingles(text);
        self.check_shingles(&shingles, None)
    }

    fn check_shingles(&self, shingles: &[u64], exclude: Option<usize>) -> Vec<Match> {
        if shingles.is_empty() {
            return Vec::new();
        }
        let signature = self.hasher.signature(shingles);
        let mut seen = FxHashSet::default();
        let mut matches = Vec::new();
        for (band, key) in self.hasher.band_keys(&signature).enumerate() {
            for &doc in self.buckets[band].get(&key).map_or(&[][..], Vec::as_slice) {
                let doc = doc as usize;
                if Some(doc) == exclude || !seen.insert(doc) {
                    continue;
                }
                let other = &self.documents[doc].shingles;
                if !sizes_compatible(shingles.len(), other.len(), self.threshold) {
                    continue;
                }
                let similarity = jaccard(shingles, other);
                if similarity >= self.threshold {
                    matches.push(Match { doc, similarity });
                }
            }
        }
        matches.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then(a.doc.cmp(&b.doc)));
        matches
    }

    /// Every pair of indexed documents at or above the threshold, `(a, b, similarity)`
    /// with `a < b` (document numbers), in order.
    pub fn pairs(&self) -> Vec<(usize, usize, f64)> {
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        for table in &self.buckets {
            for docs in table.values().filter(|docs| docs.len() > 1) {
                for (i, &a) in docs.iter().enumerate() {
                    for &b in &docs[i + 1..] {
                        candidates.push((a.min(b), a.max(b)));
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let verify = |chunk: &[(u32, u32)]| -> Vec<(usize, usize, f64)> {
            chunk
                .iter()
                .filter_map(|&(a, b)| {
                    let (sa, sb) = (&self.documents[a as usize].shingles, &self.documents[b as usize].shingles);
                    if !sizes_compatible(sa.len(), sb.len(), self.threshold) {
                        return None;
                    }
                    let similarity = jaccard(sa, sb);
                    (similarity >= self.threshold).then_some((a as usize, b as usize, similarity))
                })
                .collect()
        };
        parallel_chunks(&candidates, verify)
    }

    /// Builds an index of many documents at once, computing signatures on all cores.
    pub fn build(threshold: f64, documents: Vec<(String, Option<String>, String)>) -> NearDuplicates {
        let mut index = NearDuplicates::new(threshold);
        let hasher = index.hasher.clone();
        let prepared = parallel_chunks(&documents, |chunk| {
            chunk
                .iter()
                .map(|(id, author, text)| {
                    let shingles = shingles(text);
                    let signature = hasher.signature(&shingles);
                    (Document { id: id.clone(), author: author.clone(), shingles }, signature)
                })
                .collect()
        });
        for (document, signature) in prepared {
            index.insert(document, &signature);
        }
        index
    }
}

/// Runs `work` over `items` split into one chunk per available core, results in order.
fn parallel_chunks<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads == 1 || items.len() < 64 {
        return work(items);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.chunks(chunk).map(|part| scope.spawn(|| work(part))).collect();
        handles.into_iter().flat_map(|h| h.join().expect("worker panicked")).collect()
    })
}

/// Every pair of shingle sets at or above `threshold`, exactly — the reference the
/// index is measured against (tests, benchmarks): a pair is skipped only when it
/// provably cannot reach it — by size (J ≤ min/max) or by prefix filtering (two sets
/// with J ≥ t share a shingle among the first |x| − ⌈t·|x|⌉ + 1 of each, in one global
/// order). Every other pair's similarity is computed.
pub fn exact_pairs(sets: &[Vec<u64>], threshold: f64) -> BTreeSet<(usize, usize)> {
    let mut frequency: FxHashMap<u64, u32> = FxHashMap::default();
    for set in sets {
        for &s in set {
            *frequency.entry(s).or_default() += 1;
        }
    }
    let ordered: Vec<Vec<u64>> = sets
        .iter()
        .map(|set| {
            let mut set = set.clone();
            set.sort_by_key(|s| (frequency[s], *s));
            set
        })
        .collect();
    let mut by_size: Vec<usize> = (0..sets.len()).collect();
    by_size.sort_by_key(|&d| sets[d].len());
    let mut postings: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    let mut pairs = BTreeSet::new();
    for &x in &by_size {
        let size = sets[x].len();
        if size == 0 {
            continue;
        }
        let prefix = size - (threshold * size as f64).ceil() as usize + 1;
        let mut candidates: Vec<usize> =
            ordered[x][..prefix].iter().flat_map(|s| postings.get(s).into_iter().flatten().copied()).collect();
        candidates.sort_unstable();
        candidates.dedup();
        for y in candidates {
            if sizes_compatible(size, sets[y].len(), threshold) && jaccard(&sets[x], &sets[y]) >= threshold {
                pairs.insert((x.min(y), x.max(y)));
            }
        }
        for &s in &ordered[x][..prefix] {
            postings.entry(s).or_default().push(x);
        }
    }
    pairs
}

/// Connected groups (two or more documents) of the graph the pairs form: one case
/// per group of duplicate complaints (중복민원). Groups and members in order.
pub fn groups(documents: usize, pairs: &[(usize, usize, f64)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..documents).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(a, b, _) in pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for doc in 0..documents {
        let r = root(&mut parent, doc);
        members.entry(r).or_default().push(doc);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_keeps_recall_at_the_threshold() {
        let shape = LshShape::for_threshold(0.8);
        assert_eq!(shape, LshShape { bands: 20, rows: 5 });
        assert!(shape.candidate_probability(0.8) >= MIN_RECALL);
        assert!(shape.candidate_probability(0.3) < 0.05);
        for t in [0.5, 0.6, 0.7, 0.9, 0.95] {
            let shape = LshShape::for_threshold(t);
            assert!(shape.candidate_probability(t) >= MIN_RECALL, "{t}: {shape:?}");
            assert!(shape.hashes() <= MAX_HASHES);
        }
    }

    #[test]
    fn finds_near_duplicates_and_only_them() {
        let base = "아파트 앞 도로에 불법주차 차량이 너무 많아 아이들 통학길이 위험합니다. 단속을 강화해 주세요.";
        let mut index = NearDuplicates::new(0.8);
        index.add("1", Some("kim".into()), base);
        index.add("2", None, "전혀 다른 이야기: 공원에 가로등을 더 설치해 주시기 바랍니다.");
        index.add("3", Some("kim".into()), &format!("{base} 부탁드립니다"));
        let found = index.check(&format!("{base}!"));
        assert_eq!(found.iter().map(|m| m.doc).collect::<Vec<_>>(), vec![0, 2]);
        assert!(found.iter().all(|m| m.similarity >= 0.8));
        let pairs = index.pairs();
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].0, pairs[0].1), (0, 2));
        assert_eq!(groups(3, &pairs), vec![vec![0, 2]]);
        assert!(index.check("").is_empty());
    }
}
