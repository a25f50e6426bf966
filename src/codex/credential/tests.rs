use serde_json::json;

use super::*;
use crate::codex::fixtures::{self, ChatgptSpec};

fn analyse(text: &str) -> Analysis {
    Analysis::of_doc(&AuthDoc::parse(text.as_bytes()).expect("parses"))
}

#[test]
fn mode_resolution_without_auth_mode() {
    assert_eq!(
        analyse(r#"{"OPENAI_API_KEY":"sk-1234567890abcdef"}"#).mode,
        AuthMode::ApiKey
    );
    assert_eq!(
        analyse(r#"{"OPENAI_API_KEY":"sk-1234567890abcdef","personal_access_token":"at-1"}"#).mode,
        AuthMode::PersonalAccessToken
    );
    let tokens_only = format!(
        r#"{{"tokens":{},"last_refresh":"2026-01-01T00:00:00Z"}}"#,
        fixtures::chatgpt_tokens(&ChatgptSpec::default())
    );
    let a = analyse(&tokens_only);
    assert_eq!(a.mode, AuthMode::Chatgpt);
    assert!(!a.mode_explicit);
    assert_eq!(a.problem, None);
    let null_key = analyse(r#"{"OPENAI_API_KEY":null}"#);
    assert_eq!(null_key.mode, AuthMode::Chatgpt);
    assert!(null_key.problem.expect("invalid").contains("tokens"));
}

#[test]
fn codex_errors_are_invalid_credentials() {
    let a = analyse(r#"{"auth_mode":"apikey","OPENAI_API_KEY":null}"#);
    assert!(
        a.problem
            .expect("invalid")
            .contains("OPENAI_API_KEY is missing")
    );
    let a = analyse(r#"{"auth_mode":"agentIdentity"}"#);
    assert!(
        a.problem
            .expect("invalid")
            .contains("agent_identity is missing")
    );
    let a = analyse(
        r#"{"auth_mode":"chatgpt","tokens":{"id_token":"not-a-jwt","access_token":"x","refresh_token":"r"}}"#,
    );
    assert!(a.problem.expect("invalid").contains("not a JWT"));
    // Codex's loader requires a refresh token, in force or not.
    let a =
        analyse(r#"{"auth_mode":"chatgpt","tokens":{"id_token":"a.e30.c","access_token":"x"}}"#);
    assert!(a.problem.expect("invalid").contains("refresh_token"));
    let a = analyse(r#"{"auth_mode":5}"#);
    assert!(a.problem.expect("invalid").contains("must be a string"));
    let a = analyse(r#"{"OPENAI_API_KEY":["sk"]}"#);
    assert!(a.problem.expect("invalid").contains("OPENAI_API_KEY"));
    let a = analyse(r#"{"tokens":"abc"}"#);
    assert!(
        a.problem
            .expect("invalid")
            .contains("`tokens` must be an object")
    );
}

#[test]
fn unknown_modes_and_shapes_are_reported_not_dropped() {
    let a = analyse(r#"{"auth_mode":"quantumKey","OPENAI_API_KEY":"sk-1234567890abcdef"}"#);
    assert_eq!(a.mode, AuthMode::Other("quantumKey".into()));
    assert!(a.problem.expect("invalid").contains("quantumKey"));
    assert_eq!(a.available, vec![AuthMode::ApiKey]);
    // An older record shape is kept as is, and Codex refuses the file that holds it.
    let a = analyse(r#"{"auth_mode":"agentIdentity","agent_identity":{"workspace_id":"w"}}"#);
    assert!(
        a.problem
            .expect("invalid")
            .contains("Codex refuses this file")
    );
    assert!(a.available.is_empty());
}

#[test]
fn available_modes_list_all_material() {
    let doc = fixtures::chatgpt_doc(&ChatgptSpec::default());
    let mut doc = doc;
    doc.set("OPENAI_API_KEY", &json!("sk-proj-1234567890ABCDE"));
    doc.set(
        "agent_identity",
        &json!({"agent_runtime_id":"r","agent_private_key":fixtures::TEST_KEY_V2,
            "account_id":"a","chatgpt_user_id":"u","plan_type":"pro",
            "chatgpt_account_is_fedramp":false}),
    );
    let a = Analysis::of_doc(&doc);
    assert_eq!(a.mode, AuthMode::Chatgpt);
    assert_eq!(
        a.available,
        vec![AuthMode::ApiKey, AuthMode::Chatgpt, AuthMode::AgentIdentity]
    );
    assert_eq!(a.problem, None);
}

#[test]
fn chatgpt_facts_and_refreshable() {
    let a = Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec::default()));
    let c = a.material.chatgpt_ok().expect("login");
    assert_eq!(c.claims.email.as_deref(), Some("user@example.com"));
    assert_eq!(c.account_id.as_deref(), Some("account-123"));
    assert_eq!(c.access_expires_at, Some(4_102_444_800));
    assert!(c.refreshable());
    assert!(a.material.last_refresh.is_some());
    let no_refresh = analyse(&format!(
        r#"{{"tokens":{{"id_token":"{}","access_token":"a.b.c","refresh_token":""}}}}"#,
        fixtures::unsigned_jwt(&json!({"sub":"1"}))
    ));
    let c = no_refresh.material.chatgpt_ok().expect("login");
    assert!(!c.refreshable());
    assert_eq!(c.access_expires_at, None);
}

#[test]
fn identity_is_by_account_not_bytes() {
    let gen1 = Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec::default()));
    let gen2 = Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec {
        generation: 2,
        last_refresh: "2026-11-02T10:00:00Z",
        ..ChatgptSpec::default()
    }));
    let other = Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec {
        user_id: "user-999",
        ..ChatgptSpec::default()
    }));
    assert!(gen1.same_account(&gen2));
    assert!(!gen1.same_account(&other));
    assert!(gen2.freshness() > gen1.freshness());
    let key = Analysis::of_doc(&fixtures::api_key_doc("sk-proj-1234567890ABCDE"));
    let key2 = Analysis::of_doc(&fixtures::api_key_doc("sk-proj-1234567890ABCDF"));
    assert!(!key.same_account(&key2));
    assert!(key.same_account(&key));
    assert!(matches!(key.identity(), Some(Identity::ApiKey(_))));
    assert!(!format!("{:?}", key.identity()).contains("1234567890"));
}

#[test]
fn env_token_is_agent_identity() {
    let a = Analysis::of_env_token(&fixtures::unsigned_agent_jwt("agent-env", 4_102_444_800));
    assert_eq!(a.mode, AuthMode::AgentIdentity);
    assert_eq!(a.problem, None);
    assert_eq!(
        a.identity(),
        Some(Identity::Agent {
            runtime_id: "agent-env".into()
        })
    );
    let bad = Analysis::of_env_token("garbage");
    assert!(
        bad.problem
            .expect("invalid")
            .contains("invalid token format")
    );
}

#[test]
fn mismatched_agent_key_is_invalid() {
    // v2 DER whose embedded public key is the test key's with the last byte changed.
    let bad = fixtures::TEST_KEY_V2.replace("0iw=", "0iQ=");
    let doc = AuthDoc::from_members(&[
        ("auth_mode", json!("agentIdentity")),
        (
            "agent_identity",
            json!({"agent_runtime_id":"r","agent_private_key":bad,"account_id":"a",
                "chatgpt_user_id":"u","plan_type":"pro","chatgpt_account_is_fedramp":false}),
        ),
    ]);
    let a = Analysis::of_doc(&doc);
    assert!(
        a.problem.expect("invalid").contains("key"),
        "mismatch must be reported"
    );
}

#[test]
fn auth_mode_wire_strings_round_trip() {
    for m in AuthMode::KNOWN {
        assert_eq!(AuthMode::parse(m.as_str()), m);
    }
    assert_eq!(AuthMode::parse("ApiKey"), AuthMode::Other("ApiKey".into()));
}
