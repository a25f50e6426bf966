//! One listing of the store, in steps: the names (a directory read), then each file's `stat`
//! against the summary index, then the files the index cannot vouch for, read one at a time.
//!
//! The steps are separate so a screen can show names and its visible rows before the rest is
//! stat'd or read (`summaries_staged`: with 10,000 accounts the `stat` of every file alone costs
//! more than the rest of the first screen), and so `list` and `switch` read no unchanged file at
//! all (`summaries_brief`). Whatever path a row takes, the finished rows are the same as reading every
//! file would give (the index tests check exactly that).

use std::ops::Range;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::codex::auth_file::AuthDoc;

use super::accounts::{Scanned, Store, read_entry, stat_all};
use super::active::{AccountSummary, facts_of_doc, facts_of_problem, mark, summarize};
use super::error::StoreError;
use super::index::{FileKey, Index};
use super::live::{FileState, read_doc_file};
use super::perms::open_mode_of;

/// How complete rows must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Everything, `who` included.
    Full,
    /// Everything but a `who` that is a masked key.
    Brief,
}

enum Slot {
    /// Only the name is known (from the directory read); not stat'd yet.
    Named(Scanned),
    /// Summarised (from the index, or read).
    Ready(AccountSummary),
    /// Not read yet; `key` is the file's identity from the scan, `None` when it could not be
    /// stat'd (a dangling link, a file that vanished).
    Unread {
        name: String,
        path: PathBuf,
        key: Option<FileKey>,
        modified: Option<SystemTime>,
        open_mode: Option<u32>,
    },
    /// Vanished (or became a directory) between the scan and the read.
    Gone,
}

/// A listing in progress.
pub(crate) struct Listing<'a> {
    store: &'a Store,
    slots: Vec<Slot>,
    index: Index,
    started: SystemTime,
}

impl<'a> Listing<'a> {
    /// Lists the names, stats each file and takes what the index vouches for.
    pub(crate) fn scan(store: &'a Store) -> Result<Self, StoreError> {
        Self::scan_at(store, SystemTime::now())
    }

    /// [`Listing::scan`] as if it started at `started` (tests move it forward to index files
    /// that were just written; see "Racy files" in `store::index`).
    pub(crate) fn scan_at(store: &'a Store, started: SystemTime) -> Result<Self, StoreError> {
        let mut listing = Self::names_at(store, started)?;
        listing.stat_range(0..listing.slots.len());
        Ok(listing)
    }

    /// Lists the names only (one directory read) and loads the index; nothing is stat'd yet.
    pub(crate) fn names(store: &'a Store) -> Result<Self, StoreError> {
        Self::names_at(store, SystemTime::now())
    }

    fn names_at(store: &'a Store, started: SystemTime) -> Result<Self, StoreError> {
        let names = store.scan()?;
        let index = if names.is_empty() {
            Index::default()
        } else {
            Index::load(store.paths())
        };
        let slots = names.into_iter().map(Slot::Named).collect();
        Ok(Self {
            store,
            slots,
            index,
            started,
        })
    }

    /// Stats the slots in `range` whose name only is known (see [`stat_all`]) and takes their
    /// rows from the index where it vouches for exactly that file.
    fn stat_range(&mut self, range: Range<usize>) {
        let end = range.end.min(self.slots.len());
        let start = range.start.min(end);
        let mut at = Vec::new();
        let mut files = Vec::new();
        for (i, slot) in self.slots[start..end].iter_mut().enumerate() {
            if matches!(slot, Slot::Named(_))
                && let Slot::Named(found) = std::mem::replace(slot, Slot::Gone)
            {
                at.push(start + i);
                files.push(found);
            }
        }
        let metas = stat_all(&files);
        for ((i, found), meta) in at.into_iter().zip(files).zip(metas) {
            self.stat_one(i, found, meta);
        }
    }

    fn stat_one(&mut self, i: usize, found: Scanned, meta: std::io::Result<std::fs::Metadata>) {
        let Scanned { name, path, .. } = found;
        self.slots[i] = match meta {
            Ok(meta) if meta.is_dir() => Slot::Gone,
            Ok(meta) => {
                let key = FileKey::of(&meta);
                let modified = meta.modified().ok();
                let open_mode = open_mode_of(&meta);
                match self.index.lookup(&name, &key) {
                    Some(facts) => {
                        let mut row = AccountSummary::from_facts(name, path, modified, facts);
                        row.open_mode = open_mode;
                        Slot::Ready(row)
                    }
                    None => Slot::Unread {
                        name,
                        path,
                        key: Some(key),
                        modified,
                        open_mode,
                    },
                }
            }
            Err(_) => Slot::Unread {
                name,
                path,
                key: None,
                modified: None,
                open_mode: None,
            },
        };
    }

    fn needs_read(slot: &Slot, detail: Detail) -> bool {
        match slot {
            Slot::Named(_) | Slot::Unread { .. } => true,
            Slot::Ready(row) => detail == Detail::Full && row.pending,
            Slot::Gone => false,
        }
    }

    /// Whether every row is as complete as `detail` asks.
    pub(crate) fn is_complete(&self, detail: Detail) -> bool {
        !self.slots.iter().any(|s| Self::needs_read(s, detail))
    }

    /// Reads the rows in `range` that `detail` needs read.
    pub(crate) fn complete(&mut self, range: Range<usize>, detail: Detail) {
        let end = range.end.min(self.slots.len());
        self.stat_range(range.start.min(end)..end);
        for i in range.start.min(end)..end {
            if !Self::needs_read(&self.slots[i], detail) {
                continue;
            }
            let (name, path, key, modified, open_mode) =
                match std::mem::replace(&mut self.slots[i], Slot::Gone) {
                    Slot::Unread {
                        name,
                        path,
                        key,
                        modified,
                        open_mode,
                    } => (name, path, key, modified, open_mode),
                    Slot::Ready(row) => {
                        // A masked key to show: stat again (the file may have changed since) and read.
                        let meta = std::fs::metadata(&row.path).ok();
                        let key = meta.as_ref().map(FileKey::of);
                        let open_mode = meta.as_ref().and_then(open_mode_of);
                        let modified = meta.and_then(|m| m.modified().ok());
                        (row.name, row.path, key, modified, open_mode)
                    }
                    Slot::Named(_) | Slot::Gone => continue,
                };
            if let Some(mut row) = self.read(name, path, key, modified) {
                row.open_mode = open_mode;
                self.slots[i] = Slot::Ready(row);
            }
        }
    }

    /// Reads one file; `None` when it vanished or turned into a directory meanwhile.
    fn read(
        &mut self,
        name: String,
        path: PathBuf,
        key: Option<FileKey>,
        modified: Option<SystemTime>,
    ) -> Option<AccountSummary> {
        let Some(key) = key else {
            // Not stat-able: let the plain reader say why (dangling link) or drop it (gone).
            return read_entry(name, path).map(summarize);
        };
        let (facts, who) = match read_doc_file(&path) {
            FileState::Missing => return None,
            FileState::Doc { doc, .. } => facts_of_doc(&doc),
            state @ FileState::Malformed { .. } => {
                (facts_of_problem(state.problem().unwrap_or_default()), None)
            }
            state @ FileState::Unreadable { .. } => {
                // An I/O failure may be passing: never indexed.
                if std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                    return None;
                }
                let facts = facts_of_problem(state.problem().unwrap_or_default());
                return Some(AccountSummary::from_facts(name, path, modified, facts));
            }
        };
        self.index.record(&name, key, facts.clone(), self.started);
        let mut row = AccountSummary::from_facts(name, path, modified, facts);
        if who.is_some() {
            row.who = who;
        }
        row.pending = false;
        Some(row)
    }

    /// Every row as known now: unread ones by name only (`pending`). Active and stale are marked
    /// only when every row's identity is known (a row not read yet could be the active one).
    pub(crate) fn partial(&self, live: Option<&AuthDoc>) -> Vec<AccountSummary> {
        let mut rows: Vec<AccountSummary> = self
            .slots
            .iter()
            .filter_map(|s| match s {
                Slot::Ready(row) => Some(row.clone()),
                Slot::Gone => None,
                Slot::Named(found) => Some(AccountSummary::placeholder(
                    found.name.clone(),
                    found.path.clone(),
                    None,
                )),
                Slot::Unread {
                    name,
                    path,
                    modified,
                    ..
                } => Some(AccountSummary::placeholder(
                    name.clone(),
                    path.clone(),
                    *modified,
                )),
            })
            .collect();
        if self.is_complete(Detail::Brief) {
            mark(&mut rows, live);
        }
        rows
    }

    /// Reads whatever `detail` still needs, marks active and stale, and writes the index back.
    pub(crate) fn finish(mut self, live: Option<&AuthDoc>, detail: Detail) -> Vec<AccountSummary> {
        self.complete(0..self.slots.len(), detail);
        let mut rows: Vec<AccountSummary> = std::mem::take(&mut self.slots)
            .into_iter()
            .filter_map(|s| match s {
                Slot::Ready(row) => Some(row),
                Slot::Named(_) | Slot::Unread { .. } | Slot::Gone => None,
            })
            .collect();
        mark(&mut rows, live);
        self.index.save(self.store.paths());
        rows
    }
}
