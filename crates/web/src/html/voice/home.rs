//! What a body's home page shows of citizen voice: the newest proposals, the latest
//! answers, and the notices on display (pinned first), each with a link to all.

use super::notices::NoticeView;
use super::urls::VoiceUrls;
use super::views::{kst_today, ProposalView};
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::AppState;
use sotong_core::voice::proposals::ProposalState;
use sotong_store::now;
use sotong_store::orgs::Org;
use sotong_store::voice::proposals::{ProposalFilter, ProposalSort};

pub struct VoiceHome {
    pub proposals: Vec<ProposalView>,
    pub answered: Vec<ProposalView>,
    pub notices: Vec<NoticeView>,
    pub proposals_url: String,
    pub new_proposal_url: String,
    pub notices_url: String,
}

pub async fn voice_home(state: &AppState, body: &Org, t: &Tr) -> AppResult<VoiceHome> {
    let urls = VoiceUrls::new(body);
    let at = now();
    let today = kst_today(at);
    let newest = ProposalFilter { limit: 4, ..Default::default() };
    let answered = ProposalFilter {
        state: Some(ProposalState::Answered),
        sort: ProposalSort::Newest,
        limit: 3,
        ..Default::default()
    };
    let ((newest, _), (answered, _), (notices, _), units) = tokio::try_join!(
        state.store.proposals(body.id, &newest),
        state.store.proposals(body.id, &answered),
        state.store.public_notices(body.id, None, &today, 0, 5),
        state.store.units(body.id),
    )?;
    Ok(VoiceHome {
        proposals: newest.iter().map(|p| ProposalView::new(p, body, &units, t, at)).collect(),
        answered: answered.iter().map(|p| ProposalView::new(p, body, &units, t, at)).collect(),
        notices: notices.iter().map(|n| NoticeView::new(n, &urls, t, &today)).collect(),
        proposals_url: urls.proposals(),
        new_proposal_url: urls.new_proposal(),
        notices_url: urls.notices(),
    })
}
