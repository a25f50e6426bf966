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

use std::path::PathBuf;
use std::time::SystemTime;

use chrono::{DateTime, Utc};

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::{Analysis, AuthMode, Identity, shares_identity};

use super::accounts::{Entry, Store};
use super::error::StoreError;

/// One account, summarised for a list: what it shows, plus the little needed to tell whether it
/// is active or stale. Its document is dropped as soon as it is summarised, so listing 10,000
/// accounts holds 10,000 small rows, not 10,000 documents.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSummary {
    pub name: String,
    pub path: PathBuf,
    pub modified: Option<SystemTime>,
    /// `None` when the file cannot be read or parsed.
    pub mode: Option<AuthMode>,
    pub email: Option<String>,
    /// Email, else agent runtime id, else masked API key.
    pub who: Option<String>,
    /// Plan display name.
    pub plan: Option<String>,
    /// Why the account cannot be used, if it cannot.
    pub problem: Option<String>,
    pub active: bool,
    pub stale: bool,
    identities: Vec<Identity>,
    freshness: (Option<DateTime<Utc>>, Option<i64>),
    equals_live: bool,
}

fn summarize(entry: Entry, live: Option<&AuthDoc>) -> AccountSummary {
    let mut row = AccountSummary {
        name: entry.name,
        path: entry.path,
        modified: entry.modified,
        mode: None,
        email: None,
        who: None,
        plan: None,
        problem: None,
        active: false,
        stale: false,
        identities: Vec::new(),
        freshness: (None, None),
        equals_live: false,
    };
    match entry.doc {
        Err(why) => row.problem = Some(why),
        Ok(doc) => {
            let a = Analysis::of_doc(&doc);
            row.equals_live = live.is_some_and(|l| l.as_bytes() == doc.as_bytes());
            let facts = a.account().unwrap_or_default();
            row.email = facts.email;
            row.plan = facts.plan.map(|p| p.display().to_string());
            row.who = a.who();
            row.identities = a.identities();
            row.freshness = a.freshness();
            row.problem = a.problem;
            row.mode = Some(a.mode);
        }
    }
    row
}

/// Picks the active candidate: byte-equal to the live file first, then the freshest, then the
/// first by name. `candidates` yields `(index, equals_live, freshness)` in name order.
fn pick_active<F: Ord>(candidates: impl Iterator<Item = (usize, bool, F)>) -> Option<usize> {
    let mut best: Option<(usize, bool, F)> = None;
    for (i, equal, fresh) in candidates {
        let better = best
            .as_ref()
            .is_none_or(|(_, be, bf)| (equal, &fresh) > (*be, bf));
        if better {
            best = Some((i, equal, fresh));
        }
    }
    best.map(|(i, _, _)| i)
}

/// Every account, summarised and marked active/stale against the live document, reading one
/// file at a time.
pub fn summaries(store: &Store, live: Option<&AuthDoc>) -> Result<Vec<AccountSummary>, StoreError> {
    let mut rows = store.list_map(|e| summarize(e, live))?;
    if let Some(live_a) = live.map(Analysis::of_doc) {
        let ids = live_a.identities();
        let fresh = live_a.freshness();
        let same: Vec<bool> = rows
            .iter()
            .map(|r| shares_identity(&ids, &r.identities))
            .collect();
        let active = pick_active(
            rows.iter()
                .enumerate()
                .filter(|(i, _)| same[*i])
                .map(|(i, r)| (i, r.equals_live, r.freshness)),
        );
        for (i, row) in rows.iter_mut().enumerate() {
            row.active = active == Some(i);
            row.stale = same[i] && fresh > row.freshness;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::codex::fixtures::{self, ChatgptSpec};

    // The whole-document rules, kept as the oracle the streaming summaries are checked against.

    /// Whether `snapshot` is an older generation of the live credential.
    fn is_stale(live: &Analysis, snapshot: &Analysis) -> bool {
        live.same_account(snapshot) && live.freshness() > snapshot.freshness()
    }

    /// The account whose document is the live one (by identity, see the module docs).
    fn active_account<'a>(live: &AuthDoc, entries: &'a [Entry]) -> Option<&'a str> {
        let live_a = Analysis::of_doc(live);
        let candidates = entries.iter().enumerate().filter_map(|(i, e)| {
            let doc = e.doc.as_ref().ok()?;
            let a = Analysis::of_doc(doc);
            live_a
                .same_account(&a)
                .then(|| (i, doc.as_bytes() == live.as_bytes(), a.freshness()))
        });
        pick_active(candidates).map(|i| entries[i].name.as_str())
    }

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
    fn streaming_summaries_agree_with_active_account_and_is_stale() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = super::super::Paths::in_codex_home(dir.path());
        std::fs::create_dir_all(&paths.store).expect("store");
        let old = generation_doc(1, "2026-01-01T00:00:00Z");
        let same_old = generation_doc(1, "2026-01-01T00:00:00Z");
        let new = generation_doc(2, "2026-02-01T00:00:00Z");
        let key = fixtures::api_key_doc("sk-test-1234567890abcdef");
        let files: [(&str, &[u8]); 5] = [
            ("a-old", old.as_bytes()),
            ("b-key", key.as_bytes()),
            ("c-copy", same_old.as_bytes()),
            ("d-new", new.as_bytes()),
            ("e-broken", b"{\"tokens\": "),
        ];
        for (name, bytes) in files {
            std::fs::write(paths.store.join(format!("{name}.json")), bytes).expect("write");
        }
        let store = Store::new(&paths);
        let entries = store.list().expect("list");
        for live in [&old, &new, &key, &generation_doc(3, "2026-03-01T00:00:00Z")] {
            // The oracle: the whole-document rules `switch` uses.
            let active = active_account(live, &entries);
            let live_a = Analysis::of_doc(live);
            let rows = summaries(&store, Some(live)).expect("summaries");
            assert_eq!(rows.len(), entries.len());
            for (row, e) in rows.iter().zip(&entries) {
                assert_eq!(row.name, e.name);
                let stale = e
                    .doc
                    .as_ref()
                    .is_ok_and(|d| is_stale(&live_a, &Analysis::of_doc(d)));
                let expected = (active == Some(e.name.as_str()), stale);
                assert_eq!((row.active, row.stale), expected, "{}", row.name);
            }
        }
        let rows = summaries(&store, Some(&new)).expect("summaries");
        assert!(rows[3].active, "byte-equal wins");
        assert!(rows[0].stale && rows[2].stale && !rows[3].stale);
        assert_eq!(rows[1].who.as_deref(), Some("sk-test-***bcdef"));
        assert_eq!(rows[1].plan, None);
        assert_eq!(rows[0].email.as_deref(), Some("user@example.com"));
        assert!(
            rows[4]
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("JSON"))
        );
        assert!(
            summaries(&store, None)
                .expect("no live")
                .iter()
                .all(|r| !r.active && !r.stale)
        );
    }
}
