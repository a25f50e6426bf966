//! The embedded mock Codex backend (README "Commands", `mock-backend`): a small axum server on 127.0.0.1 that plays
//! the JWKS endpoint, task registration and agent registration, with scripted faults, and the
//! usage endpoint with per-account scenarios ([`usage`]).
//!
//! It exists so that every runtime state — ready, slow, flaky, down, hung, garbage or endless
//! answers, rejected signatures, sealed task ids — can be shown (`authdeck --demo`), tried
//! (`authdeck mock-backend --scenario …`) and tested end to end without touching `OpenAI`. It checks
//! what the real backend checks (known agent, timestamp within 5 minutes, Ed25519 signature over
//! `"<id>:<ts>"`) so that a bug in authdeck's signing shows up here as a 401, not as a pass.
//!
//! Its JWTs are signed with the demo RSA key in `assets/demo/` — public on purpose and trusted by
//! nothing but this mock. It binds only to 127.0.0.1.
//!
//! Layout: [`jwt`] (demo key material and token minting), `server` (the axum app and the
//! [`MockBackend`] handle). Faults apply per runtime id ([`MockConfig::per_runtime`]) else
//! globally, and can be changed while the server runs ([`MockBackend::set_fault`]).

pub mod jwt;
mod server;
pub mod usage;

use std::collections::HashMap;
use std::time::Duration;

pub use jwt::{
    AgentJwtSpec, DEMO_JWKS_JSON, DEMO_KID, demo_jwks, demo_rsa_private_pem, mint_agent_jwt,
    mint_jwt_with, mint_unsigned_jwt,
};
pub use server::MockBackend;
pub use usage::{USAGE_SCENARIOS, UsageRequest, UsageScenario};

/// A scripted misbehaviour. Faults that make no sense for an endpoint (e.g. `Sealed` on the
/// JWKS) behave like `Ok` there.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer normally.
    Ok,
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// Never answer (until the mock shuts down).
    Hang,
    /// Answer `status` to the first `n` calls (counted per runtime id), then normally.
    FailFirst { n: u32, status: u16 },
    /// Always answer this status.
    Status(u16),
    /// 200 with a body that is not JSON.
    Garbage,
    /// 200 with a JSON-looking body that never ends (streams until the client gives up or the
    /// mock shuts down): the client must cap what it reads.
    Endless,
    /// 200 JSON without any task id field.
    MissingTaskId,
    /// Answer `encrypted_task_id` (sealed to the agent's key).
    Sealed,
    /// Answer `encryptedTaskId`.
    SealedCamel,
    /// Answer `taskId` (plaintext).
    PlainCamel,
    /// Answer exactly this plaintext `task_id` (e.g. one carrying terminal escapes).
    TaskId(String),
    /// Answer `encrypted_task_id` that is not a sealed box for this agent.
    BadSealed,
    /// Answer a sealed task id whose plaintext is not UTF-8.
    NonUtf8Sealed,
    /// Pretend the signature is bad: 401.
    RejectSignature,
}

/// The mock's behaviour. `Default` = everything answers normally, no added latency.
#[derive(Debug, Clone, PartialEq)]
pub struct MockConfig {
    /// Task registration fault for runtime ids without their own entry.
    pub task_fault: Fault,
    /// Task registration faults per runtime id.
    pub per_runtime: HashMap<String, Fault>,
    pub jwks_fault: Fault,
    pub agent_register_fault: Fault,
    /// Added to every request on every endpoint.
    pub latency: Duration,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            task_fault: Fault::Ok,
            per_runtime: HashMap::new(),
            jwks_fault: Fault::Ok,
            agent_register_fault: Fault::Ok,
            latency: Duration::ZERO,
        }
    }
}

impl MockConfig {
    /// A config whose task registration answers with `fault`.
    pub fn with_task_fault(fault: Fault) -> Self {
        Self {
            task_fault: fault,
            ..Self::default()
        }
    }
}

/// Requests seen per endpoint, and task ids handed out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MockStats {
    pub jwks: u64,
    pub task_register: u64,
    pub agent_register: u64,
    pub tasks_issued: u64,
}

/// The named scenarios of `authdeck mock-backend --scenario NAME`, with one-line descriptions.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("ok", "every endpoint answers at once"),
    ("slow", "task registration answers after 2 s"),
    (
        "flaky",
        "task registration fails with 503 twice per agent, then succeeds",
    ),
    ("down", "task registration always fails with 503"),
    (
        "rate-limited",
        "task registration answers 429 twice per agent, then succeeds",
    ),
    (
        "hang",
        "task registration never answers (the client must time out)",
    ),
    (
        "garbage",
        "task registration answers 200 with a body that is not JSON",
    ),
    (
        "endless",
        "task registration answers 200 with a body that never ends",
    ),
    (
        "missing-task-id",
        "task registration answers JSON without a task id",
    ),
    (
        "reject",
        "task registration rejects every signature with 401",
    ),
    (
        "sealed",
        "task registration answers an encrypted (sealed) task id",
    ),
];

/// The config for a named scenario (see [`SCENARIOS`]).
pub fn scenario(name: &str) -> Option<MockConfig> {
    let fault = match name {
        "ok" => Fault::Ok,
        "slow" => Fault::Latency(Duration::from_secs(2)),
        "flaky" => Fault::FailFirst { n: 2, status: 503 },
        "down" => Fault::Status(503),
        "rate-limited" => Fault::FailFirst { n: 2, status: 429 },
        "hang" => Fault::Hang,
        "garbage" => Fault::Garbage,
        "endless" => Fault::Endless,
        "missing-task-id" => Fault::MissingTaskId,
        "reject" => Fault::RejectSignature,
        "sealed" => Fault::Sealed,
        _ => return None,
    };
    Some(MockConfig::with_task_fault(fault))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_scenario_exists_and_unknown_ones_do_not() {
        for (name, description) in SCENARIOS {
            assert!(scenario(name).is_some(), "{name}");
            assert!(!description.is_empty());
        }
        assert_eq!(SCENARIOS.len(), 11);
        assert_eq!(scenario("nope"), None);
        assert_eq!(
            scenario("flaky").map(|c| c.task_fault),
            Some(Fault::FailFirst { n: 2, status: 503 })
        );
    }
}
