//! The key table: no key bound twice, modal contexts capture, hints resolve.

use super::*;
use ratatui::crossterm::event::KeyEvent;

fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    for ctx in HELP_ORDER {
        let keys: Vec<Key> = of_context(ctx)
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k:?} twice in {ctx:?}");
        }
    }
}

#[test]
fn modal_contexts_capture_and_ctrl_c_always_quits() {
    let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        lookup(&[Context::Accounts, Context::Global], &q),
        Some(Action::Quit)
    );
    assert_eq!(
        lookup(&[Context::AddForm], &q),
        None,
        "q is a letter in a form"
    );
    let cc = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(lookup(&[Context::AddForm], &cc), Some(Action::Quit));
    let shift_r = press(KeyCode::Char('r'), KeyModifiers::SHIFT);
    assert_eq!(
        lookup(&[Context::Accounts, Context::Global], &shift_r),
        Some(Action::Rename)
    );
    let r = press(KeyCode::Char('r'), KeyModifiers::NONE);
    assert_eq!(
        lookup(&[Context::Accounts, Context::Global], &r),
        Some(Action::Retry)
    );
}

/// Every hint the screen names a key in resolves to a binding of the table.
#[test]
fn every_hint_names_a_bound_key() {
    let used = [
        (Context::Global, Action::Quit, "q"),
        (Context::Global, Action::Add, "a"),
        (Context::Global, Action::CopyMenu, "c"),
        (Context::Global, Action::Reveal, "v"),
        (Context::Global, Action::Retry, "r"),
        (Context::Global, Action::UsageRefresh, "U"),
        (Context::Accounts, Action::Switch, "Enter"),
        (Context::Preview, Action::VerifyPreview, "r"),
        (Context::Filter, Action::Back, "Esc"),
        (Context::Help, Action::Back, "q"),
        (Context::Help, Action::Down, "j"),
        (Context::Help, Action::Up, "k"),
        (Context::Help, Action::PageDown, "PgDn"),
        (Context::Help, Action::PageUp, "PgUp"),
        (Context::Help, Action::Bottom, "G"),
        (Context::Help, Action::Top, "g"),
        (Context::Log, Action::Back, "q"),
    ];
    for (ctx, action, key) in used {
        assert_eq!(key_for(ctx, action), key, "{ctx:?} {action:?}");
    }
    assert_eq!(label_for(Context::Confirm, Action::Accept), "y/Enter");
    assert_eq!(
        key_for(Context::Confirm, Action::CopyValue),
        "",
        "not bound there"
    );
}

#[test]
fn footer_follows_the_contexts() {
    let f: Vec<&str> = footer(&[Context::Accounts, Context::Global])
        .iter()
        .map(|b| b.footer)
        .collect();
    assert_eq!(f.first(), Some(&"switch"));
    assert!(f.contains(&"quit") && f.contains(&"help"));
    let f: Vec<&str> = footer(&[Context::Confirm])
        .iter()
        .map(|b| b.footer)
        .collect();
    assert_eq!(f, vec!["switch", "cancel"]);
}
