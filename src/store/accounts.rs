//! The account store: one file per account, `<store>/<name>.json`, holding the verbatim
//! auth.json document (so Codex itself could read it).
//!
//! Every change runs under the store lock and writes atomically. Nothing is ever deleted
//! outright: a removed account moves to `<store>/.trash/<name>.<stamp>.json`, and an account
//! overwritten by `save --force` / `add --force` keeps its old bytes there, so a mistaken command
//! never destroys the only copy of a rotating refresh token.
//!
//! Replacing keeps the name present at every instant: the old file is first *linked* (or, where
//! hard links are unsupported, copied) into the trash, then the new document is written beside
//! it and renamed over the name. A process killed at any point leaves either the old account or
//! the new one under the name — never nothing (moving the old file away first, as 0.1.0 did,
//! left the account missing when the process died before the new file was in place).
//!
//! Listing is tolerant: junk in the store (other files, directories, hidden files, names that
//! break the rules, our own temporary files) is skipped, and an account file that cannot be read
//! or parsed is listed with the reason instead of failing the whole listing. Reads take no lock:
//! files are only ever replaced by rename, so a reader always sees a whole document.

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::codex::auth_file::AuthDoc;

use super::atomic::{ensure_private_dir, sync_dir};
use super::error::{ErrorKind, StoreError, quote, show};
use super::live::{FileState, read_doc_file};
use super::lock::{LockGuard, lock_with};
use super::options::Options;
use super::paths::Paths;
use super::stamp;
use links::{copy_no_replace, move_no_replace};

/// The longest account name.
pub const MAX_NAME_LEN: usize = 64;

const NAME_RULES: &str =
    "use 1–64 letters, digits, '.', '_' or '-', not starting with '.' (e.g. work-pro)";

/// Checks an account name: 1–64 of `A-Z a-z 0-9 . _ -`, not starting with `.`.
pub fn validate_name(name: &str) -> Result<(), StoreError> {
    let bad = |why: String| Err(StoreError::new(ErrorKind::InvalidName, why).with_hint(NAME_RULES));
    if name.is_empty() {
        return bad("the account name is empty".to_string());
    }
    let len = name.chars().count();
    if len > MAX_NAME_LEN {
        return bad(format!(
            "the account name is {len} characters long; the limit is {MAX_NAME_LEN}"
        ));
    }
    if name.starts_with('.') {
        return bad(format!("the account name {} starts with '.'", quote(name)));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        let shown = if c.is_control() || c.is_whitespace() {
            format!("{c:?}")
        } else {
            format!("'{c}'")
        };
        return bad(format!(
            "the account name {} contains {shown}, which is not allowed",
            quote(name)
        ));
    }
    Ok(())
}

/// One account file found in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub modified: Option<SystemTime>,
    /// The document, or why it cannot be read (the account is still listed).
    pub doc: Result<AuthDoc, String>,
}

/// What `save` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    /// Where the account's previous file went (with `force`, when it differed).
    pub replaced_to: Option<PathBuf>,
    /// The account already held exactly these bytes; nothing was written.
    pub unchanged: bool,
}

/// Reads one scanned account file. `None` when it is a directory or vanished meanwhile.
pub(crate) fn read_entry(name: String, path: PathBuf) -> Option<Entry> {
    // Follows symlinks: a link to an account file counts, a link to a directory not.
    let Ok(meta) = std::fs::metadata(&path) else {
        // Dangling link or vanished: list it as unreadable only if it is still there.
        return std::fs::symlink_metadata(&path).is_ok().then(|| Entry {
            name,
            path,
            modified: None,
            doc: Err("it is a symbolic link to a file that does not exist".into()),
        });
    };
    if meta.is_dir() {
        return None;
    }
    let doc = match read_doc_file(&path) {
        FileState::Missing => return None,
        FileState::Doc { doc, .. } => Ok(doc),
        other => Err(other.problem().unwrap_or_default()),
    };
    Some(Entry {
        name,
        path,
        modified: meta.modified().ok(),
        doc,
    })
}

/// The account store.
#[derive(Debug, Clone)]
pub struct Store {
    paths: Paths,
    opts: Options,
}

impl Store {
    pub fn new(paths: &Paths) -> Self {
        Self::with_options(paths, Options::default())
    }

    pub fn with_options(paths: &Paths, opts: Options) -> Self {
        Self {
            paths: paths.clone(),
            opts,
        }
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.paths.store
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// `<store>/<name>.json` for a valid name.
    pub fn account_path(&self, name: &str) -> Result<PathBuf, StoreError> {
        validate_name(name)?;
        Ok(self.paths.store.join(format!("{name}.json")))
    }

    /// The accounts, sorted by name. A missing store is empty.
    pub fn list(&self) -> Result<Vec<Entry>, StoreError> {
        self.list_map(|e| e)
    }

    /// The accounts, sorted by name, each read, parsed and handed to `f` one at a time, so a
    /// caller that keeps only a summary never holds every document at once (10,000 accounts).
    pub fn list_map<T>(&self, mut f: impl FnMut(Entry) -> T) -> Result<Vec<T>, StoreError> {
        Ok(self
            .scan()?
            .into_iter()
            .filter_map(|s| read_entry(s.name, s.path))
            .map(&mut f)
            .collect())
    }

    /// Reads one account.
    pub fn read(&self, name: &str) -> Result<AuthDoc, StoreError> {
        let path = self.account_path(name)?;
        match read_doc_file(&path) {
            FileState::Doc { doc, .. } => Ok(doc),
            FileState::Missing => Err(not_found(name, &path)),
            other => Err(StoreError::new(
                ErrorKind::AccountCorrupt,
                format!(
                    "account {} ({}) cannot be used: {}",
                    quote(name),
                    show(&path),
                    other.problem().unwrap_or_default()
                ),
            )
            .with_hint("fix the file, or remove the account and save it again")),
        }
    }

    /// Whether an account file exists.
    pub fn exists(&self, name: &str) -> Result<bool, StoreError> {
        let path = self.account_path(name)?;
        Ok(std::fs::symlink_metadata(path).is_ok())
    }

    /// Saves a document as an account. An existing account is only replaced with `force`, and
    /// its old file goes to the trash.
    pub fn save(&self, name: &str, doc: &AuthDoc, force: bool) -> Result<Saved, StoreError> {
        validate_name(name)?;
        let guard = lock_with(&self.paths, self.opts.lock_wait)?;
        self.save_locked(&guard, name, doc.as_bytes(), force)
    }

    pub(crate) fn save_locked(
        &self,
        _lock: &LockGuard,
        name: &str,
        bytes: &[u8],
        force: bool,
    ) -> Result<Saved, StoreError> {
        let path = self.account_path(name)?;
        ensure_private_dir(&self.paths.store)?;
        let mut replaced_to = None;
        if std::fs::symlink_metadata(&path).is_ok() {
            // Saving exactly what is already there changes nothing, so it needs no --force.
            if std::fs::read(&path)
                .map(zeroize::Zeroizing::new)
                .is_ok_and(|old| old.as_slice() == bytes)
            {
                return Ok(Saved {
                    path,
                    replaced_to: None,
                    unchanged: true,
                });
            }
            if !force {
                return Err(StoreError::new(
                    ErrorKind::AccountExists,
                    format!("account {} already exists ({})", quote(name), show(&path)),
                )
                .with_hint("pass --force to replace it (the old file goes to the trash)"));
            }
            replaced_to = Some(self.keep_in_trash(name, &path)?);
        }
        (self.opts.write)(&path, bytes)?;
        Ok(Saved {
            path,
            replaced_to,
            unchanged: false,
        })
    }

    /// Renames an account; never overwrites another one.
    pub fn rename(&self, old: &str, new: &str) -> Result<PathBuf, StoreError> {
        let from = self.account_path(old)?;
        let to = self.account_path(new)?;
        let _guard = lock_with(&self.paths, self.opts.lock_wait)?;
        if std::fs::symlink_metadata(&from).is_err() {
            return Err(not_found(old, &from));
        }
        if old == new {
            return Ok(to);
        }
        match move_no_replace(&from, &to) {
            Ok(()) => {
                sync_dir(&self.paths.store);
                // Best effort: `switch -` follows the rename.
                let _ = super::previous::follow_rename(&self.paths, old, new);
                Ok(to)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(StoreError::new(
                ErrorKind::AccountExists,
                format!(
                    "cannot rename {} to {}: account {} already exists ({})",
                    quote(old),
                    quote(new),
                    quote(new),
                    show(&to)
                ),
            )
            .with_hint("choose another name, or remove that account first")),
            Err(e) => Err(StoreError::io("rename", &from, &e)),
        }
    }

    /// Moves an account to `<store>/.trash/` and returns where it went.
    pub fn remove(&self, name: &str) -> Result<PathBuf, StoreError> {
        let path = self.account_path(name)?;
        let _guard = lock_with(&self.paths, self.opts.lock_wait)?;
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(not_found(name, &path));
        }
        self.move_to_trash(name, &path)
    }

    /// Brings back the most recently removed copy of `name` (undo of [`Store::remove`]).
    pub fn restore_last_removed(&self, name: &str) -> Result<PathBuf, StoreError> {
        let path = self.account_path(name)?;
        let _guard = lock_with(&self.paths, self.opts.lock_wait)?;
        let trash = self.paths.trash_dir();
        let newest = std::fs::read_dir(&trash)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let file_name = e.file_name().to_str()?.to_string();
                stamp::parse(&file_name, name).map(|key| (key, e.path()))
            })
            .max_by(|a, b| a.0.cmp(&b.0));
        let Some((_, from)) = newest else {
            return Err(StoreError::new(
                ErrorKind::NothingToRestore,
                format!(
                    "no removed copy of account {} in {}",
                    quote(name),
                    show(&trash)
                ),
            )
            .with_hint("nothing to undo"));
        };
        match move_no_replace(&from, &path) {
            Ok(()) => {
                sync_dir(&trash);
                sync_dir(&self.paths.store);
                Ok(path)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(StoreError::new(
                ErrorKind::AccountExists,
                format!(
                    "cannot restore account {}: it exists again ({})",
                    quote(name),
                    show(&path)
                ),
            )
            .with_hint(format!(
                "rename the current one first; the removed copy stays at {}",
                show(&from)
            ))),
            Err(e) => Err(StoreError::io("restore", &from, &e)),
        }
    }

    /// Moves the account file at `path` into the trash (the name disappears: `remove`).
    fn move_to_trash(&self, name: &str, path: &Path) -> Result<PathBuf, StoreError> {
        self.put_in_trash(name, path, "move to the trash", move_no_replace)
    }

    /// Puts a copy of the account file at `path` into the trash and leaves `path` in place, so
    /// the caller can then replace it atomically (see the module docs).
    fn keep_in_trash(&self, name: &str, path: &Path) -> Result<PathBuf, StoreError> {
        self.put_in_trash(name, path, "keep a copy in the trash of", copy_no_replace)
    }

    fn put_in_trash(
        &self,
        name: &str,
        path: &Path,
        verb: &str,
        op: fn(&Path, &Path) -> io::Result<()>,
    ) -> Result<PathBuf, StoreError> {
        let trash = self.paths.trash_dir();
        ensure_private_dir(&trash)?;
        let stamp = stamp::now_stamp();
        // A clash is only possible with another move in the same microsecond; retry a few times.
        let mut last = None;
        for _ in 0..8 {
            let to = stamp::free_path(&trash, name, &stamp);
            match op(path, &to) {
                Ok(()) => {
                    sync_dir(&self.paths.store);
                    sync_dir(&trash);
                    return Ok(to);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(StoreError::io(verb, path, &e)),
            }
        }
        Err(StoreError::io(
            verb,
            path,
            &last.unwrap_or_else(|| io::Error::other("no free name")),
        ))
    }
}

pub(crate) fn not_found(name: &str, path: &Path) -> StoreError {
    StoreError::new(
        ErrorKind::AccountNotFound,
        format!(
            "no account named {} ({} does not exist)",
            quote(name),
            show(path)
        ),
    )
    .with_hint("run `authdeck list` to see the saved accounts")
}

mod links;
mod scan;

#[cfg(test)]
pub(crate) use scan::stat_all_with;
pub(crate) use scan::{Scanned, stat_all};
#[cfg(test)]
pub(crate) mod tests;
