//! Snapshots of every state on a `TestBackend` (80×24, plus tiny sizes), with times, latencies
//! and ids redacted by insta filters. Every secret in these models is fake, and masked on
//! screen anyway; `no_secret_reaches_a_snapshot` (in `tests_guards.rs`, with the other checks
//! that hold for every frame) checks that the masks hold.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::render;
use crate::backend::FailureClass;
use crate::codex::fixtures;
use crate::runtime::{EventKind, Step};
use crate::secret::Secret;
use crate::tui::model::{Model, Settings};
use crate::tui::msg::{DiffLine, Msg, SwitchPreview};
use crate::tui::testkit::*;

pub(super) fn draw(m: &Model, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| render(m, f)).expect("draws");
    term.backend().to_string()
}

macro_rules! snap {
    ($name:expr, $text:expr) => {
        insta::with_settings!({
            filters => vec![
                (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[time]"),
                (r"\b\d\d:\d\d:\d\d\b", "[clock]"),
                (r"\b\d+ ms\b", "[ms]"),
                (r"\b\d+\.\d s\b", "[s]"),
                (r"agent-(runtime|env)-\d", "[runtime-id]"),
                (r"AgentAssertion [A-Za-z0-9_-]{4}…[A-Za-z0-9_-]{4}", "AgentAssertion [token]"),
                (r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "[date]"),
                (r"task…\w{4}", "[task-id]"),
            ],
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots",
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

pub(super) fn ready_agent() -> Model {
    let mut m = model();
    load(&mut m, &agent_live(), 1);
    list(&mut m, rows());
    runtime(&mut m, ready_events());
    m
}

#[test]
fn loading_first_frame() {
    let m = model();
    let text = draw(&m, 80, 24);
    assert!(text.contains("Loading"));
    snap!("loading", text);
}

#[test]
fn signed_out() {
    let mut m = model();
    load(&mut m, &signed_out_live(), 1);
    list(&mut m, Vec::new());
    let text = draw(&m, 80, 24);
    assert!(
        text.contains("Signed out") && text.contains("codex login") && text.contains("a to add")
    );
    snap!("signed_out", text);
}

#[test]
fn invalid() {
    let mut m = model();
    load(&mut m, &invalid_live(), 1);
    list(&mut m, rows());
    let text = draw(&m, 80, 24);
    assert!(text.contains("Invalid credential"));
    snap!("invalid", text);
    let mut m = model();
    load(&mut m, &malformed_live(), 1);
    let text = draw(&m, 80, 24);
    assert!(text.contains("the file is empty"));
    snap!("invalid_unreadable", text);
}

#[test]
fn offline() {
    let mut m = model_with(Settings {
        offline: true,
        ..Settings::default()
    });
    load(&mut m, &agent_live(), 1);
    list(&mut m, rows());
    let text = draw(&m, 80, 24);
    assert!(text.contains("Offline (not verified)"));
    snap!("offline", text);
}

#[test]
fn verifying_and_registering() {
    let mut m = model();
    load(&mut m, &agent_live(), 1);
    list(&mut m, rows());
    runtime(
        &mut m,
        vec![
            ev(EventKind::Started { step: Step::Jwks }, 0),
            ev(
                EventKind::Attempt {
                    step: Step::Jwks,
                    attempt: 1,
                    of: 3,
                },
                0,
            ),
        ],
    );
    m.now = at_ms(700);
    let text = draw(&m, 80, 24);
    assert!(text.contains("Verifying"));
    snap!("verifying", text);
    let mut rest = registering();
    rest.remove(2);
    rest.remove(0);
    runtime(&mut m, rest);
    let text = draw(&m, 80, 24);
    assert!(text.contains("Registering") && text.contains("attempt 1 of 3"));
    snap!("registering", text);
    // A transient failure between attempts shows the last error and the countdown.
    runtime(
        &mut m,
        vec![ev(
            EventKind::AttemptFailed {
                step: Step::Register,
                attempt: 1,
                of: 3,
                status: Some(503),
                latency: std::time::Duration::from_millis(30),
                class: FailureClass::Transient,
                message: "agent task registration failed with status 503".into(),
                retry_in: Some(std::time::Duration::from_millis(800)),
            },
            300,
        )],
    );
    m.now = at_ms(500);
    let text = draw(&m, 80, 24);
    assert!(text.contains("retry in") && text.contains("last error (transient)"));
    snap!("registering_retry", text);
}

#[test]
fn ready() {
    let m = ready_agent();
    let text = draw(&m, 80, 24);
    assert!(text.contains("Ready") && text.contains("registered"));
    snap!("ready_agent_identity", text);
}

#[test]
fn runtime_init_failed() {
    for (class, name) in [
        (FailureClass::Transient, "runtime_init_failed_transient"),
        (FailureClass::Permanent, "runtime_init_failed_permanent"),
    ] {
        let mut m = model();
        load(&mut m, &agent_live(), 1);
        list(&mut m, rows());
        runtime(&mut m, failed_events(class));
        let text = draw(&m, 80, 24);
        assert!(text.contains("Runtime init failed"));
        assert!(
            text.contains("agent@example.com"),
            "the account stays visible"
        );
        assert!(text.contains("press r to retry") || text.contains("r to retry"));
        snap!(name, text);
    }
}

#[test]
fn each_auth_mode() {
    for (live, name) in [
        (api_key_live(), "mode_apikey"),
        (chatgpt_live(), "mode_chatgpt"),
        (multi_mode_live(), "mode_chatgpt_with_api_key"),
        (pat_live(), "mode_personal_access_token"),
        (env_agent_live(), "mode_env_token"),
        (keyring_live(), "mode_keyring_store"),
    ] {
        let mut m = model();
        load(&mut m, &live, 1);
        list(&mut m, rows());
        snap!(name, draw(&m, 80, 24));
    }
}

/// A ready Agent Identity session with the cursor on `personal` (previewed) and Enter pressed:
/// the switch confirm is waiting for its plan.
fn confirming_personal() -> Model {
    let mut m = ready_agent();
    send(&mut m, [key('g'), key('j')]);
    preview_read(
        &mut m,
        &account_doc(
            "personal",
            fixtures::chatgpt_doc(&fixtures::ChatgptSpec::default()),
        ),
    );
    send(&mut m, [code(KeyCode::Enter)]);
    m
}

/// The switch confirm is as wide as its longest line where the terminal allows it, so a long
/// change reads on one row at 120 columns, and still fits (wrapped) at 80.
#[test]
fn the_confirm_popup_widens_to_its_longest_line() {
    let mut m = confirming_personal();
    let after = "agent identity record (runtime demo-agent-record-with-a-long-name)";
    let preview = SwitchPreview {
        name: "personal".into(),
        changes: vec![DiffLine {
            key: "agent_identity".into(),
            before: "eyJ0…jW9A".into(),
            after: after.into(),
        }],
        processes: Vec::new(),
        notes: Vec::new(),
        blocked: None,
    };
    send(&mut m, [Msg::SwitchPlanned(Box::new(Ok(preview)))]);
    let wide = draw(&m, 120, 30);
    assert!(
        wide.lines()
            .any(|l| l.contains(&format!("agent_identity eyJ0…jW9A → {after}"))),
        "one row at 120 columns:\n{wide}"
    );
    let narrow = draw(&m, 80, 24);
    assert!(!narrow.contains(after), "wrapped at 80 columns:\n{narrow}");
    assert!(narrow.contains("demo-agent-record-with-a-long-name)"));
}

#[test]
fn popups() {
    let mut m = confirming_personal();
    snap!("planning", draw(&m, 80, 24));
    let preview = SwitchPreview {
        name: "personal".into(),
        changes: vec![
            DiffLine {
                key: "auth_mode".into(),
                before: "agentIdentity".into(),
                after: "chatgpt".into(),
            },
            DiffLine {
                key: "tokens".into(),
                before: "(absent)".into(),
                after: "login of me@example.com".into(),
            },
        ],
        processes: vec!["pid 4242 codex exec".into()],
        notes: vec!["the live auth.json is not a saved account; it is backed up first".into()],
        blocked: None,
    };
    send(&mut m, [Msg::SwitchPlanned(Box::new(Ok(preview)))]);
    let text = draw(&m, 80, 24);
    assert!(text.contains("keep the old credential"));
    snap!("confirm_switch", text);

    let mut m = model();
    load(&mut m, &multi_mode_live(), 1);
    list(&mut m, rows());
    send(&mut m, [key('m')]);
    snap!("mode_picker", draw(&m, 80, 24));
    send(&mut m, [code(KeyCode::Esc), key('c')]);
    snap!("copy_menu", draw(&m, 80, 24));
    send(&mut m, [code(KeyCode::Esc), key('a')]);
    send(&mut m, typed("new-agent"));
    send(
        &mut m,
        [
            code(KeyCode::Tab),
            Msg::Paste(Secret::new(fixtures::unsigned_agent_jwt(
                "agent-runtime-1",
                4_102_444_800,
            ))),
        ],
    );
    let text = draw(&m, 80, 24);
    assert!(text.contains("detected: Agent Identity JWT") && text.contains("•••"));
    snap!("add_form", text);
    send(&mut m, [code(KeyCode::Esc), key('s')]);
    snap!("save_prompt", draw(&m, 80, 24));
    send(&mut m, [code(KeyCode::Esc), key('?')]);
    snap!("help", draw(&m, 80, 24));
    send(&mut m, [key('q'), key('l')]);
    snap!("event_log_empty", draw(&m, 80, 24));
    let m = {
        let mut m = ready_agent();
        send(&mut m, [key('l')]);
        m
    };
    let text = draw(&m, 80, 24);
    assert!(text.contains("HTTP register task"));
    snap!("event_log", text);
}

#[test]
fn accounts_filter_and_reveal() {
    let mut m = model();
    load(&mut m, &api_key_live(), 1);
    list(&mut m, rows());
    send(&mut m, [key('/')]);
    send(&mut m, typed("example"));
    snap!("filter", draw(&m, 80, 24));
    send(&mut m, [code(KeyCode::Enter), key('v')]);
    let text = draw(&m, 80, 24);
    assert!(text.contains("SECRETS REVEALED") && text.contains(FAKE_KEY));
    snap!("revealed", text);
}

#[test]
fn tiny_terminals() {
    let m = ready_agent();
    snap!("min_60x16", draw(&m, 60, 16));
    let text = draw(&m, 59, 16);
    assert!(text.contains("terminal too small"));
    snap!("too_small_59x16", text);
    snap!("too_small_20x4", draw(&m, 20, 4));
    let _ = draw(&m, 1, 1);
    let _ = draw(&m, 200, 60);
}

/// The copy menu says what a copy will do: an AgentAssertion is signed when copied (a bearer
/// token is not "signed"), `--no-system-clipboard` means OSC 52 alone, and `--clear-clipboard`
/// is announced. It used to promise "freshly signed" and the system clipboard in every case.
#[test]
fn the_copy_menu_says_what_a_copy_will_do() {
    let mut m = ready_agent();
    send(&mut m, [key('c')]);
    let text = draw(&m, 80, 24);
    assert!(
        text.contains("the AgentAssertion is signed when you copy"),
        "{text}"
    );
    assert!(text.contains("OSC 52 + the system clipboard if there is one"));
    assert!(!text.contains("cleared after"));

    let mut m = model_with(Settings {
        copy_to: crate::tui::model::CopyTo::TerminalOnly,
        clear_clipboard: Some(30),
        ..Settings::default()
    });
    load(&mut m, &chatgpt_live(), 1);
    list(&mut m, rows());
    send(&mut m, [key('c')]);
    let text = draw(&m, 80, 24);
    assert!(
        text.contains("OSC 52 only (--no-system-clipboard)"),
        "{text}"
    );
    assert!(text.contains("the clipboard is cleared after 30s"));
    assert!(
        !text.contains("signed"),
        "a bearer token is copied as it is"
    );
}
