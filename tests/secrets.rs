//! No secret anywhere: every command except `header` (which exists to print one) runs with trace
//! logging on, against a home holding an API key, ChatGPT tokens and Agent Identities, through
//! success and failure paths; stdout, stderr and the log file are scanned for every secret's
//! full value (and for distinctive fragments of it, so a half-masked leak is caught too).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod tui_support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::mock_backend::{AgentJwtSpec, Fault, MockBackend, MockConfig, mint_agent_jwt};
use serde_json::Value;

const API_KEY: &str = "sk-proj-LEAKCANARY1234567890abcdefXYZ";

struct Scan {
    dir: tempfile::TempDir,
    secrets: Vec<(String, String)>,
    url: String,
    transcript: String,
}

impl Scan {
    fn home(&self) -> PathBuf {
        self.dir.path().join("codex")
    }

    fn run(&mut self, args: &[&str], stdin: Option<&str>) -> i32 {
        let env = [
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", self.dir.path().join("userhome").into_os_string()),
            (
                "XDG_STATE_HOME",
                self.dir.path().join("state").into_os_string(),
            ),
            ("CODEX_HOME", self.home().into_os_string()),
            ("AUTHDECK_LOG", "trace".into()),
            (
                "CODEX_AGENT_IDENTITY_JWKS_BASE_URL",
                self.url.clone().into(),
            ),
            (
                "CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL",
                self.url.clone().into(),
            ),
        ];
        let out = common::output_with_stdin(common::authdeck(args, env), stdin);
        let _ = write!(
            self.transcript,
            "\n$ authdeck {}\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out.status.code().unwrap_or(-1)
    }

    fn log(&self) -> String {
        let path = self
            .dir
            .path()
            .join("state")
            .join("authdeck")
            .join("authdeck.log");
        std::fs::read_to_string(path).unwrap_or_default()
    }
}

/// Distinctive fragments: the whole value, and 12-character windows from its middle.
fn fragments(value: &str) -> Vec<String> {
    let chars: Vec<char> = value.chars().collect();
    let mut out = vec![value.to_string()];
    if chars.len() >= 36 {
        for start in (8..chars.len() - 20).step_by(9) {
            out.push(chars[start..start + 12].iter().collect());
        }
    }
    out
}

fn assert_clean(haystack: &str, secrets: &[(String, String)], place: &str) {
    for (name, value) in secrets {
        for frag in fragments(value) {
            assert!(
                !haystack.contains(&frag),
                "{name} leaked into {place} (fragment {frag:?})"
            );
        }
    }
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn no_command_but_header_prints_or_logs_a_secret() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = rt
        .block_on(MockBackend::start(
            MockConfig::with_task_fault(Fault::FailFirst { n: 1, status: 503 }),
            0,
        ))
        .unwrap();
    let key = AgentKey::generate();
    mock.register_agent_key("agent-secret", key.public_key_bytes());
    let jwt = mint_agent_jwt(&AgentJwtSpec::demo(
        "agent-secret",
        key.clone(),
        chrono::Utc::now().timestamp(),
    ))
    .unwrap();
    let chatgpt = fixtures::chatgpt_doc(&ChatgptSpec::default());
    let tokens: Value = serde_json::from_str(chatgpt.text()).unwrap();
    let t = &tokens["tokens"];
    let secrets = vec![
        ("API key".to_string(), API_KEY.to_string()),
        (
            "refresh token".to_string(),
            t["refresh_token"].as_str().unwrap().to_string(),
        ),
        (
            "access token".to_string(),
            t["access_token"].as_str().unwrap().to_string(),
        ),
        (
            "id token".to_string(),
            t["id_token"].as_str().unwrap().to_string(),
        ),
        ("agent JWT".to_string(), jwt.clone()),
        (
            "private key".to_string(),
            key.to_pkcs8_v2_base64().expose().to_string(),
        ),
    ];
    let mut s = Scan {
        dir: tempfile::tempdir().unwrap(),
        secrets,
        url: mock.base_url(),
        transcript: String::new(),
    };
    let home = s.home();
    write(&home.join("auth.json"), chatgpt.as_bytes());
    write(
        &home.join("accounts").join("agent.json"),
        fixtures::agent_jwt_doc(&jwt).as_bytes(),
    );

    s.run(&["--version"], None);
    s.run(&["status"], None);
    s.run(&["status", "--json"], None);
    s.run(&["status", "--format", "short"], None);
    s.run(&["save", "personal"], None);
    s.run(&["add", "key", "--api-key-stdin"], Some(API_KEY));
    s.run(&["add", "jwt", "--jwt-stdin"], Some(&jwt));
    s.run(&["add", "bad", "--api-key-stdin"], Some("short"));
    s.run(&["list"], None);
    s.run(&["list", "--json"], None);
    s.run(&["switch", "agent"], None);
    s.run(&["status"], None);
    s.run(&["status", "--json"], None);
    s.run(&["register"], None);
    s.run(&["register", "--json"], None);
    s.run(&["register", "--account", "agent", "--json"], None);
    s.run(&["switch", "key"], None);
    s.run(&["status", "--json"], None);
    s.run(&["mode", "chatgpt"], None);
    s.run(&["switch", "personal"], None);
    s.run(&["provision"], None);
    s.run(&["mode", "agentIdentity"], None);
    s.run(&["status", "--json"], None);
    s.run(&["rename", "key", "key2"], None);
    s.run(&["remove", "key2"], None);
    s.run(&["switch", "nope"], None);
    // A corrupt live file whose content is full of secrets: the error must not echo it.
    write(
        &home.join("auth.json"),
        format!("{{\"OPENAI_API_KEY\": \"{API_KEY}\", ").as_bytes(),
    );
    s.run(&["status"], None);
    s.run(&["status", "--json"], None);
    s.run(&["save", "corrupt"], None);
    rt.block_on(mock.shutdown());

    assert!(
        s.transcript.contains("Ready"),
        "the scan must have exercised a ready runtime:\n{}",
        s.transcript
    );
    assert!(
        s.transcript.contains("sk-proj-***"),
        "masked API key expected:\n{}",
        s.transcript
    );
    assert_clean(&s.transcript, &s.secrets, "command output");
    let log = s.log();
    assert!(
        log.contains("authdeck started"),
        "trace logging must have written the log file"
    );
    assert_clean(&log, &s.secrets, "the log file");
}

/// The TUI, in a pseudo-terminal, through every screen that shows credential facts — except
/// `v` (reveal) and copying, where the user explicitly asks for the secret.
#[test]
fn the_tui_never_draws_or_logs_a_secret() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = rt
        .block_on(MockBackend::start(MockConfig::default(), 0))
        .unwrap();
    let key = AgentKey::generate();
    mock.register_agent_key("agent-tui", key.public_key_bytes());
    let jwt = mint_agent_jwt(&AgentJwtSpec::demo(
        "agent-tui",
        key.clone(),
        chrono::Utc::now().timestamp(),
    ))
    .unwrap();
    let mut chatgpt = fixtures::chatgpt_doc(&ChatgptSpec::default());
    chatgpt.set("OPENAI_API_KEY", &Value::String(API_KEY.into()));
    let tokens: Value = serde_json::from_str(chatgpt.text()).unwrap();
    let t = &tokens["tokens"];
    let secrets: Vec<(String, String)> = vec![
        ("API key".into(), API_KEY.into()),
        (
            "refresh token".into(),
            t["refresh_token"].as_str().unwrap().into(),
        ),
        (
            "access token".into(),
            t["access_token"].as_str().unwrap().into(),
        ),
        ("id token".into(), t["id_token"].as_str().unwrap().into()),
        ("agent JWT".into(), jwt.clone()),
        (
            "private key".into(),
            key.to_pkcs8_v2_base64().expose().into(),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("codex");
    write(
        &home.join("auth.json"),
        fixtures::agent_jwt_doc(&jwt).as_bytes(),
    );
    write(
        &home.join("accounts").join("agent.json"),
        fixtures::agent_jwt_doc(&jwt).as_bytes(),
    );
    write(&home.join("accounts").join("both.json"), chatgpt.as_bytes());
    let state = dir.path().join("state");
    let url = mock.base_url();
    let mut app = tui_support::Session::start(
        &[],
        &[
            ("HOME", dir.path().join("userhome").to_str().unwrap()),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
            ("CODEX_HOME", home.to_str().unwrap()),
            ("TERM", "xterm-256color"),
            ("AUTHDECK_LOG", "trace"),
            ("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", &url),
            ("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", &url),
        ],
        dir.path(),
    );
    let mut screens = Vec::new();
    app.screen.wait_for("Ready");
    screens.push(app.screen.text());
    // Every overlay that shows credential facts, then a switch to the two-mode account.
    for (keys, wait) in [
        ("?", "help"),
        ("\u{1b}", "Ready"),
        ("l", "log"),
        ("\u{1b}", "Ready"),
        ("m", "mode"),
    ] {
        app.press(keys);
        std::thread::sleep(std::time::Duration::from_millis(300));
        let _ = wait;
        screens.push(app.screen.text());
    }
    app.press("\u{1b}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    app.press("j");
    app.press("\r");
    app.screen.wait_for("Switch to");
    screens.push(app.screen.text());
    app.press("y");
    app.screen.wait_for("user@example.com");
    std::thread::sleep(std::time::Duration::from_millis(500));
    screens.push(app.screen.text());
    app.press("m");
    std::thread::sleep(std::time::Duration::from_millis(300));
    screens.push(app.screen.text());
    app.press("\u{1b}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    app.press("q");
    assert!(app.wait_exit(), "the TUI quits");
    rt.block_on(mock.shutdown());

    let all = screens.join("\n----\n");
    assert!(
        all.contains("user@example.com") && all.contains("sk-proj-***"),
        "the walk reached the two-mode account:\n{all}"
    );
    assert_clean(&all, &secrets, "TUI screens");
    let raw = String::from_utf8_lossy(&app.screen.raw.lock().unwrap()).into_owned();
    assert_clean(&raw, &secrets, "bytes written to the terminal");
    let log =
        std::fs::read_to_string(state.join("authdeck").join("authdeck.log")).unwrap_or_default();
    assert!(!log.is_empty(), "trace logging wrote the log file");
    assert_clean(&log, &secrets, "the TUI's log file");
}
