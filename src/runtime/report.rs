//! The status report: everything known about the live credential, as plain data.
//!
//! `authdeck status --json` serialises a [`StatusReport`] (field names are the contract in
//! README "Commands" and docs/json.md), the human `status` output formats it, and the TUI's Account, Plan, Auth mode
//! and Task panes render it. Building it in one place means the three faces can never disagree.
//!
//! Every field with a closed set of values is an enum ([`StateKind`], [`AuthMode`], [`AgentForm`],
//! [`TaskStatus`], [`ErrorKind`], [`FailureClass`]) so that the faces match on variants instead of
//! comparing strings; serde derives the documented wire words (docs/json.md), and the table tests
//! below pin them, so `status --json` cannot drift.
//!
//! The report holds no secret: keys and task ids appear only masked. Strings are raw data —
//! JSON escapes them, and human/TUI output pass them through [`crate::sanitize::clean`].

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;

use super::{RuntimeModel, State, StateKind, TaskStatus};
use crate::backend::{FailureClass, FailureKind};
use crate::codex::agent_identity::{AgentForm, AgentIdentity};
use crate::codex::claims::Plan;
use crate::codex::credential::{Analysis, AuthMode};
use crate::secret::mask_api_key;

pub const SCHEMA_VERSION: u32 = 1;

/// Where the live credential comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceReport {
    File {
        path: String,
    },
    Env {
        var: String,
    },
    /// Codex's entry in the OS keyring.
    Keyring {
        service: String,
        account: String,
    },
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct AccountReport {
    pub email: Option<String>,
    pub chatgpt_user_id: Option<String>,
    pub account_id: Option<String>,
    pub fedramp: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanReport {
    pub raw: String,
    pub display: String,
    pub workspace: bool,
}

impl From<&Plan> for PlanReport {
    fn from(p: &Plan) -> Self {
        Self {
            raw: p.raw.clone(),
            display: p.display().to_string(),
            workspace: p.is_workspace(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokensReport {
    pub access_token_expires_at: Option<String>,
    pub last_refresh: Option<String>,
    pub refreshable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentReport {
    pub form: AgentForm,
    pub agent_runtime_id: Option<String>,
    pub key_fingerprint: Option<String>,
    pub jwt_verified: bool,
    pub jwt_expires_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskReport {
    pub status: TaskStatus,
    pub task_id_masked: Option<String>,
    pub attempts: u32,
    pub registered_at: Option<String>,
    pub latency_ms: Option<u64>,
    pub reused: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    pub kind: ErrorKind,
    pub class: FailureClass,
    pub message: String,
}

/// What went wrong when the state is not ready: the `error.kind` word of `status --json`
/// (docs/json.md). The backend's failure kinds keep their own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorKind {
    SignedOut,
    InvalidCredential,
    Jwks,
    /// No longer produced for `status` (a JWT failing its checks is `invalid_credential`); kept
    /// so every backend failure kind has a word.
    Verification,
    Registration,
    Provision,
}

impl ErrorKind {
    /// The wire word (as serialised): `signed_out`, `invalid_credential`, `jwks`, …
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl From<FailureKind> for ErrorKind {
    fn from(kind: FailureKind) -> Self {
        match kind {
            FailureKind::Jwks => Self::Jwks,
            FailureKind::Verification => Self::Verification,
            FailureKind::Registration => Self::Registration,
            FailureKind::Provision => Self::Provision,
        }
    }
}

/// The whole report (`status --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    pub schema_version: u32,
    pub state: StateKind,
    /// The TUI words (`Ready`, `Runtime init failed`, …).
    pub state_label: &'static str,
    pub source: SourceReport,
    pub auth_mode: Option<AuthMode>,
    pub auth_mode_explicit: bool,
    pub available_modes: Vec<AuthMode>,
    pub account: Option<AccountReport>,
    pub plan: Option<PlanReport>,
    pub api_key_masked: Option<String>,
    pub tokens: Option<TokensReport>,
    pub agent_identity: Option<AgentReport>,
    pub task: Option<TaskReport>,
    pub error: Option<ErrorReport>,
    /// Plain statements the user should know (keyring store, env override, kept task…).
    pub notices: Vec<String>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn unix(secs: i64) -> Option<String> {
    Utc.timestamp_opt(secs, 0).single().map(rfc3339)
}

/// The note that a re-registration failed and the earlier task is kept. Short on purpose (it
/// sits in a small pane); the full message stays in the Task pane's step lines and the log.
fn kept_last_good_notice(runtime: &RuntimeModel) -> Option<String> {
    let e = runtime
        .last_error
        .as_ref()
        .filter(|_| runtime.kept_last_good)?;
    let status = e.status.map(|s| format!("HTTP {s}, ")).unwrap_or_default();
    let class = e.class.as_str();
    Some(format!(
        "re-registration failed ({status}{class}); keeping the task registered earlier"
    ))
}

/// The Agent Identity part, when the credential holds a usable one.
fn agent_report(a: &Analysis, runtime: &RuntimeModel) -> Option<AgentReport> {
    let agent = a.material.agent_ok()?;
    // `agent_ok` never yields an unrecognised shape, so every agent here has a form.
    let form = agent.form()?;
    let (expires, facts) = match agent {
        AgentIdentity::Jwt(j) => (j.expires_at.and_then(unix), Some(&j.facts)),
        AgentIdentity::Record(r) => (None, Some(&r.facts)),
        AgentIdentity::Unrecognised => (None, None),
    };
    Some(AgentReport {
        form,
        agent_runtime_id: facts.map(|f| f.runtime_id.clone()),
        key_fingerprint: agent.key().ok().map(|k| k.fingerprint()),
        jwt_verified: runtime.jwt_verified,
        jwt_expires_at: expires,
    })
}

/// The task part (Agent Identity mode only).
fn task_report(runtime: &RuntimeModel) -> TaskReport {
    let task = runtime.task.as_ref();
    TaskReport {
        status: runtime.task_status,
        task_id_masked: task.map(|t| t.task_id.masked()),
        attempts: runtime.attempts,
        registered_at: task.map(|t| rfc3339(t.registered_at)),
        latency_ms: task.map(|t| u64::try_from(t.latency.as_millis()).unwrap_or(u64::MAX)),
        reused: task.is_some_and(|t| t.reused),
    }
}

impl StatusReport {
    /// Builds the report. `analysis` is `None` when there is no credential document (signed
    /// out, or an unreadable file whose reason is in `runtime.state`).
    pub fn build(
        source: SourceReport,
        analysis: Option<&Analysis>,
        runtime: &RuntimeModel,
        notices: Vec<String>,
    ) -> Self {
        let mut report = Self {
            schema_version: SCHEMA_VERSION,
            state: runtime.state.kind(),
            state_label: runtime.state.label(),
            source,
            auth_mode: None,
            auth_mode_explicit: false,
            available_modes: Vec::new(),
            account: None,
            plan: None,
            api_key_masked: None,
            tokens: None,
            agent_identity: None,
            task: None,
            error: error_of(&runtime.state),
            notices,
        };
        report.notices.extend(kept_last_good_notice(runtime));
        let Some(a) = analysis else {
            return report;
        };
        report.auth_mode = Some(a.mode.clone());
        report.auth_mode_explicit = a.mode_explicit;
        report.available_modes.clone_from(&a.available);
        if let Some(facts) = a.account() {
            report.plan = facts.plan.as_ref().map(PlanReport::from);
            report.account = Some(AccountReport {
                email: facts.email,
                chatgpt_user_id: facts.chatgpt_user_id,
                account_id: facts.account_id,
                fedramp: facts.fedramp,
            });
        }
        report.api_key_masked = a
            .material
            .api_key
            .as_ref()
            .map(|k| mask_api_key(k.expose()));
        report.tokens = a.material.chatgpt_ok().map(|c| TokensReport {
            access_token_expires_at: c.access_expires_at.and_then(unix),
            last_refresh: a.material.last_refresh.map(rfc3339),
            refreshable: c.refreshable(),
        });
        report.agent_identity = agent_report(a, runtime);
        if a.mode == AuthMode::AgentIdentity {
            report.task = Some(task_report(runtime));
        }
        report
    }
}

fn error_of(state: &State) -> Option<ErrorReport> {
    match state {
        State::SignedOut => Some(ErrorReport {
            kind: ErrorKind::SignedOut,
            class: FailureClass::Permanent,
            message: "no credential: sign in with `codex login`, or add one with `authdeck add`"
                .into(),
        }),
        State::Invalid { reason } => Some(ErrorReport {
            kind: ErrorKind::InvalidCredential,
            class: FailureClass::Permanent,
            message: reason.clone(),
        }),
        State::RuntimeInitFailed(e) => Some(ErrorReport {
            kind: e.kind.into(),
            class: e.class,
            message: e.message.clone(),
        }),
        State::Loading { .. } | State::Ready | State::Offline => None,
    }
}

#[cfg(test)]
mod tests;
