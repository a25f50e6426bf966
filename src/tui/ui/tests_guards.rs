//! What every frame guarantees, whatever the state: no secret reaches the screen unmasked,
//! `NO_COLOR` draws with modifiers only, no control character from a file reaches a cell, and
//! a long list or a long filter scrolls inside its pane. The snapshots of each state are in
//! `tests.rs`, whose helpers these share.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

use super::render;
use super::tests::{draw, ready_agent};
use crate::backend::FailureClass;
use crate::codex::fixtures;
use crate::tui::model::{Model, Settings};
use crate::tui::msg::Msg;
use crate::tui::testkit::*;

fn buffer(m: &Model) -> ratatui::buffer::Buffer {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    term.draw(|f| render(m, f)).expect("draws");
    term.backend().buffer().clone()
}

#[test]
fn no_secret_reaches_a_snapshot() {
    let mut m = ready_agent();
    send(
        &mut m,
        [key('a'), code(KeyCode::Tab), Msg::Paste(FAKE_KEY.into())],
    );
    let text = draw(&m, 80, 24);
    for secret in [
        FAKE_KEY,
        fixtures::TEST_KEY_V2,
        "task-FAKE-0123456789abcdef",
        "rt_fake",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    let mut m = model();
    load(&mut m, &chatgpt_live(), 1);
    let text = draw(&m, 80, 24);
    assert!(!text.contains("rt_fake") && !text.contains("eyJhbGciOiJub25l"));
}

#[test]
fn no_color_uses_modifiers_only() {
    let mut m = model_with(Settings {
        no_color: true,
        ..Settings::default()
    });
    load(&mut m, &agent_live(), 1);
    list(&mut m, rows());
    runtime(&mut m, failed_events(FailureClass::Permanent));
    let buf = buffer(&m);
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    let mut m = model();
    load(&mut m, &agent_live(), 1);
    runtime(&mut m, failed_events(FailureClass::Permanent));
    assert!(
        buffer(&m).content.iter().any(|c| c.fg != Color::Reset),
        "colours by default"
    );
}

#[test]
fn many_accounts_scroll_with_the_selection() {
    let mut m = model();
    load(&mut m, &api_key_live(), 1);
    list(
        &mut m,
        (0..500)
            .map(|i| {
                row(
                    &format!("acct-{i:03}"),
                    "u@example.com",
                    i == 7,
                    false,
                    None,
                )
            })
            .collect(),
    );
    send(&mut m, [key('G')]);
    let text = draw(&m, 80, 24);
    assert!(text.contains("acct-499") && !text.contains("acct-000"));
    send(&mut m, [key('g')]);
    assert!(draw(&m, 80, 24).contains("acct-000"));
}

#[test]
fn escape_sequences_in_token_fields_are_drawn_as_text() {
    let evil = fixtures::ChatgptSpec {
        email: "mallory\u{1b}]52;c;cHduZWQ=\u{7}@evil\u{1b}[2J.example",
        plan: "pro\u{9b}31m",
        account_id: "acct\r\nFAKE",
        ..fixtures::ChatgptSpec::default()
    };
    let mut m = model();
    load(&mut m, &file_live(fixtures::chatgpt_doc(&evil)), 1);
    list(
        &mut m,
        vec![row("evil\u{1b}[31m", "x\u{1b}[1Ay@z", true, false, None)],
    );
    for (w, h) in [(80, 24), (120, 30)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        term.draw(|f| render(&m, f)).expect("draws");
        let buf = term.backend().buffer().clone();
        for cell in buf.content() {
            assert!(
                !cell
                    .symbol()
                    .chars()
                    .any(|c| c.is_control() || c == '\u{9b}'),
                "a control character reached a cell: {:?}",
                cell.symbol()
            );
        }
        let text = term.backend().to_string();
        assert!(
            text.contains("mallory\\u{1b}]52"),
            "shown as visible data:\n{text}"
        );
    }
}

/// The filter is a tui-input field like the others: a filter longer than the pane scrolls so
/// its end (where the cursor is) stays in view, inside the pane.
#[test]
fn a_long_filter_scrolls_inside_the_accounts_pane() {
    let mut m = model();
    list(&mut m, rows());
    send(&mut m, [key('/')]);
    send(&mut m, typed("abcdefghijklmnopqrstuvwxyz0123456789"));
    let text = draw(&m, 80, 24);
    let line = text.lines().nth(2).expect("the filter line");
    assert!(line.contains("456789"), "{line}");
    assert!(!line.contains("/abc"), "scrolled: {line}");
}
