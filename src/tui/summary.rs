//! Plain-data summaries built in the background from store and switch results: one
//! [`AccountRow`] per account (computed once per listing, never per frame), and the
//! [`SwitchPreview`] of the confirm popup. Pure, so the wording is tested without files.

use crate::codex::agent_identity::AgentIdentity;
use crate::codex::credential::{Analysis, AuthMode};
use crate::secret::mask_api_key;
use crate::store::{AccountView, CodexProcess, FieldChange, SwitchPlan};
use crate::tui::msg::{AccountRow, DiffLine, SwitchPreview};

/// Who a credential is, for a one-line list: email, else agent runtime id, else masked key.
pub fn who(a: &Analysis) -> Option<String> {
    let m = &a.material;
    let agent = m.agent_ok().and_then(AgentIdentity::facts);
    let email = match a.mode {
        AuthMode::AgentIdentity => agent.and_then(|f| f.email.clone()),
        _ => m.chatgpt_ok().and_then(|c| c.claims.email.clone()),
    };
    email
        .or_else(|| m.chatgpt_ok().and_then(|c| c.claims.email.clone()))
        .or_else(|| agent.map(|f| f.runtime_id.clone()))
        .or_else(|| m.api_key.as_ref().map(|k| mask_api_key(k.expose())))
}

fn plan(a: &Analysis) -> Option<String> {
    let m = &a.material;
    let agent_plan = m
        .agent_ok()
        .and_then(AgentIdentity::facts)
        .and_then(|f| f.plan.as_ref());
    let chatgpt_plan = m.chatgpt_ok().and_then(|c| c.claims.plan.as_ref());
    let p = if a.mode == AuthMode::AgentIdentity {
        agent_plan.or(chatgpt_plan)
    } else {
        chatgpt_plan.or(agent_plan)
    };
    p.map(|p| p.display().to_string())
}

/// The row for one surveyed account.
pub fn row_of(view: &AccountView<'_>) -> AccountRow {
    let entry = view.entry;
    let (mode, who, plan, problem) = match (&view.analysis, &entry.doc) {
        (Some(a), _) => (
            Some(a.mode.as_str().to_string()),
            who(a),
            plan(a),
            a.problem.clone(),
        ),
        (None, Err(e)) => (None, None, None, Some(e.clone())),
        (None, Ok(_)) => (None, None, None, Some("cannot be analysed".to_string())),
    };
    AccountRow {
        name: entry.name.clone(),
        mode,
        who,
        plan,
        active: view.active,
        stale: view.stale,
        problem,
        haystack: String::new(),
    }
    .indexed()
}

fn diff_line(c: &FieldChange) -> DiffLine {
    DiffLine {
        key: c.key.clone(),
        before: c.before.clone().unwrap_or_else(|| "(absent)".to_string()),
        after: c.after.clone().unwrap_or_else(|| "(removed)".to_string()),
    }
}

/// The confirm popup's content for a switch plan.
pub fn preview_of(plan: &SwitchPlan, processes: &[CodexProcess]) -> SwitchPreview {
    let mut notes = Vec::new();
    if plan.sync_back
        && let Some(from) = &plan.from
    {
        notes.push(format!(
            "the live file holds newer tokens of {from}: they are saved back into {from} first"
        ));
    }
    if let Some(p) = &plan.current_problem {
        notes.push(format!(
            "the live auth.json cannot be read ({p}); it is backed up first"
        ));
    } else if plan.current.is_some() && plan.from.is_none() {
        notes.push("the live auth.json is not a saved account; it is backed up first".to_string());
    }
    if plan.already_active {
        notes.push(
            "auth.json already holds exactly this account; nothing will be written".to_string(),
        );
    }
    notes.extend(plan.warnings.iter().cloned());
    SwitchPreview {
        name: plan.to.clone(),
        changes: plan.changes.iter().map(diff_line).collect(),
        processes: processes
            .iter()
            .map(|p| format!("pid {} {}", p.pid, p.command))
            .collect(),
        notes,
        blocked: None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::codex::fixtures::{self, ChatgptSpec};
    use crate::store::Entry;

    fn entry(name: &str, doc: Result<crate::codex::auth_file::AuthDoc, String>) -> Entry {
        Entry {
            name: name.into(),
            path: PathBuf::from(format!("/s/{name}.json")),
            modified: None,
            doc,
        }
    }

    #[test]
    fn rows_summarise_without_secrets() {
        let api = entry(
            "key",
            Ok(fixtures::api_key_doc("sk-test-FAKEFAKEFAKE12345")),
        );
        let view = AccountView {
            entry: &api,
            analysis: api.doc.as_ref().ok().map(Analysis::of_doc),
            active: true,
            stale: false,
        };
        let row = row_of(&view);
        assert_eq!(row.mode.as_deref(), Some("apikey"));
        assert_eq!(row.who.as_deref(), Some("sk-test-***12345"));
        assert!(row.active);
        assert!(row.haystack.contains("key") && row.haystack.contains("apikey"));
        let chat = entry("work", Ok(fixtures::chatgpt_doc(&ChatgptSpec::default())));
        let view = AccountView {
            entry: &chat,
            analysis: chat.doc.as_ref().ok().map(Analysis::of_doc),
            active: false,
            stale: true,
        };
        let row = row_of(&view);
        assert_eq!(row.who.as_deref(), Some("user@example.com"));
        assert_eq!(row.plan.as_deref(), Some("Pro"));
        assert!(row.stale);
        let broken = entry("broken", Err("not JSON".into()));
        let view = AccountView {
            entry: &broken,
            analysis: None,
            active: false,
            stale: false,
        };
        assert_eq!(row_of(&view).problem.as_deref(), Some("not JSON"));
    }
}
