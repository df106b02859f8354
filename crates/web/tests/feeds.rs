//! The news feeds read by a real feed parser: Python's `feedparser` (PyPI), from the
//! interpreter named by `SOTONG_TEST_PYTHON` (scripts/test.sh installs it). Without
//! that variable the test fails saying so — it never passes without having parsed.

mod common;

use common::Browser;
use sotong_store::both_backends;

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

fn parse_feed(xml: &str) -> serde_json::Value {
    let python = std::env::var("SOTONG_TEST_PYTHON")
        .unwrap_or_else(|_| panic!("SOTONG_TEST_PYTHON is not set: run scripts/test.sh, which installs feedparser"));
    let path = std::env::temp_dir().join(format!("sotong-feed-{}-{}.xml", std::process::id(), xml.len()));
    std::fs::write(&path, xml).unwrap();
    let output = std::process::Command::new(python).arg("-c").arg(PARSE).arg(&path).output().expect("run feedparser");
    assert!(output.status.success(), "feedparser: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("feedparser's JSON")
}

both_backends!(the_news_feeds_parse_as_rss_and_atom_with_every_publication, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let visitor = Browser::new(&app);
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let published = app.store.recent_publications(city.id, 100).await.unwrap();
    assert!(published.len() >= 4, "the demo city has published quarters");
    for (path, version, content_type) in
        [("/hanbit/feed.rss", "rss20", "application/rss+xml"), ("/hanbit/feed.atom", "atom10", "application/atom+xml")]
    {
        let page = visitor.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.headers["content-type"].to_str().unwrap().starts_with(content_type), "{path}");
        let feed = parse_feed(&page.body);
        assert_eq!(feed["version"], version, "{path}: {feed}");
        assert_eq!(feed["bozo"], 0, "{path} is well formed: {}", feed["error"]);
        assert_eq!(feed["title"], "한빛시 새 소식");
        let entries = feed["entries"].as_array().unwrap();
        assert_eq!(entries.len(), published.len().min(30), "{path}: one entry per publication");
        let newest = &published[0];
        assert!(entries[0]["title"].as_str().unwrap().ends_with("추진 현황 공개"), "{path}: {}", entries[0]);
        let link = entries[0]["link"].as_str().unwrap();
        assert!(link.starts_with(&app.base), "{path}: an absolute link {link}");
        assert!(link.ends_with(&format!("/hanbit/plans/{}?period={}", newest.plan_slug, newest.period_code)));
        let expected_id = format!("urn:sotong:hanbit:{}:{}", newest.plan_slug, newest.period_code);
        assert_eq!(entries[0]["id"], expected_id.as_str());
        assert_eq!(entries[0]["published"].as_array().unwrap().len(), 6, "{path}: a parsed date");
        // The page links to the publication, which answers.
        assert_eq!(visitor.get(link.trim_start_matches(&app.base)).await.status, 200);
    }
    let news = visitor.get("/hanbit/news").await;
    assert_eq!(news.status, 200);
    assert!(news.body.contains(r#"href="/hanbit/feed.rss""#) && news.body.contains("추진 현황 공개"));
});
