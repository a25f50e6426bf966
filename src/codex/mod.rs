//! The Codex credential formats and crypto. Pure: no IO, no clock (callers pass `now`), no
//! terminal. Everything here is checked against `../shared/spec/codex-auth.md` and the byte-exact
//! vectors in `../shared/spec/test-vectors.md`.

pub mod agent_identity;
pub mod agent_key;
pub mod assertion;
pub mod auth_file;
pub mod claims;
pub mod credential;
pub mod fixtures;
pub mod headers;
pub mod loader;
pub mod urls;
