//! The async side of the runtime: runs the network steps and reports each as an [`Event`].
//!
//! JWKS fetch + JWT verification and task registration do not depend on each other, so they
//! run concurrently (`try_join`): a run costs one round trip of the slower step, not the sum.
//! When either fails for good, the other is dropped (cancelled) and the failure is the outcome.
//! Retries (up to [`RetryPolicy::attempts`]) apply to transient failures only — HTTP 429, 5xx,
//! timeouts and connection errors — with a short jittered back-off; each attempt and each wait
//! is reported, so a user watches "attempt 2 of 3, retrying in 0.6 s" rather than a frozen
//! screen. Cancelling a run is dropping its future (the TUI aborts the task).

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::future::Either;

use super::{Event, EventKind, InitError, Outcome, Step, TaskRuntime};
use crate::backend::{
    Backend, BackendError, FailureClass, FailureKind, HttpOutcome, verify_agent_jwt,
};
use crate::codex::agent_identity::AgentIdentity;
use crate::codex::agent_key::AgentKey;
use crate::codex::urls::UrlError;
use crate::secret::Secret;

/// Where progress goes. `Fn` (not `FnMut`) so concurrent steps can share it.
pub type Sink<'a> = &'a (dyn Fn(Event) + Send + Sync);

/// How many attempts and how long to wait between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            base_backoff: Duration::from_millis(400),
            max_backoff: Duration::from_secs(3),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `attempt` (1-based): exponential, capped, with `jitter`
    /// in `[0, 1)` spreading it over 50–150 % so many clients do not retry in lock-step.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self
            .base_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        exp.min(self.max_backoff)
            .mul_f64(0.5 + jitter.clamp(0.0, 1.0))
    }
}

fn emit(sink: Sink<'_>, kind: EventKind) {
    sink(Event {
        at: Utc::now(),
        kind,
    });
}

fn init_error(e: &BackendError, attempts: u32) -> InitError {
    InitError {
        kind: e.kind,
        class: e.class,
        message: e.message.clone(),
        status: e.status,
        attempts,
    }
}

/// Runs `attempt` up to `policy.attempts` times while it fails transiently.
async fn with_retries<T, F, Fut>(
    step: Step,
    policy: &RetryPolicy,
    sink: Sink<'_>,
    mut attempt_fn: F,
) -> Result<HttpOutcome<T>, InitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<HttpOutcome<T>, BackendError>>,
{
    let of = policy.attempts.max(1);
    emit(sink, EventKind::Started { step });
    let mut attempt = 1;
    loop {
        emit(sink, EventKind::Attempt { step, attempt, of });
        let started = Instant::now();
        let e = match attempt_fn().await {
            Ok(out) => {
                emit(
                    sink,
                    EventKind::Finished {
                        step,
                        status: Some(out.status),
                        latency: out.latency,
                    },
                );
                return Ok(out);
            }
            Err(e) => e,
        };
        let retry = e.class == FailureClass::Transient && attempt < of;
        let retry_in = retry.then(|| policy.backoff(attempt, rand::random::<f64>()));
        emit(
            sink,
            EventKind::AttemptFailed {
                step,
                attempt,
                of,
                status: e.status,
                latency: started.elapsed(),
                class: e.class,
                message: e.message.clone(),
                retry_in,
            },
        );
        let Some(wait) = retry_in else {
            return Err(init_error(&e, attempt));
        };
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// Fetches the JWKS and verifies the identity's JWT against it; `Ok(true)` when verified.
/// Record-form identities carry no JWT and skip this (`Ok(false)`). Also used by `add`.
pub async fn verify(
    identity: &AgentIdentity,
    backend: &Backend,
    policy: &RetryPolicy,
    sink: Sink<'_>,
) -> Result<bool, InitError> {
    let AgentIdentity::Jwt(jwt) = identity else {
        return Ok(false);
    };
    let jwks = with_retries(Step::Jwks, policy, sink, || backend.fetch_jwks()).await?;
    emit(sink, EventKind::Started { step: Step::Verify });
    emit(
        sink,
        EventKind::Attempt {
            step: Step::Verify,
            attempt: 1,
            of: 1,
        },
    );
    let started = Instant::now();
    match verify_agent_jwt(jwt.token.expose(), &jwks.value, Utc::now().timestamp()) {
        Ok(_) => {
            emit(
                sink,
                EventKind::Finished {
                    step: Step::Verify,
                    status: None,
                    latency: started.elapsed(),
                },
            );
            Ok(true)
        }
        Err(e) => {
            emit(
                sink,
                EventKind::AttemptFailed {
                    step: Step::Verify,
                    attempt: 1,
                    of: 1,
                    status: None,
                    latency: started.elapsed(),
                    class: e.class,
                    message: e.message.clone(),
                    retry_in: None,
                },
            );
            Err(init_error(&e, 1))
        }
    }
}

/// Registers a task for `runtime_id`, with retries.
pub async fn register_task(
    runtime_id: &str,
    key: &AgentKey,
    backend: &Backend,
    policy: &RetryPolicy,
    sink: Sink<'_>,
) -> Result<TaskRuntime, InitError> {
    let out = with_retries(Step::Register, policy, sink, || {
        backend.register_task_attempt(runtime_id, key, Utc::now())
    })
    .await?;
    Ok(TaskRuntime {
        runtime_id: runtime_id.to_string(),
        task_id: out.value,
        registered_at: Utc::now(),
        latency: out.latency,
        reused: false,
    })
}

fn reuse(runtime_id: &str, task_id: &Secret) -> TaskRuntime {
    TaskRuntime {
        runtime_id: runtime_id.to_string(),
        task_id: task_id.clone(),
        registered_at: Utc::now(),
        latency: Duration::ZERO,
        reused: true,
    }
}

/// Runs the whole Agent Identity init: verify (JWT form) beside register (or reuse a persisted
/// task id), both to their end; a verification failure outranks a registration failure.
/// Always ends by emitting `Done` with the outcome it returns.
pub async fn init_agent(
    identity: &AgentIdentity,
    backend: &Backend,
    policy: &RetryPolicy,
    sink: Sink<'_>,
) -> Outcome {
    let outcome = init_agent_inner(identity, backend, policy, sink).await;
    emit(sink, EventKind::Done(outcome.clone()));
    outcome
}

async fn init_agent_inner(
    identity: &AgentIdentity,
    backend: &Backend,
    policy: &RetryPolicy,
    sink: Sink<'_>,
) -> Outcome {
    let (Some(facts), Ok(key)) = (identity.facts(), identity.key()) else {
        return Outcome::Failed(InitError {
            kind: FailureKind::Verification,
            class: FailureClass::Permanent,
            message: "the agent identity has no usable runtime id or key".to_string(),
            status: None,
            attempts: 0,
        });
    };
    let runtime_id = facts.runtime_id.as_str();
    let register = async {
        if let Some(task) = identity.persisted_task_id() {
            emit(sink, EventKind::TaskReused);
            Ok(reuse(runtime_id, task))
        } else {
            register_task(runtime_id, &key, backend, policy, sink).await
        }
    };
    // Side by side. A JWT that does not verify is the cause (the identity is at fault) and stops
    // the registration; a registration that fails first waits for the check. So the outcome
    // never depends on which answer came first (docs/codex-formats.md §4.3).
    let verify = verify(identity, backend, policy, sink);
    futures::pin_mut!(verify, register);
    let (verified, registered) = match futures::future::select(verify, register).await {
        Either::Left((Err(e), _dropped_registration)) => return Outcome::Failed(e),
        Either::Left((Ok(jwt_verified), register)) => (Ok(jwt_verified), register.await),
        Either::Right((registered, verify)) => (verify.await, registered),
    };
    match (verified, registered) {
        (Ok(jwt_verified), Ok(task)) => Outcome::Ready {
            task: Some(task),
            jwt_verified,
        },
        (Err(e), _) | (Ok(_), Err(e)) => Outcome::Failed(e),
    }
}

/// The backend for an environment. A refused URL override (plain http to a non-loopback host,
/// another scheme, garbage) is a permanent init failure reported before any request is made.
pub fn backend_for(
    env: &dyn Fn(&str) -> Option<String>,
    timeout: Duration,
) -> Result<Backend, InitError> {
    backend_for_home(env, None, timeout)
}

/// [`backend_for`], with the JWKS default following `chatgpt_base_url` from this config.toml
/// (as Codex does; the environment override still wins). A `chatgpt_base_url` that breaks the
/// https-or-loopback rule is a permanent JWKS failure; an unreadable config.toml is ignored
/// (Codex's default applies), as everywhere else authdeck reads it.
pub fn backend_for_home(
    env: &dyn Fn(&str) -> Option<String>,
    config_toml: Option<&std::path::Path>,
    timeout: Duration,
) -> Result<Backend, InitError> {
    let permanent = |kind, message: String| InitError {
        kind,
        class: FailureClass::Permanent,
        message,
        status: None,
        attempts: 0,
    };
    let jwks_overridden =
        env(crate::codex::urls::JWKS_BASE_VAR).is_some_and(|v| !v.trim().is_empty());
    let chatgpt_base = match config_toml.filter(|_| !jwks_overridden).and_then(|p| {
        crate::store::config::read_chatgpt_base_url(p)
            .ok()
            .flatten()
    }) {
        Some(b) => Some(
            crate::codex::urls::check_override(crate::codex::urls::CHATGPT_BASE_KEY, &b)
                .map_err(|e| permanent(FailureKind::Jwks, format!("config.toml {e}")))?,
        ),
        None => None,
    };
    let endpoints = crate::codex::urls::endpoints_with_chatgpt_base(env, chatgpt_base.as_deref())
        .map_err(|e| {
        let var = match &e {
            UrlError::NotAUrl { var, .. }
            | UrlError::UnsupportedScheme { var, .. }
            | UrlError::NotLoopback { var, .. } => var.clone(),
        };
        let kind = if var == crate::codex::urls::JWKS_BASE_VAR {
            FailureKind::Jwks
        } else {
            FailureKind::Registration
        };
        permanent(kind, e.to_string())
    })?;
    Backend::new(endpoints, timeout).map_err(|e| permanent(e.kind, e.message))
}

/// Settles a model that is waiting on an init that cannot start (e.g. a refused override).
pub fn fail_now(sink: Sink<'_>, error: InitError) -> Outcome {
    let outcome = Outcome::Failed(error);
    emit(sink, EventKind::Done(outcome.clone()));
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_override_is_a_permanent_failure_of_the_right_kind() {
        let env = |k: &str| {
            (k == crate::codex::urls::AUTHAPI_BASE_VAR).then(|| "http://example.com".to_string())
        };
        let Err(err) = backend_for(&env, Duration::from_secs(1)) else {
            panic!("a non-loopback http override must be refused");
        };
        assert_eq!(err.kind, FailureKind::Registration);
        assert_eq!(err.class, FailureClass::Permanent);
        assert!(
            err.message.contains("not a loopback address"),
            "{}",
            err.message
        );
        assert!(backend_for(&|_: &str| None, Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn the_jwks_default_follows_chatgpt_base_url() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("config.toml");
        let none = |_: &str| None;
        let t = Duration::from_secs(1);
        std::fs::write(
            &config,
            "chatgpt_base_url = \"http://127.0.0.1:9/backend-api\"\n",
        )
        .expect("write");
        let b = backend_for_home(&none, Some(&config), t).expect("loopback is fine");
        assert_eq!(
            b.endpoints().jwks_url,
            "http://127.0.0.1:9/backend-api/wham/agent-identities/jwks"
        );
        std::fs::write(
            &config,
            "chatgpt_base_url = \"http://example.com/backend-api\"\n",
        )
        .expect("write");
        let Err(err) = backend_for_home(&none, Some(&config), t) else {
            panic!("plain http to a remote host must be refused");
        };
        assert_eq!(err.kind, FailureKind::Jwks);
        assert!(err.message.contains("chatgpt_base_url"), "{}", err.message);
        let env = |k: &str| {
            (k == crate::codex::urls::JWKS_BASE_VAR).then(|| "http://127.0.0.1:5".to_string())
        };
        let b = backend_for_home(&env, Some(&config), t).expect("the variable wins");
        assert_eq!(
            b.endpoints().jwks_url,
            "http://127.0.0.1:5/agent-identities/jwks"
        );
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, 0.5), Duration::from_millis(400));
        assert_eq!(p.backoff(2, 0.5), Duration::from_millis(800));
        assert_eq!(p.backoff(10, 0.5), Duration::from_secs(3));
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(200));
        assert!(p.backoff(1, 0.999) < Duration::from_millis(600));
        assert_eq!(p.backoff(u32::MAX, 2.0), Duration::from_millis(4500));
    }
}
