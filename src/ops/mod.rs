//! The operations layer: what both faces (the CLI and the TUI) need, with no wording of either.
//!
//! Before this module existed the CLI was the home of the shared plumbing, so the TUI imported
//! the CLI and the CLI imported the TUI (docs/architecture.md). Here live the [`Ctx`] every
//! command and the TUI start from, the captured [`Env`], the tokio runtime, one typed error
//! ([`OpError`], which each face words and maps to its exit code or status line), the checks on
//! credential material ([`material`]) and the "add an account" path with its one JWT
//! verification ([`add`]).
//!
//! And one typed operation per command: [`status`] (`status`, `register`, and the credential
//! `header` and `provision` start from), [`accounts`] (`list`, `save`, `add`, `rename`,
//! `remove`), [`switch`] (`switch NAME | -`, `switch --best`, `mode`), [`header`],
//! [`provision`] and [`usage`]. Each takes typed arguments and returns the lower layers' own
//! reports or a typed error; none prints or words anything, so the CLI words them (and picks the
//! exit code) and the TUI can call the same functions (docs/architecture.md, "The operations
//! layer"). The operations stay thin: the transactions themselves are the store's, the runtime's
//! and the usage core's — except `provision`'s read-compare-replace, which is an operation of its
//! own and lives in [`provision`].
//!
//! The layer uses `store`, `backend`, `runtime`, `usage` and `codex`; it never uses a face.

pub mod accounts;
pub mod add;
pub mod header;
pub mod material;
pub mod provision;
pub mod status;
pub mod switch;
pub mod usage;

pub use crate::env::Env;

use std::path::PathBuf;
use std::time::Duration;

use crate::store::{ErrorKind, StoreError};

/// `--timeout` when not given.
pub const DEFAULT_TIMEOUT_SECS: f64 = 30.0;

/// What every operation starts from: the global options and the captured environment.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub json: bool,
    pub offline: bool,
    pub timeout: Duration,
    /// Whether `--timeout` was given (commands with another default, like `usage`, check it).
    pub timeout_given: bool,
    pub codex_home: Option<PathBuf>,
    pub store: Option<PathBuf>,
    pub env: Env,
}

impl Ctx {
    /// `<codex home>/config.toml`, when the Codex home resolves.
    pub fn config_toml(&self) -> Option<PathBuf> {
        self.paths().ok().map(|p| p.config_toml())
    }

    /// Resolves the Codex home and store paths.
    pub fn paths(&self) -> Result<crate::store::Paths, OpError> {
        crate::store::resolve(
            self.codex_home.as_deref(),
            self.store.as_deref(),
            &self.env.as_fn(),
        )
        .map_err(OpError::from)
    }
}

/// What kind of failure an operation had; the CLI maps it to an exit code (docs/json.md), the
/// TUI to a tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Anything else (exit 1).
    Error,
    /// The request itself was wrong: a bad name, an ambiguous prefix (exit 2).
    Usage,
    /// There is no live credential (exit 3).
    SignedOut,
    /// A credential is there but cannot be used (exit 5).
    Invalid,
}

/// An operation's error: one line saying what is wrong, an optional hint, and its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct OpError {
    pub failure: Failure,
    pub message: String,
    pub hint: Option<String>,
}

impl OpError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            failure: Failure::Error,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn failure(mut self, failure: Failure) -> Self {
        self.failure = failure;
        self
    }
}

/// The store's message and hint; the kind follows the store's error kind.
impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        let failure = match e.kind() {
            ErrorKind::InvalidName | ErrorKind::AmbiguousName => Failure::Usage,
            ErrorKind::LiveMissing => Failure::SignedOut,
            ErrorKind::LiveInvalid | ErrorKind::AccountCorrupt | ErrorKind::CodexWouldRefuse => {
                Failure::Invalid
            }
            _ => Failure::Error,
        };
        Self {
            failure,
            message: e.message().to_string(),
            hint: e.hint().map(str::to_string),
        }
    }
}

/// Empty input or a missing file is an error; material that is there but unusable is an
/// invalid credential.
impl From<material::MaterialError> for OpError {
    fn from(e: material::MaterialError) -> Self {
        let failure = match e.problem {
            material::Problem::Empty | material::Problem::NotFound => Failure::Error,
            material::Problem::Invalid => Failure::Invalid,
        };
        Self {
            failure,
            message: e.message,
            hint: e.hint,
        }
    }
}

/// The TUI's own flags, flattened into the one command line. Here, not in `tui/`, because the
/// parser (the CLI face) names them and the faces never import each other.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TuiArgs {
    /// Turn off mouse capture
    #[arg(long)]
    pub no_mouse: bool,
    /// Clear the clipboard N seconds after a copy
    #[arg(long, value_name = "SECS")]
    pub clear_clipboard: Option<u64>,
    /// Copy with OSC 52 only; never touch the system clipboard
    #[arg(long)]
    pub no_system_clipboard: bool,
}

/// The live credential, the store and (with `accounts`) the account files that are open to
/// other users, one line each with the `chmod` fix; none when the Codex home does not resolve.
/// The CLI prints them as `warning:` lines, the TUI puts them in its log.
pub fn permission_warnings(ctx: &Ctx, accounts: bool) -> Vec<String> {
    ctx.paths()
        .map(|paths| crate::store::permission_warnings(&paths, accounts))
        .unwrap_or_default()
}

/// A tokio runtime for one command or one TUI session (two workers: the machine is shared).
pub fn tokio_runtime() -> Result<tokio::runtime::Runtime, OpError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| OpError::new(format!("could not start the async runtime: {e}")))
}

/// Contexts on temporary directories for the operations' tests (never the real ~/.codex).
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;
    use std::time::Duration;

    use super::{Ctx, Env};
    use crate::codex::fixtures;
    use crate::store::{Paths, write_atomic};

    /// A context whose Codex home is `<dir>/home` (created) and store `<dir>/store`, with an
    /// empty environment.
    pub(crate) fn ctx_in(dir: &Path, offline: bool) -> Ctx {
        let home = dir.join("home");
        std::fs::create_dir_all(&home).expect("codex home");
        Ctx {
            json: false,
            offline,
            timeout: Duration::from_secs(5),
            timeout_given: false,
            codex_home: Some(home),
            store: Some(dir.join("store")),
            env: Env::from_pairs(std::iter::empty()),
        }
    }

    /// [`ctx_in`] with API-key accounts saved in its store: `(name, key)` each.
    pub(crate) fn ctx_with_keys(dir: &Path, accounts: &[(&str, &str)]) -> (Ctx, Paths) {
        let ctx = ctx_in(dir, true);
        let paths = ctx.paths().expect("paths");
        std::fs::create_dir_all(&paths.store).expect("store");
        for (name, key) in accounts {
            let path = paths.store.join(format!("{name}.json"));
            write_atomic(&path, fixtures::api_key_doc(key).as_bytes()).expect("account");
        }
        (ctx, paths)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn an_auth_json_open_to_others_is_one_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = testing::ctx_in(dir.path(), true);
        assert!(permission_warnings(&ctx, true).is_empty());
        let auth = ctx.paths().expect("paths").auth_json();
        std::fs::write(&auth, b"{}").expect("write");
        std::fs::set_permissions(&auth, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let lines = permission_warnings(&ctx, false);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("chmod"), "{lines:?}");
    }
}
