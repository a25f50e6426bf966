//! Which saved account is live, and which snapshots are stale.
//!
//! "Active" is about *who*, not bytes: Codex refreshes tokens in auth.json, so the live file
//! drifts from the snapshot it came from while still being the same account. The match uses
//! [`Analysis::same_account`] (API key, ChatGPT workspace + user, or agent runtime id). When
//! several snapshots match, a byte-equal one wins, then the freshest, then the first by name.
//!
//! A snapshot is *stale* when it is the same account as the live file and the live file is
//! fresher (`last_refresh`, then access-token expiry): restoring it would bring back a refresh
//! token Codex already used, which makes the server revoke the whole token family. Switching
//! away syncs the live file back into it first (see `switch`).

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;

use super::accounts::Entry;

/// Whether `snapshot` is an older generation of the live credential.
pub fn is_stale(live: &Analysis, snapshot: &Analysis) -> bool {
    live.same_account(snapshot) && live.freshness() > snapshot.freshness()
}

/// The account whose document is the live one (by identity, see the module docs).
pub fn active_account<'a>(live: &AuthDoc, entries: &'a [Entry]) -> Option<&'a str> {
    let live_a = Analysis::of_doc(live);
    let mut best: Option<(&Entry, Analysis, bool)> = None;
    for e in entries {
        let Ok(doc) = &e.doc else { continue };
        let a = Analysis::of_doc(doc);
        if !live_a.same_account(&a) {
            continue;
        }
        let equal = doc.as_bytes() == live.as_bytes();
        let better = match &best {
            None => true,
            Some((_, best_a, best_equal)) => {
                (equal && !best_equal)
                    || (equal == *best_equal && a.freshness() > best_a.freshness())
            }
        };
        if better {
            best = Some((e, a, equal));
        }
    }
    best.map(|(e, _, _)| e.name.as_str())
}

/// One account with what the live file says about it.
#[derive(Debug, Clone)]
pub struct AccountView<'a> {
    pub entry: &'a Entry,
    /// `None` when the file cannot be read (`entry.doc` holds why).
    pub analysis: Option<Analysis>,
    pub active: bool,
    pub stale: bool,
}

/// Annotates every entry with active/stale against the live document (if any).
pub fn survey<'a>(live: Option<&AuthDoc>, entries: &'a [Entry]) -> Vec<AccountView<'a>> {
    let active = live.and_then(|l| active_account(l, entries));
    let live_a = live.map(Analysis::of_doc);
    entries
        .iter()
        .map(|entry| {
            let analysis = entry.doc.as_ref().ok().map(Analysis::of_doc);
            let stale = match (&live_a, &analysis) {
                (Some(l), Some(s)) => is_stale(l, s),
                _ => false,
            };
            AccountView {
                entry,
                analysis,
                active: active == Some(entry.name.as_str()),
                stale,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::codex::fixtures::{self, ChatgptSpec};

    fn entry(name: &str, doc: &AuthDoc) -> Entry {
        Entry {
            name: name.into(),
            path: PathBuf::from(format!("/s/{name}.json")),
            modified: None,
            doc: Ok(doc.clone()),
        }
    }

    fn generation_doc(generation: u32, last_refresh: &str) -> AuthDoc {
        fixtures::chatgpt_doc(&ChatgptSpec {
            last_refresh,
            generation,
            ..ChatgptSpec::default()
        })
    }

    #[test]
    fn identity_not_bytes_decides_active() {
        let old = generation_doc(1, "2026-01-01T00:00:00Z");
        let new = generation_doc(2, "2026-02-01T00:00:00Z");
        let other = fixtures::api_key_doc("sk-test-1234567890abcdef");
        let entries = vec![entry("key", &other), entry("work", &old)];
        assert_eq!(active_account(&new, &entries), Some("work"));
        assert_eq!(active_account(&other, &entries), Some("key"));
        let stranger = fixtures::api_key_doc("sk-test-0000000000000000");
        assert_eq!(active_account(&stranger, &entries), None);
    }

    #[test]
    fn byte_equal_then_freshest_wins() {
        let old = generation_doc(1, "2026-01-01T00:00:00Z");
        let new = generation_doc(2, "2026-02-01T00:00:00Z");
        let entries = vec![entry("a-old", &old), entry("b-new", &new)];
        assert_eq!(active_account(&old, &entries), Some("a-old"));
        let newest = generation_doc(3, "2026-03-01T00:00:00Z");
        assert_eq!(active_account(&newest, &entries), Some("b-new"));
    }

    #[test]
    fn stale_means_same_account_with_newer_live() {
        let old = Analysis::of_doc(&generation_doc(1, "2026-01-01T00:00:00Z"));
        let new = Analysis::of_doc(&generation_doc(2, "2026-02-01T00:00:00Z"));
        assert!(is_stale(&new, &old));
        assert!(!is_stale(&old, &new));
        assert!(!is_stale(&new, &new));
        let other = Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec {
            user_id: "someone-else",
            last_refresh: "2025-01-01T00:00:00Z",
            ..ChatgptSpec::default()
        }));
        assert!(!is_stale(&new, &other));
    }

    #[test]
    fn survey_marks_active_and_stale() {
        let old = generation_doc(1, "2026-01-01T00:00:00Z");
        let new = generation_doc(2, "2026-02-01T00:00:00Z");
        let mut broken = entry("broken", &old);
        broken.doc = Err("not JSON".into());
        let entries = vec![broken, entry("work", &old)];
        let views = survey(Some(&new), &entries);
        assert!(!views[0].active && !views[0].stale && views[0].analysis.is_none());
        assert!(views[1].active && views[1].stale);
        let views = survey(None, &entries);
        assert!(views.iter().all(|v| !v.active && !v.stale));
    }
}
