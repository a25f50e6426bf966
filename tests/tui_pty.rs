//! End to end: the real binary in a pseudo-terminal, parsed with vt100, against the embedded
//! mock backend started in this process.
//!
//! One scenario walks the whole contract: the live Agent Identity account is shown and its
//! registration reaches `Ready`; a permanent fault makes a retry end in `Runtime init failed`
//! with the account still on screen; an account switch rewrites auth.json exactly; a copied
//! header arrives as OSC 52 bytes; `q` quits and leaves the terminal restored (alternate screen
//! left, cursor shown, mouse and bracketed paste off). Hermetic: temp dirs, HOME in a temp dir,
//! a cleared environment, and only 127.0.0.1. No timing asserts: each wait has a generous
//! deadline and only fails when the text never shows up.

mod tui_support;

use std::path::Path;

use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::fixtures;
use authdeck::mock_backend::{AgentJwtSpec, Fault, MockBackend, MockConfig, mint_agent_jwt};
use base64::Engine as _;
use tui_support::{COLS, ROWS, Session};

const RUNTIME_ID: &str = "agent-pty-1";
const KEY: &str = "sk-test-PTYFAKEFAKE000012345";

fn write_private(path: &Path, bytes: &[u8]) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, bytes).expect("write");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

#[test]
fn the_tui_end_to_end_in_a_pty() {
    let rt = tokio::runtime::Runtime::new().expect("tokio");
    let mock = rt
        .block_on(MockBackend::start(MockConfig::default(), 0))
        .expect("mock backend");
    let key = AgentKey::from_seed([7u8; 32]);
    mock.register_agent_key(RUNTIME_ID, key.public_key_bytes());
    let now = chrono::Utc::now().timestamp();
    let jwt = mint_agent_jwt(&AgentJwtSpec::demo(RUNTIME_ID, key, now)).expect("jwt");

    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let codex = tmp.path().join("codex");
    let store = codex.join("accounts");
    std::fs::create_dir_all(&home).expect("home");
    std::fs::create_dir_all(&store).expect("store");
    let agent_doc = fixtures::agent_jwt_doc(&jwt);
    let key_doc = fixtures::api_key_doc(KEY);
    write_private(&codex.join("auth.json"), agent_doc.as_bytes());
    write_private(&store.join("agent.json"), agent_doc.as_bytes());
    write_private(&store.join("keyacct.json"), key_doc.as_bytes());

    let base = mock.base_url();
    // The live Agent Identity's usage is read once its task is registered: at the mock.
    write_private(
        &codex.join("config.toml"),
        format!("chatgpt_base_url = \"{base}/backend-api\"\n").as_bytes(),
    );
    let mut app = Session::start(
        &[],
        &[
            ("HOME", home.to_str().expect("utf8")),
            ("CODEX_HOME", codex.to_str().expect("utf8")),
            ("TERM", "xterm-256color"),
            ("AUTHDECK_LOG", "debug"),
            ("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", &base),
            ("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", &base),
        ],
        tmp.path(),
    );

    // The live account, then registration reaching Ready.
    app.screen.wait_for("demo@example.com");
    app.screen.wait_for("Ready");
    app.screen.wait_for("✓ registered");
    assert!(app.screen.text().contains("agent"), "the store is listed");

    // A permanent fault: the retry fails, and the account stays on screen.
    mock.set_fault(Some(RUNTIME_ID), Fault::RejectSignature);
    app.press("r");
    app.screen.wait_for("Runtime init failed");
    let text = app.screen.text();
    assert!(text.contains("permanent"), "{text}");
    assert!(text.contains("demo@example.com"), "account kept: {text}");

    // Switch to the API-key account through the confirm popup.
    app.press("j");
    app.press("\r");
    app.screen.wait_for("Switch to keyacct?");
    app.press("y");
    app.screen.wait_for("switched to keyacct");
    let auth = codex.join("auth.json");
    let wanted = std::fs::read(store.join("keyacct.json")).expect("account");
    app.screen.wait_until("auth.json to hold the account", |_| {
        std::fs::read(&auth).is_ok_and(|b| b == wanted)
    });
    app.screen.wait_for("sk-test-***12345");

    // Copy the http header: OSC 52 with exactly the header, written by the loop.
    app.press("c");
    app.screen.wait_for("Copy header");
    app.press("2");
    let b64 =
        base64::engine::general_purpose::STANDARD.encode(format!("Authorization: Bearer {KEY}"));
    let osc = format!("\x1b]52;c;{b64}\x1b\\");
    app.screen
        .wait_until("the OSC 52 sequence", |s| s.raw_contains(osc.as_bytes()));
    app.screen.wait_until("the copy report", |s| {
        let mut s2 = vt100::Parser::new(ROWS, COLS, 0);
        s2.process(&s.raw.lock().expect("lock"));
        let t = s2.screen().contents();
        t.contains("sent to terminal") || t.contains("copied http header")
    });

    // Quit: the process ends and the terminal is given back.
    app.press("q");
    assert!(app.wait_exit(), "clean exit");
    app.assert_restored();
    assert!(app.screen.raw_contains(b"\x1b[?1000l"), "mouse capture off");
    for leaked in ["DEBUG", "INFO", " WARN ", KEY] {
        assert!(
            !app.screen.raw_contains(leaked.as_bytes()),
            "{leaked:?} reached the terminal"
        );
    }
    drop(mock);
    drop(rt);
}

#[test]
fn sigterm_restores_the_terminal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let codex = tmp.path().join("codex");
    std::fs::create_dir_all(&codex).expect("codex home");
    write_private(
        &codex.join("auth.json"),
        fixtures::api_key_doc(KEY).as_bytes(),
    );
    let mut app = Session::start(
        &[],
        &[
            ("HOME", tmp.path().to_str().expect("utf8")),
            ("CODEX_HOME", codex.to_str().expect("utf8")),
            ("TERM", "xterm-256color"),
        ],
        tmp.path(),
    );
    app.screen.wait_for("Ready");
    let pid = app.child.process_id().expect("pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    assert!(!app.wait_exit(), "exit status 1 after a signal");
    app.assert_restored();
}
