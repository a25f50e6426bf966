//! [`Backend`]: one reqwest client (rustls) built once, three calls, one attempt each.
//!
//! Every request carries its own timeout (reqwest's per-request timeout covers connect, send and
//! reading the body), so a server that accepts the connection and then never answers still ends
//! the call on time, classed transient. Redirects are not followed: a registration request carries
//! a signature or a bearer token and must not be replayed to wherever a redirect points.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::JwkSet;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, RequestBuilder, Url};
use serde_json::{Value, json};

use super::body::{BodyError, JWKS_BODY_LIMIT, REGISTRATION_BODY_LIMIT, format_size, read_capped};
use super::{BackendError, FailureClass, FailureKind, HttpOutcome, classify_status};
use crate::codex::agent_key::AgentKey;
use crate::codex::assertion::registration_body;
use crate::codex::auth_file::wipe_value;
use crate::codex::urls::{Endpoints, agent_register_url, is_loopback_url, task_register_url};
use crate::secret::{Secret, Zeroizing};

/// JWKS fetch timeout (Codex: 10 s), shortened to the request timeout when that is smaller.
pub const JWKS_TIMEOUT: Duration = Duration::from_secs(10);
/// Agent registration timeout (Codex: 15 s), shortened to the request timeout when smaller.
pub const AGENT_REGISTER_TIMEOUT: Duration = Duration::from_secs(15);

const USER_AGENT: &str = concat!("authdeck/", env!("CARGO_PKG_VERSION"));

/// The HTTP client for one set of endpoints.
#[derive(Debug, Clone)]
pub struct Backend {
    client: Client,
    endpoints: Endpoints,
    request_timeout: Duration,
}

/// What one call is doing, for messages: the step, its verb phrase and its URL.
struct Call<'a> {
    kind: FailureKind,
    what: &'static str,
    url: &'a str,
    timeout: Duration,
    /// Largest answer body accepted; a longer one is a bad answer.
    body_limit: usize,
}

impl Backend {
    /// Builds the client. `request_timeout` bounds each task-registration attempt (and caps the
    /// JWKS and agent-registration timeouts).
    pub fn new(endpoints: Endpoints, request_timeout: Duration) -> Result<Self, BackendError> {
        let mut headers = HeaderMap::new();
        headers.insert("originator", HeaderValue::from_static("authdeck"));
        let mut builder = Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none());
        // A proxy from the environment must never see traffic meant for a local mock backend.
        if is_loopback_url(&endpoints.jwks_url) && is_loopback_url(&endpoints.authapi_base) {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            BackendError::new(
                FailureKind::Registration,
                FailureClass::Permanent,
                format!("could not set up the HTTP client: {}", root_cause(&e)),
                None,
            )
        })?;
        Ok(Self {
            client,
            endpoints,
            request_timeout,
        })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// `GET` the JWKS, no authentication.
    pub async fn fetch_jwks(&self) -> Result<HttpOutcome<JwkSet>, BackendError> {
        let call = Call {
            kind: FailureKind::Jwks,
            what: "JWKS fetch",
            url: &self.endpoints.jwks_url,
            timeout: JWKS_TIMEOUT.min(self.request_timeout),
            body_limit: JWKS_BODY_LIMIT,
        };
        let (body, status, latency) = call.run(self.client.get(call.url)).await?;
        let value = serde_json::from_slice::<JwkSet>(&body).map_err(|_| {
            call.permanent(
                format!(
                    "JWKS response was not a valid JWK set ({})",
                    display_url(call.url)
                ),
                status,
            )
        })?;
        tracing::debug!(url = %display_url(call.url), keys = value.keys.len(), "JWKS fetched");
        Ok(HttpOutcome {
            value,
            status,
            latency,
        })
    }

    /// ONE task-registration attempt for `runtime_id`, signed with `key` at `now`.
    pub async fn register_task_attempt(
        &self,
        runtime_id: &str,
        key: &AgentKey,
        now: DateTime<Utc>,
    ) -> Result<HttpOutcome<Secret>, BackendError> {
        let url = task_register_url(&self.endpoints.authapi_base, runtime_id);
        let call = Call {
            kind: FailureKind::Registration,
            what: "task registration",
            url: &url,
            timeout: self.request_timeout,
            body_limit: REGISTRATION_BODY_LIMIT,
        };
        let body = registration_body(runtime_id, key, now);
        let (bytes, status, latency) = call.run(self.client.post(call.url).json(&body)).await?;
        let mut value = call.parse_json(&bytes, status, "registration response was not JSON")?;
        let task_id = extract_task_id(&value, key);
        // The parsed answer holds the task id (plain or sealed): wipe it before it is dropped.
        wipe_value(&mut value);
        let task_id = task_id.map_err(|why| call.permanent(why, status))?;
        tracing::debug!(url = %display_url(call.url), status, "task registered");
        Ok(HttpOutcome {
            value: task_id,
            status,
            latency,
        })
    }

    /// Registers a new agent for a `ChatGPT` login (docs/codex-formats.md §4.6); returns its runtime id.
    pub async fn register_agent(
        &self,
        bearer: &Secret,
        fedramp: bool,
        key: &AgentKey,
    ) -> Result<HttpOutcome<String>, BackendError> {
        let url = agent_register_url(&self.endpoints.authapi_base);
        let call = Call {
            kind: FailureKind::Provision,
            what: "agent registration",
            url: &url,
            timeout: AGENT_REGISTER_TIMEOUT.min(self.request_timeout),
            body_limit: REGISTRATION_BODY_LIMIT,
        };
        let body = json!({
            "abom": {
                "agent_version": env!("CARGO_PKG_VERSION"),
                "agent_harness_id": "codex-cli",
                "running_location": format!("cli-{}", std::env::consts::OS),
            },
            "agent_public_key": key.ssh_public_key(),
            "capabilities": ["responsesapi"],
            "ttl": null,
        });
        let mut request = self.client.post(call.url).bearer_auth(bearer.expose());
        if fedramp {
            request = request.header("X-OpenAI-Fedramp", "true");
        }
        let (bytes, status, latency) = call.run(request.json(&body)).await?;
        let value = call.parse_json(&bytes, status, "agent registration response was not JSON")?;
        let runtime_id = value
            .get("agent_runtime_id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                call.permanent(
                    format!(
                        "agent registration response omitted agent_runtime_id ({})",
                        display_url(call.url)
                    ),
                    status,
                )
            })?;
        Ok(HttpOutcome {
            value: runtime_id.to_string(),
            status,
            latency,
        })
    }
}

impl Call<'_> {
    /// Sends the request and reads the whole body (at most `body_limit` bytes); any non-2xx
    /// status is an error.
    async fn run(
        &self,
        request: RequestBuilder,
    ) -> Result<(Zeroizing<Vec<u8>>, u16, Duration), BackendError> {
        let started = Instant::now();
        let response = request
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.transport(&e))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            tracing::debug!(url = %display_url(self.url), status, "{} refused", self.what);
            return Err(BackendError::new(
                self.kind,
                classify_status(status),
                format!(
                    "{} failed: HTTP {status} from {}",
                    self.what,
                    display_url(self.url)
                ),
                Some(status),
            ));
        }
        let body = read_capped(response, self.body_limit)
            .await
            .map_err(|e| match e {
                BodyError::Transport(e) => self.transport(&e),
                BodyError::TooLarge { limit } => self.permanent(
                    format!(
                        "{} failed: the answer from {} is larger than {} (not a valid answer)",
                        self.what,
                        display_url(self.url),
                        format_size(limit)
                    ),
                    status,
                ),
            })?;
        Ok((body, status, started.elapsed()))
    }

    fn parse_json(&self, bytes: &[u8], status: u16, what: &str) -> Result<Value, BackendError> {
        serde_json::from_slice(bytes)
            .map_err(|_| self.permanent(format!("{what} ({})", display_url(self.url)), status))
    }

    fn permanent(&self, message: String, status: u16) -> BackendError {
        BackendError::new(self.kind, FailureClass::Permanent, message, Some(status))
    }

    /// A failure before a full answer arrived: timeouts and network errors are transient.
    fn transport(&self, e: &reqwest::Error) -> BackendError {
        let url = display_url(self.url);
        let (class, message) = if e.is_timeout() {
            (
                FailureClass::Transient,
                format!(
                    "{} timed out after {} ({url})",
                    self.what,
                    format_duration(self.timeout)
                ),
            )
        } else if e.is_connect() {
            (
                FailureClass::Transient,
                format!(
                    "{} failed: cannot connect to {url} ({})",
                    self.what,
                    root_cause(e)
                ),
            )
        } else if e.is_builder() || e.is_redirect() {
            (
                FailureClass::Permanent,
                format!(
                    "{} failed: bad request to {url} ({})",
                    self.what,
                    root_cause(e)
                ),
            )
        } else {
            (
                FailureClass::Transient,
                format!(
                    "{} failed: network error talking to {url} ({})",
                    self.what,
                    root_cause(e)
                ),
            )
        };
        tracing::debug!(url = %url, transient = class == FailureClass::Transient, "{} failed", self.what);
        BackendError::new(self.kind, class, message, None)
    }
}

/// `task_id`, else `taskId` (plaintext); else `encrypted_task_id`, else `encryptedTaskId`.
fn extract_task_id(value: &Value, key: &AgentKey) -> Result<Secret, String> {
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(plain) = field("task_id").or_else(|| field("taskId")) {
        return Ok(Secret::new(plain));
    }
    if let Some(sealed) = field("encrypted_task_id").or_else(|| field("encryptedTaskId")) {
        // The error already names what failed ("encrypted task id could not be opened …").
        return key
            .open_sealed_task_id(sealed)
            .map_err(|e| format!("registration response unusable: {e}"));
    }
    Err("registration response omitted task id".to_string())
}

/// The URL without user-info, query or fragment, for messages.
pub(crate) fn display_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            // Both setters only fail for URLs that cannot have credentials; nothing to strip then.
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        Err(_) => "<invalid URL>".to_string(),
    }
}

/// The innermost cause of an error (e.g. "Connection refused (os error 111)"), which says more
/// than reqwest's outer "error sending request".
fn root_cause(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// `10s`, `1.5s` or `250ms`.
fn format_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else if d.as_secs() > 0 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_messages_drop_credentials_and_queries() {
        assert_eq!(
            display_url("https://user:pw@auth.example/v1/agent/a/task/register?token=x#f"),
            "https://auth.example/v1/agent/a/task/register"
        );
        assert_eq!(display_url("not a url"), "<invalid URL>");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_secs(10)), "10s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
    }

    #[test]
    fn task_id_field_precedence() {
        let key = AgentKey::from_seed([7u8; 32]);
        let v = json!({"taskId": "camel", "task_id": "snake"});
        assert_eq!(extract_task_id(&v, &key).unwrap().expose(), "snake");
        let v = json!({"task_id": null, "taskId": "camel", "encrypted_task_id": "zzz"});
        assert_eq!(extract_task_id(&v, &key).unwrap().expose(), "camel");
        let v = json!({"encryptedTaskId": "@@@"});
        let err = extract_task_id(&v, &key).unwrap_err();
        assert!(err.contains("encrypted task id"), "{err}");
        assert_eq!(
            err.matches("encrypted task id").count(),
            1,
            "said once: {err}"
        );
        assert_eq!(
            extract_task_id(&json!([1, 2]), &key).unwrap_err(),
            "registration response omitted task id"
        );
    }
}
