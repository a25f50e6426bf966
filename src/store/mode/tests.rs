use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::codex::auth_file::AuthDoc;
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::store::accounts::tests::render_doc;
use crate::store::backups::list_backups;

fn no_env() -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = HashMap::new();
    move |k| map.get(k).cloned()
}

fn both_doc() -> AuthDoc {
    let mut doc = fixtures::chatgpt_doc(&ChatgptSpec::default());
    doc.set("OPENAI_API_KEY", &json!("sk-test-1234567890abcdef"));
    doc
}

#[test]
fn mode_changes_only_auth_mode_and_backs_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let doc = both_doc();
    std::fs::write(paths.auth_json(), doc.as_bytes()).expect("write");
    let r = set_mode(&paths, &AuthMode::ApiKey, &no_env()).expect("set");
    assert!(r.changed);
    assert_eq!(r.from, AuthMode::Chatgpt);
    assert_eq!(r.changes.len(), 1);
    let after = std::fs::read_to_string(paths.auth_json()).expect("read");
    assert_eq!(after, doc.text().replacen("\"chatgpt\"", "\"apikey\"", 1));
    assert_eq!(
        std::fs::read(r.backup.expect("backup")).expect("read"),
        doc.as_bytes()
    );
    let again = set_mode(&paths, &AuthMode::ApiKey, &no_env()).expect("no-op");
    assert!(!again.changed);
    assert_eq!(list_backups(&paths).len(), 1);
}

#[test]
fn unavailable_modes_and_missing_files_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let err = set_mode(&paths, &AuthMode::ApiKey, &no_env()).expect_err("no live");
    assert_eq!(err.kind(), ErrorKind::LiveMissing);
    std::fs::write(paths.auth_json(), "nope").expect("write");
    let err = set_mode(&paths, &AuthMode::ApiKey, &no_env()).expect_err("malformed");
    assert_eq!(err.kind(), ErrorKind::LiveInvalid);
    let doc = fixtures::api_key_doc("sk-test-1234567890abcdef");
    std::fs::write(paths.auth_json(), doc.as_bytes()).expect("write");
    let err = set_mode(&paths, &AuthMode::AgentIdentity, &no_env()).expect_err("no agent");
    assert_eq!(err.kind(), ErrorKind::ModeUnavailable);
    assert!(err.message().contains("available: apikey"), "{err}");
    assert!(!err.to_string().contains("1234567890"));
    assert_eq!(
        std::fs::read(paths.auth_json()).expect("read"),
        doc.as_bytes()
    );
    std::fs::write(
        paths.config_toml(),
        "cli_auth_credentials_store = \"keyring\"",
    )
    .expect("write");
    let err = set_mode(&paths, &AuthMode::ApiKey, &no_env()).expect_err("keyring");
    assert_eq!(err.kind(), ErrorKind::NotFileStore);
}

#[test]
fn save_live_refuses_missing_and_corrupt_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let opts = Options::default();
    assert_eq!(
        save_live(&paths, "a", false, &opts)
            .expect_err("missing")
            .kind(),
        ErrorKind::LiveMissing
    );
    std::fs::write(paths.auth_json(), "{\"a\":").expect("write");
    let err = save_live(&paths, "a", false, &opts).expect_err("corrupt");
    assert_eq!(err.kind(), ErrorKind::LiveInvalid);
    assert!(err.message().contains("auth.json"), "{err}");
    assert!(!paths.store.join("a.json").exists());
    let doc = both_doc();
    std::fs::write(paths.auth_json(), doc.as_bytes()).expect("write");
    let saved = save_live(&paths, "a", false, &opts).expect("saved");
    assert_eq!(std::fs::read(saved.path).expect("read"), doc.as_bytes());
}

fn arb_extra() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<i32>().prop_map(|n| json!(n)),
        ".{0,16}".prop_map(Value::String),
        prop::collection::btree_map("[a-z]{1,5}", ".{0,8}", 0..3).prop_map(|m| json!(m)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// `set_mode` on the live file changes only the bytes of the `auth_mode` value.
    #[test]
    fn set_mode_touches_only_the_auth_mode_value(
        // Distinct keys: Codex refuses a document with a duplicate key, so
        // such a document is not a valid starting point for this property.
        extras in prop::collection::btree_map("x_[a-z]{1,8}", arb_extra(), 0..5),
        old_mode in "[a-zA-Z]{0,14}",
        mode_pos in 0usize..6,
        style in 0u8..4,
        to_api in any::<bool>(),
    ) {
        let tokens = fixtures::chatgpt_tokens(&ChatgptSpec::default());
        let mut members: Vec<(String, Value)> = vec![
            ("OPENAI_API_KEY".into(), json!("sk-test-1234567890abcdef")),
            ("tokens".into(), tokens),
        ];
        members.extend(extras);
        let pos = mode_pos.min(members.len());
        members.insert(pos, ("auth_mode".into(), json!(old_mode)));
        let text = render_doc(&members, style);
        let old_value = serde_json::to_string(&json!(old_mode)).expect("json");
        // The value span: the rendered `"auth_mode"<sep>` is followed by the old value.
        let key_at = text.find("\"auth_mode\"").expect("key present");
        let value_start = key_at + text[key_at..].find(&old_value).expect("value present");
        let value_end = value_start + old_value.len();

        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        std::fs::write(paths.auth_json(), &text).expect("write");
        let target = if to_api { AuthMode::ApiKey } else { AuthMode::Chatgpt };
        let r = set_mode(&paths, &target, &no_env()).expect("set");
        let after = std::fs::read_to_string(paths.auth_json()).expect("read");
        let new_value = serde_json::to_string(target.as_str()).expect("json");
        if r.changed {
            prop_assert_eq!(&after[..value_start], &text[..value_start]);
            prop_assert_eq!(&after[value_start..value_start + new_value.len()], new_value.as_str());
            prop_assert_eq!(&after[value_start + new_value.len()..], &text[value_end..]);
        } else {
            prop_assert_eq!(&after, &text);
        }
        let before_doc = AuthDoc::parse(text.as_bytes()).expect("parses");
        let after_doc = AuthDoc::parse(after.as_bytes()).expect("parses");
        prop_assert_eq!(after_doc.get_str("auth_mode"), Some(target.as_str()));
        for (k, v) in before_doc.root() {
            if k != "auth_mode" {
                prop_assert_eq!(after_doc.get(k), Some(v));
            }
        }
        prop_assert_eq!(after_doc.root().len(), before_doc.root().len());
    }

    /// Without `auth_mode`, the member is inserted before the first one and nothing else moves.
    #[test]
    fn set_mode_inserts_auth_mode_without_touching_the_rest(
        extras in prop::collection::btree_map("x_[a-z]{1,8}", arb_extra(), 0..5),
        style in 0u8..4,
    ) {
        let mut members: Vec<(String, Value)> = extras.into_iter().collect();
        members.push(("OPENAI_API_KEY".into(), json!("sk-test-1234567890abcdef")));
        members.push(("tokens".into(), fixtures::chatgpt_tokens(&ChatgptSpec::default())));
        let text = render_doc(&members, style);
        let first_key = text.find('"').expect("a member");
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path());
        std::fs::write(paths.auth_json(), &text).expect("write");
        // The resolved mode is apikey (a key is present); chatgpt must be written explicitly.
        let r = set_mode(&paths, &AuthMode::Chatgpt, &no_env()).expect("set");
        prop_assert!(r.changed);
        prop_assert_eq!(r.from, AuthMode::ApiKey);
        let after = std::fs::read_to_string(paths.auth_json()).expect("read");
        prop_assert!(after.starts_with(&text[..first_key]));
        prop_assert!(after.ends_with(&text[first_key..]));
        let inserted = &after[first_key..after.len() - (text.len() - first_key)];
        prop_assert!(inserted.starts_with("\"auth_mode\""), "{inserted}");
        let after_doc = AuthDoc::parse(after.as_bytes()).expect("parses");
        prop_assert_eq!(after_doc.get_str("auth_mode"), Some("chatgpt"));
        prop_assert_eq!(after_doc.root().len(), members.len() + 1);
    }
}
