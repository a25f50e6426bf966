//! The usage cache: one small JSON file per account identity in the store's private area,
//! `<store>/.authdeck/usage/<key>.json`, 0600, written atomically.
//!
//! The key is a hash of the ChatGPT identity (workspace id + user id), not the account name, so
//! a renamed account keeps its figures and a new account that reuses an old name never shows
//! someone else's. The file holds the decoded figures, when they were fetched and, after a 429,
//! until when the backend asked not to be asked again. It never holds a token (the figures come
//! from the answer, which carries none) and authdeck's own read of it is capped and lenient: a
//! broken cache file is simply a missing one.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::Snapshot;
use crate::store::{Paths, StoreError};

/// The most authdeck reads of one cache file.
const MAX_CACHE_BYTES: u64 = 256 * 1024;

/// One account's cache file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheEntry {
    pub schema_version: u32,
    /// When `snapshot` was fetched (Unix seconds).
    pub fetched_at: Option<i64>,
    pub snapshot: Option<Snapshot>,
    /// After a 429: no request before this time (Unix seconds).
    #[serde(default)]
    pub retry_after_until: Option<i64>,
}

impl CacheEntry {
    /// An entry holding fresh figures.
    pub fn fresh(snapshot: Snapshot, fetched_at: i64) -> Self {
        Self {
            schema_version: 1,
            fetched_at: Some(fetched_at),
            snapshot: Some(snapshot),
            retry_after_until: None,
        }
    }

    /// Seconds until a pending Retry-After passes (`None` when none is pending).
    pub fn retry_pending(&self, now: i64) -> Option<u64> {
        self.retry_after_until
            .filter(|until| *until > now)
            .and_then(|until| u64::try_from(until.saturating_sub(now)).ok())
    }
}

/// `<store>/.authdeck/usage`.
pub fn dir(paths: &Paths) -> PathBuf {
    paths.meta_dir().join("usage")
}

/// The cache key of a ChatGPT identity: 32 hex digits of a SHA-256 over workspace and user id.
pub fn key(account_id: Option<&str>, user_id: Option<&str>) -> Option<String> {
    if account_id.is_none() && user_id.is_none() {
        return None;
    }
    let mut h = Sha256::new();
    h.update(b"authdeck-usage-v1\0");
    h.update(account_id.unwrap_or("").as_bytes());
    h.update(b"\0");
    h.update(user_id.unwrap_or("").as_bytes());
    Some(hex::encode(&h.finalize()[..16]))
}

fn file(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}.json"))
}

/// Reads an entry; a missing, oversized or unreadable file (or anything but a regular file) is
/// `None`.
pub fn read(dir: &Path, key: &str) -> Option<CacheEntry> {
    let path = file(dir, key);
    // Check the kind before opening: opening a FIFO for reading would block.
    if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let f = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    f.take(MAX_CACHE_BYTES + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > MAX_CACHE_BYTES {
        return None;
    }
    serde_json::from_slice::<CacheEntry>(&bytes)
        .ok()
        .filter(|e| e.schema_version == 1)
}

/// Writes an entry (creating the private directory, 0700, when needed): a new 0600 file beside
/// the old one, renamed over it, so a reader never sees half an entry.
///
/// Unlike credential writes there is no fsync: the cache is disposable (a lost or torn entry
/// after a power cut reads as missing and is simply fetched again), and forty fsyncs would cost
/// more than the forty requests they record.
pub fn write(dir: &Path, key: &str, entry: &CacheEntry) -> Result<(), StoreError> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    crate::store::atomic::ensure_private_dir(dir)?;
    let bytes = serde_json::to_vec(entry).unwrap_or_default();
    let target = file(dir, key);
    let tmp = dir.join(format!(
        ".{key}.{}.{:x}.tmp",
        std::process::id(),
        rand::random::<u64>()
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(&bytes))
        .and_then(|()| std::fs::rename(&tmp, &target));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        StoreError::io("write the usage cache", &target, &e)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::usage::Window;

    #[test]
    fn round_trip_private_and_lenient() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("store/.authdeck/usage");
        let k = key(Some("acct"), Some("user")).unwrap();
        assert_eq!(k.len(), 32);
        assert_ne!(Some(k.clone()), key(Some("acct"), Some("other")));
        assert_eq!(key(None, None), None);
        assert_eq!(read(&d, &k), None);
        let snap = Snapshot {
            windows: vec![Window {
                source: "primary".into(),
                main: true,
                window_seconds: Some(18_000),
                used_percent: 12.5,
                resets_at: Some(99),
            }],
            ..Snapshot::default()
        };
        let mut e = CacheEntry::fresh(snap, 1_000);
        e.retry_after_until = Some(1_030);
        write(&d, &k, &e).unwrap();
        assert_eq!(read(&d, &k), Some(e.clone()));
        let mode = std::fs::metadata(file(&d, &k))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let dmode = std::fs::metadata(&d).unwrap().permissions().mode();
        assert_eq!(dmode & 0o777, 0o700);
        assert_eq!(e.retry_pending(1_000), Some(30));
        assert_eq!(e.retry_pending(1_030), None);
        std::fs::write(file(&d, &k), b"{broken").unwrap();
        assert_eq!(read(&d, &k), None);
        std::fs::remove_file(file(&d, &k)).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(file(&d, &k))
            .status()
            .is_ok_and(|s| s.success());
        if made {
            assert_eq!(
                read(&d, &k),
                None,
                "a FIFO is not read (and does not block)"
            );
        }
    }
}
