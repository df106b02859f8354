//! Published snapshots are hash-chained: each snapshot's hash covers its canonical
//! content and the previous snapshot's hash, so editing any published row changes
//! every hash from that snapshot on — and `sotong verify` notices.
//!
//! hash = SHA-256 hex of `sotong-snapshot-v1\n{previous hash or empty}\n{canonical JSON}`
//! where canonical JSON is `serde_json` output of a `Value` (object keys sorted, no
//! whitespace). docs/VERIFY.md repeats this so anyone can check it independently.

use sha2::{Digest, Sha256};

pub const HASH_DOMAIN: &str = "sotong-snapshot-v1";

/// The canonical text of a JSON value: keys sorted (serde_json's default map is
/// ordered), no insignificant whitespace.
pub fn canonical_json(value: &serde_json::Value) -> String {
    value.to_string()
}

pub fn chain_hash(previous: Option<&str>, canonical: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(HASH_DOMAIN.as_bytes());
    hasher.update(b"\n");
    hasher.update(previous.unwrap_or("").as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a chain first breaks: the index of the first snapshot whose stored hash does
/// not match its recomputed one (every later one then breaks too).
pub fn first_broken<'a>(chain: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<usize> {
    let mut previous: Option<&str> = None;
    for (i, (stored_hash, canonical)) in chain.into_iter().enumerate() {
        if chain_hash(previous, canonical) != stored_hash {
            return Some(i);
        }
        previous = Some(stored_hash);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hashes_match_the_worked_example_in_docs_verify() {
        // Computed outside this code with sha256sum (docs/VERIFY.md, "Check it yourself").
        let item = json!({"title": "청년 일자리 1만 개", "status": "completed", "progress": 100, "code": "1-01"});
        let canonical = canonical_json(&item);
        assert_eq!(canonical, r#"{"code":"1-01","progress":100,"status":"completed","title":"청년 일자리 1만 개"}"#);
        let item_hash = chain_hash(None, &canonical);
        assert_eq!(item_hash, "a851eb64596da8d1df0432781eceb9331d1e993c2544b72631153da1f140b13d");
        let summary = canonical_json(&json!({"period": "2026-Q2", "items": [["1-01", item_hash]]}));
        let previous = "0".repeat(64);
        assert_eq!(
            chain_hash(Some(&previous), &summary),
            "73c8e755bf238a35580d37185982b35753027c4a085f2bb1b7ae8d1c6c8bbcef"
        );
    }

    #[test]
    fn canonical_json_sorts_keys() {
        assert_eq!(canonical_json(&json!({"b": 1, "a": [true, null]})), r#"{"a":[true,null],"b":1}"#);
    }

    #[test]
    fn a_chain_detects_an_edit_and_names_where() {
        let contents = [r#"{"q":1}"#, r#"{"q":2}"#, r#"{"q":3}"#];
        let mut hashes = Vec::new();
        for c in contents {
            let h = chain_hash(hashes.last().map(String::as_str), c);
            hashes.push(h);
        }
        let intact: Vec<(&str, &str)> = hashes.iter().map(String::as_str).zip(contents).collect();
        assert_eq!(first_broken(intact.clone()), None);
        let mut edited = intact.clone();
        edited[1].1 = r#"{"q":20}"#;
        assert_eq!(first_broken(edited), Some(1));
        assert_eq!(hashes[0].len(), 64);
    }
}
