//! The summary index as a file: the shape of `<store>/.authdeck/index.json` (an entry's file
//! key and facts, the header naming format, summary logic and release), the fingerprints an
//! entry holds in place of identities and bytes, and reading and writing it — whole, or only
//! the identity marks a `switch` needs.
//!
//! Kept apart from the parent, which decides which entries a listing may trust, records or
//! drops: this is everything that knows the JSON's short field names and the size cap, so a
//! change of layout (and the bump of [`SUMMARY_LOGIC_VERSION`] it calls for) stays in one file.

use std::fs::Metadata;
use std::io::Read as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::codex::credential::Identity;

use super::super::atomic::{ensure_private_dir, sweep_stale_temps, write_cache};
use super::super::paths::Paths;
use super::{INDEX_FILE, SUMMARY_LOGIC_VERSION};

const FORMAT: &str = "authdeck-summary-index";

/// The largest index read (10,000 accounts take about 3 MiB); a larger file is ignored.
const MAX_INDEX_BYTES: u64 = 64 * 1024 * 1024;

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
    pub(super) dev: u64,
    #[serde(rename = "i")]
    pub(super) ino: u64,
    #[serde(rename = "s")]
    pub(super) size: u64,
    #[serde(rename = "m")]
    pub(super) mtime: (i64, i64),
    #[serde(rename = "c")]
    pub(super) ctime: (i64, i64),
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

    /// Whether the file last changed safely before `cutoff` (see "Racy files" in the parent).
    pub(super) fn settled_before(&self, cutoff: SystemTime) -> bool {
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

/// One entry: the facts, and the key of the file they were read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Cached {
    #[serde(rename = "k")]
    pub(super) key: FileKey,
    #[serde(rename = "f")]
    pub(super) facts: Facts,
    /// This listing found the file unchanged (entries not used are dropped on save).
    #[serde(skip)]
    pub(super) used: bool,
}

#[derive(Serialize, Deserialize)]
pub(super) struct IndexFile {
    pub(super) format: String,
    pub(super) version: u32,
    pub(super) authdeck: String,
    /// Sorted by name, like a listing, so lookups need no hashing.
    pub(super) entries: Vec<(String, Cached)>,
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

/// The entries of the index at `path`, sorted by name; `None` when it is not a valid index of
/// this version.
pub(super) fn read_index(path: &Path) -> Option<Vec<(String, Cached)>> {
    let bytes = read_bytes(path)?;
    let index: IndexFile = serde_json::from_slice(&bytes).ok()?;
    current(&index.format, index.version, &index.authdeck)
        .then(|| in_order(index.entries, |(name, _)| name.as_str()))
}

/// Writes `entries` (sorted by name) as the store's index, under this version's header. Best
/// effort: a store where it cannot be written is listed without it.
pub(super) fn write_index(paths: &Paths, entries: Vec<(String, Cached)>) {
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
    let result = ensure_private_dir(&dir).and_then(|()| write_cache(&dir.join(INDEX_FILE), &bytes));
    if let Err(e) = result {
        tracing::debug!(error = %e, "summary index not written");
    }
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
