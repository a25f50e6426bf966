//! The Codex home and the account store: every file authdeck reads or writes lives here.
//!
//! ```text
//! <codex home>/                 --codex-home, CODEX_HOME, or ~/.codex
//!   auth.json                   the live credential (Codex reads it)
//!   config.toml                 cli_auth_credentials_store (file | keyring | auto | ephemeral)
//!   accounts/                   the store (--store, AUTHDECK_STORE), 0700
//!     <name>.json               one account: a verbatim auth.json document, 0600
//!     .authdeck/lock            advisory lock for every read-modify-write
//!     .authdeck/previous.json   the account left by the last switch (`switch -`)
//!     .authdeck/index.json      summary index: a cache of list rows, keyed by file identity
//!     .backups/auth.<stamp>.json  the live file as it was before each change (newest 20)
//!     .trash/<name>.<stamp>.json  removed (or force-overwritten) accounts, recoverable
//! ```
//!
//! Rules that hold everywhere (docs/codex-formats.md §2.4, §6):
//!
//! * Documents are kept verbatim ([`AuthDoc`](crate::codex::auth_file::AuthDoc) bytes); the only
//!   edit is `auth_mode`, and it touches only that value.
//! * Every write is atomic ([`atomic`]): temp file in the same directory, 0600, fsync, rename,
//!   fsync the directory. A symlinked auth.json is replaced as a link, its target untouched.
//! * Every read-modify-write holds the store lock ([`lock`]), with a bounded wait.
//! * Nothing is destroyed: the live file is backed up before it is replaced, removed accounts go
//!   to the trash, and a switch syncs newer live tokens back into the account being left.
//! * The environment is injected as a closure; nothing here reads the process environment.
//! * Errors ([`StoreError`]) say what failed, where and what to do, and never carry secrets.
//!
//! The module is synchronous (plain `std::fs`): operations take milliseconds, and the TUI runs
//! them on a blocking task.

pub mod accounts;
pub mod active;
pub mod atomic;
pub mod backups;
pub mod config;
pub mod diff;
pub mod error;
mod index;
pub mod keyring;
mod leaving;
mod listing;
pub mod live;
pub mod lock;
pub mod mode;
pub mod names;
pub mod options;
pub mod paths;
pub mod perms;
pub mod policy;
pub mod previous;
pub mod procs;
mod stamp;
pub mod switch;

pub use accounts::{Entry, MAX_NAME_LEN, Saved, Store, validate_name};
pub use active::{AccountSummary, summaries, summaries_brief, summaries_staged};
pub use atomic::{sweep_stale_temps, write_atomic, write_atomic_with};
pub use backups::{Replaced, backup_live, list_backups, prune_backups, replace_live};
pub use config::{
    CodexConfig, CredentialStoreKind, ForcedLogin, KEYRING_NOTICE, read_codex_config,
    read_store_kind,
};
pub use diff::{FieldChange, diff, mask_value};
pub use error::{ErrorKind, StoreError};
pub use keyring::{KEYRING_SERVICE, KeyringFn, KeyringRead, keyring_account, read_os_keyring};
pub use leaving::active_account;
pub use live::{ENV_TOKEN_VARS, FileState, Live, Source, env_token_var, read_doc_file, read_live};
pub use lock::{DEFAULT_LOCK_WAIT, LockGuard, lock, lock_with};
pub use mode::{ModeReport, save_live, set_mode, set_mode_with};
pub use names::{Matched, Resolved, account_names, resolve_account};
pub use options::{DEFAULT_KEEP_BACKUPS, Options, WriteFn};
pub use paths::{EnvFn, Paths, resolve};
pub use perms::{account_files_warning_for, account_files_warning_in, permission_warnings};
pub use policy::codex_refusal;
pub use previous::{PREVIOUS, Previous, previous_account, read_previous, resolve_switch_target};
pub use procs::{CodexProcess, codex_processes, codex_processes_in};
pub use switch::{SwitchPlan, SwitchReport, plan_switch, switch, switch_with};
