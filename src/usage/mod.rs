//! Usage and limits per account: what the backend's usage endpoint says, and what authdeck
//! derives from it (see `docs/usage.md`).
//!
//! This module is the face-neutral core of `authdeck usage`, `authdeck switch --best` and the
//! TUI's Usage pane and headroom column:
//!
//! * [`decode`] — a lenient reading of the response (every field may be absent or null,
//!   `used_percent` an integer or a float, `balance` a string or a number);
//! * [`figures`] — window labels (by length, never by slot), remaining share, headroom, the next
//!   reset that lifts a block, and the best-pick ordering;
//! * [`cache`] — the per-account cache in the store's private area (no secrets, 0600);
//! * [`targets`] — which accounts (the live one, all, or named ones);
//! * [`gather`] — the per-account orchestration: which accounts get a request, bounded
//!   concurrency, the cache and `Retry-After` rules; it calls [`fetch`] for the
//!   HTTP and never refreshes a token or writes a credential;
//! * [`fetch`] — the usage request itself: one `GET` per account, capped, never retried;
//! * [`view`] — the JSON shape both faces print.
//!
//! Times are Unix seconds (`i64`) throughout, so the cache and the figures need no clock; the
//! caller passes `now`.

pub mod cache;
pub mod decode;
pub mod fetch;
pub mod figures;
pub mod gather;
pub mod targets;
pub mod view;

use serde::{Deserialize, Serialize};

pub use decode::decode;
pub use figures::{BestPick, Candidate, Skip, headroom, next_reset, pick_best, window_label};

/// One rate-limit window as the backend reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// `primary`, `secondary`, or the `limit_name` of an additional limit.
    pub source: String,
    /// A main window (`rate_limit.primary_window` / `secondary_window`): only these enter
    /// headroom.
    pub main: bool,
    /// `limit_window_seconds`, when given.
    pub window_seconds: Option<i64>,
    /// As reported (not clamped).
    pub used_percent: f64,
    /// When the window resets (Unix seconds), from `reset_at` or `reset_after_seconds`.
    pub resets_at: Option<i64>,
}

/// The `credits` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credits {
    pub has_credits: bool,
    pub unlimited: bool,
    /// The balance as text (a number is written the way the server wrote it).
    pub balance: Option<String>,
}

/// Everything authdeck keeps of one usage answer (also the cache's payload: no secrets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub plan_type: Option<String>,
    /// `rate_limit.allowed` (absent → `true`).
    pub allowed: bool,
    /// `rate_limit.limit_reached` (absent → `false`).
    pub limit_reached: bool,
    /// `rate_limit_reached_type.kind`.
    pub reached_kind: Option<String>,
    /// Main windows first (primary, secondary), then the additional limits' windows.
    pub windows: Vec<Window>,
    pub credits: Option<Credits>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Self {
            plan_type: None,
            allowed: true,
            limit_reached: false,
            reached_kind: None,
            windows: Vec::new(),
            credits: None,
        }
    }
}

/// Why one account's usage could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorKind {
    /// 401/403: the token expired or was rejected (it is never refreshed to read usage).
    Unauthorized,
    /// 429: the backend asked to wait (`retry_after_seconds`).
    RateLimited,
    /// No full answer within the timeout.
    Timeout,
    /// Connection failure or a server error (5xx).
    Network,
    /// An answer that is not the usage JSON (or an unexpected status).
    BadResponse,
    /// The usage URL breaks the https-or-loopback rule: no request was made.
    RefusedUrl,
    /// The account's file cannot be used (unreadable, not a document, no access token).
    InvalidCredential,
}

impl ErrorKind {
    /// The wire word (as serialised).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How a 401/403 to a bearer token is worded: the token is never refreshed to read usage.
pub const REJECTED_TOKEN: &str = "token expired or rejected — not refreshed";
/// How a 401/403 to an Agent Identity's AgentAssertion is worded: nothing there expires the way
/// a token does; the task it names may no longer be valid.
pub const REJECTED_ASSERTION: &str = "AgentAssertion rejected (the task may no longer be valid)";

/// One failed usage read. `message` is one line for the user and never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageError {
    pub kind: ErrorKind,
    pub http_status: Option<u16>,
    pub message: String,
    pub retry_after_seconds: Option<u64>,
}

impl UsageError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            http_status: None,
            message: message.into(),
            retry_after_seconds: None,
        }
    }

    /// The error in the words the TUI and the human output use ("token expired or rejected —
    /// not refreshed", "rate limited, retry in 30 s").
    pub fn words(&self) -> String {
        match self.kind {
            // The fetch words a refusal by what was refused (see `fetch::UsageAuth::refused`).
            ErrorKind::Unauthorized if self.message.starts_with(REJECTED_ASSERTION) => {
                REJECTED_ASSERTION.to_string()
            }
            ErrorKind::Unauthorized => REJECTED_TOKEN.to_string(),
            ErrorKind::RateLimited => match self.retry_after_seconds {
                Some(s) => format!("rate limited, retry in {}", figures::compact_duration(s)),
                None => "rate limited".to_string(),
            },
            ErrorKind::Timeout => "no answer in time".to_string(),
            ErrorKind::Network
            | ErrorKind::BadResponse
            | ErrorKind::RefusedUrl
            | ErrorKind::InvalidCredential => self.message.clone(),
        }
    }
}

/// What a usage read produced for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// Fresh figures from the backend.
    Ok,
    /// The read failed (see the error); no figures.
    Error,
    /// API-key (and other key-based) accounts have no plan limits: no request was made.
    NotApplicable,
    /// Figures from the cache (`--offline`, a recent answer reused, or a pending Retry-After).
    Cached,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One account's usage, as both faces show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountUsage {
    /// The saved account name; `None` for a live credential that is not saved.
    pub name: Option<String>,
    pub active: bool,
    pub auth_mode: Option<String>,
    pub email: Option<String>,
    /// Plan display name (from the answer when it has one, else from the credential).
    pub plan: Option<String>,
    pub status: Status,
    /// When the figures were fetched (Unix seconds); `None` without figures.
    pub fetched_at: Option<i64>,
    pub snapshot: Option<Snapshot>,
    pub error: Option<UsageError>,
    /// Why no request is made (not applicable), in words.
    pub note: Option<String>,
}

impl AccountUsage {
    /// The headroom (0–100), when there are figures.
    pub fn headroom(&self) -> Option<f64> {
        self.snapshot.as_ref().map(headroom)
    }

    /// The display name: the saved name, or `(live)`.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or("(live)")
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
            ErrorKind::Unauthorized,
            ErrorKind::RateLimited,
            ErrorKind::Timeout,
            ErrorKind::Network,
            ErrorKind::BadResponse,
            ErrorKind::RefusedUrl,
            ErrorKind::InvalidCredential,
        ] {
            assert_eq!(k.as_str(), json(serde_json::to_value(k).unwrap()));
        }
        for s in [
            Status::Ok,
            Status::Error,
            Status::NotApplicable,
            Status::Cached,
        ] {
            assert_eq!(s.as_str(), json(serde_json::to_value(s).unwrap()));
        }
    }

    #[test]
    fn errors_in_words() {
        let mut e = UsageError::new(ErrorKind::RateLimited, "HTTP 429");
        e.retry_after_seconds = Some(30);
        assert_eq!(e.words(), "rate limited, retry in 30s");
        let e = UsageError::new(ErrorKind::Unauthorized, "HTTP 401");
        assert!(e.words().contains("not refreshed"));
        // A refused AgentAssertion is not called a token that could have been refreshed.
        let e = UsageError::new(
            ErrorKind::Unauthorized,
            format!(
                "{REJECTED_ASSERTION}: HTTP 401 from http://127.0.0.1:1/backend-api/wham/usage"
            ),
        );
        assert_eq!(e.words(), REJECTED_ASSERTION);
    }
}
