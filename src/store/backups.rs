//! Backups of the live auth.json, taken before authdeck replaces it.
//!
//! Every change of the live file (switch, mode, provision — all through [`replace_live`]) first
//! copies the live file to
//! `<store>/.backups/auth.<stamp>.json` (0600), so whatever was live — even a file authdeck
//! cannot parse, or one that belongs to no saved account — can be put back by hand. The copy is
//! streamed (no size cap: a backup must be whole) and written atomically. Only the newest
//! [`DEFAULT_KEEP_BACKUPS`](super::options::DEFAULT_KEEP_BACKUPS) are kept; pruning happens
//! after a successful change and only touches files named like our backups.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::{ensure_private_dir, write_atomic_with};
use super::error::StoreError;
use super::lock::LockGuard;
use super::options::Options;
use super::paths::Paths;
use super::stamp;

const PREFIX: &str = "auth";

/// Copies the live auth.json into the backups (call with the store lock held). `Ok(None)` when there is no live file (or only a
/// dangling link, which holds nothing to keep).
pub fn backup_live(_lock: &LockGuard, paths: &Paths) -> Result<Option<PathBuf>, StoreError> {
    let live = paths.auth_json();
    // Check the kind before opening: opening a FIFO would block, a directory is not a backup.
    match std::fs::metadata(&live) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_back_up(&live, &e)),
        Ok(m) if !m.is_file() => {
            return Err(cannot_back_up(
                &live,
                &io::Error::other("it is not a regular file"),
            ));
        }
        Ok(_) => {}
    }
    let mut src = File::open(&live).map_err(|e| cannot_back_up(&live, &e))?;
    let dir = paths.backups_dir();
    ensure_private_dir(&dir)?;
    let dest = stamp::free_path(&dir, PREFIX, &stamp::now_stamp());
    write_atomic_with(&dest, |f| io::copy(&mut src, f).map(|_| ()))?;
    Ok(Some(dest))
}

/// A replaced live file: where the old one was backed up, and a warning if pruning old backups
/// failed (which never undoes the write).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replaced {
    pub backup: Option<PathBuf>,
    pub warning: Option<String>,
}

/// Replaces the live auth.json with `bytes` the one way every writer of it must (call with the
/// store lock held): back the current file up, write atomically with `opts.write`, then prune
/// old backups. If the backup fails nothing is written. If the write fails (a read-only Codex
/// home, a full disk) the live file is unchanged, so the fresh backup is a mere duplicate and is
/// removed again: the error's "nothing was changed" must be true of the backups too.
pub fn replace_live(
    lock: &LockGuard,
    paths: &Paths,
    bytes: &[u8],
    opts: &Options,
) -> Result<Replaced, StoreError> {
    let backup = backup_live(lock, paths)?;
    if let Err(e) = (opts.write)(&paths.auth_json(), bytes) {
        if let Some(b) = &backup {
            let _ = std::fs::remove_file(b);
        }
        return Err(e);
    }
    let warning = prune_backups(lock, paths, opts.keep_backups)
        .err()
        .map(|e| format!("could not prune old backups: {e}"));
    Ok(Replaced { backup, warning })
}

fn cannot_back_up(live: &Path, e: &io::Error) -> StoreError {
    StoreError::io("back up", live, e).with_hint(
        "authdeck will not replace a file it cannot back up; fix its permissions or move it \
         away, then try again",
    )
}

/// The backups, oldest first.
pub fn list_backups(paths: &Paths) -> Vec<PathBuf> {
    let dir = paths.backups_dir();
    let mut found: Vec<((String, u32), PathBuf)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            stamp::parse(&name, PREFIX).map(|key| (key, e.path()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Deletes all but the newest `keep` backups; returns how many were deleted.
pub fn prune_backups(_lock: &LockGuard, paths: &Paths, keep: usize) -> Result<usize, StoreError> {
    let all = list_backups(paths);
    let excess = all.len().saturating_sub(keep);
    let mut removed = 0;
    for p in all.iter().take(excess) {
        remove(p)?;
        removed += 1;
    }
    Ok(removed)
}

fn remove(p: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io("delete the old backup", p, &e)),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::store::lock::lock;

    #[test]
    fn backup_copies_bytes_privately_and_prune_keeps_newest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        let g = lock(&paths).expect("lock");
        assert_eq!(backup_live(&g, &paths).expect("no live"), None);
        let mut made = Vec::new();
        for i in 0..5 {
            std::fs::write(paths.auth_json(), format!("live {i}")).expect("write");
            made.push(backup_live(&g, &paths).expect("backup").expect("path"));
        }
        let b = &made[4];
        assert_eq!(std::fs::read(b).expect("read"), b"live 4");
        assert_eq!(
            std::fs::metadata(b).expect("meta").permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(list_backups(&paths), made);
        std::fs::write(paths.backups_dir().join("notes.txt"), "mine").expect("write");
        assert_eq!(prune_backups(&g, &paths, 2).expect("prune"), 3);
        assert_eq!(list_backups(&paths), made[3..].to_vec());
        assert!(paths.backups_dir().join("notes.txt").exists());
    }

    /// A write that fails (read-only Codex home) leaves no backup behind: nothing changed.
    #[test]
    fn a_failed_replace_leaves_no_backup() {
        fn read_only(path: &Path, _: &[u8]) -> Result<(), StoreError> {
            Err(StoreError::io(
                "replace",
                path,
                &io::Error::from(io::ErrorKind::ReadOnlyFilesystem),
            ))
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        let g = lock(&paths).expect("lock");
        std::fs::write(paths.auth_json(), "live").expect("write");
        let opts = Options {
            write: read_only,
            ..Options::default()
        };
        let err = replace_live(&g, &paths, b"new", &opts).expect_err("read-only");
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("nothing was changed"))
        );
        assert_eq!(list_backups(&paths), Vec::<PathBuf>::new());
        assert_eq!(std::fs::read(paths.auth_json()).expect("read"), b"live");
        let done = replace_live(&g, &paths, b"new", &Options::default()).expect("writable");
        assert_eq!(list_backups(&paths), vec![done.backup.expect("backed up")]);
    }

    #[test]
    fn unreadable_live_is_not_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        let g = lock(&paths).expect("lock");
        std::fs::create_dir(paths.auth_json()).expect("mkdir");
        let err = backup_live(&g, &paths).expect_err("a directory");
        assert!(err.message().contains("could not back up"), "{err}");
    }
}
