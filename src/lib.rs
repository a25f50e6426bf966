//! authdeck — a terminal account manager for Codex credentials.
//!
//! The crate is a pure core inside a thin async shell (see `docs/architecture.md`):
//!
//! * [`codex`] — the Codex formats and crypto (auth.json, claims, Agent Identity keys, assertions,
//!   headers, URL rules). Pure: no IO, no clock.
//! * [`store`] — the Codex home and the account store: atomic writes, locking, backups, trash,
//!   switching with sync-back. All file IO lives here.
//! * [`backend`] — the HTTP client for JWKS, task and agent registration, with error classes.
//! * [`runtime`] — the one credential state machine (load → verify → register → ready / failed)
//!   that both the CLI and the TUI drive.
//! * [`material`] — the checks and builders for credential material the user adds (pasted key,
//!   JWT, file), shared by `authdeck add` and the TUI's add form.
//! * [`report`] — the plain-data status report that `status --json` prints and the TUI renders.
//! * [`usage`] — usage and limits per account: decoding, labels, headroom, the best pick, the
//!   cache and the per-account fetch (HTTP in [`backend::usage`]).
//! * [`mock_backend`] — the embedded mock Codex backend used by `--demo`, the tests and
//!   `authdeck mock-backend`.
//! * [`cli`] and [`tui`] — the two faces over that core; [`env`] is the environment they read,
//!   captured once so tests can inject it.

pub mod backend;
pub mod cli;
pub mod codex;
pub mod env;
pub mod material;
pub mod mock_backend;
pub mod report;
pub mod runtime;
pub mod sanitize;
pub mod secret;
pub mod store;
pub mod tui;
pub mod usage;
