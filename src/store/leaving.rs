//! The account a switch leaves: the saved account the live file belongs to, found the way `list`
//! marks the active row (see `store::active`), but without building the list.
//!
//! A switch runs from prompts and scripts; with 10,000 accounts it must not pay for what `list`
//! shows. So only the identity parts of the summary index are parsed (fingerprints, freshness,
//! the bytes' fingerprint), each file is `stat`'d against its entry as `list` does, only a file
//! the index cannot vouch for is read, and no row is built. Nothing is written: the next listing
//! updates the index.

use chrono::{DateTime, Utc};

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;

use super::accounts::Store;
use super::active::{facts_of_doc, pick_active};
use super::error::StoreError;
use super::index::{FileKey, Fingerprint, content_fingerprint, identity_fingerprint, load_marks};
use super::live::{FileState, read_doc_file};

type Freshness = (Option<DateTime<Utc>>, Option<i64>);

/// The name of the active account for `live` (byte-equal first, then the freshest, then the
/// first by name among the accounts sharing an identity with it), or `None`.
pub(crate) fn account_being_left(
    store: &Store,
    live: &AuthDoc,
) -> Result<Option<String>, StoreError> {
    let live_a = Analysis::of_doc(live);
    let ids: Vec<Fingerprint> = live_a
        .identities()
        .iter()
        .map(identity_fingerprint)
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let names = store.scan()?;
    if names.is_empty() {
        return Ok(None);
    }
    let index = load_marks(store.paths());
    let live_content = content_fingerprint(live.as_bytes());
    let mut candidates: Vec<(String, bool, Freshness)> = Vec::new();
    for (name, path) in names {
        // A file that cannot be stat'd (dangling link, vanished) has no identity.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        let key = FileKey::of(&meta);
        let entry = index
            .binary_search_by(|(n, _)| n.as_str().cmp(&name))
            .ok()
            .map(|i| &index[i].1)
            .filter(|e| e.key == key);
        let found = match entry {
            Some(e) => e.facts.identities.iter().any(|i| ids.contains(i)).then(|| {
                let equal = e.facts.content.as_ref() == Some(&live_content);
                (equal, e.facts.freshness())
            }),
            None => match read_doc_file(&path) {
                FileState::Doc { doc, .. } => {
                    let (facts, _) = facts_of_doc(&doc);
                    facts.identities.iter().any(|i| ids.contains(i)).then(|| {
                        (
                            facts.content == Some(live_content.clone()),
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
    Ok(best.map(|i| candidates.swap_remove(i).0))
}
