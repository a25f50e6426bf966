//! The credential runtime: one state machine, used by every face.
//!
//! ```text
//!             ┌─────────────── no credential ───────────────► signed_out
//!  load ──────┼─────────────── unusable material ───────────► invalid (+ reason)
//!             ├─────────────── --offline ───────────────────► offline
//!             ├─ API key / ChatGPT / PAT ───────────────────► ready (task: not_needed)
//!             └─ Agent Identity ─┬─ JWT: JWKS → verify ─┐
//!                                └─ register task ──────┴──► ready (task registered)
//!                                   (or reuse a persisted       │
//!                                    record task id)            └─► runtime_init_failed
//!                                                                  (kind, class, attempts)
//! ```
//!
//! The async [`driver`] does the network work and reports every step as an [`Event`];
//! [`RuntimeModel::apply`] folds events into state. The fold is pure, so the CLI (which awaits
//! the driver and streams events) and the TUI (which receives them as messages) show exactly
//! the same states, and tests can drive the model without a network.
//!
//! Runtime-init failure is deliberately *not* signed out (docs/codex-formats.md §4.3): the credential
//! is fine, its runtime could not be initialised, and the account stays on screen with the
//! cause and a retry.

pub mod driver;
pub mod load;
mod model;
pub mod report;

pub use model::{RuntimeModel, StepLine};

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::backend::{FailureClass, FailureKind};
use crate::secret::Secret;

/// A step of the runtime init.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Jwks,
    Verify,
    Register,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Self::Jwks => "fetch JWKS",
            Self::Verify => "verify JWT",
            Self::Register => "register task",
        }
    }

    /// The step as the event log names it: `HTTP fetch JWKS`, but `verify JWT` (a local
    /// signature check, not an HTTP call).
    pub fn log_name(self) -> String {
        match self {
            Self::Verify => self.label().to_string(),
            Self::Jwks | Self::Register => format!("HTTP {}", self.label()),
        }
    }
}

/// Why the runtime could not be initialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitError {
    pub kind: FailureKind,
    pub class: FailureClass,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub attempts: u32,
}

/// A registered task: the runtime state that makes an Agent Identity usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRuntime {
    pub runtime_id: String,
    pub task_id: Secret,
    pub registered_at: DateTime<Utc>,
    pub latency: Duration,
    /// True when the task id came from a persisted record, not a registration.
    pub reused: bool,
}

/// What one init run ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Usable. `task` is set for Agent Identity.
    Ready {
        task: Option<TaskRuntime>,
        jwt_verified: bool,
    },
    Failed(InitError),
}

/// One progress report from the driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// A step began.
    Started { step: Step },
    /// An HTTP attempt of a step began.
    Attempt { step: Step, attempt: u32, of: u32 },
    /// An attempt failed; `retry_in` is set when another attempt follows.
    AttemptFailed {
        step: Step,
        attempt: u32,
        of: u32,
        status: Option<u16>,
        latency: Duration,
        class: FailureClass,
        message: String,
        retry_in: Option<Duration>,
    },
    /// A step succeeded.
    Finished {
        step: Step,
        status: Option<u16>,
        latency: Duration,
    },
    /// A persisted task id is reused; no registration needed.
    TaskReused,
    /// The run is over.
    Done(Outcome),
}

/// The state of the live credential, as the contract names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    SignedOut,
    Invalid { reason: String },
    Loading { phase: Phase },
    Ready,
    RuntimeInitFailed(InitError),
    Offline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Loading,
    Verifying,
    Registering,
}

/// A [`State`] without its data: the `state` word of `status --json` (docs/json.md). Both
/// faces match on it; its wire word comes from the derives, so there is one spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum StateKind {
    SignedOut,
    Invalid,
    Loading,
    Ready,
    RuntimeInitFailed,
    Offline,
}

impl StateKind {
    /// The wire word (as serialised): `signed_out`, `ready`, …
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl State {
    /// Which state this is, without its data.
    pub fn kind(&self) -> StateKind {
        match self {
            Self::SignedOut => StateKind::SignedOut,
            Self::Invalid { .. } => StateKind::Invalid,
            Self::Loading { .. } => StateKind::Loading,
            Self::Ready => StateKind::Ready,
            Self::RuntimeInitFailed(_) => StateKind::RuntimeInitFailed,
            Self::Offline => StateKind::Offline,
        }
    }

    /// The machine name used in JSON (`signed_out`, `ready`, …).
    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The words the TUI shows, verbatim from the contract.
    pub fn label(&self) -> &'static str {
        match self {
            Self::SignedOut => "Signed out",
            Self::Invalid { .. } => "Invalid credential",
            Self::Loading {
                phase: Phase::Loading,
            } => "Loading",
            Self::Loading {
                phase: Phase::Verifying,
            } => "Verifying",
            Self::Loading {
                phase: Phase::Registering,
            } => "Registering",
            Self::Ready => "Ready",
            Self::RuntimeInitFailed(_) => "Runtime init failed",
            Self::Offline => "Offline (not verified)",
        }
    }
}

/// Task status (Agent Identity only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TaskStatus {
    NotNeeded,
    Pending,
    Registering,
    Registered,
    Failed,
}

impl TaskStatus {
    /// The wire word (as serialised): `not_needed`, `pending`, `registering`, …
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests;
