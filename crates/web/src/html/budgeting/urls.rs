//! The participatory-budgeting module's URLs, written once.

use sotong_store::orgs::Org;

pub struct BudgetUrls<'a> {
    body: &'a Org,
}

impl<'a> BudgetUrls<'a> {
    pub fn new(body: &'a Org) -> BudgetUrls<'a> {
        BudgetUrls { body }
    }

    fn path(&self, rest: &str) -> String {
        crate::urls::body(self.body, rest)
    }

    pub fn list(&self) -> String {
        self.path("/budgeting")
    }

    pub fn process(&self, slug: &str) -> String {
        self.path(&format!("/budgeting/{slug}"))
    }

    pub fn project(&self, slug: &str, id: i64) -> String {
        self.path(&format!("/budgeting/{slug}/projects/{id}"))
    }

    pub fn new_idea(&self, slug: &str) -> String {
        self.path(&format!("/budgeting/{slug}/ideas/new"))
    }

    pub fn ballot(&self, slug: &str) -> String {
        self.path(&format!("/budgeting/{slug}/ballot"))
    }

    pub fn receipt(&self, slug: &str) -> String {
        self.path(&format!("/budgeting/{slug}/receipt"))
    }

    pub fn results(&self, slug: &str) -> String {
        self.path(&format!("/budgeting/{slug}/results"))
    }

    /// The published ballot list: one `{id} {hash}` line per ballot.
    pub fn ballot_list(&self, slug: &str) -> String {
        self.path(&format!("/budgeting/{slug}/ballots.txt"))
    }

    /// A pot's anonymised ballots as a Pabulib file.
    pub fn pabulib(&self, slug: &str, pot: i64) -> String {
        self.path(&format!("/budgeting/{slug}/pots/{pot}/ballots.pb"))
    }

    /// Resident verification (the shared service's page), returning to `next`.
    pub fn verify(&self, next: &str) -> String {
        self.path(&format!("/verify?next={}", crate::security::url_encode(next)))
    }

    pub fn staff_list(&self) -> String {
        self.path("/staff/budgeting")
    }

    pub fn staff_new(&self) -> String {
        self.path("/staff/budgeting/new")
    }

    /// The committee's scoring page (members only).
    pub fn committee(&self, slug: &str) -> String {
        self.path(&format!("/budgeting/{slug}/committee"))
    }

    pub fn staff_process(&self, slug: &str, suffix: &str) -> String {
        self.path(&format!("/staff/budgeting/{slug}{suffix}"))
    }
}
