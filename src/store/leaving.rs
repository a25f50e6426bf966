//! The account a switch leaves: the saved account the live file belongs to, found the way `list`
//! marks the active row (see `store::active`), but without building the list.
//!
//! A switch runs from prompts and scripts; with 10,000 accounts it must not pay for what `list`
//! shows. Two ways, the first whenever it can vouch for its answer:
//!
//! * **By the index** ([`by_index`]). The summary index holds each account's identity
//!   fingerprints, so the accounts that share an identity with the live file are known without
//!   a directory read. Each of them is `stat`'d against its entry, as `list` does; the answer
//!   stands only when every one is unchanged. A switch then reads the live file, the index, a
//!   handful of `stat`s and the target — not one `stat` per account file.
//! * **By every file** ([`by_scan`]), whenever the index cannot vouch: no valid index, no
//!   indexed account holds the live identity, or one that did has changed, moved or gone. Each
//!   file is `stat`'d, and read when its entry does not match.
//!
//! What the shortcut cannot see is a file added or edited by hand since the last listing that
//! holds the live identity *as well as* an indexed account. The switch then leaves (and syncs
//! the live tokens back into) the indexed account: a holder of the same identity, so no token is
//! lost, where `list` might have marked the other copy. Nothing is written here: the next
//! listing updates the index.
//!
//! The same `stat`s tell which account files are open to other users (see `store::perms`): the
//! shortcut checks the files a switch touches (the accounts it found and the target), the scan
//! every file; `list` and the TUI always check every file.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;

use super::accounts::{Store, stat_all};
use super::active::{facts_of_doc, pick_active};
use super::error::StoreError;
use super::index::{
    FileKey, Fingerprint, content_fingerprint, identity_fingerprint, parse_marks, read_index_bytes,
};
use super::live::{FileState, read_doc_file};
use super::perms::open_mode_of;

type Freshness = (Option<DateTime<Utc>>, Option<i64>);

/// What the search for the account being left found.
#[derive(Debug, Default)]
pub(crate) struct Leaving {
    /// The name of the active account for the live document (byte-equal first, then the
    /// freshest, then the first by name among the accounts sharing an identity with it).
    pub(crate) from: Option<String>,
    /// Account files open to other users (path, permission bits), from the same `stat`s.
    pub(crate) open_files: Vec<(PathBuf, u32)>,
}

/// The name of the saved account `live` belongs to (see [`Leaving::from`]; the row `list`
/// marks active), or `None`, without building the listing.
pub fn active_account(store: &Store, live: &AuthDoc) -> Result<Option<String>, StoreError> {
    leaving(store, Some(live), None).map(|l| l.from)
}

/// The name of the active account for `live` (see [`Leaving::from`]), or `None`.
#[cfg(test)]
pub(crate) fn account_being_left(
    store: &Store,
    live: &AuthDoc,
) -> Result<Option<String>, StoreError> {
    leaving(store, Some(live), None).map(|l| l.from)
}

/// What `live` is matched by: its identities' fingerprints and its bytes' fingerprint.
pub(crate) struct LiveMarks {
    ids: Vec<Fingerprint>,
    content: Option<Fingerprint>,
}

impl LiveMarks {
    pub(crate) fn of(live: Option<&AuthDoc>) -> Self {
        let ids = live
            .map(|live| {
                Analysis::of_doc(live)
                    .identities()
                    .iter()
                    .map(identity_fingerprint)
                    .collect()
            })
            .unwrap_or_default();
        Self {
            ids,
            content: live.map(|l| content_fingerprint(l.as_bytes())),
        }
    }

    /// Whether an account with these identity fingerprints is the live one, and if so whether
    /// its bytes equal the live file's.
    fn matches<S: AsRef<str>>(&self, ids: &[S], content: Option<&str>) -> Option<bool> {
        ids.iter()
            .any(|i| self.ids.iter().any(|l| l == i.as_ref()))
            .then(|| content.is_some() && content == self.content.as_deref())
    }
}

/// The account `live` belongs to and the account files open to others (see the module docs).
/// `target` is the account a switch is about to read, checked for open permissions too.
pub(crate) fn leaving(
    store: &Store,
    live: Option<&AuthDoc>,
    target: Option<&str>,
) -> Result<Leaving, StoreError> {
    let marks = LiveMarks::of(live);
    // Read once: the scan falls back to the same bytes when the index alone cannot vouch.
    let index = index_bytes(store, &marks);
    if let Some(mut found) = by_index(store, &marks, index.as_deref()) {
        if let Some(path) = target.and_then(|t| store.account_path(t).ok())
            && !found.open_files.iter().any(|(p, _)| *p == path)
            && let Some(mode) = std::fs::metadata(&path).ok().and_then(|m| open_mode_of(&m))
        {
            found.open_files.push((path, mode));
        }
        return Ok(found);
    }
    by_scan(store, &marks, index.as_deref())
}

/// The index file's bytes, when there is an identity to look for in it.
pub(crate) fn index_bytes(store: &Store, live: &LiveMarks) -> Option<Vec<u8>> {
    if live.ids.is_empty() {
        None
    } else {
        read_index_bytes(store.paths())
    }
}

/// The answer from the index alone, or `None` whenever it cannot vouch for it (see the module
/// docs): with no identity to look for there is nothing to find, so the answer is "none".
pub(crate) fn by_index(store: &Store, live: &LiveMarks, index: Option<&[u8]>) -> Option<Leaving> {
    if live.ids.is_empty() {
        return Some(Leaving::default());
    }
    let mut out = Leaving::default();
    let mut candidates: Vec<(String, bool, Freshness)> = Vec::new();
    for (name, entry) in parse_marks(index?) {
        let Some(equal) = live.matches(&entry.facts.identities, entry.facts.content) else {
            continue;
        };
        // The entry speaks for the file only while a fresh `stat` gives its key back.
        let path = store.account_path(name).ok()?;
        let meta = std::fs::metadata(&path).ok()?;
        if meta.is_dir() || FileKey::of(&meta) != entry.key {
            return None;
        }
        if let Some(mode) = open_mode_of(&meta) {
            out.open_files.push((path, mode));
        }
        candidates.push((name.to_string(), equal, entry.facts.freshness()));
    }
    if candidates.is_empty() {
        // Maybe a file the index does not know yet: only reading them all can tell.
        return None;
    }
    out.from = pick(candidates);
    Some(out)
}

/// Stats every account file once: the account `live` belongs to, and the files open to others.
fn by_scan(store: &Store, live: &LiveMarks, bytes: Option<&[u8]>) -> Result<Leaving, StoreError> {
    let names = store.scan()?;
    let mut out = Leaving::default();
    if names.is_empty() {
        return Ok(out);
    }
    // The `stat`s and the index's parse are independent: one overlaps the other.
    let (metas, index) = std::thread::scope(|scope| {
        let stats = scope.spawn(|| stat_all(&names));
        let index = bytes.map(parse_marks).unwrap_or_default();
        let metas = stats.join().unwrap_or_else(|_| stat_all(&names));
        (metas, index)
    });
    let mut candidates: Vec<(String, bool, Freshness)> = Vec::new();
    // Both sorted by name: one merge walk instead of a search per file.
    let mut entries = index.iter().peekable();
    for (file, meta) in names.into_iter().zip(metas) {
        // A file that cannot be stat'd (dangling link, vanished) has no identity.
        let Ok(meta) = meta else {
            continue;
        };
        let (name, path) = (file.name, file.path);
        if meta.is_dir() {
            continue;
        }
        if let Some(mode) = open_mode_of(&meta) {
            out.open_files.push((path.clone(), mode));
        }
        if live.ids.is_empty() {
            continue;
        }
        let key = FileKey::of(&meta);
        while entries.next_if(|(n, _)| *n < name.as_str()).is_some() {}
        let entry = entries
            .next_if(|(n, _)| *n == name.as_str())
            .map(|(_, e)| e)
            .filter(|e| e.key == key);
        let found = match entry {
            Some(e) => live
                .matches(&e.facts.identities, e.facts.content)
                .map(|equal| (equal, e.facts.freshness())),
            None => match read_doc_file(&path) {
                FileState::Doc { doc, .. } => {
                    let (facts, _) = facts_of_doc(&doc);
                    live.matches(&facts.identities, facts.content.as_deref())
                        .map(|equal| (equal, facts.freshness()))
                }
                _ => None,
            },
        };
        if let Some((equal, fresh)) = found {
            candidates.push((name, equal, fresh));
        }
    }
    out.from = pick(candidates);
    Ok(out)
}

/// The active one among the accounts sharing an identity with the live file (sorted by name).
fn pick(mut candidates: Vec<(String, bool, Freshness)>) -> Option<String> {
    let best = pick_active(
        candidates
            .iter()
            .enumerate()
            .map(|(i, (_, equal, fresh))| (i, *equal, *fresh)),
    );
    best.map(|i| candidates.swap_remove(i).0)
}
