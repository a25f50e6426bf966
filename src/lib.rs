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
//! * [`ops`] — the face-neutral operations layer: the context, the environment, the runtime,
//!   one typed error, credential material (pasted key, JWT, file) and the "add an account"
//!   path with its one JWT verification, shared by `authdeck add` and the TUI's add form.
//! * [`copy`] — OSC 52 and the system clipboard, for both faces.
//! * [`report`] (in [`runtime`]) — the plain-data status report that `status --json` prints and
//!   the TUI renders.
//! * [`usage`] — usage and limits per account: decoding, labels, headroom, the best pick, the
//!   cache and the per-account fetch (HTTP in [`usage::fetch`]).
//! * [`mock_backend`] — the embedded mock Codex backend used by `--demo`, the tests and
//!   `authdeck mock-backend`.
//! * [`cli`] and [`tui`] — the two faces over that core; they never import each other, and the
//!   binary's `main.rs` picks one. [`env`] is the environment they read, captured once so tests
//!   can inject it.

pub mod backend;
pub mod cli;
pub mod codex;
pub mod copy;
pub mod env;
pub mod mock_backend;
pub mod ops;
pub mod runtime;
/// The status view, at its old path (it lives in [`runtime::report`], next to the state it views).
pub use runtime::report;
pub mod sanitize;
pub mod secret;
pub mod store;
pub mod tui;
pub mod usage;
