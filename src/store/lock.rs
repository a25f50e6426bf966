//! One advisory lock for every read-modify-write of the live file or the store.
//!
//! Two authdecks (two terminals, the TUI and a script) switching at once could otherwise both
//! read the same live file, both sync it back and both write auth.json, losing a sync-back. The
//! lock is an `flock`-style advisory lock (`File::lock`, stable since Rust 1.89) on
//! `<store>/.authdeck/lock`. The kernel drops it when the holder's file is closed, including
//! when the process is killed, so a crash never leaves a stale lock behind; the lock file itself
//! stays (it is empty and harmless).
//!
//! Acquiring waits a bounded time (10 s by default) and then fails with a clear error, instead of
//! hanging forever behind a stuck process. Codex itself takes no lock; the atomic rename keeps
//! what it reads whole.
//!
//! The lock file is opened with `O_NOFOLLOW`, and a symlinked `.authdeck` directory is refused:
//! otherwise a link planted in the store would make authdeck create (and keep open) a file
//! wherever it points.
//!
//! The lock is not reentrant: each open of the lock file is its own lock, so code holding a
//! [`LockGuard`] must call the `*_locked` helpers, never the public locking entry points.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::atomic::{FILE_MODE, ensure_private_dir};
use super::error::{ErrorKind, StoreError, show};
use super::paths::Paths;

/// How long [`lock`] waits for another authdeck.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(10);

/// Holds the store lock until dropped.
#[derive(Debug)]
pub struct LockGuard {
    file: File,
    path: PathBuf,
}

impl LockGuard {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first just makes it immediate.
        let _ = self.file.unlock();
    }
}

/// Takes the store lock, waiting up to [`DEFAULT_LOCK_WAIT`].
pub fn lock(paths: &Paths) -> Result<LockGuard, StoreError> {
    lock_with(paths, DEFAULT_LOCK_WAIT)
}

/// Takes the store lock, waiting up to `wait`.
pub fn lock_with(paths: &Paths, wait: Duration) -> Result<LockGuard, StoreError> {
    ensure_private_dir(&paths.store)?;
    let meta = paths.meta_dir();
    if std::fs::symlink_metadata(&meta).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(planted_link(&meta));
    }
    ensure_private_dir(&meta)?;
    let path = paths.lock_file();
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(FILE_MODE)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                planted_link(&path)
            } else {
                StoreError::io("open the lock file", &path, &e)
            }
        })?;
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_millis(2);
    loop {
        match file.try_lock() {
            Ok(()) => {
                // Holding the lock, no live authdeck is mid-write: clear what dead ones left
                // beside auth.json. The store, which may hold 10,000 files, is swept when a
                // listing's directory read comes across such a file ([`sweep_store_if_free`]).
                super::atomic::sweep_stale_temps(&paths.codex_home);
                return Ok(LockGuard { file, path });
            }
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(StoreError::io("lock", &path, &e));
            }
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(StoreError::new(
                ErrorKind::Locked,
                format!(
                    "another authdeck is changing the accounts (lock {}); waited {} s",
                    show(&path),
                    wait.as_secs_f32()
                ),
            )
            .with_hint("try again when it has finished; nothing was changed"));
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// Removes dead writers' temp files from the store (see `store::atomic::sweep_stale_temps`)
/// when the lock is free right now; otherwise leaves them for a later listing. Listings call it
/// when their directory read comes across one: they already read the directory that a sweep at
/// every lock would read again.
pub(crate) fn sweep_store_if_free(paths: &Paths) {
    if let Ok(guard) = lock_with(paths, Duration::ZERO) {
        super::atomic::sweep_stale_temps(&paths.store);
        drop(guard);
    }
}

/// The error for a symbolic link where authdeck keeps its own lock.
fn planted_link(path: &Path) -> StoreError {
    StoreError::new(
        ErrorKind::Io,
        format!(
            "{} is a symbolic link; authdeck does not follow links for its lock",
            show(path)
        ),
    )
    .with_hint(format!(
        "remove the link (rm {}) and try again; authdeck recreates what it needs",
        show(path)
    ))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn second_lock_waits_then_fails_clearly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        let held = lock(&paths).expect("first lock");
        let started = Instant::now();
        let err = lock_with(&paths, Duration::from_millis(150)).expect_err("busy");
        assert!(started.elapsed() >= Duration::from_millis(150));
        assert_eq!(err.kind(), ErrorKind::Locked);
        assert!(err.message().contains("another authdeck"), "{err}");
        assert!(err.message().contains(".authdeck/lock"), "{err}");
        drop(held);
        lock_with(&paths, Duration::from_millis(150)).expect("free again");
    }

    #[test]
    fn lock_is_released_for_a_waiter() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        let held = lock(&paths).expect("first lock");
        let p2 = paths.clone();
        let waiter = std::thread::spawn(move || lock_with(&p2, Duration::from_secs(5)).is_ok());
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        assert!(waiter.join().expect("join"));
    }

    /// A link planted at the lock file (or its directory) must not make authdeck create the
    /// link's target: refused with a clear error, target not created.
    #[test]
    fn a_planted_symlink_is_refused_and_its_target_not_created() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path().join("home"));
        std::fs::create_dir_all(paths.meta_dir()).expect("mkdir");
        let target = dir.path().join("created-by-the-link");
        std::os::unix::fs::symlink(&target, paths.lock_file()).expect("symlink");
        let err = lock(&paths).expect_err("refused");
        assert!(err.message().contains("is a symbolic link"), "{err}");
        assert!(err.hint().is_some_and(|h| h.contains("rm ")), "{err}");
        assert!(!target.exists(), "the link's target must not be created");

        let other = Paths::in_codex_home(dir.path().join("home2"));
        std::fs::create_dir_all(&other.store).expect("mkdir");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).expect("mkdir");
        std::os::unix::fs::symlink(&elsewhere, other.meta_dir()).expect("symlink");
        let err = lock(&other).expect_err("refused");
        assert!(
            err.message().contains(".authdeck is a symbolic link"),
            "{err}"
        );
        assert!(!elsewhere.join("lock").exists());
    }

    #[test]
    fn dirs_are_private() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path().join("home"));
        let _g = lock(&paths).expect("lock");
        for d in [&paths.store, &paths.meta_dir()] {
            let mode = std::fs::metadata(d).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", d.display());
        }
    }
}
