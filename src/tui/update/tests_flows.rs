//! `update` without IO, user flows: moving, filtering, switching, modes, copying and revealing — at the `KeyEvent` level.

use ratatui::crossterm::event::KeyCode;

use crate::codex::credential::AuthMode;
use crate::tui::contexts::contexts;
use crate::tui::model::{Model, Overlay, Settings, Tone};
use crate::tui::msg::{CopyFormat, Effect, Msg, Op, SwitchPreview};
use crate::tui::testkit::*;

#[test]
fn moving_through_accounts() {
    let mut m = model();
    list(&mut m, rows());
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("work"),
        "the list opens on the live account"
    );
    send(&mut m, [key('g')]);
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("broken")
    );
    send(&mut m, [key('j'), code(KeyCode::Down)]);
    assert_eq!(m.accounts.selected, 2);
    send(&mut m, [key('k')]);
    assert_eq!(m.accounts.selected, 1);
    send(&mut m, [key('G')]);
    assert_eq!(m.accounts.selected, 3);
    send(&mut m, [key('j')]);
    assert_eq!(m.accounts.selected, 3, "clamped at the end");
    send(&mut m, [key('g'), code(KeyCode::Up)]);
    assert_eq!(m.accounts.selected, 0);
    send(&mut m, [code(KeyCode::PageDown)]);
    assert_eq!(m.accounts.selected, 3);
    // A new listing keeps the selected account by name.
    send(&mut m, [key('k')]);
    let mut again = rows();
    again.insert(0, row("aaa", "a@example.com", false, false, None));
    list(&mut m, again);
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("work")
    );
}

#[test]
fn filtering() {
    let mut m = model();
    list(&mut m, rows());
    send(&mut m, [key('/')]);
    assert_eq!(contexts(&m), vec![crate::tui::keymap::Context::Filter]);
    send(&mut m, typed("example"));
    assert_eq!(m.accounts.visible.len(), 2);
    send(&mut m, [code(KeyCode::Backspace)]);
    assert_eq!(m.accounts.filter, "exampl");
    send(&mut m, [code(KeyCode::Enter)]);
    assert!(m.accounts.filter_input.is_none());
    assert_eq!(m.accounts.visible.len(), 2);
    send(&mut m, [key('/'), code(KeyCode::Esc)]);
    assert_eq!(m.accounts.visible.len(), 4);
    send(&mut m, [key('/'), Msg::Paste("zkey\n".into())]);
    assert_eq!(m.accounts.visible.len(), 1);
}

#[test]
fn switching_goes_through_a_confirmed_plan() {
    let mut m = model();
    list(&mut m, rows());
    send(&mut m, [key('g'), key('j')]); // personal
    let fx = send(&mut m, [code(KeyCode::Enter)]);
    assert_eq!(
        fx,
        vec![Effect::PlanSwitch {
            name: "personal".into()
        }]
    );
    assert!(matches!(m.overlay, Overlay::Planning { .. }));
    let preview = SwitchPreview {
        name: "personal".into(),
        ..SwitchPreview::default()
    };
    send(&mut m, [Msg::SwitchPlanned(Box::new(Ok(preview)))]);
    assert!(matches!(m.overlay, Overlay::Confirm(_)));
    let fx = send(&mut m, [key('y')]);
    assert_eq!(
        fx,
        vec![Effect::Switch {
            name: "personal".into()
        }]
    );
    assert!(m.pending.is_some() && m.busy());
    let fx = send(
        &mut m,
        [done(
            Op::Switch {
                name: "personal".into(),
            },
            Ok(()),
        )],
    );
    assert!(matches!(
        fx.as_slice(),
        [
            Effect::LoadLive { .. },
            Effect::LoadStore { .. },
            Effect::FetchUsage {
                scope: crate::tui::usage::Scope::Live,
                ..
            }
        ]
    ));
    assert!(m.pending.is_none());
    assert_eq!(
        m.status.as_ref().map(|s| s.text.as_str()),
        Some("switched to personal")
    );
    assert!(m.log.iter().any(|l| l.text.contains("/tmp/x.json")));
    // The active account needs no switch; Esc cancels a confirm; a blocked plan refuses.
    send(&mut m, [key('j')]);
    assert!(send(&mut m, [code(KeyCode::Enter)]).is_empty());
    send(&mut m, [key('k'), code(KeyCode::Enter)]);
    let blocked = SwitchPreview {
        name: "personal".into(),
        blocked: Some("keyring".into()),
        ..SwitchPreview::default()
    };
    send(&mut m, [Msg::SwitchPlanned(Box::new(Ok(blocked)))]);
    assert!(send(&mut m, [key('y')]).is_empty());
    send(&mut m, [key('n')]);
    assert!(matches!(m.overlay, Overlay::None));
    // A plan that fails closes the popup with the reason.
    send(
        &mut m,
        [
            code(KeyCode::Enter),
            Msg::SwitchPlanned(Box::new(Err(crate::store::StoreError::new(
                crate::store::ErrorKind::AccountNotFound,
                "no such account",
            )))),
        ],
    );
    assert!(matches!(m.overlay, Overlay::None));
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("no such account"))
    );
}

#[test]
fn mode_picker_lists_only_modes_with_material() {
    let mut m = model();
    load(&mut m, &multi_mode_live(), 1);
    send(&mut m, [key('m')]);
    let Overlay::ModePicker { options, selected } = &m.overlay else {
        panic!("picker")
    };
    assert_eq!(options, &vec![AuthMode::ApiKey, AuthMode::Chatgpt]);
    assert_eq!(*selected, 1, "the mode in force is preselected");
    // Choosing the current one writes nothing.
    assert!(send(&mut m, [code(KeyCode::Enter)]).is_empty());
    let fx = send(&mut m, [key('m'), key('k'), code(KeyCode::Enter)]);
    assert_eq!(
        fx,
        vec![Effect::SetMode {
            mode: AuthMode::ApiKey
        }]
    );
    // Without a document there is nothing to pick.
    let mut m = model();
    load(&mut m, &signed_out_live(), 1);
    send(&mut m, [key('m')]);
    assert!(matches!(m.overlay, Overlay::None));
}

#[test]
fn copy_menu_signs_fresh_headers() {
    let mut m = model_with(Settings {
        clear_clipboard: Some(30),
        ..Settings::default()
    });
    load(&mut m, &chatgpt_live(), 1);
    send(&mut m, [key('c')]);
    assert!(matches!(m.overlay, Overlay::CopyMenu { selected: 1 }));
    let fx = send(&mut m, [key('3')]);
    let [
        Effect::Copy {
            copy_id,
            what,
            text,
            clear_after,
        },
    ] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(
        (*copy_id, what.as_str(), *clear_after),
        (1, "curl header", Some(30))
    );
    assert!(text.expose().starts_with("-H 'Authorization: Bearer "));
    assert!(text.expose().contains("ChatGPT-Account-ID: account-123"));
    let fx = send(
        &mut m,
        [key('c'), key('j'), key('k'), key('k'), code(KeyCode::Enter)],
    );
    assert!(
        matches!(fx.as_slice(), [Effect::Copy { copy_id: 2, text, .. }] if !text.expose().contains('\n') && text.expose().starts_with("Bearer "))
    );
    assert_eq!(Model::copy_format(1), CopyFormat::Http);
    send(
        &mut m,
        [Msg::Copied {
            what: "http header".into(),
            native: Ok(()),
        }],
    );
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text == "copied http header")
    );
    send(
        &mut m,
        [Msg::Copied {
            what: "http header".into(),
            native: Err("no display".into()),
        }],
    );
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("sent to terminal"))
    );
    // Auto-clear fires only for the latest copy.
    assert!(send(&mut m, [Msg::ClearClipboardDue { copy_id: 1 }]).is_empty());
    assert_eq!(
        send(&mut m, [Msg::ClearClipboardDue { copy_id: 2 }]),
        vec![Effect::ClearClipboard]
    );
    // Nothing to copy while signed out.
    let mut m = model();
    load(&mut m, &signed_out_live(), 1);
    send(&mut m, [key('c')]);
    assert!(matches!(m.overlay, Overlay::None));
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Warn));
}

#[test]
fn reveal_toggles_with_a_warning() {
    let mut m = model();
    load(&mut m, &api_key_live(), 1);
    send(&mut m, [key('v')]);
    assert!(m.reveal);
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Warn));
    let revealed = m.live.headers.revealed.clone().expect("revealed");
    assert_eq!(revealed[0].1.expose(), format!("Bearer {FAKE_KEY}"));
    send(&mut m, [key('v')]);
    assert!(!m.reveal && m.live.headers.revealed.is_none());
}

#[test]
fn dash_switches_back_to_the_previous_account_with_the_usual_confirm() {
    let mut m = model();
    list(&mut m, rows());
    assert!(send(&mut m, [key('-')]).is_empty());
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("no previous account")),
        "before any switch"
    );
    m.accounts.previous = Some("personal".into());
    list(&mut m, rows());
    let fx = send(&mut m, [key('-')]);
    assert_eq!(
        fx,
        vec![Effect::PlanSwitch {
            name: "personal".into()
        }]
    );
    assert!(matches!(&m.overlay, Overlay::Planning { name } if name == "personal"));
    let preview = SwitchPreview {
        name: "personal".into(),
        ..SwitchPreview::default()
    };
    send(&mut m, [Msg::SwitchPlanned(Box::new(Ok(preview)))]);
    assert!(matches!(m.overlay, Overlay::Confirm(_)));
    assert_eq!(
        send(&mut m, [key('y')]),
        vec![Effect::Switch {
            name: "personal".into()
        }]
    );
}

#[test]
fn dash_says_so_when_the_previous_account_is_gone_or_live() {
    let mut m = model();
    m.accounts.previous = Some("removed".into());
    list(&mut m, rows());
    assert!(send(&mut m, [key('-')]).is_empty());
    assert!(matches!(m.overlay, Overlay::None));
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("removed no longer exists"))
    );
    m.accounts.previous = Some("work".into());
    list(&mut m, rows());
    assert!(send(&mut m, [key('-')]).is_empty());
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("work is already the live account"))
    );
    // While typing a filter, `-` is text, not a switch.
    m.accounts.previous = Some("personal".into());
    list(&mut m, rows());
    let fx = send(&mut m, [key('/'), key('-')]);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::PlanSwitch { .. })),
        "{fx:?}"
    );
    assert_eq!(m.accounts.filter, "-");
    assert!(matches!(m.overlay, Overlay::None));
}
