//! Message catalogues: Korean and English hold the same keys, and every key that a
//! template or handler uses — directly, or built from a role, kind, status or error
//! code — exists. So no page can show a raw key to a citizen.

use sotong_core::org::OrgKind;
use sotong_core::role::Role;
use std::collections::BTreeSet;
use std::path::Path;

fn sources(dir: &Path, extensions: &[&str], out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, extensions, out);
        } else if extensions.iter().any(|e| path.extension().is_some_and(|x| x == *e)) {
            // Comments may quote example keys; only code counts.
            let text = std::fs::read_to_string(&path).unwrap();
            out.push(text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n"));
        }
    }
}

/// String literals that directly follow one of `calls` (e.g. `t("`).
fn literal_args(text: &str, calls: &[&str]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for call in calls {
        for piece in text.split(call).skip(1) {
            if let Some(end) = piece.find('"') {
                found.insert(piece[..end].to_string());
            }
        }
    }
    found
}

#[test]
fn korean_and_english_have_the_same_keys() {
    let (ko, en) = sotong_web::i18n::catalog_keys();
    let ko: BTreeSet<_> = ko.into_iter().collect();
    let en: BTreeSet<_> = en.into_iter().collect();
    assert!(ko.len() > 100, "catalogue loaded: {} keys", ko.len());
    assert_eq!(ko.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "in ko.toml only");
    assert_eq!(en.difference(&ko).collect::<Vec<_>>(), Vec::<&String>::new(), "in en.toml only");
}

#[test]
fn every_key_in_use_exists() {
    let (keys, _) = sotong_web::i18n::catalog_keys();
    let keys: BTreeSet<String> = keys.into_iter().collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    sources(&root.join("templates"), &["html"], &mut texts);
    sources(&root.join("src"), &["rs"], &mut texts);
    let mut core = Vec::new();
    sources(&root.join("../core/src"), &["rs"], &mut core);
    let mut store = Vec::new();
    sources(&root.join("../store/src"), &["rs"], &mut store);

    let mut used = BTreeSet::new();
    for text in &texts {
        used.extend(literal_args(
            text,
            &[".t(\"", ".f(\"", ".f1(\"", ".f2(\"", "Shell::new(&ctx, \"", "Shell::new(ctx, \""],
        ));
        used.extend(literal_args(text, &["Some(\"account."]).into_iter().map(|k| format!("account.{k}")));
        used.extend(literal_args(text, &[".label(\""]).into_iter().map(|f| format!("field.{f}")));
        for key in literal_args(text, &["(\"page.", "message_key: \""]) {
            match key.as_str() {
                "" => {}
                full if full.contains('.') => {
                    used.insert(full.to_string());
                }
                short => {
                    used.insert(format!("page.{short}"));
                }
            }
        }
    }
    // Keys built at run time from domain values.
    for kind in OrgKind::ALL {
        used.insert(format!("org_kind.{}", kind.key()));
    }
    for role in Role::ALL {
        used.insert(format!("role.{}", role.key()));
    }
    {
        use sotong_core::budgeting::{ballot::Channel, score::Normalisation, Feasibility, OutcomeRule, Phase, ProjectState};
        used.extend(Phase::ALL.iter().map(|p| format!("budget_phase.{}", p.as_str())));
        used.extend(ProjectState::ALL.iter().map(|p| format!("budget_project_state.{}", p.as_str())));
        used.extend(Feasibility::ALL.iter().map(|f| format!("feasibility.{}", f.as_str())));
        used.extend(OutcomeRule::ALL.iter().map(|r| format!("outcome_rule.{}", r.as_str())));
        used.extend(Normalisation::ALL.iter().map(|n| format!("normalisation.{}", n.as_str())));
        used.extend(Channel::ALL.iter().map(|c| format!("ballot_channel.{}", c.as_str())));
        used.extend(sotong_core::verification::Method::ALL.iter().map(|m| format!("verification_method.{}", m.as_str())));
        for code in ["empty", "unknown_pot", "unknown_project", "too_many_picks", "too_few_picks", "quota_exceeded", "over_budget", "not_a_pick", "bad_points", "too_many_points_on_project", "too_many_points"] {
            used.insert(format!("ballot_violation.{code}"));
            used.insert(format!("error.{code}"));
        }
        used.extend(sotong_core::verification::Basis::ALL.iter().map(|b| format!("basis.{}", b.as_str())));
        used.extend(sotong_core::budgeting::ballot::BallotKind::ALL.iter().map(|k| format!("ballot_kind.{}", k.as_str())));
        // `?done=` notices, each page's list of what it accepts.
        for done in ["created", "pot", "category", "note", "member", "member_removed", "station"] {
            used.insert(format!("budget_staff.done_{done}"));
        }
        for done in ["review", "selected", "left_off"] {
            used.insert(format!("budget_review.done_{done}"));
        }
        for done in ["checked_in", "waiting", "reconciled", "mismatch"] {
            used.insert(format!("station.done_{done}"));
        }
        for key in ["error.not_whole_number", "error.needs_verification", "ballot.title", "receipt.title", "receipt.cast_title", "result_why.bought", "budget_staff.done_phase", "budget_staff.done_published"] {
            used.insert(key.to_string());
        }
    }
    // Every field error the code can raise: `FieldError::new("field", "code")`.
    for text in texts.iter().chain(&core).chain(&store) {
        let calls = text.split("FieldError::new(").skip(1).chain(text.split(" invalid(").skip(1));
        for piece in calls {
            let args: Vec<&str> = piece.split('"').collect();
            if piece.starts_with('"') && args.len() > 3 && args[2].trim() == "," {
                used.insert(format!("field.{}", args[1]));
                used.insert(format!("error.{}", args[3]));
            }
        }
    }
    // Every import problem the exchange crate, the store or the upload page can report.
    let mut exchange = Vec::new();
    sources(&root.join("../exchange/src"), &["rs"], &mut exchange);
    for text in exchange.iter().chain(&store).chain(&texts) {
        for piece in text.split("ImportError::new(").skip(1) {
            // ImportError::new(line, "column" or column, "code", value)
            if let Some(code) =
                piece.split(',').nth(2).and_then(|arg| arg.trim().strip_prefix('"')).and_then(|a| a.split('"').next())
            {
                used.insert(format!("import.{code}"));
            }
        }
    }
    for status in [400, 401, 403, 404, 405, 413, 415, 422, 429, 500] {
        used.insert(format!("page.title_{status}"));
    }
    used.retain(|k| !k.is_empty() && !k.contains('{'));
    let missing: Vec<_> = used.iter().filter(|k| !keys.contains(*k)).collect();
    assert!(used.len() > 100, "the scan found the keys in use: {}", used.len());
    assert!(missing.is_empty(), "keys used but missing from the catalogues: {missing:?}");
}
