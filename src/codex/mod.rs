//! The Codex credential formats and crypto. Pure: no IO, no clock (callers pass `now`), no
//! terminal. Everything here follows `docs/codex-formats.md`, and the unit tests pin byte-exact
//! vectors computed by independent implementations (libsodium, OpenSSL).

pub mod agent_identity;
pub mod agent_key;
pub mod assertion;
pub mod auth_file;
pub mod claims;
pub mod credential;
pub mod documents;
pub mod fixtures;
pub mod headers;
pub mod loader;
pub mod urls;
