//! The report's fields and wire words, checked against docs/json.md.

use super::*;
use crate::codex::fixtures::{self, ChatgptSpec};
use strum::IntoEnumIterator as _;

const JSON_MD: &str = include_str!("../../../docs/json.md");
const FORMATS_MD: &str = include_str!("../../../docs/codex-formats.md");

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
