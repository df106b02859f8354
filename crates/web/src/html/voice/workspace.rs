//! What the citizen-voice module puts on a staff member's workspace: proposals to
//! assign (coordinators), to answer (an officer's department, or all), 답변 대상 ones,
//! overdue ones in red, reports to decide (moderators); and the module's tools.

use super::urls::VoiceUrls;
use super::views::kst_today;
use crate::error::AppResult;
use crate::html::commitments::workspace::TodoLine;
use crate::i18n::Tr;
use crate::AppState;
use sotong_core::role::{Permission, RoleSet};
use sotong_store::orgs::Org;

pub struct VoiceTodo {
    pub lines: Vec<TodoLine>,
    /// (link, name, what it is for)
    pub tools: Vec<(String, String, String)>,
}

pub async fn todo(state: &AppState, body: &Org, roles: &RoleSet, t: &Tr) -> AppResult<VoiceTodo> {
    let urls = VoiceUrls::new(body);
    let mut lines = Vec::new();
    let mut tools = Vec::new();
    let mut line = |key: &str, count: i64, view: &str, urgent: bool| {
        if count > 0 {
            lines.push(TodoLine {
                label: t.t(&format!("voice_todo.{key}")).to_string(),
                count: count as usize,
                url: urls.staff_proposals(&format!("?view={view}")),
                urgent,
            });
        }
    };
    if roles.allows(Permission::AnswerCitizens) {
        let department = if roles.allows_body_wide(Permission::AnswerCitizens) {
            None
        } else {
            roles.departments_allowing(Permission::AnswerCitizens).first().copied()
        };
        let counts = state.store.proposal_queue_counts(body.id, department, &kst_today(sotong_store::now())).await?;
        if roles.allows(Permission::AssignCitizenCases) {
            line("unassigned", counts.unassigned, "unassigned", false);
        }
        line("reviewing", counts.reviewing, "mine", false);
        line("answer_due", counts.answer_due, "answer_due", false);
        line("overdue", counts.overdue, "overdue", true);
        complaint_lines(state, body, roles, t, &mut lines, &mut tools).await?;
        tools.push((
            urls.staff_proposals(""),
            t.t("staff_proposals.title").to_string(),
            t.t("voice_todo.tool_proposals").to_string(),
        ));
    }
    if roles.allows(Permission::ModerateContent) {
        let queue = state.store.moderation_queue(body.id).await?;
        if !queue.is_empty() {
            lines.push(TodoLine {
                label: t.t("voice_todo.reports").to_string(),
                count: queue.len(),
                url: urls.moderation(""),
                urgent: false,
            });
        }
        tools.push((
            urls.moderation(""),
            t.t("moderation.title").to_string(),
            t.t("voice_todo.tool_moderation").to_string(),
        ));
    }
    if roles.allows(Permission::PublishNotices) {
        tools.push((
            urls.staff_notices(""),
            t.t("staff_notices.title").to_string(),
            t.t("voice_todo.tool_notices").to_string(),
        ));
    }
    Ok(VoiceTodo { lines, tools })
}

/// The complaints waiting in this person's inbox: new ones to receive, overdue ones
/// in red — counted as the inbox counts them.
async fn complaint_lines(
    state: &AppState,
    body: &Org,
    roles: &RoleSet,
    t: &Tr,
    lines: &mut Vec<TodoLine>,
    tools: &mut Vec<(String, String, String)>,
) -> AppResult<()> {
    let urls = super::complaints::ComplaintUrls::new(body);
    let departments = super::answers::departments_of(roles);
    let at = sotong_store::now();
    let counts = state
        .store
        .complaint_inbox_counts(body.id, departments.as_deref(), at, super::complaints::staff::SOON_SECONDS)
        .await?;
    for (key, count, view, urgent) in
        [("complaints_new", counts.new, "new", false), ("complaints_overdue", counts.overdue, "overdue", true)]
    {
        if count > 0 {
            lines.push(TodoLine {
                label: t.t(&format!("voice_todo.{key}")).to_string(),
                count: count as usize,
                url: urls.inbox(&format!("?view={view}")),
                urgent,
            });
        }
    }
    tools.push((urls.inbox(""), t.t("inbox.title").to_string(), t.t("voice_todo.tool_complaints").to_string()));
    Ok(())
}
