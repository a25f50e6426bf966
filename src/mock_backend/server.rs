//! The mock's axum app and its [`MockBackend`] handle.
//!
//! The server runs on one spawned tokio task and stops through a cancellation token with
//! graceful shutdown. Every wait inside a handler (latency, `Hang`) also watches that token, so
//! a hung request can never keep the server — or a test — alive after `shutdown`.
//!
//! State is a few plain maps behind short-lived `std` mutexes (never held across an `.await`).

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

mod respond;

use respond::{error_response, generic_fault, json_response, pause, stopping};

use super::jwt::DEMO_JWKS_JSON;
use super::usage::{UsageRequest, UsageScenario, UsageState};
use super::{Fault, MockConfig, MockStats};
use crate::codex::agent_key::{
    public_key_from_ssh, seal_to, verify_signature_base64, x25519_public_from_ed25519,
};

/// Largest accepted clock difference for a registration or assertion timestamp.
const MAX_SKEW_SECS: i64 = 300;

/// Whether a signed RFC 3339 timestamp is within [`MAX_SKEW_SECS`] of now.
pub(super) fn fresh(timestamp: &str) -> bool {
    DateTime::parse_from_rfc3339(timestamp)
        .is_ok_and(|t| (Utc::now().timestamp() - t.timestamp()).abs() <= MAX_SKEW_SECS)
}
const JWKS_COUNTER: &str = "<jwks>";
const AGENT_REGISTER_COUNTER: &str = "<agent-register>";

struct Shared {
    config: Mutex<MockConfig>,
    /// Runtime id → Ed25519 public key; shared with the usage endpoint, which checks
    /// AgentAssertions against it.
    agents: Arc<Mutex<HashMap<String, [u8; 32]>>>,
    /// `FailFirst` counters, per runtime id (or per endpoint for the other endpoints).
    failures: Mutex<HashMap<String, u32>>,
    stats: Mutex<MockStats>,
    stop: CancellationToken,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running mock backend. Dropping it stops the server too (without waiting).
pub struct MockBackend {
    shared: Arc<Shared>,
    usage: Arc<UsageState>,
    addr: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockBackend")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockBackend {
    /// Binds 127.0.0.1:`port` (0 = any free port) and serves until [`shutdown`](Self::shutdown).
    pub async fn start(config: MockConfig, port: u16) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config: Mutex::new(config),
            agents: Arc::new(Mutex::new(HashMap::new())),
            failures: Mutex::new(HashMap::new()),
            stats: Mutex::new(MockStats::default()),
            stop: CancellationToken::new(),
        });
        let app = Router::new()
            .route("/backend-api/wham/agent-identities/jwks", get(jwks))
            .route("/agent-identities/jwks", get(jwks))
            .route("/v1/agent/{id}/task/register", post(task_register))
            .route("/v1/agent/register", post(agent_register))
            .with_state(Arc::clone(&shared));
        let usage = UsageState::new(shared.stop.clone(), Arc::clone(&shared.agents));
        let app = app.merge(super::usage::router(Arc::clone(&usage)));
        let stop = shared.stop.clone();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(stop.cancelled_owned())
                .await;
            if let Err(e) = served {
                tracing::warn!(error = %e, "mock backend stopped with an error");
            }
        });
        tracing::info!(%addr, "mock backend listening");
        Ok(Self {
            shared,
            usage,
            addr,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT` — use it for both base-URL overrides (also with `/backend-api`
    /// appended for the JWKS base).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Makes `runtime_id` a known agent with this Ed25519 public key.
    pub fn register_agent_key(&self, runtime_id: &str, public_key: [u8; 32]) {
        lock(&self.shared.agents).insert(runtime_id.to_string(), public_key);
    }

    /// Sets the task-registration fault for one runtime id, or the global one (`None`), and
    /// restarts the matching `FailFirst` counters.
    pub fn set_fault(&self, runtime_id: Option<&str>, fault: Fault) {
        let mut config = lock(&self.shared.config);
        let mut failures = lock(&self.shared.failures);
        if let Some(id) = runtime_id {
            config.per_runtime.insert(id.to_string(), fault);
            failures.remove(id);
        } else {
            config.task_fault = fault;
            failures.retain(|k, _| k == JWKS_COUNTER || k == AGENT_REGISTER_COUNTER);
        }
    }

    pub fn set_jwks_fault(&self, fault: Fault) {
        lock(&self.shared.config).jwks_fault = fault;
        lock(&self.shared.failures).remove(JWKS_COUNTER);
    }

    pub fn set_agent_register_fault(&self, fault: Fault) {
        lock(&self.shared.config).agent_register_fault = fault;
        lock(&self.shared.failures).remove(AGENT_REGISTER_COUNTER);
    }

    pub fn set_latency(&self, latency: Duration) {
        lock(&self.shared.config).latency = latency;
    }

    /// Sets the usage answer for one ChatGPT account id, or the default (`None`).
    pub fn set_usage(&self, account_id: Option<&str>, scenario: UsageScenario) {
        self.usage.set(account_id, scenario);
    }

    /// Added to every usage request.
    pub fn set_usage_latency(&self, latency: Duration) {
        self.usage.set_latency(latency);
    }

    /// Every usage request seen so far, in arrival order.
    pub fn usage_requests(&self) -> Vec<UsageRequest> {
        self.usage.requests()
    }

    pub fn stats(&self) -> MockStats {
        *lock(&self.shared.stats)
    }

    /// Stops the server: pending requests (even hung ones) end, then the task is joined
    /// (aborted if it has not finished within 5 s).
    pub async fn shutdown(mut self) {
        self.shared.stop.cancel();
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for MockBackend {
    fn drop(&mut self) {
        self.shared.stop.cancel();
    }
}

async fn jwks(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.stats).jwks += 1;
    let (latency, fault) = {
        let config = lock(&shared.config);
        (config.latency, config.jwks_fault.clone())
    };
    if !pause(&shared, latency).await {
        return stopping();
    }
    if let Some(response) = generic_fault(&shared, &fault, JWKS_COUNTER).await {
        return response;
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        DEMO_JWKS_JSON,
    )
        .into_response()
}

async fn task_register(
    State(shared): State<Arc<Shared>>,
    Path(runtime_id): Path<String>,
    body: Bytes,
) -> Response {
    lock(&shared.stats).task_register += 1;
    let (latency, fault) = {
        let config = lock(&shared.config);
        let fault = config
            .per_runtime
            .get(&runtime_id)
            .unwrap_or(&config.task_fault)
            .clone();
        (config.latency, fault)
    };
    if !pause(&shared, latency).await {
        return stopping();
    }
    let Some(public_key) = lock(&shared.agents).get(&runtime_id).copied() else {
        return error_response(StatusCode::NOT_FOUND, "unknown agent runtime id");
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error_response(StatusCode::BAD_REQUEST, "request body is not JSON");
    };
    let (Some(timestamp), Some(signature)) = (
        request.get("timestamp").and_then(Value::as_str),
        request.get("signature").and_then(Value::as_str),
    ) else {
        return error_response(StatusCode::BAD_REQUEST, "timestamp and signature required");
    };
    if !fresh(timestamp) {
        return error_response(StatusCode::UNAUTHORIZED, "timestamp outside allowed window");
    }
    let payload = format!("{runtime_id}:{timestamp}");
    if !verify_signature_base64(&public_key, payload.as_bytes(), signature) {
        return error_response(StatusCode::UNAUTHORIZED, "invalid agent signature");
    }
    if let Some(response) = generic_fault(&shared, &fault, &runtime_id).await {
        return response;
    }

    let task_id = format!("task-{:016x}", rand::random::<u64>());
    let sealed = |plaintext: &[u8]| {
        let recipient = x25519_public_from_ed25519(&public_key).unwrap_or([0; 32]);
        STANDARD.encode(seal_to(&recipient, plaintext))
    };
    let (issued, body) = match fault {
        Fault::MissingTaskId => (false, json!({ "status": "registered" })),
        Fault::Sealed => (
            true,
            json!({ "encrypted_task_id": sealed(task_id.as_bytes()) }),
        ),
        Fault::SealedCamel => (
            true,
            json!({ "encryptedTaskId": sealed(task_id.as_bytes()) }),
        ),
        Fault::PlainCamel => (true, json!({ "taskId": task_id })),
        Fault::TaskId(chosen) => (true, json!({ "task_id": chosen })),
        Fault::BadSealed => {
            let junk: Vec<u8> = (0..64).map(|_| rand::random::<u8>()).collect();
            (false, json!({ "encrypted_task_id": STANDARD.encode(junk) }))
        }
        Fault::NonUtf8Sealed => (
            false,
            json!({ "encrypted_task_id": sealed(&[0xff, 0xfe, 0xfd, 0x00]) }),
        ),
        _ => (true, json!({ "task_id": task_id })),
    };
    if issued {
        lock(&shared.stats).tasks_issued += 1;
    }
    json_response(StatusCode::OK, &body)
}

async fn agent_register(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    lock(&shared.stats).agent_register += 1;
    let (latency, fault) = {
        let config = lock(&shared.config);
        (config.latency, config.agent_register_fault.clone())
    };
    if !pause(&shared, latency).await {
        return stopping();
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| !token.trim().is_empty());
    if !bearer {
        return error_response(StatusCode::UNAUTHORIZED, "bearer token required");
    }
    let public_key = serde_json::from_slice::<Value>(&body).ok().and_then(|v| {
        v.get("agent_public_key")
            .and_then(Value::as_str)
            .and_then(public_key_from_ssh)
    });
    let Some(public_key) = public_key else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "agent_public_key (ssh-ed25519) required",
        );
    };
    if let Some(response) = generic_fault(&shared, &fault, AGENT_REGISTER_COUNTER).await {
        return response;
    }
    if fault == Fault::MissingTaskId {
        return json_response(StatusCode::OK, &json!({ "status": "registered" }));
    }
    let runtime_id = format!("agent-{:016x}", rand::random::<u64>());
    lock(&shared.agents).insert(runtime_id.clone(), public_key);
    json_response(StatusCode::OK, &json!({ "agent_runtime_id": runtime_id }))
}
