//! Snapshots of the preview (issue 15): the detail panes showing the account under the cursor
//! — valid, invalid, expiring, an Agent Identity before and after a dry verification — and
//! the way back to the live credential; plus the scrolled help at 80×24 and tiny sizes.
//! Every secret here is fake and masked on screen; a check makes sure of it.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::render;
use crate::codex::auth_file::AuthDoc;
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::store::FileState;
use crate::tui::model::Model;
use crate::tui::msg::{AccountRow, Msg};
use crate::tui::testkit::*;

fn draw(m: &Model, w: u16, h: u16) -> String {
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
                (r"agent-(runtime|env)-\d", "[runtime-id]"),
                (r"AgentAssertion [A-Za-z0-9_-]{4}…[A-Za-z0-9_-]{4}", "AgentAssertion [token]"),
                (r"task…\w{4}", "[task-id]"),
            ],
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots",
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

fn account(name: &str, who: &str, mode: &str, problem: Option<&str>, active: bool) -> AccountRow {
    AccountRow {
        mode: Some(mode.into()),
        ..row(name, who, active, false, problem)
    }
    .indexed()
}

/// The live agent identity is `work`; the store has four other accounts.
fn store() -> Vec<AccountRow> {
    vec![
        account("agent-2", "[runtime-id]", "agentIdentity", None, false),
        account(
            "business-acme",
            "owner@acme.example",
            "chatgpt",
            None,
            false,
        ),
        account("corrupt", "—", "—", Some("not JSON"), false),
        account("expiring", "soon@example.com", "chatgpt", None, false),
        account("work", "agent@example.com", "agentIdentity", None, true),
    ]
}

fn live_agent() -> Model {
    let mut m = model();
    load(&mut m, &agent_live(), 1);
    list(&mut m, store());
    runtime(&mut m, ready_events());
    m
}

/// Moves the cursor to `name` and delivers its read.
fn select(m: &mut Model, name: &str, doc: FileState) {
    let pos = m
        .accounts
        .visible
        .iter()
        .position(|i| m.accounts.rows[*i].name == name)
        .expect("listed");
    send(m, [key('g')]);
    send(m, std::iter::repeat_n(key('j'), pos));
    assert_eq!(m.preview.want.as_deref(), Some(name));
    preview_read(m, &account_live(name, doc));
}

fn doc(name: &str, doc: AuthDoc) -> FileState {
    FileState::Doc {
        path: format!("/home/user/.authdeck/accounts/{name}.json").into(),
        doc,
    }
}

fn business() -> AuthDoc {
    fixtures::chatgpt_doc(&ChatgptSpec {
        email: "owner@acme.example",
        user_id: "user-acme",
        account_id: "acme-workspace",
        plan: "business",
        ..ChatgptSpec::default()
    })
}

#[test]
fn previews_a_valid_account_under_an_unmistakable_header() {
    let mut m = live_agent();
    select(&mut m, "business-acme", doc("business-acme", business()));
    let text = draw(&m, 80, 24);
    assert!(text.contains("selected: business-acme — not live; Enter switches"));
    assert!(text.contains("owner@acme.example") && text.contains("Business"));
    assert!(
        text.contains("agent@example.com · Business · agentIdentity"),
        "the title bar stays the live credential"
    );
    assert!(
        text.contains("./Space live"),
        "the footer shows the way back"
    );
    snap!("preview_valid", text);
}

#[test]
fn previews_an_invalid_account_with_the_status_words() {
    let mut m = live_agent();
    let path = std::path::PathBuf::from("/home/user/.authdeck/accounts/corrupt.json");
    let error = AuthDoc::parse(b"{ nope").expect_err("not JSON");
    let words = format!("{}: {error}", path.display());
    select(&mut m, "corrupt", FileState::Malformed { path, error });
    let text = draw(&m, 80, 24);
    assert!(text.contains("Invalid credential"));
    let squeezed: String = text.split_whitespace().collect();
    let wanted: String = words.split_whitespace().collect();
    assert!(
        squeezed.contains(&wanted[..40.min(wanted.len())]),
        "the words status uses ({words}):\n{text}"
    );
    snap!("preview_invalid", text);

    // A document that parses but cannot be used: the facts, and the problem in red.
    let bad = AuthDoc::parse(br#"{"auth_mode":"apikey"}"#).expect("a document");
    select(&mut m, "business-acme", doc("business-acme", bad));
    let text = draw(&m, 80, 24);
    assert!(text.contains("invalid") && text.contains("OPENAI_API_KEY"));
    snap!("preview_invalid_document", text);
}

#[test]
fn previews_an_expiring_login() {
    let mut m = live_agent();
    let soon = fixtures::chatgpt_doc(&ChatgptSpec {
        email: "soon@example.com",
        access_exp: t0().timestamp() + 20 * 60,
        ..ChatgptSpec::default()
    });
    select(&mut m, "expiring", doc("expiring", soon));
    let text = draw(&m, 80, 24);
    assert!(
        text.contains("access expires in 20m · refreshable"),
        "{text}"
    );
    snap!("preview_expiring", text);
    let gone = fixtures::chatgpt_doc(&ChatgptSpec {
        access_exp: t0().timestamp() - 2 * 3600,
        ..ChatgptSpec::default()
    });
    select(&mut m, "expiring", doc("expiring", gone));
    assert!(draw(&m, 80, 24).contains("access expired 2h ago"));
}

#[test]
fn previews_an_agent_identity_without_registering() {
    let mut m = live_agent();
    // The JWT's expiry is judged against the real clock when it is analysed: use it here too.
    let now = chrono::Utc::now();
    send(&mut m, [Msg::Clock(now)]);
    let agent = fixtures::agent_jwt_doc(&fixtures::unsigned_agent_jwt(
        "agent-runtime-2",
        now.timestamp() + 3 * 86_400 + 1_800,
    ));
    select(&mut m, "agent-2", doc("agent-2", agent));
    let text = draw(&m, 80, 24);
    assert!(
        text.contains("JWT · expires in 3d")
            && text.contains("JWT not verified (judged offline; r verifies)"),
        "{text}"
    );
    assert!(text.contains("on switch:") && text.contains("nothing is registered"));
    assert!(text.contains("AgentAssertion needs a registered task"));
    snap!("preview_agent_identity", text);
    let fx = send(&mut m, [key('r')]);
    let [crate::tui::msg::Effect::VerifyPreview { generation, .. }] = fx.as_slice() else {
        panic!("dry verification: {fx:?}");
    };
    let generation = *generation;
    send(
        &mut m,
        [Msg::PreviewVerified {
            generation,
            result: Ok(true),
        }],
    );
    let text = draw(&m, 80, 24);
    assert!(
        text.contains("JWT verified against the JWKS (dry run)")
            && text.contains("nothing registered")
    );
    snap!("preview_agent_verified", text);
}

#[test]
fn returning_to_the_live_account_shows_it_exactly_as_before() {
    let mut m = live_agent();
    let before = draw(&m, 80, 24);
    select(&mut m, "business-acme", doc("business-acme", business()));
    send(&mut m, [key('.')]);
    let text = draw(&m, 80, 24);
    assert_eq!(
        text, before,
        "the live panes, task and headers as they were"
    );
    assert!(text.contains("✓ registered") && text.contains("AgentAssertion"));
    snap!("preview_back_to_live", text);
}

#[test]
fn names_and_file_text_are_escaped_and_secrets_stay_masked() {
    let mut m = model();
    load(&mut m, &chatgpt_live(), 1);
    list(&mut m, rows());
    let evil = fixtures::chatgpt_doc(&ChatgptSpec {
        email: "evil\u{1b}]52;c;AAAA\u{7}@example.com",
        ..ChatgptSpec::default()
    });
    select(&mut m, "personal", doc("personal", evil));
    let text = draw(&m, 80, 24);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    select(&mut m, "zkey", doc("zkey", fixtures::api_key_doc(FAKE_KEY)));
    send(&mut m, [key('v')]);
    let text = draw(&m, 80, 24);
    assert!(
        !text.contains(FAKE_KEY),
        "a preview stays masked even with v: {text}"
    );
    assert!(text.contains("Headers of zkey (masked) · c copies"));
}

#[test]
fn previews_at_tiny_sizes_without_panicking() {
    let mut m = live_agent();
    select(&mut m, "corrupt", {
        let error = AuthDoc::parse(b"{ nope").expect_err("not JSON");
        FileState::Malformed {
            path: "/home/user/.authdeck/accounts/corrupt.json".into(),
            error,
        }
    });
    snap!("preview_min_60x16", draw(&m, 60, 16));
    for (w, h) in [(20, 4), (1, 1), (59, 16), (200, 60)] {
        send(&mut m, [Msg::Resize(w, h)]);
        let _ = draw(&m, w, h);
    }
    // Still loading (the read is in flight): a placeholder, not the old account.
    send(&mut m, [Msg::Resize(80, 24), key('k')]);
    let text = draw(&m, 80, 24);
    assert!(text.contains("reading business-acme…"), "{text}");
}

#[test]
fn help_reaches_every_binding_at_80x24() {
    let mut m = live_agent();
    send(&mut m, [key('?')]);
    let top = draw(&m, 80, 24);
    assert!(top.contains("Keys 1–") && top.contains("↓ more"));
    send(&mut m, [key('G')]);
    let end = draw(&m, 80, 24);
    let last = crate::tui::keymap::BINDINGS
        .last()
        .map(|b| b.description)
        .expect("bindings");
    assert!(end.contains(last), "the last binding is reachable: {end}");
    snap!("help_end", end);
    // Every binding appears on some page.
    let mut seen = String::new();
    send(&mut m, [key('g')]);
    for _ in 0..20 {
        seen.push_str(&draw(&m, 80, 24));
        send(&mut m, [code(KeyCode::PageDown)]);
    }
    for b in crate::tui::keymap::BINDINGS {
        assert!(
            seen.contains(b.description),
            "{} not reachable",
            b.description
        );
    }
}

/// The live credential's expiry reads like the preview's — how far away it is — instead of an
/// RFC 3339 stamp that was cut off at the pane's edge; the loop redraws it once a minute
/// (`Msg::Minute`) while one is on screen, so an idle screen does not keep an old distance.
#[test]
fn the_live_expiry_is_a_distance_kept_current_by_the_minute() {
    let soon = fixtures::chatgpt_doc(&ChatgptSpec {
        access_exp: t0().timestamp() + 20 * 60,
        ..ChatgptSpec::default()
    });
    let mut m = model();
    load(&mut m, &file_live(soon), 1);
    assert!(super::account::shows_expiry(&m));
    let text = draw(&m, 100, 24);
    assert!(
        text.contains("tokens     access expires in 20m · refreshable"),
        "{text}"
    );
    send(&mut m, [Msg::Clock(t0() + chrono::Duration::minutes(25))]);
    m.dirty = false;
    assert!(
        send(&mut m, [Msg::Minute]).is_empty(),
        "a redraw, no effect"
    );
    assert!(m.dirty, "the minute asks for a frame");
    assert!(draw(&m, 100, 24).contains("access expired 5m ago"));

    let mut keyed = model();
    load(&mut keyed, &api_key_live(), 1);
    assert!(
        !super::account::shows_expiry(&keyed),
        "an API key has no expiry: no minute tick"
    );
}
