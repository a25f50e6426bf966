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
        if runtime.kept_last_good
            && let Some(e) = &runtime.last_error
        {
            // Short on purpose (it sits in a small pane); the full message stays in the Task
            // pane's step lines and the event log.
            let status = e.status.map(|s| format!("HTTP {s}, ")).unwrap_or_default();
            let class = e.class.as_str();
            report.notices.push(format!(
                "re-registration failed ({status}{class}); keeping the task registered earlier"
            ));
        }
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
        // `agent_ok` never yields an unrecognised shape, so every agent here has a form.
        if let Some(agent) = a.material.agent_ok()
            && let Some(form) = agent.form()
        {
            let (expires, facts) = match agent {
                AgentIdentity::Jwt(j) => (j.expires_at.and_then(unix), Some(&j.facts)),
                AgentIdentity::Record(r) => (None, Some(&r.facts)),
                AgentIdentity::Unrecognised => (None, None),
            };
            report.agent_identity = Some(AgentReport {
                form,
                agent_runtime_id: facts.map(|f| f.runtime_id.clone()),
                key_fingerprint: agent.key().ok().map(|k| k.fingerprint()),
                jwt_verified: runtime.jwt_verified,
                jwt_expires_at: expires,
            });
        }
        if a.mode == AuthMode::AgentIdentity {
            report.task = Some(TaskReport {
                status: runtime.task_status,
                task_id_masked: runtime.task.as_ref().map(|t| t.task_id.masked()),
                attempts: runtime.attempts,
                registered_at: runtime.task.as_ref().map(|t| rfc3339(t.registered_at)),
                latency_ms: runtime
                    .task
                    .as_ref()
                    .map(|t| u64::try_from(t.latency.as_millis()).unwrap_or(u64::MAX)),
                reused: runtime.task.as_ref().is_some_and(|t| t.reused),
            });
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
mod tests {
    use super::*;
    use crate::codex::fixtures::{self, ChatgptSpec};
    use strum::IntoEnumIterator as _;

    const JSON_MD: &str = include_str!("../../docs/json.md");
    const FORMATS_MD: &str = include_str!("../../docs/codex-formats.md");

    /// What serde writes for a value that serialises to a string.
    fn wire<T: Serialize>(v: &T) -> String {
        match serde_json::to_value(v) {
            Ok(serde_json::Value::String(s)) => s,
            other => panic!("not a JSON string: {other:?}"),
        }
    }

    /// The row of docs/json.md's `status` field table that documents `field`.
    fn doc_row(field: &str) -> &'static str {
        let head = format!("| `{field}` |");
        JSON_MD
            .lines()
            .find(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("docs/json.md has no row for `{field}`"))
    }

    /// Checks one closed set: serde's word, `as_str` and the documented word agree, the table
    /// covers every variant, and each word appears in `docs` (when `docs` is given).
    fn check<T: Serialize + Copy + std::fmt::Debug>(
        table: &[(T, &str)],
        variants: usize,
        as_str: fn(T) -> &'static str,
        docs: Option<&str>,
    ) {
        assert_eq!(table.len(), variants, "the table misses a variant");
        for (v, word) in table {
            assert_eq!(wire(v), *word, "{v:?} serialises");
            assert_eq!(as_str(*v), *word, "{v:?}.as_str()");
            if let Some(docs) = docs {
                assert!(
                    docs.contains(&format!("`{word}`")),
                    "`{word}` is documented"
                );
            }
        }
    }

    #[test]
    fn wire_words_are_the_documented_ones() {
        check(
            &[
                (StateKind::SignedOut, "signed_out"),
                (StateKind::Invalid, "invalid"),
                (StateKind::Loading, "loading"),
                (StateKind::Ready, "ready"),
                (StateKind::RuntimeInitFailed, "runtime_init_failed"),
                (StateKind::Offline, "offline"),
            ],
            StateKind::iter().count(),
            StateKind::as_str,
            Some(doc_row("state")),
        );
        check(
            &[(AgentForm::Jwt, "jwt"), (AgentForm::Record, "record")],
            AgentForm::iter().count(),
            AgentForm::as_str,
            Some(doc_row("agent_identity")),
        );
        check(
            &[
                (TaskStatus::NotNeeded, "not_needed"),
                (TaskStatus::Pending, "pending"),
                (TaskStatus::Registering, "registering"),
                (TaskStatus::Registered, "registered"),
                (TaskStatus::Failed, "failed"),
            ],
            TaskStatus::iter().count(),
            <&'static str>::from,
            Some(doc_row("task")),
        );
        check(
            &[
                (ErrorKind::SignedOut, "signed_out"),
                (ErrorKind::InvalidCredential, "invalid_credential"),
                (ErrorKind::Jwks, "jwks"),
                (ErrorKind::Verification, "verification"),
                (ErrorKind::Registration, "registration"),
            ],
            ErrorKind::iter().count() - 1,
            ErrorKind::as_str,
            Some(doc_row("error")),
        );
        // `provision` is a failure of the `provision` command, never a `status` state: not in
        // the status table, but spelled like the backend's kind.
        check(
            &[(ErrorKind::Provision, "provision")],
            1,
            ErrorKind::as_str,
            None,
        );
        for kind in [
            FailureKind::Jwks,
            FailureKind::Verification,
            FailureKind::Registration,
            FailureKind::Provision,
        ] {
            assert_eq!(ErrorKind::from(kind).as_str(), kind.as_str());
        }
        check(
            &[
                (FailureClass::Transient, "transient"),
                (FailureClass::Permanent, "permanent"),
            ],
            FailureClass::iter().count(),
            FailureClass::as_str,
            Some(doc_row("error")),
        );
    }

    #[test]
    fn auth_mode_words_are_codex_spellings() {
        let table = [
            (AuthMode::ApiKey, "apikey"),
            (AuthMode::Chatgpt, "chatgpt"),
            (AuthMode::ChatgptAuthTokens, "chatgptAuthTokens"),
            (AuthMode::AgentIdentity, "agentIdentity"),
            (AuthMode::PersonalAccessToken, "personalAccessToken"),
            (AuthMode::BedrockApiKey, "bedrockApiKey"),
            (AuthMode::BedrockAccessKeys, "bedrockAccessKeys"),
        ];
        assert_eq!(table.len(), AuthMode::KNOWN.len());
        for (mode, word) in &table {
            assert_eq!(wire(mode), *word);
            assert_eq!(mode.as_str(), *word);
            assert!(
                FORMATS_MD.contains(&format!("`{word}`")),
                "`{word}` is documented"
            );
        }
        // An unknown mode is kept and shown verbatim.
        assert_eq!(wire(&AuthMode::Other("quantumKey".into())), "quantumKey");
    }

    #[test]
    fn chatgpt_report_has_account_plan_and_tokens() {
        let a = Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec {
            plan: "hc",
            ..ChatgptSpec::default()
        }));
        let rt = RuntimeModel::settled(State::Offline, TaskStatus::NotNeeded);
        let r = StatusReport::build(
            SourceReport::File {
                path: "/h/auth.json".into(),
            },
            Some(&a),
            &rt,
            vec![],
        );
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["state"], "offline");
        assert_eq!(json["source"]["kind"], "file");
        assert_eq!(json["account"]["email"], "user@example.com");
        assert_eq!(json["account"]["account_id"], "account-123");
        assert_eq!(json["plan"]["display"], "Enterprise");
        assert_eq!(json["plan"]["workspace"], true);
        assert_eq!(json["tokens"]["refreshable"], true);
        assert_eq!(
            json["tokens"]["access_token_expires_at"],
            "2100-01-01T00:00:00Z"
        );
        assert_eq!(json["task"], serde_json::Value::Null);
        assert!(
            !json.to_string().contains("rt_fake"),
            "no refresh token in the report"
        );
    }

    #[test]
    fn agent_report_masks_and_marks_unverified() {
        let a = Analysis::of_env_token(&fixtures::unsigned_agent_jwt("agent-9", 4_102_444_800));
        let rt = RuntimeModel::settled(State::Offline, TaskStatus::Pending);
        let r = StatusReport::build(
            SourceReport::Env {
                var: "CODEX_ACCESS_TOKEN".into(),
            },
            Some(&a),
            &rt,
            vec![],
        );
        let agent = r.agent_identity.as_ref().expect("agent");
        assert!(!agent.jwt_verified);
        assert_eq!(agent.form, AgentForm::Jwt);
        assert!(
            agent
                .key_fingerprint
                .as_deref()
                .is_some_and(|f| f.starts_with("SHA256:"))
        );
        assert_eq!(
            r.plan.as_ref().map(|p| p.display.as_str()),
            Some("Business")
        );
        let text = serde_json::to_string(&r).expect("serialises");
        assert!(!text.contains(fixtures::TEST_KEY_V2));
        assert!(text.contains("\"status\":\"pending\""));
    }

    #[test]
    fn error_block_per_state() {
        let signed_out = RuntimeModel::settled(State::SignedOut, TaskStatus::NotNeeded);
        let r = StatusReport::build(SourceReport::None, None, &signed_out, vec![]);
        assert_eq!(r.error.as_ref().map(|e| e.kind), Some(ErrorKind::SignedOut));
        let ready = RuntimeModel::settled(State::Ready, TaskStatus::NotNeeded);
        assert!(
            StatusReport::build(SourceReport::None, None, &ready, vec![])
                .error
                .is_none()
        );
        let api = Analysis::of_doc(&fixtures::api_key_doc("sk-proj-1234567890ABCDE"));
        let r = StatusReport::build(SourceReport::None, Some(&api), &ready, vec![]);
        assert_eq!(r.api_key_masked.as_deref(), Some("sk-proj-***ABCDE"));
    }

    #[test]
    fn a_kept_task_is_a_short_notice_not_an_error() {
        use crate::runtime::{Event, EventKind, InitError, Outcome, TaskRuntime};
        let a = Analysis::of_env_token(&fixtures::unsigned_agent_jwt("agent-k", 4_102_444_800));
        let task = TaskRuntime {
            runtime_id: "agent-k".into(),
            task_id: crate::secret::Secret::new("task-kept-0001"),
            registered_at: chrono::Utc::now(),
            latency: std::time::Duration::ZERO,
            reused: false,
        };
        let mut rt = RuntimeModel::starting(chrono::Utc::now(), Some(task));
        let err = InitError {
            kind: crate::backend::FailureKind::Registration,
            class: crate::backend::FailureClass::Transient,
            message: "task registration failed: HTTP 503 from http://127.0.0.1:1/v1/agent/agent-k/task/register".into(),
            status: Some(503),
            attempts: 3,
        };
        rt.apply(&Event {
            at: chrono::Utc::now(),
            kind: EventKind::Done(Outcome::Failed(err)),
        });
        let r = StatusReport::build(SourceReport::None, Some(&a), &rt, vec![]);
        assert_eq!(r.state, StateKind::Ready);
        assert!(r.error.is_none());
        assert_eq!(
            r.notices,
            ["re-registration failed (HTTP 503, transient); keeping the task registered earlier"]
        );
        assert_eq!(
            r.task.as_ref().and_then(|t| t.task_id_masked.clone()),
            Some("ta…".into())
        );
    }
}
