//! The audit log in words: who did what to which object, and field by field what
//! changed (the stored before/after rows compared), for the administrators' page.

use crate::i18n::Tr;
use serde_json::Value;
use sotong_store::audit::AuditEntry;

/// Fields never shown (machine bookkeeping, or secrets that are not stored anyway).
const HIDDEN: [&str; 3] = ["updated_at", "password_hash", "csrf_token"];
const MAX_VALUE_CHARS: usize = 160;

pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// The action in words (`보고서 제출`), with its code for the filter.
    pub action: String,
    pub action_code: String,
    /// The object in words (`진척 보고 #41`), and where it is, when that is known.
    pub entity: String,
    pub link: Option<String>,
    /// (field, before, after) of every field that changed.
    pub changes: Vec<(String, String, String)>,
    pub ip: String,
    pub request_id: String,
}

/// The words for an action code (`report.submit` → `보고서 제출`), or the code itself
/// for an action the catalogue does not name yet.
pub fn action_label(t: &Tr, action: &str) -> String {
    let key = format!("audit_action.{}", action.replace('.', "_"));
    let label = t.t(&key);
    if label == key {
        action.to_string()
    } else {
        label.to_string()
    }
}

pub fn describe(t: &Tr, entry: AuditEntry, link: Option<String>) -> AuditRow {
    let parse = |json: &Option<String>| json.as_deref().and_then(|j| serde_json::from_str::<Value>(j).ok());
    let (before, after) = (parse(&entry.before_json), parse(&entry.after_json));
    let entity_key = format!("audit_entity.{}", entry.entity);
    let entity_label = t.t(&entity_key);
    let entity = if entity_label == entity_key { entry.entity.clone() } else { entity_label.to_string() };
    AuditRow {
        id: entry.id,
        at: t.date_time(entry.at),
        actor: entry.actor_label,
        action: action_label(t, &entry.action),
        action_code: entry.action,
        entity: format!("{entity} #{}", entry.entity_id),
        link,
        changes: changes(t, before.as_ref(), after.as_ref()),
        ip: entry.ip,
        request_id: entry.request_id,
    }
}

/// Links to the objects of `entries` that have a page: a commitment's public page (for
/// it and its reports, indicators, files…), a plan's dashboard, the chart for units.
pub async fn links(
    store: &sotong_store::Store,
    body: &sotong_store::orgs::Org,
    entries: &[AuditEntry],
) -> Result<std::collections::HashMap<(String, String), String>, sotong_store::StoreError> {
    let mut ids: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
    for entry in entries {
        if let Ok(id) = entry.entity_id.parse::<i64>() {
            ids.entry(entry.entity.as_str()).or_default().push(id);
        }
    }
    let mut links = std::collections::HashMap::new();
    for (entity, ids) in ids {
        if entity == "organisation" {
            for id in ids {
                links.insert((entity.to_string(), id.to_string()), crate::urls::body(body, "/departments"));
            }
            continue;
        }
        for (id, plan, code) in store.audit_subjects(entity, &ids).await? {
            let urls = super::commitments::urls::PlanUrls::from_slugs(&body.slug, &plan);
            // The public pages: every reader of the log may open them.
            let link = match code {
                Some(code) => urls.commitment(&code),
                None => urls.dashboard(),
            };
            links.insert((entity.to_string(), id.to_string()), link);
        }
    }
    Ok(links)
}

/// The fields whose values differ between the two rows (a created row: all its
/// non-empty fields; a removed one: all it had).
fn changes(t: &Tr, before: Option<&Value>, after: Option<&Value>) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    let object = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_else(|| empty.clone());
    let (b, a) = (object(before), object(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !HIDDEN.contains(&k.as_str()))
        .filter_map(|k| {
            let (old, new) = (b.get(k.as_str()), a.get(k.as_str()));
            if old == new || (old.is_none() && new.is_some_and(is_blank)) {
                return None;
            }
            let label_key = format!("field.{k}");
            let label = t.t(&label_key);
            let label = if label == label_key { k.clone() } else { label.to_string() };
            Some((label, old.map(show).unwrap_or_default(), new.map(show).unwrap_or_default()))
        })
        .collect()
}

fn is_blank(value: &Value) -> bool {
    matches!(value, Value::Null)
        || value.as_str().is_some_and(str::is_empty)
        || value.as_array().is_some_and(Vec::is_empty)
}

fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    if text.chars().count() > MAX_VALUE_CHARS {
        format!("{}…", text.chars().take(MAX_VALUE_CHARS).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sotong_core::format::Lang;

    #[test]
    fn only_changed_fields_are_listed_with_their_labels() {
        let t = Tr::new(Lang::Ko);
        let before = serde_json::json!({"status": "on_track", "progress": 40, "updated_at": 1, "achievements": "착수"});
        let after =
            serde_json::json!({"status": "completed", "progress": 100, "updated_at": 2, "achievements": "착수"});
        let rows = changes(&t, Some(&before), Some(&after));
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows.iter().any(|(f, b, a)| f == "추진 상태" && b == "on_track" && a == "completed"), "{rows:?}");
        let created = changes(&t, None, Some(&serde_json::json!({"title": "새 과제", "summary": ""})));
        assert_eq!(created.len(), 1, "blank fields of a new row are left out");
        assert_eq!(action_label(&t, "report.submit"), "보고서 제출");
        assert_eq!(action_label(&t, "something.new"), "something.new");
    }
}
