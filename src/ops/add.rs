//! "Add an account": the one JWT verification both faces run before a new account is stored.
//!
//! `authdeck add` and the TUI's add form build the document with [`super::material`] (same cap,
//! checks and words) and then call [`verify_for_add`] here: an Agent Identity JWT (pasted, piped
//! or inside a file) is verified against the backend's JWKS with the runtime's own
//! [`driver::verify`] — RS256, kid, issuer, audience, expiry, with the runtime's retries —
//! unless the user chose not to (`--offline`, `--no-verify`). A token that does not verify is
//! refused and nothing is written. Each face words the outcome itself.

use crate::backend::Backend;
use crate::codex::agent_identity::AgentIdentity;
use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;
use crate::runtime::InitError;
use crate::runtime::driver::{self, RetryPolicy, Sink};

use super::{Ctx, OpError};

/// What the check before an add found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The document holds no Agent Identity JWT (an API key, a login, a record-form identity).
    NoJwt,
    /// A JWT that was not checked because the user asked so (offline, `--no-verify`).
    Skipped,
    /// A JWT that verified against the JWKS.
    Verified,
}

impl Verification {
    /// Whether the signature was checked (`"verified"` in `add --json`).
    pub fn verified(self) -> bool {
        self == Self::Verified
    }
}

/// A JWT that did not verify (or whose backend could not be set up): the reason, unescaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the Agent Identity JWT did not verify: {reason}")]
pub struct NotVerified {
    pub reason: String,
}

/// Either way an add can stop before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error(transparent)]
    NotVerified(#[from] NotVerified),
    #[error(transparent)]
    Op(#[from] OpError),
}

/// The one verification path. `skip` is the user's choice not to verify; `backend` is the
/// session's backend (or why it could not be set up, which refuses a JWT like a failed check).
pub async fn verify_for_add(
    doc: &AuthDoc,
    skip: bool,
    backend: Result<&Backend, &InitError>,
    sink: Sink<'_>,
) -> Result<Verification, NotVerified> {
    let analysis = Analysis::of_doc(doc);
    let Some(identity @ AgentIdentity::Jwt(_)) = analysis.material.agent_ok() else {
        return Ok(Verification::NoJwt);
    };
    if skip {
        return Ok(Verification::Skipped);
    }
    let refuse = |e: &InitError| NotVerified {
        reason: e.message.clone(),
    };
    let backend = backend.map_err(refuse)?;
    match driver::verify(identity, backend, &RetryPolicy::default(), sink).await {
        Ok(true) => Ok(Verification::Verified),
        // `verify` only skips identities without a JWT, which were returned above.
        Ok(false) => Ok(Verification::NoJwt),
        Err(e) => Err(refuse(&e)),
    }
}

/// [`verify_for_add`] for a synchronous caller (`authdeck add`): sets up the backend for the
/// Codex home and a runtime for the one check. `skip` is `--no-verify`; `--offline` skips too.
pub fn verify_for_add_blocking(
    ctx: &Ctx,
    doc: &AuthDoc,
    skip: bool,
) -> Result<Verification, AddError> {
    if !holds_jwt(doc) {
        return Ok(Verification::NoJwt);
    }
    if skip || ctx.offline {
        return Ok(Verification::Skipped);
    }
    let backend =
        driver::backend_for_home(&ctx.env.as_fn(), ctx.config_toml().as_deref(), ctx.timeout);
    let rt = super::tokio_runtime()?;
    Ok(rt.block_on(verify_for_add(doc, false, backend.as_ref(), &|_| {}))?)
}

/// Whether the document holds a usable Agent Identity JWT (the one thing [`verify_for_add`]
/// checks).
fn holds_jwt(doc: &AuthDoc) -> bool {
    matches!(
        Analysis::of_doc(doc).material.agent_ok(),
        Some(AgentIdentity::Jwt(_))
    )
}
