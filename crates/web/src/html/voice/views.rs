//! How a proposal reads on a page: its labels in the visitor's language, dates in the
//! Korean way, the deadline as D-day, the author's name masked.

use super::urls::VoiceUrls;
use crate::i18n::Tr;
use sotong_core::format::{d_day, days_until};
use sotong_store::orgs::Org;
use sotong_store::voice::proposals::Proposal;

pub struct ProposalView {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub category: String,
    /// `received`, `reviewing`, `answered`, `withdrawn`, or `hidden`: the badge's class.
    pub state_key: &'static str,
    pub state: String,
    /// The answer's result (수용 …), once answered.
    pub result: Option<String>,
    pub supports: String,
    pub submitted: String,
    pub department: Option<String>,
    /// The answer's last day and D-day, while it is awaited and has one.
    pub due: Option<String>,
    pub overdue: bool,
    pub answer_due: bool,
    pub is_public: bool,
    pub hidden_reason: Option<String>,
}

impl ProposalView {
    pub fn new(proposal: &Proposal, body: &Org, units: &[Org], t: &Tr, now: i64) -> ProposalView {
        let state_key = if proposal.is_public() { proposal.state.as_str() } else { "hidden" };
        let due = match (&proposal.due_on, proposal.state.is_open()) {
            (Some(day), true) => days_until(day, now).map(|d| format!("{} ({})", t.iso_date(day), d_day(d, t.lang))),
            _ => None,
        };
        ProposalView {
            id: proposal.id,
            url: VoiceUrls::new(body).proposal(proposal.id),
            title: proposal.title.clone(),
            category: t.t(&format!("proposal_category.{}", proposal.category)).to_string(),
            state_key,
            state: t.t(&format!("proposal_state.{state_key}")).to_string(),
            result: proposal.answer_result().map(|r| t.t(&format!("answer_result.{r}")).to_string()),
            supports: t.number(proposal.support_count),
            submitted: t.date(proposal.created_at),
            department: proposal
                .department_id
                .and_then(|id| units.iter().find(|u| u.id == id))
                .map(|u| u.name(t.is_en()).to_string()),
            due,
            overdue: proposal.is_overdue(now),
            answer_due: proposal.is_answer_due(),
            is_public: proposal.is_public(),
            hidden_reason: proposal.hidden_reason.clone(),
        }
    }
}

/// Today in KST (`2026-12-01`), what notices' dates and deadlines compare with.
pub fn kst_today(now: i64) -> String {
    sotong_core::format::kst_date_after(now, 0)
}

/// A file on a proposal or notice, as lists show it.
pub fn file_view(
    body: &sotong_store::orgs::Org,
    t: &crate::i18n::Tr,
    f: &sotong_store::voice::attachments::VoiceAttachment,
) -> crate::html::files::FileView {
    crate::html::files::FileView::new(body, t, f.id, &f.sha256, &f.file_name, &f.kind, f.size)
}

/// Reads the file form's upload and attaches it to `owner` (a proposal, complaint or
/// notice), counted against `uploader`'s upload limit when given (a citizen's; staff
/// uploads are not limited). `Ok(Err(..))` is the refusal to show beside the field:
/// no file, a kind not accepted, too large, too many, or the limit reached.
pub async fn attach_upload(
    state: &crate::AppState,
    ctx: &crate::context::Ctx,
    body_id: i64,
    owner: sotong_store::voice::attachments::Owner,
    multipart: &mut axum::extract::Multipart,
    uploader: Option<i64>,
) -> crate::error::AppResult<Result<(), sotong_core::FieldError>> {
    use sotong_core::FieldError;
    let max = state.config.attachment_max_bytes;
    let upload = crate::html::files::Upload::read(multipart, max).await?;
    let file = match crate::html::files::required(&upload, max) {
        Ok(file) => file,
        Err(error) => return Ok(Err(error)),
    };
    if let Some(user_id) = uploader {
        if !crate::limits::allow(state, ctx, user_id, crate::limits::Write::Upload).await? {
            return Ok(Err(FieldError::new("file", "too_many_writes")));
        }
    }
    match state.store.attach_voice_file(&ctx.actor(), body_id, owner, &file).await {
        Ok(_) => Ok(Ok(())),
        Err(sotong_store::StoreError::Invalid(error)) => Ok(Err(error)),
        Err(other) => Err(other.into()),
    }
}
