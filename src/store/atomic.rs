//! Crash-safe file replacement.
//!
//! Codex rewrites auth.json in place (truncate, write), so a crash mid-write leaves half a
//! credential. authdeck never does that: [`write_atomic`] writes a new file next to the target
//! (same directory, so the rename cannot cross file systems), created with `create_new` and mode
//! 0600 from the start (never briefly world-readable), flushes it to disk, renames it over the
//! target and flushes the directory. A reader — Codex, another authdeck, a crash-recovery — sees
//! either the whole old file or the whole new one, never a mix. On any failure before the rename
//! the temporary file is removed and the target is untouched.
//!
//! **Symbolic links.** If the target path is a symbolic link, the *link itself* is replaced by
//! the new regular file (that is what renaming over a path does). The link's target is never
//! opened for writing: following it would write a credential to wherever the link points, which
//! may be a shared or attacker-chosen file, and could not be done atomically anyway. The old
//! target file is left exactly as it was.
//!
//! The directory fsync after the rename is best effort: the rename has already happened, and some
//! file systems refuse to sync directories; failing the whole write then would report a change
//! that did happen as one that did not.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::StoreError;

/// Mode of every file authdeck writes.
pub const FILE_MODE: u32 = 0o600;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `bytes`, atomically (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], with the content produced by `fill` writing into the new file. Tests
/// use it to simulate a write failing midway (disk full); it also streams copies.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), StoreError> {
    let dir = parent_of(path);
    let file_name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let (tmp_path, mut file) = create_temp(&dir, &file_name)
        .map_err(|e| StoreError::io("create a temporary file in", &dir, &e))?;
    let written = fill(&mut file).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(StoreError::io("write", path, &e));
    }
    if let Err(e) = std::fs::rename(&tmp_path, path) {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(StoreError::io("replace", path, &e));
    }
    sync_dir(&dir);
    Ok(())
}

/// Replaces `path` with `bytes` like [`write_atomic`] (temporary file, 0600, rename) but without
/// flushing to disk: for caches, which a crash may lose or truncate (they are then ignored and
/// rebuilt), where the cost of an fsync would defeat their purpose.
pub(crate) fn write_cache(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = parent_of(path);
    let file_name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let (tmp_path, mut file) = create_temp(&dir, &file_name)
        .map_err(|e| StoreError::io("create a temporary file in", &dir, &e))?;
    let written = file.write_all(bytes);
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp_path, path)) {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(StoreError::io("write", path, &e));
    }
    Ok(())
}

/// The directory a path lives in (`.` for a bare file name).
pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Flushes a directory's entries (best effort, see the module docs).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Creates `.<name>.tmp.<pid>.<n>` in `dir` with `create_new` and mode 0600, retrying on a
/// name clash (a leftover from a killed process).
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last_err = None;
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let tmp = dir.join(format!(".{name}.tmp.{pid}.{n}.{nanos:x}"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("could not pick a temporary file name")))
}

/// Creates a directory (and missing parents) with mode 0700. An existing directory is left
/// as it is.
pub(crate) fn ensure_private_dir(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::DirBuilderExt as _;
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => {
            return Err(StoreError::io(
                "use the directory",
                dir,
                &io::Error::other("it exists and is not a directory"),
            ));
        }
        Err(_) => {}
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| StoreError::io("create the directory", dir, &e))
}

/// Removes temp files left in `dir` by writers that died mid-write (SIGKILL, power loss): files
/// named `.<name>.tmp.<pid>.…` (the pattern [`create_temp`] uses) whose process no longer exists.
/// Called with the store lock held, so no live authdeck is writing them. Without `/proc` there is
/// no way to tell a dead writer from a live one, and nothing is removed. Returns how many went.
pub fn sweep_stale_temps(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for item in rd.filter_map(Result::ok) {
        let name = item.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_stale_temp(name) && std::fs::remove_file(item.path()).is_ok() {
            tracing::info!(
                file = name,
                "removed a temp file left by a writer that died"
            );
            removed += 1;
        }
    }
    removed
}

/// Whether `file_name` is a temp file of a writer that no longer exists (see
/// [`sweep_stale_temps`]); `false` for every other name, and when `/proc` cannot tell.
pub(crate) fn is_stale_temp(file_name: &str) -> bool {
    let Some(pid) = temp_writer_pid(file_name) else {
        return false;
    };
    let proc_root = Path::new("/proc");
    pid != std::process::id()
        && proc_root.join("self").exists()
        && !proc_root.join(pid.to_string()).exists()
}

/// The writer's pid in a temp file name `.<name>.tmp.<pid>.<n>.<nanos>`, if it is one.
fn temp_writer_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let (_, after) = rest.rsplit_once(".tmp.")?;
    let mut parts = after.split('.');
    let pid = parts.next()?.parse().ok()?;
    parts.next()?.parse::<u64>().ok()?;
    u64::from_str_radix(parts.next()?, 16).ok()?;
    parts.next().is_none().then_some(pid)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_new_file_with_mode_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("auth.json");
        write_atomic(&p, b"{}\n").expect("writes");
        assert_eq!(std::fs::read(&p).expect("read"), b"{}\n");
        let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(entries(dir.path()), vec!["auth.json"]);
    }

    #[test]
    fn replaces_existing_and_tightens_mode() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("auth.json");
        std::fs::write(&p, "old").expect("write");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&p, b"new").expect("writes");
        assert_eq!(std::fs::read(&p).expect("read"), b"new");
        let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn failing_writer_leaves_original_and_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("auth.json");
        std::fs::write(&p, "original").expect("write");
        let err = write_atomic_with(&p, |f| {
            f.write_all(b"half a docu")?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
        .expect_err("fails");
        assert!(err.to_string().contains("disk is full"), "{err}");
        assert_eq!(std::fs::read(&p).expect("read"), b"original");
        assert_eq!(entries(dir.path()), vec!["auth.json"]);
    }

    #[test]
    fn symlink_is_replaced_and_target_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("real.json");
        std::fs::write(&target, "target").expect("write");
        let link = dir.path().join("auth.json");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        write_atomic(&link, b"new").expect("writes");
        assert_eq!(std::fs::read(&target).expect("read"), b"target");
        let meta = std::fs::symlink_metadata(&link).expect("meta");
        assert!(meta.file_type().is_file());
        assert_eq!(std::fs::read(&link).expect("read"), b"new");
    }

    #[test]
    fn missing_directory_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("no/such/auth.json");
        let err = write_atomic(&p, b"x").expect_err("fails");
        assert!(err.message().contains("temporary file"), "{err}");
        assert!(err.message().contains("no/such"), "{err}");
    }

    #[test]
    fn rename_onto_a_directory_fails_cleanly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("auth.json");
        std::fs::create_dir(&p).expect("mkdir");
        std::fs::write(p.join("inner"), "keep").expect("write");
        let err = write_atomic(&p, b"x").expect_err("fails");
        assert!(err.message().contains("could not replace"), "{err}");
        assert_eq!(entries(dir.path()), vec!["auth.json"]);
        assert_eq!(std::fs::read(p.join("inner")).expect("read"), b"keep");
    }

    #[test]
    fn temp_names_are_recognised_exactly() {
        assert_eq!(
            temp_writer_pid(".auth.json.tmp.24221.1.3890bf1c"),
            Some(24221)
        );
        assert_eq!(temp_writer_pid(".a.b.json.tmp.7.0.ff"), Some(7));
        for not_ours in [
            "auth.json",
            ".auth.json",
            ".x.tmp.abc.1.ff",
            ".x.tmp.1.1.zz",
            ".x.tmp.1.1.ff.extra",
            "x.tmp.1.1.ff",
        ] {
            assert_eq!(temp_writer_pid(not_ours), None, "{not_ours}");
        }
    }

    #[test]
    fn sweep_removes_only_dead_writers_temps() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dead = dir.path().join(".auth.json.tmp.4000000000.1.ff");
        let live = dir
            .path()
            .join(format!(".auth.json.tmp.{}.1.ff", std::process::id()));
        let other = dir.path().join(".auth.json.tmp.notapid");
        for p in [&dead, &live, &other] {
            std::fs::write(p, b"x").expect("write");
        }
        assert_eq!(sweep_stale_temps(dir.path()), 1);
        assert!(!dead.exists() && live.exists() && other.exists());
    }
}
