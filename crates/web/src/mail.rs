//! E-mail delivery of notifications through the institution's SMTP relay.
//!
//! A background task claims undelivered notifications in small batches and sends one
//! message per notification; a failed send is released and retried on the next round.
//! Plain SMTP to a relay inside the institution's network (the usual set-up on
//! government networks); a relay that demands TLS needs a local relay in front. The
//! demo without a relay writes the messages into a folder instead (`Mailer::to_folder`).

use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sotong_store::Store;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// The sender, e.g. `소통 <no-reply@hanbit.go.kr>`.
    pub from: String,
    /// The public address of the site, for links in messages.
    pub site_url: String,
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    site_url: String,
}

/// Where messages go: the SMTP relay, or (`sotong demo` without a relay) a folder of
/// `.eml` files one can open in any mail program, so that the demo's e-mails can be read.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

impl Mailer {
    pub fn new(config: &SmtpConfig) -> Result<Mailer, String> {
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(config.host.as_str()).port(config.port).build();
        Mailer::with(Transport::Smtp(transport), &config.from, &config.site_url)
    }

    /// Writes each message as `<notification id>.eml` into `dir` instead of sending it.
    pub fn to_folder(dir: &Path, from: &str, site_url: &str) -> Result<Mailer, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Mailer::with(Transport::Folder(dir.to_path_buf()), from, site_url)
    }

    fn with(transport: Transport, from: &str, site_url: &str) -> Result<Mailer, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("smtp_from: {e}"))?;
        Ok(Mailer { transport, from, site_url: site_url.trim_end_matches('/').to_string() })
    }

    async fn send(&self, notification_id: i64, message: Message) -> bool {
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.is_ok(),
            Transport::Folder(dir) => {
                // Written whole, then renamed: a mail program never sees half a message.
                let part = dir.join(format!("{notification_id}.eml.part"));
                let done = dir.join(format!("{notification_id}.eml"));
                tokio::fs::write(&part, message.formatted()).await.is_ok()
                    && tokio::fs::rename(&part, &done).await.is_ok()
            }
        }
    }

    /// Sends what is pending now; returns how many messages went out.
    pub async fn deliver_pending(&self, store: &Store) -> Result<usize, sotong_store::StoreError> {
        let mut sent = 0;
        for pending in store.claim_emails(50).await? {
            let link = format!("{}{}", self.site_url, pending.link);
            let to = match format!("{} <{}>", pending.display_name, pending.email).parse::<Mailbox>() {
                Ok(to) => to,
                Err(_) => continue, // an address we stored but cannot write to; not retried
            };
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject_of(&pending))
                .header(ContentType::TEXT_PLAIN)
                .body(body_of(&pending, &link));
            let delivered = match message {
                Ok(message) => self.send(pending.id, message).await,
                Err(_) => false,
            };
            if delivered {
                sent += 1;
            } else {
                store.release_email(pending.id).await?;
            }
        }
        Ok(sent)
    }
}

/// The e-mail's subject: what happened, then what it is about.
fn subject_of(pending: &sotong_store::notifications::PendingEmail) -> String {
    match pending.kind.as_str() {
        "proposal_assigned" => format!("[소통] 정책제안 담당 부서 배정: {}", pending.title),
        "proposal_answered" => format!("[소통] 정책제안 답변: {}", pending.title),
        "proposal_threshold" => format!("[소통] 정책제안 답변 대상: {}", pending.title),
        "proposal_withdrawn" => format!("[소통] 정책제안 철회: {}", pending.title),
        "proposal_hidden" | "comment_hidden" => format!("[소통] 숨김 처리 안내: {}", pending.title),
        _ => format!("[소통] {}", pending.title),
    }
}

/// The e-mail's text for a notification of its kind.
fn body_of(pending: &sotong_store::notifications::PendingEmail, link: &str) -> String {
    match pending.kind.as_str() {
        "invitation" => format!(
            "{}님, {}\n\n아래 주소에서 비밀번호를 정하면 업무 공간을 쓸 수 있습니다. 주소는 {}일 동안 한 번만 쓸 수 있습니다.\n{}\n",
            pending.display_name,
            pending.title,
            sotong_store::invitations::INVITATION_DAYS,
            link
        ),
        "proposal_assigned" => format!(
            "{}님, 제안하시거나 공감하신 정책제안을 담당 부서가 맡았습니다.\n\n{}\n{}\n\n부서가 답변하면 다시 알려 드립니다.\n",
            pending.display_name, pending.title, link
        ),
        "proposal_answered" => format!(
            "{}님, 제안하시거나 공감하신 정책제안에 담당 부서가 답변했습니다.\n\n{}\n{}\n\n답변 내용과 담당자 연락처는 위 주소에서 볼 수 있습니다.\n",
            pending.display_name, pending.title, link
        ),
        "proposal_threshold" => format!(
            "{}님, 제안하시거나 공감하신 정책제안이 공감 기준을 넘어 답변 대상이 되었습니다.\n\n{}\n{}\n\n담당 부서가 기한 안에 답변하면 다시 알려 드립니다.\n",
            pending.display_name, pending.title, link
        ),
        "proposal_withdrawn" => format!(
            "{}님, 공감하신 정책제안을 제안자가 철회했습니다. 이 제안에는 답변하지 않습니다.\n\n{}\n{}\n",
            pending.display_name, pending.title, link
        ),
        "proposal_hidden" | "comment_hidden" => format!(
            "{}님, 남기신 {}이 운영 원칙에 따라 숨김 처리되었습니다.\n\n{}\n{}\n\n숨긴 이유는 위 주소에서 볼 수 있습니다. 이의가 있으면 기관에 문의해 주세요.\n",
            pending.display_name,
            if pending.kind == "proposal_hidden" { "정책제안" } else { "댓글" },
            pending.title,
            link
        ),
        _ => format!(
            "{}님, 팔로우하신 소식이 공개되었습니다.\n\n{}\n{}\n\n알림은 사이트의 '알림'에서도 볼 수 있습니다.\n",
            pending.display_name, pending.title, link
        ),
    }
}

/// Delivers notifications every `every` for as long as the server runs.
pub fn spawn_delivery(store: Store, mailer: Mailer, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match mailer.deliver_pending(&store).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "notification e-mails sent"),
                Err(error) => tracing::warn!(%error, "notification e-mail delivery failed"),
            }
        }
    })
}
