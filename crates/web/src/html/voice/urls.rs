//! The citizen-voice module's URLs, written once.

use sotong_store::orgs::Org;

pub struct VoiceUrls<'a> {
    body: &'a Org,
}

impl<'a> VoiceUrls<'a> {
    pub fn new(body: &'a Org) -> VoiceUrls<'a> {
        VoiceUrls { body }
    }

    fn path(&self, rest: &str) -> String {
        crate::urls::body(self.body, rest)
    }

    pub fn proposals(&self) -> String {
        self.path("/proposals")
    }

    pub fn new_proposal(&self) -> String {
        self.path("/proposals/new")
    }

    /// The similar-proposal hint (an HTML fragment for the form's script).
    pub fn similar(&self) -> String {
        self.path("/proposals/similar")
    }

    pub fn proposal(&self, id: i64) -> String {
        self.path(&format!("/proposals/{id}"))
    }

    /// A proposal's page with a suffix (`"?supported=1"`, `"#comments"`).
    pub fn proposal_with(&self, id: i64, suffix: &str) -> String {
        self.path(&format!("/proposals/{id}{suffix}"))
    }

    pub fn support(&self, id: i64) -> String {
        self.path(&format!("/proposals/{id}/support"))
    }

    pub fn withdraw(&self, id: i64) -> String {
        self.path(&format!("/proposals/{id}/withdraw"))
    }

    pub fn comments(&self, id: i64) -> String {
        self.path(&format!("/proposals/{id}/comments"))
    }

    pub fn report(&self, id: i64) -> String {
        self.path(&format!("/proposals/{id}/report"))
    }

    pub fn follow(&self, id: i64) -> String {
        self.path(&format!("/proposals/{id}/follow"))
    }

    /// Where the author attaches files; `…/files/{file}/remove` takes one off.
    pub fn proposal_files(&self, id: i64) -> String {
        self.path(&format!("/proposals/{id}/files"))
    }

    pub fn notice_files(&self, id: i64) -> String {
        self.path(&format!("/staff/notices/{id}/files"))
    }

    pub fn staff_proposals(&self, suffix: &str) -> String {
        self.path(&format!("/staff/proposals{suffix}"))
    }

    pub fn staff_proposal(&self, id: i64, suffix: &str) -> String {
        self.path(&format!("/staff/proposals/{id}{suffix}"))
    }

    pub fn assign(&self, id: i64) -> String {
        self.path(&format!("/staff/proposals/{id}/assign"))
    }

    pub fn answer(&self, id: i64) -> String {
        self.path(&format!("/staff/proposals/{id}/answer"))
    }

    pub fn rules(&self) -> String {
        self.path("/staff/proposals/rules")
    }

    pub fn moderation(&self, suffix: &str) -> String {
        self.path(&format!("/staff/moderation{suffix}"))
    }

    pub fn notices(&self) -> String {
        self.path("/notices")
    }

    pub fn notice(&self, id: i64) -> String {
        self.path(&format!("/notices/{id}"))
    }

    /// The notices feed (`rss` or `atom`), of one category when given.
    pub fn notices_feed(&self, format: &str, category: Option<&str>) -> String {
        match category {
            Some(c) => self.path(&format!("/notices/feed.{format}?category={c}")),
            None => self.path(&format!("/notices/feed.{format}")),
        }
    }

    pub fn staff_notices(&self, suffix: &str) -> String {
        self.path(&format!("/staff/notices{suffix}"))
    }

    pub fn staff_notice(&self, id: i64) -> String {
        self.path(&format!("/staff/notices/{id}"))
    }

    pub fn withdraw_notice(&self, id: i64) -> String {
        self.path(&format!("/staff/notices/{id}/withdraw"))
    }
}
