use super::*;

fn config_for(text: &str) -> CodexConfig {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("config.toml");
    std::fs::write(&p, text).expect("write");
    read_codex_config(&p)
}

#[test]
fn forced_settings_are_read() {
    let c = config_for("forced_login_method = \"api\"\nforced_chatgpt_workspace_id = \"ws-1\"\n");
    assert_eq!(c.forced_login_method, Some(ForcedLogin::Api));
    assert_eq!(c.forced_workspace_ids, vec!["ws-1".to_string()]);
    assert_eq!(c.error, None);
    assert!(
        config_for("forced_chatgpt_workspace_id = \"\"")
            .forced_workspace_ids
            .is_empty()
    );
}

#[test]
fn values_codex_rejects_are_errors() {
    for text in [
        "forced_login_method = \"bogus\"",
        "forced_login_method = 1",
        "cli_auth_credentials_store = \"vault\"",
        "cli_auth_credentials_store = 3",
        "this is = = not toml",
    ] {
        assert!(config_for(text).error.is_some(), "{text}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("config.toml");
    let status = std::process::Command::new("mkfifo")
        .arg(&p)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    // Nothing ever writes to the FIFO: a blocking open would hang this test forever.
    let c = read_codex_config(&p);
    assert!(
        c.error
            .as_deref()
            .is_some_and(|e| e.contains("not a regular file")),
        "{c:?}"
    );
}
