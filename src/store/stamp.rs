//! Timestamped file names for backups and the trash: `<prefix>.<stamp>.json`, or
//! `<prefix>.<stamp>-<n>.json` when two land in the same microsecond.
//!
//! The stamp (`20261121T122551_123456Z`, UTC) has a fixed width and no `.`, so names sort
//! chronologically and a prefix that contains dots (account names may) is split off from the
//! right without ambiguity.

use std::path::{Path, PathBuf};

use chrono::Utc;

/// The current UTC time as a file-name stamp.
pub(crate) fn now_stamp() -> String {
    Utc::now().format("%Y%m%dT%H%M%S_%6fZ").to_string()
}

/// The first free `<prefix>.<stamp>[-n].json` in `dir`.
pub(crate) fn free_path(dir: &Path, prefix: &str, stamp: &str) -> PathBuf {
    let first = dir.join(format!("{prefix}.{stamp}.json"));
    if std::fs::symlink_metadata(&first).is_err() {
        return first;
    }
    let mut n: u32 = 1;
    loop {
        let p = dir.join(format!("{prefix}.{stamp}-{n}.json"));
        if std::fs::symlink_metadata(&p).is_err() || n == u32::MAX {
            return p;
        }
        n += 1;
    }
}

/// Splits `<prefix>.<stamp>[-n].json` into its sort key `(stamp, n)` when the file name has the
/// given prefix.
pub(crate) fn parse(file_name: &str, prefix: &str) -> Option<(String, u32)> {
    let rest = file_name.strip_prefix(prefix)?.strip_prefix('.')?;
    let stem = rest.strip_suffix(".json")?;
    if stem.contains('.') || !is_stamp_like(stem) {
        return None;
    }
    match stem.split_once('-') {
        Some((stamp, n)) => Some((stamp.to_string(), n.parse().ok()?)),
        None => Some((stem.to_string(), 0)),
    }
}

fn is_stamp_like(s: &str) -> bool {
    s.len() >= 16
        && s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'T' | 'Z' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip_and_sort() {
        let s = now_stamp();
        assert_eq!(s.len(), "20261121T122551_123456Z".len());
        let name = format!("my.acct.{s}.json");
        assert_eq!(parse(&name, "my.acct"), Some((s.clone(), 0)));
        assert_eq!(parse(&name, "my"), None);
        assert_eq!(parse(&format!("auth.{s}-3.json"), "auth"), Some((s, 3)));
        assert_eq!(parse("auth.json", "auth"), None);
        assert_eq!(parse("auth.notes.json", "auth"), None);
    }

    #[test]
    fn free_path_avoids_existing_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = free_path(dir.path(), "auth", "20260101T000000_000000Z");
        std::fs::write(&a, "x").expect("write");
        let b = free_path(dir.path(), "auth", "20260101T000000_000000Z");
        assert_ne!(a, b);
        assert!(b.to_string_lossy().ends_with("-1.json"));
    }
}
