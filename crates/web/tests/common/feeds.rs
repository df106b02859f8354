//! Feeds read by a real feed parser: Python's `feedparser` (PyPI), from the
//! interpreter named by `SOTONG_TEST_PYTHON` (scripts/test.sh installs it). Without
//! that variable a test fails saying so — it never passes without having parsed.

const PARSE: &str = r#"
import json, sys, feedparser
feed = feedparser.parse(sys.argv[1])
print(json.dumps({
    "version": feed.version,
    "bozo": int(feed.bozo),
    "error": str(feed.get("bozo_exception", "")),
    "title": feed.feed.get("title", ""),
    "entries": [{"title": e.title, "link": e.link, "id": e.id, "published": list(e.get("published_parsed") or e.get("updated_parsed") or [])[:6]} for e in feed.entries],
}, ensure_ascii=False))
"#;

pub fn parse_feed(xml: &str) -> serde_json::Value {
    // A file of its own per call: tests on both engines run at once in one process, and
    // two feeds of the same length must not share a name.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("sotong-feed-{}-{n}.xml", std::process::id()));
    std::fs::write(&path, xml).unwrap();
    let parsed = super::run_python(&["-c", PARSE, path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    parsed
}
