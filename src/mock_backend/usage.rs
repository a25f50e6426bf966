//! The mock's usage endpoint: `GET /backend-api/wham/usage` and `GET /api/codex/usage`.
//!
//! Each account can be given its own [`UsageScenario`], chosen by the `ChatGPT-Account-Id` it
//! sends (else the default scenario), so one server can answer every case side by side: the
//! demo's accounts show varied meters, and a test can put a 401, a 429 and a hang next to healthy
//! accounts. Every request is recorded ([`UsageRequest`]: path, bearer, account id, fedramp flag)
//! so tests can assert "one request per account, with that account's own token and id".
//!
//! A request may authenticate with a bearer token or, as an Agent Identity does, with an
//! `AgentAssertion`: the mock accepts one signed by a runtime it knows (registered or trusted),
//! with a timestamp within five minutes, and answers 401 otherwise. It checks the signature,
//! not the task id (a task stored in a record was issued by some earlier backend).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use super::server::fresh;
use crate::codex::agent_key::verify_signature_base64;

/// What the usage endpoint answers for an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageScenario {
    /// A 5-hour and a weekly window, plenty of room.
    FiveHourWeekly {
        primary_used: u8,
        secondary_used: u8,
    },
    /// A single weekly window in the primary slot (free plans).
    WeeklyOnly { used: u8 },
    /// A single monthly window.
    Monthly { used: u8 },
    /// The 5-hour window is used up: `limit_reached`, not allowed.
    LimitReached,
    /// Room, credits, and an additional per-feature limit.
    CreditsAndAdditional,
    /// 401: the token expired or was rejected.
    Unauthorized,
    /// 429 with `Retry-After: <seconds>`.
    RateLimited { retry_after: u32 },
    /// 200 with a body that is not JSON.
    Garbage,
    /// Never answers (until the mock stops).
    Hang,
}

/// The named usage scenarios (`authdeck mock-backend --usage-scenario NAME`).
pub const USAGE_SCENARIOS: &[&str] = &[
    "5h-weekly",
    "weekly-only",
    "monthly",
    "limit-reached",
    "credits",
    "unauthorized",
    "rate-limited",
    "garbage",
    "hang",
];

impl UsageScenario {
    /// The `plan_type` a scenario that answers 200 reports; `None` when the answer has none
    /// (the failures, and `5h-weekly`, which leaves the account's own plan standing). The
    /// demo's accounts are given scenarios that agree with their plans, since authdeck shows
    /// the plan the backend reports.
    pub fn plan_type(&self) -> Option<&'static str> {
        match self {
            Self::WeeklyOnly { .. } => Some("free"),
            Self::Monthly { .. } => Some("team"),
            Self::LimitReached => Some("business"),
            Self::CreditsAndAdditional => Some("plus"),
            Self::FiveHourWeekly { .. }
            | Self::Unauthorized
            | Self::RateLimited { .. }
            | Self::Garbage
            | Self::Hang => None,
        }
    }

    /// The scenario for a name of [`USAGE_SCENARIOS`].
    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "5h-weekly" => Self::FiveHourWeekly {
                primary_used: 42,
                secondary_used: 63,
            },
            "weekly-only" => Self::WeeklyOnly { used: 20 },
            "monthly" => Self::Monthly { used: 55 },
            "limit-reached" => Self::LimitReached,
            "credits" => Self::CreditsAndAdditional,
            "unauthorized" => Self::Unauthorized,
            "rate-limited" => Self::RateLimited { retry_after: 30 },
            "garbage" => Self::Garbage,
            "hang" => Self::Hang,
            _ => return None,
        })
    }
}

/// One usage request as the mock saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRequest {
    pub path: String,
    /// The bearer token sent (mock-only test material).
    pub bearer: Option<String>,
    /// The runtime whose valid AgentAssertion asked, when one did.
    pub agent_runtime_id: Option<String>,
    pub account_id: Option<String>,
    pub fedramp: bool,
    pub user_agent: Option<String>,
}

#[derive(Debug)]
pub(super) struct UsageState {
    default: Mutex<UsageScenario>,
    per_account: Mutex<HashMap<String, UsageScenario>>,
    requests: Mutex<Vec<UsageRequest>>,
    latency: Mutex<Duration>,
    stop: CancellationToken,
    agents: Arc<Mutex<HashMap<String, [u8; 32]>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl UsageState {
    pub(super) fn new(
        stop: CancellationToken,
        agents: Arc<Mutex<HashMap<String, [u8; 32]>>>,
    ) -> Arc<Self> {
        Arc::new(Self {
            default: Mutex::new(UsageScenario::named("5h-weekly").unwrap_or(UsageScenario::Hang)),
            per_account: Mutex::new(HashMap::new()),
            requests: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            stop,
            agents,
        })
    }

    pub(super) fn set(&self, account_id: Option<&str>, scenario: UsageScenario) {
        match account_id {
            Some(id) => {
                lock(&self.per_account).insert(id.to_string(), scenario);
            }
            None => *lock(&self.default) = scenario,
        }
    }

    pub(super) fn set_latency(&self, d: Duration) {
        *lock(&self.latency) = d;
    }

    pub(super) fn requests(&self) -> Vec<UsageRequest> {
        lock(&self.requests).clone()
    }
}

/// The router for both usage paths.
pub(super) fn router(state: Arc<UsageState>) -> Router {
    Router::new()
        .route("/backend-api/wham/usage", get(usage))
        .route("/api/codex/usage", get(usage))
        .with_state(state)
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn usage(State(state): State<Arc<UsageState>>, uri: Uri, headers: HeaderMap) -> Response {
    let account_id = header_str(&headers, "chatgpt-account-id");
    let authorization = header_str(&headers, "authorization").unwrap_or_default();
    let bearer = authorization.strip_prefix("Bearer ").map(str::to_string);
    let assertion = authorization
        .strip_prefix("AgentAssertion ")
        .map(|token| check_assertion(&state, token));
    lock(&state.requests).push(UsageRequest {
        path: uri.path().to_string(),
        bearer: bearer.clone(),
        agent_runtime_id: assertion.clone().and_then(Result::ok),
        account_id: account_id.clone(),
        fedramp: header_str(&headers, "x-openai-fedramp").as_deref() == Some("true"),
        user_agent: header_str(&headers, "user-agent"),
    });
    let latency = *lock(&state.latency);
    if !latency.is_zero() {
        tokio::select! {
            () = tokio::time::sleep(latency) => {}
            () = state.stop.cancelled() => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
    match assertion {
        Some(Err(why)) => return (StatusCode::UNAUTHORIZED, why).into_response(),
        None if bearer.is_none_or(|b| b.trim().is_empty()) => {
            return (StatusCode::UNAUTHORIZED, "bearer token required").into_response();
        }
        Some(Ok(_)) | None => {}
    }
    let scenario = account_id
        .as_deref()
        .and_then(|id| lock(&state.per_account).get(id).cloned())
        .unwrap_or_else(|| lock(&state.default).clone());
    let now = chrono::Utc::now().timestamp();
    let body = match scenario {
        UsageScenario::Unauthorized => {
            return (StatusCode::UNAUTHORIZED, "token expired").into_response();
        }
        UsageScenario::RateLimited { retry_after } => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after.to_string())],
                "slow down",
            )
                .into_response();
        }
        UsageScenario::Garbage => {
            return (StatusCode::OK, "<html>not usage</html>").into_response();
        }
        UsageScenario::Hang => {
            state.stop.cancelled().await;
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        other => answer(&other, now),
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Checks an AgentAssertion as the backend would: base64url JSON naming a runtime the mock
/// knows, a fresh timestamp (five minutes either way), and that runtime's signature over
/// `runtime:task:timestamp`. Returns the runtime id.
fn check_assertion(state: &UsageState, token: &str) -> Result<String, &'static str> {
    let json = URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| "AgentAssertion is not base64url")?;
    let envelope: Value =
        serde_json::from_slice(&json).map_err(|_| "AgentAssertion is not JSON")?;
    let field = |name: &str| envelope.get(name).and_then(Value::as_str);
    let (Some(runtime_id), Some(task_id), Some(timestamp), Some(signature)) = (
        field("agent_runtime_id"),
        field("task_id"),
        field("timestamp"),
        field("signature"),
    ) else {
        return Err("AgentAssertion lacks a field");
    };
    let Some(public_key) = lock(&state.agents).get(runtime_id).copied() else {
        return Err("unknown agent runtime");
    };
    if !fresh(timestamp) {
        return Err("AgentAssertion timestamp outside allowed window");
    }
    let payload = format!("{runtime_id}:{task_id}:{timestamp}");
    if !verify_signature_base64(&public_key, payload.as_bytes(), signature) {
        return Err("AgentAssertion signature does not verify");
    }
    Ok(runtime_id.to_string())
}

fn window(used: u8, secs: i64, reset_after: i64, now: i64) -> Value {
    json!({
        "used_percent": used,
        "limit_window_seconds": secs,
        "reset_after_seconds": reset_after,
        "reset_at": now + reset_after,
    })
}

/// The JSON answer of a scenario that answers 200.
fn answer(s: &UsageScenario, now: i64) -> Value {
    let five = 18_000;
    let week = 604_800;
    match s {
        UsageScenario::FiveHourWeekly {
            primary_used,
            secondary_used,
        } => json!({
            "plan_type": s.plan_type(),
            "rate_limit": {"allowed": true, "limit_reached": false,
                "primary_window": window(*primary_used, five, 7_980, now),
                "secondary_window": window(*secondary_used, week, 201_600, now)},
            "credits": null,
        }),
        UsageScenario::WeeklyOnly { used } => json!({
            "plan_type": s.plan_type(),
            "rate_limit": {"allowed": true, "limit_reached": false,
                "primary_window": window(*used, week, 345_600, now),
                "secondary_window": null},
        }),
        UsageScenario::Monthly { used } => json!({
            "plan_type": s.plan_type(),
            "rate_limit": {"allowed": true, "limit_reached": false,
                "primary_window": window(*used, 2_592_000, 1_209_600, now)},
        }),
        UsageScenario::LimitReached => json!({
            "plan_type": s.plan_type(),
            "rate_limit": {"allowed": false, "limit_reached": true,
                "primary_window": window(100, five, 2_460, now),
                "secondary_window": window(71, week, 302_400, now)},
            "rate_limit_reached_type": {"kind": "rate_limit_reached"},
        }),
        _ => json!({
            "plan_type": s.plan_type(),
            "rate_limit": {"allowed": true, "limit_reached": false,
                "primary_window": window(12, five, 15_000, now),
                "secondary_window": window(30, week, 400_000, now)},
            "credits": {"has_credits": true, "unlimited": false, "balance": 12.5},
            "additional_rate_limits": [{
                "limit_name": "codex-review", "metered_feature": "code_review",
                "rate_limit": {"primary_window": window(80, 86_400, 40_000, now), "secondary_window": null}
            }],
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_scenario_exists() {
        for n in USAGE_SCENARIOS {
            assert!(UsageScenario::named(n).is_some(), "{n}");
        }
        assert!(UsageScenario::named("nope").is_none());
    }
}
