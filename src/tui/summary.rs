//! Plain-data summaries built in the background from store and switch results: one
//! [`AccountRow`] per account (computed once per listing, never per frame), and the
//! [`SwitchPreview`] of the confirm popup. Pure, so the wording is tested without files.

use crate::store::{AccountSummary, CodexProcess, FieldChange, SwitchPlan};
use crate::tui::msg::{AccountRow, DiffLine, SwitchPreview};

/// The row for one summarised account (see [`crate::store::summaries`]: the store reads one
/// file at a time and keeps only these facts, so 10,000 accounts stay small).
pub fn row_of(summary: &AccountSummary) -> AccountRow {
    AccountRow {
        name: summary.name.clone(),
        mode: summary.mode.as_ref().map(|m| m.as_str().to_string()),
        who: summary.who.clone(),
        plan: summary.plan.clone(),
        active: summary.active,
        stale: summary.stale,
        problem: summary.problem.clone(),
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
    use super::*;
    use crate::codex::fixtures::{self, ChatgptSpec};
    use crate::store::{Paths, Store, summaries};

    #[test]
    fn rows_summarise_without_secrets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        std::fs::create_dir_all(&paths.store).expect("store");
        let api = fixtures::api_key_doc("sk-test-FAKEFAKEFAKE12345");
        let chat = fixtures::chatgpt_doc(&ChatgptSpec::default());
        let newer = fixtures::chatgpt_doc(&ChatgptSpec {
            generation: 2,
            last_refresh: "2026-11-20T00:00:00Z",
            ..ChatgptSpec::default()
        });
        std::fs::write(paths.store.join("key.json"), api.as_bytes()).expect("write");
        std::fs::write(paths.store.join("work.json"), chat.as_bytes()).expect("write");
        std::fs::write(paths.store.join("broken.json"), b"{").expect("write");
        let rows: Vec<AccountRow> = summaries(&Store::new(&paths), Some(&newer))
            .expect("summaries")
            .iter()
            .map(row_of)
            .collect();
        let [broken, key, work] = rows.as_slice() else {
            panic!("three rows: {rows:?}");
        };
        assert_eq!(key.mode.as_deref(), Some("apikey"));
        assert_eq!(key.who.as_deref(), Some("sk-test-***12345"));
        assert!(key.haystack.contains("key") && key.haystack.contains("apikey"));
        assert_eq!(work.who.as_deref(), Some("user@example.com"));
        assert_eq!(work.plan.as_deref(), Some("Pro"));
        assert!(work.active && work.stale);
        assert!(
            broken
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("JSON"))
        );
        assert!(!format!("{rows:?}").contains("FAKEFAKE"));
    }
}
