//! `update` without IO, forms and navigation: the add form, save/rename/delete/undo, overlays,
//! focus and the mouse — at the `KeyEvent` level.

use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::tui::contexts::contexts;
use crate::tui::model::{Overlay, Pane, Settings};
use crate::tui::msg::{Closed, Effect, Msg, Op};
use crate::tui::testkit::*;

#[test]
fn add_form_with_paste() {
    let mut m = model();
    send(&mut m, [key('a')]);
    assert_eq!(contexts(&m), vec![crate::tui::keymap::Context::AddForm]);
    send(&mut m, typed("new-key"));
    send(
        &mut m,
        [
            code(KeyCode::Tab),
            Msg::Paste(format!("{FAKE_KEY}\n").into()),
        ],
    );
    let Overlay::Add(form) = &m.overlay else {
        panic!("form")
    };
    assert_eq!(form.name.value(), "new-key");
    assert_eq!(form.material.value(), FAKE_KEY);
    let fx = send(&mut m, [code(KeyCode::Enter)]);
    assert!(
        matches!(fx.as_slice(), [Effect::Add { name, material }] if name == "new-key" && material.expose() == FAKE_KEY)
    );
    // The form stays open until the add finishes; an error is shown in it.
    send(
        &mut m,
        [done(
            Op::Add {
                name: "new-key".into(),
            },
            Err("the JWT did not verify"),
        )],
    );
    let Overlay::Add(form) = &m.overlay else {
        panic!("form kept")
    };
    assert_eq!(form.error.as_deref(), Some("the JWT did not verify"));
    send(
        &mut m,
        [
            code(KeyCode::Enter),
            done(
                Op::Add {
                    name: "new-key".into(),
                },
                Ok(()),
            ),
        ],
    );
    assert!(matches!(m.overlay, Overlay::None));
    // Bad names and empty material are refused before anything runs.
    send(&mut m, [key('a')]);
    send(&mut m, typed(".bad"));
    assert!(send(&mut m, [code(KeyCode::Enter)]).is_empty());
    let Overlay::Add(form) = &m.overlay else {
        panic!("form")
    };
    assert!(form.error.is_some());
    send(&mut m, [code(KeyCode::Home), code(KeyCode::Delete)]);
    assert!(send(&mut m, [code(KeyCode::Enter)]).is_empty());
    assert!(!quits(&send(&mut m, [code(KeyCode::Esc)])));
    assert!(matches!(m.overlay, Overlay::None));
}

/// A 1 MiB bracketed paste of a key is refused in the form with the CLI's words; no add runs.
#[test]
fn an_oversized_paste_is_refused_in_the_form() {
    let mut m = model();
    send(&mut m, [key('a')]);
    send(&mut m, typed("huge"));
    let huge = format!("sk-{}", "a".repeat(1024 * 1024));
    send(&mut m, [code(KeyCode::Tab), Msg::Paste(huge.into())]);
    assert!(
        send(&mut m, [code(KeyCode::Enter)]).is_empty(),
        "no add effect"
    );
    let Overlay::Add(form) = &m.overlay else {
        panic!("form kept")
    };
    assert_eq!(
        form.error.as_deref(),
        Some("the input holds more than 64 KiB, which is not an API key (nothing was written)")
    );
}

#[test]
fn save_rename_delete_undo() {
    let mut m = model();
    load(&mut m, &chatgpt_live(), 1);
    list(&mut m, rows());
    send(&mut m, [key('s')]);
    let Overlay::Prompt(p) = &m.overlay else {
        panic!("prompt")
    };
    assert_eq!(p.input.value(), "user", "suggested from the email");
    assert_eq!(
        send(&mut m, [code(KeyCode::Enter)]),
        vec![Effect::SaveLive {
            name: "user".into()
        }]
    );
    send(
        &mut m,
        [done(
            Op::Save {
                name: "user".into(),
            },
            Ok(()),
        )],
    );
    send(&mut m, [key('g'), key('j'), key('R')]);
    send(&mut m, [ctrl('u')]);
    send(&mut m, typed("home"));
    assert_eq!(
        send(&mut m, [code(KeyCode::Enter)]),
        vec![Effect::Rename {
            from: "personal".into(),
            to: "home".into()
        }]
    );
    send(
        &mut m,
        [done(
            Op::Rename {
                from: "personal".into(),
                to: "home".into(),
            },
            Ok(()),
        )],
    );
    assert_eq!(
        send(&mut m, [key('u')]),
        Vec::<Effect>::new(),
        "nothing to undo yet"
    );
    assert_eq!(
        send(&mut m, [key('d')]),
        vec![Effect::Remove {
            name: "personal".into()
        }]
    );
    // One file operation at a time.
    assert!(send(&mut m, [key('d')]).is_empty());
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("busy"))
    );
    send(
        &mut m,
        [done(
            Op::Remove {
                name: "personal".into(),
            },
            Ok(()),
        )],
    );
    assert_eq!(m.undo.as_deref(), Some("personal"));
    assert_eq!(
        send(&mut m, [key('u')]),
        vec![Effect::Undo {
            name: "personal".into()
        }]
    );
    send(
        &mut m,
        [done(
            Op::Undo {
                name: "personal".into(),
            },
            Ok(()),
        )],
    );
    assert!(m.undo.is_none());
    // Save needs a usable auth.json.
    let mut m = model();
    load(&mut m, &env_agent_live(), 1);
    send(&mut m, [key('s')]);
    assert!(matches!(m.overlay, Overlay::None));
}

#[test]
fn overlays_capture_keys_and_close() {
    let mut m = model();
    send(&mut m, [key('?')]);
    assert!(matches!(m.overlay, Overlay::Help { scroll: 0 }));
    send(&mut m, [key('j'), key('j'), key('k')]);
    assert!(matches!(m.overlay, Overlay::Help { scroll: 1 }));
    send(&mut m, [key('a')]);
    assert!(
        matches!(m.overlay, Overlay::Help { .. }),
        "global keys are captured"
    );
    assert!(!quits(&send(&mut m, [key('q')])));
    assert!(matches!(m.overlay, Overlay::None));
    send(&mut m, [key('l')]);
    assert!(matches!(m.overlay, Overlay::Log { .. }));
    assert!(!quits(&send(&mut m, [code(KeyCode::Esc)])));
    assert!(matches!(m.overlay, Overlay::None));
}

#[test]
fn focus_and_task_scroll() {
    let mut m = model();
    send(&mut m, [code(KeyCode::Tab)]);
    assert_eq!(m.focus, Pane::Account);
    send(&mut m, [code(KeyCode::BackTab), code(KeyCode::BackTab)]);
    assert_eq!(m.focus, Pane::Headers);
    send(&mut m, [code(KeyCode::BackTab)]);
    assert_eq!(m.focus, Pane::Task);
    send(&mut m, [key('k'), key('k'), key('j')]);
    assert_eq!(m.task_scroll, 1);
    // Enter in the Auth mode and Headers panes opens their pickers.
    load(&mut m, &api_key_live(), 1);
    send(&mut m, [code(KeyCode::Tab), code(KeyCode::Enter)]);
    assert!(matches!(m.overlay, Overlay::CopyMenu { .. }));
    send(
        &mut m,
        [
            code(KeyCode::Esc),
            code(KeyCode::BackTab),
            code(KeyCode::BackTab),
            code(KeyCode::Enter),
        ],
    );
    assert!(matches!(m.overlay, Overlay::ModePicker { .. }));
}

#[test]
fn mouse_selects_focuses_and_scrolls_unless_off() {
    let click = |col, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let wheel = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 2,
            row: 5,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut m = model();
    list(&mut m, rows());
    send(&mut m, [click(3, 5)]);
    assert_eq!(m.accounts.selected, 2);
    send(&mut m, [click(60, 12)]);
    assert_eq!(m.focus, Pane::Task);
    send(&mut m, [wheel(MouseEventKind::ScrollUp)]);
    assert_eq!(m.accounts.selected, 0);
    send(&mut m, [wheel(MouseEventKind::ScrollDown)]);
    assert_eq!(m.accounts.selected, 3);
    let mut m = model_with(Settings::default());
    list(&mut m, rows());
    send(&mut m, [click(3, 3)]);
    assert_eq!(
        m.accounts.selected, 2,
        "--no-mouse: still on the live account it opened on"
    );
}

#[test]
fn a_too_small_terminal_only_quits() {
    let mut m = model();
    list(&mut m, rows());
    send(&mut m, [Msg::Resize(40, 10)]);
    assert!(send(&mut m, [key('d'), key('a'), code(KeyCode::Enter)]).is_empty());
    assert!(matches!(m.overlay, Overlay::None));
    assert_eq!(send(&mut m, [key('q')]), vec![Effect::Quit]);
}

#[test]
fn paging_and_jumping_keys() {
    let mut m = model();
    list(
        &mut m,
        (0..100)
            .map(|i| row(&format!("a{i:03}"), "u@example.com", false, false, None))
            .collect(),
    );
    send(&mut m, [code(KeyCode::End)]);
    assert_eq!(m.accounts.selected, 99);
    send(&mut m, [code(KeyCode::PageUp)]);
    let page = 99 - m.accounts.selected;
    assert!(page >= 10, "a page is the visible height, got {page}");
    send(&mut m, [code(KeyCode::Home)]);
    assert_eq!(m.accounts.selected, 0);
    assert_eq!(m.accounts.offset, 0);
    send(&mut m, [code(KeyCode::PageDown), code(KeyCode::PageDown)]);
    assert_eq!(m.accounts.selected, 2 * page);
    assert!(m.accounts.offset > 0, "the window follows the selection");
}

#[test]
fn event_log_scrolls_and_closes_with_its_own_key() {
    let mut m = model();
    for i in 0..50 {
        m.log_line(format!("line {i}"));
    }
    send(
        &mut m,
        [key('l'), key('k'), key('k'), code(KeyCode::Up), key('j')],
    );
    assert!(matches!(m.overlay, Overlay::Log { scroll: 2 }));
    send(&mut m, [key('l')]);
    assert!(matches!(m.overlay, Overlay::None));
    for i in 0..600 {
        m.log_line(format!("more {i}"));
    }
    assert_eq!(
        m.log.len(),
        crate::tui::model::LOG_CAPACITY,
        "the log is capped"
    );
}

#[test]
fn closed_input_ends_the_app_with_its_reason() {
    let mut m = model();
    let fx = send(&mut m, [Msg::InputClosed(Closed::Signal("SIGTERM"))]);
    assert_eq!(fx, vec![Effect::Quit]);
    assert_eq!(m.fatal.as_deref(), Some("stopped by SIGTERM"));
    for (why, said) in [
        (Closed::Ended, "the terminal closed its input"),
        (
            Closed::ReadFailed("Input/output error".into()),
            "could not read the terminal: Input/output error",
        ),
    ] {
        let mut m = model();
        assert_eq!(send(&mut m, [Msg::InputClosed(why)]), vec![Effect::Quit]);
        assert_eq!(m.fatal.as_deref(), Some(said));
    }
}
