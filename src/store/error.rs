//! The one error type of the store.
//!
//! Every failure says *what* failed, *where* (the path) and *what to do*, as two parts: the
//! message (what and where) and a hint (what to do). `Display` joins them so a caller
//! that only prints the error still tells the whole story; the CLI prints them on separate
//! lines. Messages never contain credential material: only paths, account names, auth modes and
//! OS error texts, all passed through [`crate::sanitize::clean`] because a path or name can
//! carry terminal escapes.

use std::io;
use std::path::Path;

use crate::sanitize::clean;

/// What kind of failure a [`StoreError`] is, for callers that react differently (exit codes,
/// TUI wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `CODEX_HOME` / `--codex-home` is not a usable directory, or no home directory is known.
    CodexHome,
    /// The store is the Codex home itself, or holds the live auth.json: its "accounts" would
    /// include the live credential, and `remove` would trash it.
    StoreLocation,
    /// An account name breaks the naming rules.
    InvalidName,
    /// The account (or the rename target) already exists.
    AccountExists,
    /// No such account.
    AccountNotFound,
    /// A typed name is the prefix of several accounts.
    AmbiguousName,
    /// `switch -`: no previous account is known (or it was never saved as an account).
    NoPrevious,
    /// The account file exists but is not a usable JSON document.
    AccountCorrupt,
    /// There is no live auth.json.
    LiveMissing,
    /// The live auth.json exists but cannot be read or parsed.
    LiveInvalid,
    /// Another authdeck holds the store lock.
    Locked,
    /// Codex keeps credentials somewhere other than auth.json (keyring, memory).
    NotFileStore,
    /// The requested auth mode has no material in the document.
    ModeUnavailable,
    /// Nothing in the trash to restore.
    NothingToRestore,
    /// Codex would refuse (or delete) the credential under the current config.toml; nothing was
    /// written (`--force` overrides).
    CodexWouldRefuse,
    /// Any other file-system failure (permissions, read-only file system, full disk…).
    Io,
}

/// A store failure: what failed and where, plus what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", hint_suffix(.hint.as_deref()))]
pub struct StoreError {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
}

fn hint_suffix(hint: Option<&str>) -> String {
    hint.map(|h| format!("; {h}")).unwrap_or_default()
}

/// A path as shown in messages (control characters made visible).
pub(crate) fn show(path: &Path) -> String {
    clean(&path.display().to_string()).into_owned()
}

/// An account name (or any user-supplied text) as shown in messages.
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", clean(name))
}

impl StoreError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What failed and where.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// A file-system failure: `could not <action> <path>: <os error>`, with a hint chosen from
    /// the error (permissions, read-only file system, full disk…).
    pub fn io(action: &str, path: &Path, err: &io::Error) -> Self {
        let hint = match err.kind() {
            io::ErrorKind::PermissionDenied => format!(
                "check that you own {} and can write to its directory; nothing was changed",
                show(path)
            ),
            io::ErrorKind::ReadOnlyFilesystem => {
                "the file system is read-only; nothing was changed".to_string()
            }
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                "the disk is full; free some space and try again; nothing was changed".to_string()
            }
            io::ErrorKind::NotFound => {
                "check that the directory exists; nothing was changed".to_string()
            }
            _ => "nothing was changed; fix the cause and try again".to_string(),
        };
        Self::new(
            ErrorKind::Io,
            format!(
                "could not {action} {}: {}",
                show(path),
                clean(&err.to_string())
            ),
        )
        .with_hint(hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_name_the_path_and_suggest_a_fix() {
        let e = StoreError::io(
            "write",
            Path::new("/x/auth.json"),
            &io::Error::from(io::ErrorKind::PermissionDenied),
        );
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(
            e.message().starts_with("could not write /x/auth.json: "),
            "{e}"
        );
        assert!(e.hint().is_some_and(|h| h.contains("nothing was changed")));
        let full = StoreError::io(
            "write",
            Path::new("/x"),
            &io::Error::from(io::ErrorKind::StorageFull),
        );
        assert!(full.to_string().contains("disk is full"), "{full}");
    }

    #[test]
    fn escapes_in_paths_are_made_visible() {
        let e = StoreError::io(
            "read",
            Path::new("/tmp/\x1b[2Jevil"),
            &io::Error::from(io::ErrorKind::NotFound),
        );
        assert!(!e.to_string().contains('\x1b'));
    }
}
