//! What the runner's file operations report: data and typed errors, never sentences.
//!
//! A task knows what it did (which file it wrote, where the backup went, how the JWT check
//! ended); how that reads on the status line and in the event log is `update`'s business
//! (`update::words`). So the words live in one pure place, tests can assert the data, and a
//! wording change never touches a task (docs/architecture.md, "Inside the TUI").

use std::path::PathBuf;
use std::time::Duration;

use crate::codex::credential::AuthMode;
use crate::ops::add::{NotVerified, Verification};
use crate::ops::material::MaterialError;
use crate::runtime::{InitError, Step};
use crate::store::StoreError;

/// A file operation the runner was asked for (the names the user gave).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Switch { name: String },
    SetMode { mode: AuthMode },
    Save { name: String },
    Rename { from: String, to: String },
    Remove { name: String },
    Undo { name: String },
    Add { name: String },
}

/// What a file operation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Switched {
        name: String,
        /// The live tokens were written back into this account first.
        synced_back_into: Option<String>,
        /// Where the replaced live file was backed up.
        backup: Option<PathBuf>,
        /// The live file written.
        wrote: PathBuf,
        /// Running Codex processes that keep the old credential until restarted.
        processes: usize,
    },
    ModeSet {
        mode: AuthMode,
        backup: Option<PathBuf>,
        wrote: PathBuf,
    },
    /// The live credential saved as `name`; `wrote` is `None` when the account already held it.
    Saved {
        name: String,
        wrote: Option<PathBuf>,
    },
    Renamed {
        from: String,
        to: String,
        path: PathBuf,
    },
    Removed {
        name: String,
        trash: PathBuf,
    },
    Restored {
        name: String,
        path: PathBuf,
    },
    /// An account added from material; `wrote` is `None` when it already held exactly this.
    Added {
        name: String,
        wrote: Option<PathBuf>,
        verification: Verification,
    },
}

/// Why a file operation did nothing (or stopped before writing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The store refused or failed (its own message and hint).
    Store(StoreError),
    /// The add form's material could not become a credential; `file` when it was a path.
    Material { error: MaterialError, file: bool },
    /// The Agent Identity JWT of an add did not verify; nothing was added.
    NotVerified(NotVerified),
    /// The blocking task itself failed (it panicked or was cancelled).
    Task(String),
}

/// One HTTP call (or local check) an add made, for the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Finished {
        step: Step,
        status: u16,
        latency: Duration,
    },
    Failed {
        step: Step,
        message: String,
    },
}

/// What the runner reports about a finished file operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpDone {
    pub op: Op,
    pub result: Result<Done, Failure>,
    /// The calls an add made on the way (empty for the other operations).
    pub calls: Vec<Call>,
}

/// Why the dry verification of a previewed Agent Identity (`r`) did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyFailure {
    /// The JWKS fetch or the signature check failed.
    Failed(InitError),
    /// The session's HTTP client could not be set up (a refused base-URL override…).
    NoBackend(InitError),
}
