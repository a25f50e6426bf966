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

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::fixtures;
use authdeck::mock_backend::{AgentJwtSpec, Fault, MockBackend, MockConfig, mint_agent_jwt};
use base64::Engine as _;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 24;
const COLS: u16 = 80;
const DEADLINE: Duration = Duration::from_secs(60);
const RUNTIME_ID: &str = "agent-pty-1";
const KEY: &str = "sk-test-PTYFAKEFAKE000012345";

/// The terminal as the child drew it, fed by a reader thread.
struct Screen {
    raw: Arc<Mutex<Vec<u8>>>,
    parser: vt100::Parser,
    seen: usize,
}

impl Screen {
    fn pump(&mut self) {
        let raw = self.raw.lock().expect("lock");
        if raw.len() > self.seen {
            self.parser.process(&raw[self.seen..]);
            self.seen = raw.len();
        }
    }

    fn text(&mut self) -> String {
        self.pump();
        self.parser.screen().contents()
    }

    fn raw_contains(&self, needle: &[u8]) -> bool {
        let raw = self.raw.lock().expect("lock");
        raw.windows(needle.len()).any(|w| w == needle)
    }

    fn wait_for(&mut self, what: &str) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if text.contains(what) {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "never saw {what:?}; the screen was:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_until(&mut self, what: &str, mut ok: impl FnMut(&Self) -> bool) {
        let start = Instant::now();
        while !ok(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; the screen was:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
            self.pump();
        }
    }
}

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

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_authdeck"));
    cmd.env_clear();
    cmd.env("HOME", &home);
    cmd.env("CODEX_HOME", &codex);
    cmd.env("TERM", "xterm-256color");
    cmd.env("AUTHDECK_LOG", "debug");
    cmd.env("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", mock.base_url());
    cmd.env("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", mock.base_url());
    cmd.cwd(tmp.path());
    let mut child = pty.slave.spawn_command(cmd).expect("spawn authdeck");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut keys = pty.master.take_writer().expect("writer");
    let raw = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&raw);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().expect("lock").extend_from_slice(&buf[..n]);
        }
    });
    let mut screen = Screen {
        raw,
        parser: vt100::Parser::new(ROWS, COLS, 0),
        seen: 0,
    };
    let mut press = |s: &str| {
        keys.write_all(s.as_bytes()).expect("type");
        keys.flush().expect("flush");
    };

    // The live account, then registration reaching Ready.
    screen.wait_for("demo@example.com");
    screen.wait_for("Ready");
    screen.wait_for("✓ registered");
    assert!(screen.text().contains("agent"), "the store is listed");

    // A permanent fault: the retry fails, and the account stays on screen.
    mock.set_fault(Some(RUNTIME_ID), Fault::RejectSignature);
    press("r");
    screen.wait_for("Runtime init failed");
    let text = screen.text();
    assert!(text.contains("permanent"), "{text}");
    assert!(text.contains("demo@example.com"), "account kept: {text}");

    // Switch to the API-key account through the confirm popup.
    press("j");
    press("\r");
    screen.wait_for("Switch to keyacct?");
    press("y");
    screen.wait_for("switched to keyacct");
    let auth = codex.join("auth.json");
    let wanted = std::fs::read(store.join("keyacct.json")).expect("account");
    screen.wait_until("auth.json to hold the account", |_| {
        std::fs::read(&auth).is_ok_and(|b| b == wanted)
    });
    screen.wait_for("sk-test-***12345");

    // Copy the http header: OSC 52 with exactly the header, written by the loop.
    press("c");
    screen.wait_for("Copy header");
    press("2");
    let b64 =
        base64::engine::general_purpose::STANDARD.encode(format!("Authorization: Bearer {KEY}"));
    let osc = format!("\x1b]52;c;{b64}\x07");
    screen.wait_until("the OSC 52 sequence", |s| s.raw_contains(osc.as_bytes()));
    screen.wait_until("the copy report", |s| {
        let mut s2 = vt100::Parser::new(ROWS, COLS, 0);
        s2.process(&s.raw.lock().expect("lock"));
        let t = s2.screen().contents();
        t.contains("sent to terminal") || t.contains("copied http header")
    });

    // Quit: the process ends and the terminal is given back.
    press("q");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < DEADLINE, "authdeck did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    std::thread::sleep(Duration::from_millis(200));
    screen.pump();
    assert!(
        !screen.parser.screen().alternate_screen(),
        "alternate screen left"
    );
    assert!(!screen.parser.screen().hide_cursor(), "cursor shown");
    for seq in ["\x1b[?2004l", "\x1b[?1000l", "\x1b[?1049l", "\x1b[?25h"] {
        assert!(screen.raw_contains(seq.as_bytes()), "missing {seq:?}");
    }
    for leaked in ["DEBUG", "INFO", " WARN ", KEY] {
        assert!(
            !screen.raw_contains(leaked.as_bytes()),
            "{leaked:?} reached the terminal"
        );
    }
    drop(mock);
    drop(rt);
}
