use super::*;
use serde_json::json;

const CODEX_AGENT: &str = "{\n  \"auth_mode\": \"agentIdentity\",\n  \"OPENAI_API_KEY\": null,\n  \"agent_identity\": \"a.b.c\"\n}";

#[test]
fn unchanged_document_keeps_its_bytes() {
    let weird = "{ \"z\":1,\"tokens\" : {\"x\": [1,{\"y\":\"}\\\"\"}]} ,\n\"extra\":null }  \n";
    let doc = AuthDoc::parse(weird.as_bytes()).expect("parses");
    assert_eq!(doc.text(), weird);
    assert_eq!(doc.get("z"), Some(&json!(1)));
}

#[test]
fn set_existing_member_changes_only_its_value() {
    let mut doc = AuthDoc::parse(CODEX_AGENT.as_bytes()).expect("parses");
    doc.set_auth_mode("apikey");
    assert_eq!(
        doc.text(),
        CODEX_AGENT.replace("\"agentIdentity\"", "\"apikey\"")
    );
}

#[test]
fn missing_auth_mode_is_inserted_first_in_the_documents_style() {
    let pretty = "{\n  \"OPENAI_API_KEY\": \"sk-x\",\n  \"u\": 1\n}\n";
    let mut doc = AuthDoc::parse(pretty.as_bytes()).expect("parses");
    doc.set_auth_mode("apikey");
    assert_eq!(
        doc.text(),
        "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-x\",\n  \"u\": 1\n}\n"
    );
    let compact = "{\"a\":1}";
    let mut doc = AuthDoc::parse(compact.as_bytes()).expect("parses");
    doc.set_auth_mode("chatgpt");
    assert_eq!(doc.text(), "{\"auth_mode\":\"chatgpt\",\"a\":1}");
    let mut empty = AuthDoc::parse(b" {} ").expect("parses");
    empty.set_auth_mode("chatgpt");
    assert_eq!(empty.text(), " {\n  \"auth_mode\": \"chatgpt\"\n} ");
}

#[test]
fn objects_are_replaced_with_matching_indentation() {
    let mut doc = AuthDoc::parse(CODEX_AGENT.as_bytes()).expect("parses");
    doc.set(
        "agent_identity",
        &json!({"agent_runtime_id": "r", "n": {"a": 1}}),
    );
    assert!(doc.text().contains(
        "\"agent_identity\": {\n    \"agent_runtime_id\": \"r\",\n    \"n\": {\n      \"a\": 1\n    }\n  }\n}"
    ));
    assert_eq!(doc.get("OPENAI_API_KEY"), Some(&Value::Null));
}

#[test]
fn other_new_members_go_last() {
    let pretty = "{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {}\n}\n";
    let mut doc = AuthDoc::parse(pretty.as_bytes()).expect("parses");
    doc.set("agent_identity", &json!({"agent_runtime_id": "r"}));
    assert_eq!(
        doc.text(),
        "{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {},\n  \"agent_identity\": {\n    \"agent_runtime_id\": \"r\"\n  }\n}\n"
    );
    let mut compact = AuthDoc::parse(b"{\"a\":1}").expect("parses");
    compact.set("b", &json!([1]));
    assert_eq!(compact.text(), "{\"a\":1,\"b\":[1]}");
}

#[test]
fn bad_inputs_are_clear_errors() {
    assert_eq!(AuthDoc::parse(b""), Err(DocError::Empty));
    assert_eq!(AuthDoc::parse(b"  \n"), Err(DocError::Empty));
    assert!(matches!(
        AuthDoc::parse(b"{\"a\": 1"),
        Err(DocError::Json { .. })
    ));
    assert_eq!(
        AuthDoc::parse(b"[1]"),
        Err(DocError::NotObject { found: "array" })
    );
    assert_eq!(
        AuthDoc::parse(b"{\"a\":\"\xff\"}"),
        Err(DocError::NotUtf8 { offset: 6 })
    );
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
    let err = AuthDoc::parse(deep.as_bytes()).expect_err("too deep");
    assert!(err.to_string().contains("recursion limit"), "{err}");
    let huge = vec![b' '; MAX_DOC_BYTES + 1];
    assert!(matches!(
        AuthDoc::parse(&huge),
        Err(DocError::TooLarge { .. })
    ));
    let msg = AuthDoc::parse(b"{\n  \"a\": 1,\n}")
        .expect_err("trailing comma")
        .to_string();
    assert!(msg.contains("line 3"), "{msg}");
}

#[test]
fn debug_never_prints_contents() {
    let doc = AuthDoc::parse(b"{\"OPENAI_API_KEY\":\"sk-very-secret-key-123\"}").expect("parses");
    assert!(!format!("{doc:?}").contains("sk-very"));
}

/// What a dropped document runs over its parsed values: every string at any depth is
/// overwritten (then emptied), other values are left.
#[test]
fn wipe_value_clears_every_string_at_any_depth() {
    let mut v = serde_json::json!({
        "tokens": {"refresh_token": "rt-SECRET", "list": ["a", {"deep": "sk-SECRET"}]},
        "n": 3,
        "b": true,
        "nothing": null
    });
    wipe_value(&mut v);
    assert_eq!(
        v,
        serde_json::json!({
            "tokens": {"refresh_token": "", "list": ["", {"deep": ""}]},
            "n": 3,
            "b": true,
            "nothing": null
        })
    );
}
