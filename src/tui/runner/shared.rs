//! What every task of the session may read, fixed for the session: the paths, the
//! environment, the options and the lazily built HTTP client; and the fingerprint that tells a
//! reload of the same live content from a real change.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;
use std::time::Duration;

use crate::backend::Backend;
use crate::ops::Env;
use crate::runtime::InitError;
use crate::runtime::driver::backend_for_home;
use crate::store::{self, Live, Paths};

/// What every task may read: fixed for the session.
#[derive(Debug)]
pub struct Shared {
    pub paths: Paths,
    pub env: Env,
    pub offline: bool,
    pub timeout: Duration,
    backend: OnceLock<Result<Backend, InitError>>,
}

impl Shared {
    pub fn new(paths: Paths, env: Env, offline: bool, timeout: Duration) -> Self {
        Self {
            paths,
            env,
            offline,
            timeout,
            backend: OnceLock::new(),
        }
    }

    /// The session's HTTP client (built on first use).
    pub fn backend(&self) -> &Result<Backend, InitError> {
        self.backend.get_or_init(|| {
            backend_for_home(
                &self.env.as_fn(),
                Some(&self.paths.config_toml()),
                self.timeout,
            )
        })
    }
}

/// A fingerprint of what the live credential is, so a reload that finds the same content (our
/// own write echoed by the watcher) keeps the running runtime.
pub fn fingerprint(live: &Live) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{:?}", live.source).hash(&mut h);
    live.env_token
        .as_ref()
        .map(|t| t.expose().to_string())
        .hash(&mut h);
    match &live.file {
        store::FileState::Doc { doc, .. } => doc.as_bytes().hash(&mut h),
        other => other.problem().hash(&mut h),
    }
    live.store_kind.as_str().hash(&mut h);
    h.finish()
}
