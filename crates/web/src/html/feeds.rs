//! RSS 2.0 and Atom feeds, written once for every module that publishes a list (the
//! news of a body, its notices): a feed's channel and its items in, the XML out.

use sotong_core::format;

/// One entry of a feed.
pub struct FeedItem {
    /// Stable identity (`guid` / `id`), e.g. `urn:sotong:hanbit:notice:3`.
    pub id: String,
    pub title: String,
    /// Site-relative link to the page.
    pub link: String,
    pub summary: String,
    pub published: i64,
    pub updated: i64,
    /// (term, label) of its category, when it has one.
    pub category: Option<(String, String)>,
}

/// The feed itself.
pub struct Feed<'a> {
    /// Stable identity of the Atom feed.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The page the feed mirrors, and the feed's own addresses (site-relative).
    pub page: String,
    pub rss: String,
    pub atom: String,
    pub author: &'a str,
    pub language: &'a str,
    /// The feed's `updated` when it has no entries.
    pub empty_updated: i64,
}

/// Text for XML: the five characters that mean something there, escaped.
pub fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

pub fn rss(feed: &Feed<'_>, items: &[FeedItem], origin: &str) -> String {
    let mut out = String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    out.push_str(r#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>"#);
    out.push_str(&format!(
        "<title>{}</title><link>{origin}{}</link><description>{}</description><language>{}</language>",
        xml(&feed.title),
        xml(&feed.page),
        xml(&feed.description),
        feed.language,
    ));
    out.push_str(&format!(r#"<atom:link href="{origin}{}" rel="self" type="application/rss+xml"/>"#, xml(&feed.rss)));
    if let Some(newest) = items.iter().map(|i| i.published).max() {
        out.push_str(&format!("<lastBuildDate>{}</lastBuildDate>", format::rfc822(newest)));
    }
    for item in items {
        let category = item.category.as_ref().map(|(_, label)| format!("<category>{}</category>", xml(label)));
        out.push_str(&format!(
            r#"<item><title>{}</title><link>{origin}{}</link><guid isPermaLink="false">{}</guid><pubDate>{}</pubDate>{}<description>{}</description></item>"#,
            xml(&item.title),
            xml(&item.link),
            xml(&item.id),
            format::rfc822(item.published),
            category.unwrap_or_default(),
            xml(&item.summary),
        ));
    }
    out.push_str("</channel></rss>");
    out
}

pub fn atom(feed: &Feed<'_>, items: &[FeedItem], origin: &str) -> String {
    let updated = items.iter().map(|i| i.updated).max().unwrap_or(feed.empty_updated);
    let mut out = String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    out.push_str(&format!(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{}"><id>{}</id><title>{}</title><updated>{}</updated>"#,
        feed.language,
        xml(&feed.id),
        xml(&feed.title),
        format::rfc3339(updated),
    ));
    out.push_str(&format!(
        r#"<link rel="self" href="{origin}{}"/><link rel="alternate" type="text/html" href="{origin}{}"/><author><name>{}</name></author>"#,
        xml(&feed.atom),
        xml(&feed.page),
        xml(feed.author),
    ));
    for item in items {
        let category = item
            .category
            .as_ref()
            .map(|(term, label)| format!(r#"<category term="{}" label="{}"/>"#, xml(term), xml(label)));
        out.push_str(&format!(
            r#"<entry><id>{}</id><title>{}</title><link rel="alternate" type="text/html" href="{origin}{}"/><published>{}</published><updated>{}</updated>{}<summary>{}</summary></entry>"#,
            xml(&item.id),
            xml(&item.title),
            xml(&item.link),
            format::rfc3339(item.published),
            format::rfc3339(item.updated),
            category.unwrap_or_default(),
            xml(&item.summary),
        ));
    }
    out.push_str("</feed>");
    out
}
