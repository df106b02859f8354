//! The news feeds read by a real feed parser: Python's `feedparser` (PyPI), from the
//! interpreter named by `SOTONG_TEST_PYTHON` (scripts/test.sh installs it). Without
//! that variable the test fails saying so — it never passes without having parsed.

mod common;

use common::feeds::parse_feed;
use common::Browser;
use sotong_store::both_backends;

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
