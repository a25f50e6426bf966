use super::*;
use crate::codex::credential::AuthMode;
use crate::ops::switch::parse_mode;
use crate::store;
use crate::store::ErrorKind;

#[test]
fn store_errors_keep_message_hint_and_exit() {
    let e: CliError = store::validate_name("a/b").expect_err("bad").into();
    assert_eq!(e.exit, Exit::Usage);
    assert!(e.message.contains("'/'"), "{}", e.message);
    assert!(e.hint.is_some());
    let e: CliError = StoreError::new(ErrorKind::LiveMissing, "no live")
        .with_hint("login")
        .into();
    assert_eq!(e.exit, Exit::SignedOut);
    assert_eq!(e.hint.as_deref(), Some("login"));
}

#[test]
fn modes_parse_leniently() {
    assert_eq!(parse_mode("apiKey"), AuthMode::ApiKey);
    assert_eq!(parse_mode("CHATGPT"), AuthMode::Chatgpt);
    assert_eq!(parse_mode("agentidentity"), AuthMode::AgentIdentity);
    assert_eq!(parse_mode("weird"), AuthMode::Other("weird".into()));
}
