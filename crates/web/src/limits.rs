//! Abuse limits on what citizens write, per account and per address, through the one
//! rate limiter (`store::rate`), for every module. A refused write shows the form again
//! with what was typed and a Korean message: nothing submitted is lost.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::AppState;
use sotong_store::rate::RateLimit;

/// What citizens may write within a window, per account and per client address.
#[derive(Debug, Clone, Copy)]
pub struct CitizenLimits {
    pub proposals_per_day: i64,
    /// Complaints filed (on the board or through Open311).
    pub complaints_per_day: i64,
    pub comments_per_hour: i64,
    pub supports_per_hour: i64,
    pub reports_per_hour: i64,
    /// Files attached to proposals.
    pub uploads_per_day: i64,
    /// Attempts to verify as a resident (a code or the roster's details): few, so
    /// nobody can try out a roster's entries or guess codes.
    pub verifications_per_hour: i64,
    /// An address (a household, an office behind one gateway) may write this many times
    /// what one account may.
    pub address_factor: i64,
}

impl Default for CitizenLimits {
    fn default() -> Self {
        CitizenLimits {
            proposals_per_day: 5,
            complaints_per_day: 10,
            comments_per_hour: 30,
            supports_per_hour: 300,
            reports_per_hour: 20,
            uploads_per_day: 30,
            verifications_per_hour: 10,
            address_factor: 10,
        }
    }
}

/// The kinds of citizen writes that are limited.
#[derive(Debug, Clone, Copy)]
pub enum Write {
    Proposal,
    Complaint,
    Comment,
    Support,
    Report,
    Upload,
    /// Following or no longer following a plan, a commitment or a proposal (as many
    /// as supports, counted apart).
    Follow,
    /// Submitting a ballot (counted once per person by the database; this limits
    /// attempts, as many as supports, counted apart).
    Ballot,
    Verification,
}

impl Write {
    fn bucket(self) -> (&'static str, &'static str) {
        match self {
            Write::Proposal => ("proposal", "proposal_ip"),
            Write::Complaint => ("complaint", "complaint_ip"),
            Write::Comment => ("comment", "comment_ip"),
            Write::Support => ("support", "support_ip"),
            Write::Report => ("report", "report_ip"),
            Write::Upload => ("upload", "upload_ip"),
            Write::Follow => ("follow", "follow_ip"),
            Write::Ballot => ("ballot", "ballot_ip"),
            Write::Verification => ("verification", "verification_ip"),
        }
    }

    fn max(self, limits: &CitizenLimits) -> i64 {
        match self {
            Write::Proposal => limits.proposals_per_day,
            Write::Complaint => limits.complaints_per_day,
            Write::Comment => limits.comments_per_hour,
            Write::Support | Write::Follow | Write::Ballot => limits.supports_per_hour,
            Write::Verification => limits.verifications_per_hour,
            Write::Report => limits.reports_per_hour,
            Write::Upload => limits.uploads_per_day,
        }
    }

    fn window_seconds(self) -> i64 {
        match self {
            Write::Proposal | Write::Complaint | Write::Upload => 86_400,
            Write::Comment | Write::Support | Write::Report | Write::Follow | Write::Ballot | Write::Verification => 3600,
        }
    }
}

/// Counts one write of `kind` by the signed-in person; false when a limit is reached
/// (and nothing is counted).
pub async fn allow(state: &AppState, ctx: &Ctx, user_id: i64, kind: Write) -> AppResult<bool> {
    let limits = state.config.citizen_limits;
    let (per_account, per_address) = kind.bucket();
    let (max, window_seconds) = (kind.max(&limits), kind.window_seconds());
    let account = RateLimit { bucket: per_account, max, window_seconds };
    let address = RateLimit { bucket: per_address, max: max.saturating_mul(limits.address_factor), window_seconds };
    let user = user_id.to_string();
    Ok(state.store.take_rates(&[(account, &user), (address, &ctx.ip)]).await?.is_some())
}

/// The refusal of a write without a form to show again (a button): 429 with a Korean
/// page and when to try again.
pub fn refused(kind: Write) -> AppError {
    AppError::TooManyRequests { message_key: "page.too_many_writes", retry_after_seconds: kind.window_seconds() }
}

/// Counts one write of `kind` relayed by an integration (an Open311 key): per person
/// as if they had an account (their e-mail or telephone, when given), and per key at
/// what a hundred addresses may write.
pub async fn allow_relayed(state: &AppState, key_id: i64, person: Option<&str>, kind: Write) -> AppResult<bool> {
    let limits = state.config.citizen_limits;
    let (per_account, per_address) = kind.bucket();
    let (max, window_seconds) = (kind.max(&limits), kind.window_seconds());
    let key_max = max.saturating_mul(limits.address_factor).saturating_mul(100);
    let key = RateLimit { bucket: per_address, max: key_max, window_seconds };
    let key_name = format!("open311-key-{key_id}");
    let mut takes = vec![(key, key_name.as_str())];
    let person_name = person.map(|p| format!("relayed-{p}"));
    if let Some(name) = &person_name {
        takes.push((RateLimit { bucket: per_account, max, window_seconds }, name.as_str()));
    }
    Ok(state.store.take_rates(&takes).await?.is_some())
}
