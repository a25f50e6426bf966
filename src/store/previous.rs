//! The previous account: what `switch -` (and the TUI's `-`) switches back to.
//!
//! Every switch that changes the live account records the account being left in
//! `<store>/.authdeck/previous.json` (`{"previous": "alice"}`, or `null` when the credential
//! being left was not saved as an account), written atomically with mode 0600 while the switch
//! still holds the store lock. The CLI and the TUI both switch through
//! [`switch_with`](super::switch::switch_with), so either one's switch is remembered for the
//! other. Renaming the previous account updates the record; removing it does not (`u` in the TUI
//! can bring it back, and `switch -` then works again), and `switch -` says clearly when it is
//! gone.
//!
//! The record is a convenience: a missing, unreadable or tampered file simply means "no previous
//! account", and failing to write it never fails the switch (the switch reports a warning).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::accounts::validate_name;
use super::atomic::{ensure_private_dir, write_atomic};
use super::error::{ErrorKind, StoreError, quote, show};
use super::names::{Matched, Resolved, resolve_account};
use super::paths::Paths;

/// What `switch` accepts to mean "the previous account".
pub const PREVIOUS: &str = "-";

/// What is known about the account that was live before the last switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// No switch was recorded (or the record cannot be read).
    Unknown,
    /// The credential that was live before the last switch was not saved as an account.
    Unsaved,
    /// This account was live before the last switch.
    Account(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    previous: Option<String>,
}

/// `<store>/.authdeck/previous.json`.
pub fn previous_file(paths: &Paths) -> PathBuf {
    paths.meta_dir().join("previous.json")
}

/// Reads the record. Anything unexpected (missing, unreadable, not our JSON, an invalid name)
/// is [`Previous::Unknown`].
pub fn read_previous(paths: &Paths) -> Previous {
    let Ok(bytes) = std::fs::read(previous_file(paths)) else {
        return Previous::Unknown;
    };
    match serde_json::from_slice::<Record>(&bytes) {
        Ok(Record { previous: None }) => Previous::Unsaved,
        Ok(Record {
            previous: Some(name),
        }) if validate_name(&name).is_ok() => Previous::Account(name),
        _ => Previous::Unknown,
    }
}

/// The previous account's name, when there is one (for the TUI's `-`).
pub fn previous_account(paths: &Paths) -> Option<String> {
    match read_previous(paths) {
        Previous::Account(name) => Some(name),
        Previous::Unknown | Previous::Unsaved => None,
    }
}

/// Records `from` (the account being left; `None` = an unsaved credential). Call with the store
/// lock held.
pub(crate) fn remember_previous(paths: &Paths, from: Option<&str>) -> Result<(), StoreError> {
    let record = Record {
        previous: from.map(str::to_string),
    };
    let bytes = serde_json::to_vec(&record).map_err(|e| {
        StoreError::new(
            ErrorKind::Io,
            format!("could not encode the previous account: {e}"),
        )
    })?;
    ensure_private_dir(&paths.meta_dir())?;
    write_atomic(&previous_file(paths), &bytes)
}

/// After renaming `old` to `new` (store lock held): the record follows the rename.
pub(crate) fn follow_rename(paths: &Paths, old: &str, new: &str) -> Result<(), StoreError> {
    if read_previous(paths) == Previous::Account(old.to_string()) {
        remember_previous(paths, Some(new))
    } else {
        Ok(())
    }
}

/// Resolves the account a `switch` names: [`PREVIOUS`] (`-`) is the previous account, anything
/// else goes through [`resolve_account`].
pub fn resolve_switch_target(paths: &Paths, typed: &str) -> Result<Resolved, StoreError> {
    if typed != PREVIOUS {
        return resolve_account(paths, typed);
    }
    let name = match read_previous(paths) {
        Previous::Account(name) => name,
        Previous::Unknown => {
            return Err(StoreError::new(
                ErrorKind::NoPrevious,
                "there is no previous account to switch back to yet",
            )
            .with_hint(
                "authdeck remembers the account you leave at each switch; \
                 run `authdeck switch NAME` first",
            ));
        }
        Previous::Unsaved => {
            return Err(StoreError::new(
                ErrorKind::NoPrevious,
                "the credential that was live before the last switch was not saved as an account",
            )
            .with_hint(format!(
                "it is kept in the backups ({}); nothing was changed",
                show(&paths.backups_dir())
            )));
        }
    };
    if std::fs::symlink_metadata(paths.store.join(format!("{name}.json"))).is_err() {
        return Err(StoreError::new(
            ErrorKind::AccountNotFound,
            format!(
                "the previous account {} no longer exists (removed or renamed outside authdeck)",
                quote(&name)
            ),
        )
        .with_hint(
            "nothing was changed; `authdeck list` shows the saved accounts \
             (a removed account can be restored from the store's .trash/)",
        ));
    }
    Ok(Resolved {
        name,
        typed: PREVIOUS.to_string(),
        matched: Matched::Previous,
    })
}

#[cfg(test)]
mod tests;
