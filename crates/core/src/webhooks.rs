//! Webhooks: a public body's other systems told of what it published, as signed JSON.
//! The events, a webhook as an administrator typed it, and the retry schedule. The
//! signature and the delivery are the web layer's (`web/src/webhooks.rs`); the queue
//! the store's (`store::jobs`).

use crate::FieldError;

text_enum! {
    /// What a webhook can be told of (`ping`: only the "test delivery" button sends it).
    WebhookEvent {
        ProposalAnswered => "proposal.answered",
        NoticePublished => "notice.published",
        PeriodPublished => "period.published",
        Ping => "ping",
    }
}

impl WebhookEvent {
    /// The events an administrator can subscribe to (ping is sent on request).
    pub const SUBSCRIBABLE: &'static [WebhookEvent] =
        &[WebhookEvent::ProposalAnswered, WebhookEvent::NoticePublished, WebhookEvent::PeriodPublished];

    /// Catalogue key of the event's name.
    pub fn label_key(self) -> String {
        format!("webhook.event.{}", self.as_str().replace('.', "_"))
    }
}

/// Attempts a delivery gets before it is given up: the first and five retries.
pub const MAX_ATTEMPTS: i64 = 6;

/// Seconds to wait after the `attempt`th failed attempt (1-based): `base` × 5^(n−1),
/// so with a base of a minute 1 min, 5 min, 25 min, about 2 h, about 10 h (GitHub and
/// Stripe retry on a similar widening schedule over about a day).
pub fn retry_delay(base_seconds: i64, attempt: i64) -> i64 {
    let exponent = u32::try_from(attempt.clamp(1, 10) - 1).unwrap_or(0);
    base_seconds.max(1).saturating_mul(5_i64.saturating_pow(exponent))
}

/// A webhook as an administrator typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    /// Where the JSON goes: an `http://` address (see `parse_target`).
    pub url: String,
    pub events: Vec<WebhookEvent>,
    /// What the administrator calls it (`민원 시스템 연계`).
    pub description: String,
}

impl NewWebhook {
    pub fn parse(url: &str, events: &[String], description: &str) -> Result<NewWebhook, Vec<FieldError>> {
        let url = parse_target(url);
        let mut chosen: Vec<WebhookEvent> = Vec::new();
        let mut events_error = None;
        for raw in events {
            match WebhookEvent::try_from(raw.trim().to_string()) {
                Ok(event) if WebhookEvent::SUBSCRIBABLE.contains(&event) => {
                    if !chosen.contains(&event) {
                        chosen.push(event);
                    }
                }
                _ => events_error = Some(FieldError::new("events", "invalid_choice")),
            }
        }
        if chosen.is_empty() && events_error.is_none() {
            events_error = Some(FieldError::new("events", "required"));
        }
        let description = description.trim();
        let description_error = (description.chars().count() > 100).then(|| FieldError::new("description", "too_long"));
        let errors: Vec<FieldError> =
            [url.as_ref().err().cloned(), events_error, description_error].into_iter().flatten().collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        chosen.sort_by_key(|event| WebhookEvent::ALL.iter().position(|e| e == event));
        Ok(NewWebhook { url: url.unwrap_or_default(), events: chosen, description: description.to_string() })
    }

    /// The events as stored: names separated by commas.
    pub fn events_text(&self) -> String {
        events_text(&self.events)
    }
}

pub fn events_text(events: &[WebhookEvent]) -> String {
    events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(",")
}

/// The stored list back; names no longer known are dropped.
pub fn parse_events_text(text: &str) -> Vec<WebhookEvent> {
    text.split(',').filter_map(|name| WebhookEvent::try_from(name.trim().to_string()).ok()).collect()
}

/// A delivery address: `http://host[:port]/path`, at most 500 characters, no user
/// name or password in it (the signature authenticates, not the address). HTTPS is
/// not spoken by the server itself: a receiver outside the institution is reached
/// through its outbound relay, as e-mail is (docs/WEBHOOKS.md).
pub fn parse_target(raw: &str) -> Result<String, FieldError> {
    let url = raw.trim();
    if url.is_empty() {
        return Err(FieldError::new("url", "required"));
    }
    if url.chars().count() > 500 {
        return Err(FieldError::new("url", "too_long"));
    }
    if url.starts_with("https://") {
        return Err(FieldError::new("url", "https_unsupported"));
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(FieldError::new("url", "invalid_url"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(host, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() {
            host
        } else {
            ""
        }
    });
    let host_ok = !host.is_empty()
        && !authority.contains('@')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    if !host_ok || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new("url", "invalid_url"));
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_webhook_needs_an_http_address_and_an_event() {
        let hook =
            NewWebhook::parse(" http://10.0.0.5:8080/hooks ", &events(&["notice.published", "proposal.answered"]), "")
                .unwrap();
        assert_eq!(hook.url, "http://10.0.0.5:8080/hooks");
        assert_eq!(hook.events_text(), "proposal.answered,notice.published", "kept in one order");
        let errors = NewWebhook::parse("ftp://x", &[], "").unwrap_err();
        assert_eq!(errors, vec![FieldError::new("url", "invalid_url"), FieldError::new("events", "required")]);
        assert_eq!(
            NewWebhook::parse("https://a.example/h", &events(&["ping"]), "").unwrap_err(),
            vec![FieldError::new("url", "https_unsupported"), FieldError::new("events", "invalid_choice")]
        );
        for bad in ["http://", "http://user:pw@host/", "http://host:port/", "http://a b/"] {
            assert_eq!(parse_target(bad), Err(FieldError::new("url", "invalid_url")), "{bad}");
        }
        assert!(parse_target("http://[::1]:9000/x").is_ok());
    }

    #[test]
    fn retries_widen_and_stay_bounded() {
        let delays: Vec<i64> = (1..MAX_ATTEMPTS).map(|n| retry_delay(60, n)).collect();
        assert_eq!(delays, vec![60, 300, 1500, 7500, 37_500]);
        assert_eq!(retry_delay(0, 1), 1, "never a zero wait");
        assert!(retry_delay(i64::MAX, 9) > 0, "saturates, does not overflow");
    }

    #[test]
    fn stored_events_round_trip() {
        let stored = events_text(WebhookEvent::SUBSCRIBABLE);
        assert_eq!(parse_events_text(&stored), WebhookEvent::SUBSCRIBABLE.to_vec());
        assert_eq!(parse_events_text("proposal.answered,gone.away"), vec![WebhookEvent::ProposalAnswered]);
    }
}
