//! The HTTP client for the Agent Identity backend: JWKS, task registration, agent registration
//! (docs/codex-formats.md §4), plus offline verification of Agent Identity JWTs against a JWKS.
//!
//! This is where authdeck talks HTTP to the Agent Identity backend (the usage request, one GET
//! per account, is [`crate::usage`]'s `fetch`, built on this module's URL display). It makes exactly **one attempt** per call and
//! never retries: the runtime owns the retry policy so that it can report every attempt as it
//! happens (the Task pane shows "attempt n of N"). What this module adds is a precise verdict for
//! each failure — which step ([`FailureKind`]), whether retrying can help ([`FailureClass`]), the
//! HTTP status when there was one, and a one-line message naming the URL — because Codex's habit
//! of folding every init failure into "signed out" is exactly the bug authdeck exists to avoid.
//!
//! Messages and tracing fields never contain tokens, keys, signatures or task ids; URLs are shown
//! without user-info or query strings.

mod body;
mod client;
mod jwt;

use std::time::Duration;

pub use body::{BodyError, JWKS_BODY_LIMIT, REGISTRATION_BODY_LIMIT, format_size, read_capped};
pub(crate) use client::display_url;
pub use client::{AGENT_REGISTER_TIMEOUT, Backend, JWKS_TIMEOUT};
pub use jwt::{AGENT_JWT_AUDIENCE, AGENT_JWT_ISSUER, EXP_LEEWAY_SECS, verify_agent_jwt};

/// Which step of the runtime init failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FailureKind {
    /// Fetching the JWKS.
    Jwks,
    /// Checking the Agent Identity JWT.
    Verification,
    /// Registering a task.
    Registration,
    /// Registering a `ChatGPT` login as an agent.
    Provision,
}

/// Whether trying again can help.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, strum::IntoStaticStr, strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FailureClass {
    /// 429, 5xx, timeouts, connection errors: retry later.
    Transient,
    /// Everything else: retrying the same request gives the same answer.
    Permanent,
}

impl FailureKind {
    /// The wire word (as serialised): `jwks`, `verification`, `registration`, `provision`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl FailureClass {
    /// The wire word (as serialised): `transient` or `permanent`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One failed backend call. `Display` is the one-line message for the user.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    pub kind: FailureKind,
    pub class: FailureClass,
    pub message: String,
    /// The HTTP status when the server answered.
    pub status: Option<u16>,
}

impl BackendError {
    pub fn new(
        kind: FailureKind,
        class: FailureClass,
        message: impl Into<String>,
        status: Option<u16>,
    ) -> Self {
        Self {
            kind,
            class,
            message: message.into(),
            status,
        }
    }

    pub fn is_transient(&self) -> bool {
        self.class == FailureClass::Transient
    }
}

/// A successful call: the value, the HTTP status and how long the exchange took.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpOutcome<T> {
    pub value: T,
    pub status: u16,
    pub latency: Duration,
}

/// 429 and 5xx are transient; every other status is permanent.
pub fn classify_status(status: u16) -> FailureClass {
    if status == 429 || (500..=599).contains(&status) {
        FailureClass::Transient
    } else {
        FailureClass::Permanent
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn words_match_the_serialised_names() {
        let json = |v: serde_json::Value| v.as_str().unwrap().to_string();
        for k in [
            FailureKind::Jwks,
            FailureKind::Verification,
            FailureKind::Registration,
            FailureKind::Provision,
        ] {
            assert_eq!(k.as_str(), json(serde_json::to_value(k).unwrap()));
        }
        for c in [FailureClass::Transient, FailureClass::Permanent] {
            assert_eq!(c.as_str(), json(serde_json::to_value(c).unwrap()));
        }
    }

    #[test]
    fn status_classes() {
        for transient in [429, 500, 502, 503, 504, 599] {
            assert_eq!(
                classify_status(transient),
                FailureClass::Transient,
                "{transient}"
            );
        }
        for permanent in [200, 301, 400, 401, 403, 404, 409, 418, 600] {
            assert_eq!(
                classify_status(permanent),
                FailureClass::Permanent,
                "{permanent}"
            );
        }
    }

    #[test]
    fn wire_names_are_snake_case() {
        assert_eq!(
            serde_json::to_string(&FailureKind::Registration).unwrap(),
            "\"registration\""
        );
        assert_eq!(
            serde_json::to_string(&FailureClass::Transient).unwrap(),
            "\"transient\""
        );
    }
}
