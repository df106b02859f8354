//! Published snapshots are hash-chained: each snapshot's hash covers its canonical
//! content and the previous snapshot's hash, so editing any published row changes
//! every hash from that snapshot on — and `sotong verify` notices.
//!
//! hash = SHA-256 hex of `sotong-snapshot-v1\n{previous hash or empty}\n{canonical JSON}`
//! where canonical JSON is `serde_json` output of a `Value` (object keys sorted, no
//! whitespace). docs/VERIFY.md repeats this so anyone can check it independently.

use sha2::{Digest, Sha256};

pub const HASH_DOMAIN: &str = "sotong-snapshot-v1";

/// The canonical text of a JSON value: object keys sorted by their UTF-8 bytes at
/// every depth, no insignificant whitespace, strings and numbers as serde_json writes
/// them. Sorted here rather than trusting the map type's order, so that a dependency
/// enabling serde_json's `preserve_order` cannot change published bytes.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(fields) => {
            let mut entries: Vec<(&String, &Value)> = fields.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// One item of a built snapshot: its code, canonical JSON and item hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedItem {
    pub code: String,
    pub canonical: String,
    pub hash: String,
}

/// A snapshot ready to be written: its items, its summary's canonical JSON and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltSnapshot {
    pub items: Vec<ChainedItem>,
    pub summary: String,
    pub hash: String,
}

/// Builds a published, chained snapshot from typed items — commitments now, ballot
/// lists and evaluation results later: each item's canonical JSON and hash, items in
/// byte order of their codes; the summary is `header` plus `"items": [[code, hash], …]`;
/// the snapshot's hash covers the summary and `previous` (docs/VERIFY.md).
pub fn build_snapshot<T: serde::Serialize>(
    previous: Option<&str>,
    mut header: serde_json::Map<String, serde_json::Value>,
    items: impl IntoIterator<Item = (String, T)>,
) -> Result<BuiltSnapshot, serde_json::Error> {
    let mut chained = Vec::new();
    for (code, item) in items {
        let canonical = canonical_json(&serde_json::to_value(item)?);
        let hash = chain_hash(None, &canonical);
        chained.push(ChainedItem { code, canonical, hash });
    }
    chained.sort_by(|a, b| a.code.as_bytes().cmp(b.code.as_bytes()));
    let listed = chained.iter().map(|i| serde_json::json!([i.code, i.hash])).collect();
    header.insert("items".into(), serde_json::Value::Array(listed));
    let summary = canonical_json(&serde_json::Value::Object(header));
    let hash = chain_hash(previous, &summary);
    Ok(BuiltSnapshot { items: chained, summary, hash })
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
    fn canonical_json_is_serde_jsons_sorted_compact_form() {
        // Today's published bytes came from serde_json's compact output of a sorted map:
        // the canonical writer must give the same bytes.
        let values = [
            json!({"b": 1, "a": [true, null, 1.5, -3], "가": "따옴표 \" 와 \\ 와 \n", "A": {"z": {}, "y": []}}),
            json!([{"k": "é"}, "\u{1}", 9007199254740993u64]),
            json!("문자열"),
        ];
        for value in values {
            assert_eq!(canonical_json(&value), value.to_string());
        }
    }

    #[test]
    fn a_built_snapshot_lists_items_in_code_order_and_chains() {
        let header = json!({"period": "2026-Q2"}).as_object().unwrap().clone();
        let built = build_snapshot(
            Some("ab"),
            header,
            [("2-01".to_string(), json!({"x": 2})), ("1-01".to_string(), json!({"x": 1}))],
        )
        .unwrap();
        assert_eq!(built.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["1-01", "2-01"]);
        assert_eq!(built.items[0].hash, chain_hash(None, r#"{"x":1}"#));
        let expected_summary = format!(
            r#"{{"items":[["1-01","{}"],["2-01","{}"]],"period":"2026-Q2"}}"#,
            built.items[0].hash, built.items[1].hash
        );
        assert_eq!(built.summary, expected_summary);
        assert_eq!(built.hash, chain_hash(Some("ab"), &expected_summary));
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
