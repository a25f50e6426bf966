use serde_json::json;

use super::*;
use crate::codex::fixtures::{self, ChatgptSpec, unsigned_jwt};

fn doc(v: &Value) -> AuthDoc {
    AuthDoc::parse(v.to_string().as_bytes()).expect("parses")
}

fn chatgpt_with(edit: impl FnOnce(&mut Map<String, Value>)) -> Option<String> {
    let base = fixtures::chatgpt_doc(&ChatgptSpec::default());
    let mut root = base.root().clone();
    edit(&mut root);
    refusal(&doc(&Value::Object(root)))
}

#[test]
fn a_good_login_passes() {
    assert_eq!(chatgpt_with(|_| {}), None);
}

#[test]
fn tokens_need_a_refresh_token_string() {
    let r = chatgpt_with(|m| {
        m["tokens"]
            .as_object_mut()
            .expect("tokens")
            .remove("refresh_token");
    });
    assert_eq!(r.as_deref(), Some("`tokens.refresh_token` is missing"));
    let r = chatgpt_with(|m| m["tokens"]["refresh_token"] = Value::Null);
    assert!(r.is_some_and(|r| r.contains("must be a string, found null")));
    // An empty refresh token is a string: Codex loads it.
    assert_eq!(
        chatgpt_with(|m| m["tokens"]["refresh_token"] = json!("")),
        None
    );
}

#[test]
fn last_refresh_must_be_rfc3339_with_a_zone() {
    for bad in ["yesterday", "2026-11-01", "2026-11-01T10:00:00", ""] {
        assert!(
            chatgpt_with(|m| m["last_refresh"] = json!(bad)).is_some(),
            "{bad}"
        );
    }
    for good in ["2026-11-01T10:00:00Z", "2026-11-01T10:00:00.5+02:00"] {
        assert_eq!(
            chatgpt_with(|m| m["last_refresh"] = json!(good)),
            None,
            "{good}"
        );
    }
    assert_eq!(chatgpt_with(|m| m["last_refresh"] = Value::Null), None);
}

#[test]
fn padded_id_token_payload_and_typed_claims() {
    let padded = {
        let t = unsigned_jwt(&json!({"email": "a@b.c", "x": "ab"}));
        let mut parts: Vec<String> = t.split('.').map(str::to_string).collect();
        parts[1].push_str("==");
        parts.join(".")
    };
    let r = chatgpt_with(|m| m["tokens"]["id_token"] = json!(padded));
    assert!(r.is_some_and(|r| r.contains("padding")));
    let fedramp_text = unsigned_jwt(&json!({
        "https://api.openai.com/auth": {"chatgpt_account_is_fedramp": "true"}
    }));
    assert!(chatgpt_with(|m| m["tokens"]["id_token"] = json!(fedramp_text)).is_some());
    assert_eq!(
        chatgpt_with(|m| m["tokens"]["id_token"] = json!(unsigned_jwt(&json!({})))),
        None
    );
}

#[test]
fn other_members_must_have_their_shape_whatever_the_mode() {
    assert!(
        chatgpt_with(|m| m.insert("agent_identity".into(), json!(7)).map_or((), drop)).is_some()
    );
    let old = json!({"workspace_id": "w", "registered_at": "2026-01-01T00:00:00Z"});
    assert!(chatgpt_with(|m| m.insert("agent_identity".into(), old).map_or((), drop)).is_some());
    assert!(
        chatgpt_with(|m| m.insert("OPENAI_API_KEY".into(), json!(4)).map_or((), drop)).is_some()
    );
    assert!(
        chatgpt_with(|m| m
            .insert("auth_mode".into(), json!("ChatGPT"))
            .map_or((), drop))
        .is_some()
    );
    // A string agent_identity beside tokens is not decoded unless it is in force.
    assert_eq!(
        chatgpt_with(|m| m
            .insert("agent_identity".into(), json!("x"))
            .map_or((), drop)),
        None
    );
}

#[test]
fn records_need_every_identity_field() {
    let good = json!({
        "agent_runtime_id": "r", "agent_private_key": "k", "account_id": "a",
        "chatgpt_user_id": "u", "plan_type": "pro", "chatgpt_account_is_fedramp": false
    });
    let mut root = Map::new();
    root.insert("agent_identity".into(), good.clone());
    assert_eq!(refusal_of(&root), Ok(()));
    for field in [
        "account_id",
        "chatgpt_user_id",
        "plan_type",
        "chatgpt_account_is_fedramp",
    ] {
        let mut r = good.clone();
        r.as_object_mut().expect("object").remove(field);
        root.insert("agent_identity".into(), r);
        assert!(refusal_of(&root).is_err(), "{field}");
    }
    let mut r = good.clone();
    r["chatgpt_account_is_fedramp"] = json!("false");
    root.insert("agent_identity".into(), r);
    assert!(refusal_of(&root).is_err());
}

#[test]
fn bedrock_members_are_objects() {
    let mut root = Map::new();
    root.insert(
        "bedrock_api_key".into(),
        json!({"api_key": "k", "region": "r"}),
    );
    assert_eq!(refusal_of(&root), Ok(()));
    root.insert("bedrock_api_key".into(), json!("k"));
    assert!(refusal_of(&root).is_err());
    root.insert("bedrock_api_key".into(), json!({"api_key": "k"}));
    assert!(refusal_of(&root).is_err());
    root.insert(
        "bedrock_api_key".into(),
        json!({"api_key": "k", "region": "r", "x": 1}),
    );
    assert_eq!(refusal_of(&root), Ok(()));
}

#[test]
fn agent_jwt_shape_rules() {
    let header = |v: Value| v.as_object().cloned().expect("object");
    let claims = json!({
        "iss": "i", "aud": "a", "iat": 1, "exp": 2, "agent_runtime_id": "r",
        "agent_private_key": "k", "account_id": "a", "chatgpt_user_id": "u",
        "plan_type": "pro", "chatgpt_account_is_fedramp": false
    });
    let p = claims.as_object().cloned().expect("object");
    assert_eq!(
        agent_jwt_shape(&header(json!({"alg": "RS256", "kid": "k"})), &p),
        None
    );
    assert!(
        agent_jwt_shape(&header(json!({"alg": "RS256"})), &p).is_some_and(|e| e.contains("kid"))
    );
    assert!(agent_jwt_shape(&header(json!({"alg": "none", "kid": "k"})), &p).is_some());
    let mut q = p.clone();
    q.insert("aud".into(), json!(["a"]));
    assert!(agent_jwt_shape(&header(json!({"alg": "RS256", "kid": "k"})), &q).is_some());
    let mut q = p.clone();
    q.remove("iat");
    assert!(agent_jwt_shape(&header(json!({"alg": "RS256", "kid": "k"})), &q).is_some());
}
