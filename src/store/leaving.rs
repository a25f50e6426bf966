//! The account a switch leaves: the saved account the live file belongs to, found the way `list`
//! marks the active row (see `store::active`), but without building the list.
//!
//! A switch runs from prompts and scripts; with 10,000 accounts it must not pay for what `list`
//! shows. So only the identity parts of the summary index are parsed (fingerprints, freshness,
//! the bytes' fingerprint), each file is `stat`'d against its entry as `list` does, only a file
//! the index cannot vouch for is read, and no row is built. Nothing is written: the next listing
//! updates the index. The same `stat`s tell which account files are open to other users, so
//! `switch` needs no second pass for its permission warning (see `store::perms`).

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;

use super::accounts::{Store, stat_all};
use super::active::{facts_of_doc, pick_active};
use super::error::StoreError;
use super::index::{FileKey, Fingerprint, content_fingerprint, identity_fingerprint, load_marks};
use super::live::{FileState, read_doc_file};
use super::perms::open_mode_of;

type Freshness = (Option<DateTime<Utc>>, Option<i64>);

/// What the scan for the account being left found.
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
    leaving(store, Some(live)).map(|l| l.from)
}

/// The name of the active account for `live` (see [`Leaving::from`]), or `None`.
#[cfg(test)]
pub(crate) fn account_being_left(
    store: &Store,
    live: &AuthDoc,
) -> Result<Option<String>, StoreError> {
    leaving(store, Some(live)).map(|l| l.from)
}

/// Stats every account file once: the account `live` belongs to, and the files open to others.
pub(crate) fn leaving(store: &Store, live: Option<&AuthDoc>) -> Result<Leaving, StoreError> {
    let ids: Vec<Fingerprint> = live
        .map(|live| {
            Analysis::of_doc(live)
                .identities()
                .iter()
                .map(identity_fingerprint)
                .collect()
        })
        .unwrap_or_default();
    let names = store.scan()?;
    let mut out = Leaving::default();
    if names.is_empty() {
        return Ok(out);
    }
    // The `stat`s and the index's parse are independent: one overlaps the other.
    let (metas, index) = std::thread::scope(|scope| {
        let stats = scope.spawn(|| stat_all(&names));
        let index = if ids.is_empty() {
            Vec::new()
        } else {
            load_marks(store.paths())
        };
        let metas = stats.join().unwrap_or_else(|_| stat_all(&names));
        (metas, index)
    });
    let live_content = live.map(|l| content_fingerprint(l.as_bytes()));
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
        if ids.is_empty() {
            continue;
        }
        let key = FileKey::of(&meta);
        while entries
            .next_if(|(n, _)| n.as_str() < name.as_str())
            .is_some()
        {}
        let entry = entries
            .next_if(|(n, _)| *n == name)
            .map(|(_, e)| e)
            .filter(|e| e.key == key);
        let found = match entry {
            Some(e) => e.facts.identities.iter().any(|i| ids.contains(i)).then(|| {
                let equal = e.facts.content.as_ref() == live_content.as_ref();
                (equal, e.facts.freshness())
            }),
            None => match read_doc_file(&path) {
                FileState::Doc { doc, .. } => {
                    let (facts, _) = facts_of_doc(&doc);
                    facts.identities.iter().any(|i| ids.contains(i)).then(|| {
                        (
                            facts.content.is_some() && facts.content == live_content,
                            facts.freshness(),
                        )
                    })
                }
                _ => None,
            },
        };
        if let Some((equal, fresh)) = found {
            candidates.push((name, equal, fresh));
        }
    }
    let best = pick_active(
        candidates
            .iter()
            .enumerate()
            .map(|(i, (_, equal, fresh))| (i, *equal, *fresh)),
    );
    out.from = best.map(|i| candidates.swap_remove(i).0);
    Ok(out)
}
