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

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Read as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::codex::credential::Identity;

use super::atomic::{ensure_private_dir, sweep_stale_temps, write_cache};
use super::paths::Paths;

/// Bump whenever what a summary holds, or how it is computed from a document, changes (the
/// credential analysis, `who`, `problem` wording, identity rules): older indexes are then ignored
/// and rebuilt. The authdeck release is checked as well, so every release starts afresh.
pub(crate) const SUMMARY_LOGIC_VERSION: u32 = 1;

const FORMAT: &str = "authdeck-summary-index";

/// The largest index read (10,000 accounts take about 3 MiB); a larger file is ignored.
const MAX_INDEX_BYTES: u64 = 64 * 1024 * 1024;

/// How much older than the start of a listing a file's ctime must be for the file to be indexed
/// (see the module docs). Generous, for file systems with coarse timestamps.
pub(crate) const RACY_MARGIN: Duration = Duration::from_secs(2);

/// The file name of the index inside `<store>/.authdeck/`.
pub(crate) const INDEX_FILE: &str = "index.json";

/// A 128-bit fingerprint (truncated SHA-256), as hex.
pub(crate) type Fingerprint = String;

fn fingerprint(bytes: &[u8]) -> Fingerprint {
    hex::encode(&Sha256::digest(bytes)[..16])
}

/// The fingerprint of a document's bytes.
pub(crate) fn content_fingerprint(bytes: &[u8]) -> Fingerprint {
    fingerprint(bytes)
}

/// The fingerprint of one identity: equal identities give equal fingerprints, and a key or token
/// is never kept in the clear.
pub(crate) fn identity_fingerprint(id: &Identity) -> Fingerprint {
    let mut tagged = match id {
        Identity::Chatgpt {
            account_id,
            user_id,
        } => serde_json::json!(["chatgpt", account_id, user_id]),
        Identity::Agent { runtime_id } => serde_json::json!(["agent", runtime_id]),
        Identity::ApiKey(k) => serde_json::json!(["apikey", k.expose()]),
        Identity::PersonalAccessToken(k) => serde_json::json!(["pat", k.expose()]),
    };
    // The JSON holds the key or token for a moment: wipe both copies.
    let text = zeroize::Zeroizing::new(tagged.to_string());
    crate::codex::auth_file::wipe_value(&mut tagged);
    fingerprint(text.as_bytes())
}

/// The identity of a file as `stat` (following links) reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileKey {
    #[serde(rename = "d")]
    dev: u64,
    #[serde(rename = "i")]
    ino: u64,
    #[serde(rename = "s")]
    size: u64,
    #[serde(rename = "m")]
    mtime: (i64, i64),
    #[serde(rename = "c")]
    ctime: (i64, i64),
}

impl FileKey {
    pub(crate) fn of(meta: &Metadata) -> Self {
        use std::os::unix::fs::MetadataExt as _;
        Self {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Whether the file last changed safely before `cutoff` (see "Racy files").
    fn settled_before(&self, cutoff: SystemTime) -> bool {
        let Ok(since) = cutoff.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let (secs, nanos) = self.ctime;
        let (Ok(secs), Ok(nanos)) = (u64::try_from(secs), u32::try_from(nanos)) else {
            return false;
        };
        nanos < 1_000_000_000 && Duration::new(secs, nanos) < since
    }
}

/// What a list row needs from one account file (see the module docs for what is left out).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Facts {
    // Short names and no empty members: 10,000 entries are parsed on every run.
    #[serde(rename = "m", skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(rename = "e", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Only an email or an agent runtime id; `None` with `who_from_file` when it is a masked key.
    #[serde(rename = "w", skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    #[serde(rename = "wf", skip_serializing_if = "std::ops::Not::not")]
    pub who_from_file: bool,
    #[serde(rename = "p", skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(rename = "x", skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    #[serde(rename = "id", skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Fingerprint>,
    /// `last_refresh` as (seconds, nanoseconds), and the access-token expiry.
    #[serde(rename = "r", skip_serializing_if = "Option::is_none")]
    pub refreshed: Option<(i64, u32)>,
    #[serde(rename = "t", skip_serializing_if = "Option::is_none")]
    pub expires: Option<i64>,
    #[serde(rename = "b", skip_serializing_if = "Option::is_none")]
    pub content: Option<Fingerprint>,
}

impl Facts {
    pub(crate) fn freshness(&self) -> (Option<DateTime<Utc>>, Option<i64>) {
        freshness_of(self.refreshed, self.expires)
    }

    pub(crate) fn set_freshness(
        &mut self,
        (refreshed, expires): (Option<DateTime<Utc>>, Option<i64>),
    ) {
        self.refreshed = refreshed.map(|t| (t.timestamp(), t.timestamp_subsec_nanos()));
        self.expires = expires;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cached {
    #[serde(rename = "k")]
    key: FileKey,
    #[serde(rename = "f")]
    facts: Facts,
    /// This listing found the file unchanged (entries not used are dropped on save).
    #[serde(skip)]
    used: bool,
}

#[derive(Serialize, Deserialize)]
struct IndexFile {
    format: String,
    version: u32,
    authdeck: String,
    /// Sorted by name, like a listing, so lookups need no hashing.
    entries: Vec<(String, Cached)>,
}

/// The part of an entry that says who an account is, parsed without the rest and without
/// copying a string (for `switch`): names and fingerprints are borrowed from the index's bytes.
/// Neither ever needs a JSON escape; an index that has one anyway fails to parse and is ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct Marks<'a> {
    #[serde(rename = "k")]
    pub key: FileKey,
    #[serde(rename = "f", borrow)]
    pub facts: MarkFacts<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MarkFacts<'a> {
    #[serde(rename = "id", borrow)]
    pub identities: Vec<&'a str>,
    #[serde(rename = "r")]
    refreshed: Option<(i64, u32)>,
    #[serde(rename = "t")]
    expires: Option<i64>,
    #[serde(rename = "b")]
    pub content: Option<&'a str>,
}

impl MarkFacts<'_> {
    pub(crate) fn freshness(&self) -> (Option<DateTime<Utc>>, Option<i64>) {
        freshness_of(self.refreshed, self.expires)
    }
}

fn freshness_of(
    refreshed: Option<(i64, u32)>,
    expires: Option<i64>,
) -> (Option<DateTime<Utc>>, Option<i64>) {
    (
        refreshed.and_then(|(s, n)| DateTime::from_timestamp(s, n)),
        expires,
    )
}

/// The bytes of `<store>/.authdeck/index.json` for [`parse_marks`]; `None` without an index.
pub(crate) fn read_index_bytes(paths: &Paths) -> Option<Vec<u8>> {
    read_bytes(&paths.meta_dir().join(INDEX_FILE))
}

/// The identity parts of every entry of an index read by [`read_index_bytes`], sorted by name;
/// empty when it is not a valid index of this version.
pub(crate) fn parse_marks(bytes: &[u8]) -> Vec<(&str, Marks<'_>)> {
    #[derive(Deserialize)]
    struct MarksFile<'a> {
        format: &'a str,
        version: u32,
        authdeck: &'a str,
        #[serde(borrow)]
        entries: Vec<(&'a str, Marks<'a>)>,
    }
    // One UTF-8 check for the whole file instead of one per string.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    match serde_json::from_str::<MarksFile<'_>>(text) {
        Ok(file) if current(file.format, file.version, file.authdeck) => {
            in_order(file.entries, |(name, _)| *name)
        }
        _ => Vec::new(),
    }
}

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
        let file = IndexFile {
            format: FORMAT.to_string(),
            version: SUMMARY_LOGIC_VERSION,
            authdeck: env!("CARGO_PKG_VERSION").to_string(),
            entries,
        };
        let Ok(bytes) = serde_json::to_vec(&file) else {
            return;
        };
        let dir = paths.meta_dir();
        sweep_stale_temps(&dir); // left by a writer that died mid-write
        let result =
            ensure_private_dir(&dir).and_then(|()| write_cache(&dir.join(INDEX_FILE), &bytes));
        if let Err(e) = result {
            tracing::debug!(error = %e, "summary index not written");
        }
    }
}

fn read_index(path: &Path) -> Option<Vec<(String, Cached)>> {
    let bytes = read_bytes(path)?;
    let index: IndexFile = serde_json::from_slice(&bytes).ok()?;
    current(&index.format, index.version, &index.authdeck)
        .then(|| in_order(index.entries, |(name, _)| name.as_str()))
}

/// The index file's bytes; `None` when it is missing, unreadable or larger than any index.
fn read_bytes(path: &Path) -> Option<Vec<u8>> {
    let file = std::fs::File::open(path).ok()?;
    // Sized from the file's length: growing the buffer by doubling copied ~3 MiB several times.
    let hint = file.metadata().map_or(0, |m| m.len()).min(MAX_INDEX_BYTES) + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(MAX_INDEX_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() as u64 <= MAX_INDEX_BYTES).then_some(bytes)
}

/// Whether an index's header says this format, summary logic and authdeck release.
fn current(format: &str, version: u32, authdeck: &str) -> bool {
    format == FORMAT && version == SUMMARY_LOGIC_VERSION && authdeck == env!("CARGO_PKG_VERSION")
}

/// Entries sorted by name. Ours are sorted and unique; anything else is put in order (a
/// duplicate name is dropped).
fn in_order<E>(mut entries: Vec<E>, name: impl Fn(&E) -> &str) -> Vec<E> {
    if !entries.windows(2).all(|w| name(&w[0]) < name(&w[1])) {
        entries.sort_by(|a, b| name(a).cmp(name(b)));
        entries.dedup_by(|a, b| name(a) == name(b));
    }
    entries
}

#[cfg(test)]
mod tests;
