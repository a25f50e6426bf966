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
//!
//! Rows come from the summary index when their file has not changed (see `store::index`), so the
//! marking works on fingerprints: of each identity (keys hashed, never kept) and of the bytes.

use std::path::PathBuf;
use std::time::SystemTime;

use chrono::{DateTime, Utc};

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::{Analysis, AuthMode, Identity};

use super::accounts::{Entry, Store};
use super::error::StoreError;
use super::index::{Facts, Fingerprint, content_fingerprint, identity_fingerprint};
use super::listing::{Detail, Listing};

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
    /// Some details are not known yet: `who` when it is a masked key (the summary index keeps
    /// no part of a key, see [`summaries_brief`]), or everything but the name while a staged
    /// listing is still reading the file (see [`summaries_staged`]).
    pub pending: bool,
    /// The file's permission bits when the group or the world has any, as the listing's own
    /// `stat` found them (`None` when private or not stat'd): `list`, `switch` and the TUI warn
    /// about open account files from this instead of a second `stat` of every file.
    pub open_mode: Option<u32>,
    identities: Vec<Fingerprint>,
    freshness: (Option<DateTime<Utc>>, Option<i64>),
    /// Fingerprint of the file's bytes, to tell a byte-equal copy of the live file.
    content: Option<Fingerprint>,
}

impl AccountSummary {
    /// A row known only by name (a staged listing has not read it yet).
    pub(crate) fn placeholder(name: String, path: PathBuf, modified: Option<SystemTime>) -> Self {
        Self {
            name,
            path,
            modified,
            mode: None,
            email: None,
            who: None,
            plan: None,
            problem: None,
            active: false,
            stale: false,
            pending: true,
            open_mode: None,
            identities: Vec::new(),
            freshness: (None, None),
            content: None,
        }
    }

    /// A row from the facts of its file (read now, or from the index).
    pub(crate) fn from_facts(
        name: String,
        path: PathBuf,
        modified: Option<SystemTime>,
        facts: Facts,
    ) -> Self {
        let freshness = facts.freshness();
        Self {
            name,
            path,
            modified,
            mode: facts.mode.as_deref().map(AuthMode::parse),
            email: facts.email,
            pending: facts.who_from_file,
            who: facts.who,
            plan: facts.plan,
            problem: facts.problem,
            active: false,
            stale: false,
            open_mode: None,
            freshness,
            identities: facts.identities,
            content: facts.content,
        }
    }
}

/// The facts of a parsed document, and the `who` to show: the facts leave out a `who` that is a
/// masked key (only an email or agent runtime id may go to the index).
pub(crate) fn facts_of_doc(doc: &AuthDoc) -> (Facts, Option<String>) {
    let a = Analysis::of_doc(doc);
    let account = a.account().unwrap_or_default();
    let ids = a.identities();
    let who = a.who();
    let plain = who.as_ref().is_some_and(|w| {
        account.email.as_ref() == Some(w)
            || ids
                .iter()
                .any(|i| matches!(i, Identity::Agent { runtime_id } if runtime_id == w))
    });
    let mut facts = Facts {
        mode: Some(a.mode.as_str().to_string()),
        email: account.email,
        who: if plain { who.clone() } else { None },
        who_from_file: who.is_some() && !plain,
        plan: account.plan.map(|p| p.display().to_string()),
        problem: a.problem.clone(),
        identities: ids.iter().map(identity_fingerprint).collect(),
        content: Some(content_fingerprint(doc.as_bytes())),
        ..Facts::default()
    };
    facts.set_freshness(a.freshness());
    (facts, who)
}

/// The facts of a file that is not a usable document.
pub(crate) fn facts_of_problem(why: String) -> Facts {
    Facts {
        problem: Some(why),
        ..Facts::default()
    }
}

/// A whole row from an [`Entry`] (the file already read).
pub(crate) fn summarize(entry: Entry) -> AccountSummary {
    match entry.doc {
        Err(why) => AccountSummary::from_facts(
            entry.name,
            entry.path,
            entry.modified,
            facts_of_problem(why),
        ),
        Ok(doc) => {
            let (facts, who) = facts_of_doc(&doc);
            let mut row = AccountSummary::from_facts(entry.name, entry.path, entry.modified, facts);
            row.who = who;
            row.pending = false;
            row
        }
    }
}

/// Picks the active candidate: byte-equal to the live file first, then the freshest, then the
/// first by name. `candidates` yields `(index, equals_live, freshness)` in name order.
pub(crate) fn pick_active<F: Ord>(
    candidates: impl Iterator<Item = (usize, bool, F)>,
) -> Option<usize> {
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

/// Marks the active row and the stale ones against the live document (see the module docs).
pub(crate) fn mark(rows: &mut [AccountSummary], live: Option<&AuthDoc>) {
    for row in rows.iter_mut() {
        row.active = false;
        row.stale = false;
    }
    let Some(live) = live else { return };
    let live_a = Analysis::of_doc(live);
    let ids: Vec<Fingerprint> = live_a
        .identities()
        .iter()
        .map(identity_fingerprint)
        .collect();
    let fresh = live_a.freshness();
    let live_content = content_fingerprint(live.as_bytes());
    let same: Vec<bool> = rows
        .iter()
        .map(|r| ids.iter().any(|i| r.identities.contains(i)))
        .collect();
    let active = pick_active(
        rows.iter()
            .enumerate()
            .filter(|(i, _)| same[*i])
            .map(|(i, r)| (i, r.content.as_ref() == Some(&live_content), r.freshness)),
    );
    for (i, row) in rows.iter_mut().enumerate() {
        row.active = active == Some(i);
        row.stale = same[i] && fresh > row.freshness;
    }
}

/// Every account, summarised and marked active/stale against the live document. Unchanged files
/// come from the summary index (see `store::index`); the others are read one at a time.
pub fn summaries(store: &Store, live: Option<&AuthDoc>) -> Result<Vec<AccountSummary>, StoreError> {
    Ok(Listing::scan(store)?.finish(live, Detail::Full))
}

/// Like [`summaries`], but a `who` that is a masked key is left `None` (with `pending`) when the
/// index knows the rest: for callers that do not show `who` (`list`, `switch`), which then read
/// no unchanged file at all.
pub fn summaries_brief(
    store: &Store,
    live: Option<&AuthDoc>,
) -> Result<Vec<AccountSummary>, StoreError> {
    Ok(Listing::scan(store)?.finish(live, Detail::Brief))
}

/// Like [`summaries`], for a screen: after one directory read the first `first` rows (those on
/// screen) are completed, then `stage` gets every row — names for the rest, marked `pending` —
/// before the remaining files are stat'd and, where the index cannot vouch for them, read.
/// Returns the complete listing. `stage` is not called when the first rows are all there is.
pub fn summaries_staged(
    store: &Store,
    live: Option<&AuthDoc>,
    first: usize,
    stage: impl FnOnce(Vec<AccountSummary>),
) -> Result<Vec<AccountSummary>, StoreError> {
    let mut listing = Listing::names(store)?;
    listing.complete(0..first, Detail::Full);
    if listing.is_complete(Detail::Full) {
        return Ok(listing.finish(live, Detail::Full));
    }
    stage(listing.partial(live));
    Ok(listing.finish(live, Detail::Full))
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
