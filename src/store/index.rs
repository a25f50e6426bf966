//! The summary index, `<store>/.authdeck/index.json`: what `list`, `switch` and the TUI know about
//! each account file, so that 10,000 accounts are not opened and parsed on every run.
//!
//! **A cache, never a source of truth.** Each entry is keyed by the identity of the file it was
//! built from — device, inode, size, modification time and change time, both with nanoseconds —
//! and is used only while a fresh `stat` of the account file returns exactly that key. Any other
//! case reads the file: a new, edited, replaced, renamed or deleted file changes its key (a
//! rename or replace gives another inode or ctime, an edit another ctime, which no user program
//! can set back). An index that is missing, unreadable, corrupt, too large, or written by another
//! version (format, summary logic or authdeck release) is ignored as a whole and rebuilt.
//!
//! **Racy files.** A file changed twice within one tick of the file system's clock could keep its
//! key while its bytes change. So a file is indexed only when its ctime is older, by a margin, than
//! the moment the listing started: any later change then gets a later ctime, hence another key.
//! Files written in the last couple of seconds are simply read again next time.
//!
//! **Concurrency.** The index is rewritten whole, to a temporary file renamed over the old one, so
//! a reader always sees a complete index. Two processes updating it at once each write a complete
//! one; the last rename wins, and the loser's newer entries are read from their files next time.
//! A store where the index cannot be written (read-only, full disk) is listed without it.
//!
//! **No secrets.** An entry holds the facts a list row shows (mode, email, plan, the reason an
//! account cannot be used) plus what active/stale marking needs: SHA-256 fingerprints of the
//! account's identities (API keys and tokens are secrets, so only a hash of them), its freshness
//! timestamps and a SHA-256 of the file's bytes ("byte-equal to the live file"). A masked API
//! key — which keeps a few characters of the key — is never stored: rows that show one read it
//! from their file when a screen needs it. The file is 0600 like every file authdeck writes.
//!
//! The file itself — its layout, the fingerprints, reading and writing — lives in `format`;
//! this module is the cache logic on top: which entries a listing may use, records or drops.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use super::paths::Paths;

mod format;

use format::{Cached, read_index, write_index};
pub(crate) use format::{
    Facts, FileKey, Fingerprint, content_fingerprint, identity_fingerprint, parse_marks,
    read_index_bytes,
};

/// Bump whenever what a summary holds, or how it is computed from a document, changes (the
/// credential analysis, `who`, `problem` wording, identity rules): older indexes are then ignored
/// and rebuilt. The authdeck release is checked as well, so every release starts afresh.
pub(crate) const SUMMARY_LOGIC_VERSION: u32 = 1;

/// How much older than the start of a listing a file's ctime must be for the file to be indexed
/// (see the module docs). Generous, for file systems with coarse timestamps.
pub(crate) const RACY_MARGIN: Duration = Duration::from_secs(2);

/// The file name of the index inside `<store>/.authdeck/`.
pub(crate) const INDEX_FILE: &str = "index.json";

/// The index of one listing: what was loaded, and what the listing found.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Sorted by name.
    loaded: Vec<(String, Cached)>,
    /// Entries for files read by this listing.
    fresh: HashMap<String, Cached>,
    /// The loaded index differs from what this listing found (or was absent or invalid).
    changed: bool,
}

impl Index {
    /// Loads `<store>/.authdeck/index.json`; anything but a valid index of this version is an
    /// empty one.
    pub(crate) fn load(paths: &Paths) -> Self {
        let path = paths.meta_dir().join(INDEX_FILE);
        let loaded = read_index(&path);
        Self {
            changed: loaded.is_none(),
            loaded: loaded.unwrap_or_default(),
            fresh: HashMap::new(),
        }
    }

    /// The facts for `name`, when the index holds them for exactly this file.
    pub(crate) fn lookup(&mut self, name: &str, key: &FileKey) -> Option<Facts> {
        let cached = self.loaded_mut(name)?;
        if cached.key == *key {
            cached.used = true;
            Some(cached.facts.clone())
        } else {
            None
        }
    }

    /// Records the facts read from `name`'s file, identified by `key` as stat'd before reading,
    /// when the file is settled (changed before `started` minus the racy margin).
    pub(crate) fn record(&mut self, name: &str, key: FileKey, facts: Facts, started: SystemTime) {
        let cutoff = started
            .checked_sub(RACY_MARGIN)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let known = self
            .loaded_mut(name)
            .is_some_and(|c| c.used && c.key == key && c.facts == facts);
        if !key.settled_before(cutoff) {
            // Read again next time; an older entry for the name is outdated.
            let had_fresh = self.fresh.remove(name).is_some();
            let had_loaded = self.forget(name);
            self.changed |= had_fresh || had_loaded;
        } else if !known {
            self.changed = true;
            self.forget(name);
            let entry = Cached {
                key,
                facts,
                used: true,
            };
            self.fresh.insert(name.to_string(), entry);
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.loaded
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
    }

    fn loaded_mut(&mut self, name: &str) -> Option<&mut Cached> {
        let i = self.position(name)?;
        self.loaded.get_mut(i).map(|(_, c)| c)
    }

    /// Drops the loaded entry for `name`; whether there was one.
    fn forget(&mut self, name: &str) -> bool {
        self.position(name).map(|i| self.loaded.remove(i)).is_some()
    }

    /// Writes the index back when the listing changed it. Best effort: a store where it cannot
    /// be written is listed without it.
    pub(crate) fn save(self, paths: &Paths) {
        let Self {
            loaded,
            mut fresh,
            mut changed,
        } = self;
        // Entries of files that are gone or changed.
        changed |= loaded.iter().any(|(_, c)| !c.used);
        if !changed || !paths.store.is_dir() {
            return;
        }
        for (name, cached) in loaded {
            if cached.used {
                fresh.entry(name).or_insert(cached);
            }
        }
        let mut entries: Vec<(String, Cached)> = fresh.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        write_index(paths, entries);
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_file;
#[cfg(test)]
mod tests_leaving;
