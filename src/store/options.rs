//! Tunables of the store operations, with the defaults the CLI and TUI use.
//!
//! They exist so tests can shorten the lock wait, change how many backups are kept, and inject
//! a failing writer (a full disk, a crash midway) into a switch to prove nothing is lost.

use std::path::Path;
use std::time::Duration;

use super::atomic::write_atomic;
use super::error::StoreError;
use super::lock::DEFAULT_LOCK_WAIT;

/// How a whole credential document is written to its final path.
pub type WriteFn = fn(&Path, &[u8]) -> Result<(), StoreError>;

/// How many live-file backups are kept.
pub const DEFAULT_KEEP_BACKUPS: usize = 20;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long to wait for another authdeck's lock.
    pub lock_wait: Duration,
    /// How many backups of the live file to keep (newest first).
    pub keep_backups: usize,
    /// Writes account files and auth.json. Always [`write_atomic`] outside tests.
    pub write: WriteFn,
    /// Put a credential in place even though Codex would refuse or delete it under the current
    /// config.toml (`--force`); the report then spells out the consequence.
    pub allow_refused: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            lock_wait: DEFAULT_LOCK_WAIT,
            keep_backups: DEFAULT_KEEP_BACKUPS,
            write: write_atomic,
            allow_refused: false,
        }
    }
}
