//! The two file moves the store builds on, both refusing to replace an existing name: a move
//! (for `remove`, `rename`, undo) and a copy that leaves the source in place (for keeping the
//! old bytes of an account that is about to be replaced).

use std::io;
use std::path::Path;

/// Moves `from` to `to`, failing with `AlreadyExists` instead of replacing `to`.
///
/// A hard link is atomic and refuses an existing name; where hard links are not supported the
/// move falls back to check-then-rename, which is safe under the store lock.
pub(super) fn move_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            if std::fs::symlink_metadata(to).is_ok() {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            std::fs::rename(from, to)
        }
    }
}

/// Makes `to` hold the bytes of `from` without touching `from`, failing with `AlreadyExists`
/// instead of replacing `to`: a hard link (atomic, no data copied), else a private copy.
pub(super) fn copy_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            use std::io::Write as _;
            use std::os::unix::fs::OpenOptionsExt as _;
            let bytes = zeroize::Zeroizing::new(std::fs::read(from)?);
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(crate::store::atomic::FILE_MODE)
                .open(to)?;
            let written = file.write_all(&bytes).and_then(|()| file.sync_all());
            if written.is_err() {
                let _ = std::fs::remove_file(to);
            }
            written
        }
    }
}
