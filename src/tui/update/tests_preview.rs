//! `update` without IO, the preview of the selected account (issue 15): which reads are asked
//! for, which results are kept, and what the keys do while an account that is not live is shown.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::codex::fixtures;
use crate::tui::contexts::contexts;
use crate::tui::keymap::Context;
use crate::tui::model::{Overlay, Settings};
use crate::tui::msg::{Effect, Msg, Op};
use crate::tui::preview::{Shown, Verify, shown};
use crate::tui::testkit::*;

fn loads(fx: &[Effect]) -> Vec<(u64, String)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadPreview { generation, name } => Some((*generation, name.clone())),
            _ => None,
        })
        .collect()
}

fn shown_name(m: &crate::tui::model::Model) -> Option<String> {
    match shown(m) {
        Shown::Live => None,
        Shown::Loading(n) => Some(format!("loading {n}")),
        Shown::Account(p) => Some(p.name.clone()),
    }
}

/// The live ChatGPT login (`work`) with the four test rows.
fn live_work() -> crate::tui::model::Model {
    let mut m = model();
    load(&mut m, &chatgpt_live(), 1);
    list(&mut m, rows());
    m
}

#[test]
fn opens_on_the_live_account_and_reads_only_what_the_cursor_rests_on() {
    let mut m = live_work();
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("work")
    );
    assert!(
        shown(&m).is_live(),
        "the live account shows the live credential"
    );
    assert!(!contexts(&m).contains(&Context::Preview));

    let fx = send(&mut m, [key('j')]);
    let first = loads(&fx);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].1, "zkey");
    assert_eq!(shown_name(&m).as_deref(), Some("loading zkey"));
    assert!(contexts(&m).contains(&Context::Preview));
    assert!(
        !fx.iter().any(|e| matches!(
            e,
            Effect::StartRuntime { .. } | Effect::FetchUsage { .. } | Effect::Switch { .. }
        )),
        "nothing fetched or written for a preview: {fx:?}"
    );

    // Fast moves: each asks once under a newer generation; an overtaken result is dropped.
    let fx = send(&mut m, [key('g'), key('j')]);
    let gens: Vec<u64> = loads(&fx).iter().map(|(g, _)| *g).collect();
    assert_eq!(gens, vec![first[0].0 + 1, first[0].0 + 2]);
    let stale = Msg::PreviewLoaded {
        generation: first[0].0,
        name: "zkey".into(),
        loaded: Box::new(crate::runtime::load::Loaded::from_live(&account_doc(
            "zkey",
            fixtures::api_key_doc(FAKE_KEY),
        ))),
    };
    send(&mut m, [stale]);
    assert_eq!(shown_name(&m).as_deref(), Some("loading personal"));
    preview_read(
        &mut m,
        &account_doc(
            "personal",
            fixtures::chatgpt_doc(&fixtures::ChatgptSpec::default()),
        ),
    );
    assert_eq!(shown_name(&m).as_deref(), Some("personal"));

    // A key that does not move the cursor asks for nothing.
    assert!(loads(&send(&mut m, [key('?'), key('q')])).is_empty());

    // Back on the live row: the live credential, no read.
    let fx = send(&mut m, [key('j')]);
    assert!(loads(&fx).is_empty());
    assert!(shown(&m).is_live());
}

#[test]
fn a_store_reload_reads_the_previewed_account_again_without_flicker() {
    let mut m = live_work();
    send(&mut m, [key('j')]);
    preview_read(
        &mut m,
        &account_doc("zkey", fixtures::api_key_doc(FAKE_KEY)),
    );
    let before = m.preview.generation;
    let generation = m.accounts.generation;
    let fx = update(
        &mut m,
        Msg::StoreLoaded {
            generation,
            listing: Ok(rows()),
            previous: None,
        },
    );
    assert_eq!(loads(&fx), vec![(before + 1, "zkey".to_string())]);
    assert_eq!(
        shown_name(&m).as_deref(),
        Some("zkey"),
        "the old view stays until the new read lands"
    );
}

#[test]
fn dot_and_space_bring_the_live_credential_back() {
    let mut m = live_work();
    send(&mut m, [key('g')]);
    assert!(!shown(&m).is_live());
    send(&mut m, [key('.')]);
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("work")
    );
    assert!(shown(&m).is_live());
    send(&mut m, [key('k'), key(' ')]);
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("work")
    );

    // The live credential is no saved account (an environment token): `.` pins the live view
    // until the cursor moves.
    let mut m = model();
    load(&mut m, &env_agent_live(), 1);
    let mut no_active = rows();
    for r in &mut no_active {
        r.active = false;
    }
    list(&mut m, no_active);
    assert!(!shown(&m).is_live(), "no live row: the cursor previews");
    send(&mut m, [key('.')]);
    assert!(shown(&m).is_live());
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("not a saved account"))
    );
    let fx = send(&mut m, [key('j')]);
    assert_eq!(loads(&fx).len(), 1, "moving previews again");
    assert!(!shown(&m).is_live());
}

#[test]
fn the_cursor_follows_the_live_account_after_a_switch_until_moved() {
    let mut m = live_work();
    // `-` or `b` switch to an account the cursor is not on (here: the cursor rests on broken).
    send(&mut m, [key('g')]);
    assert!(!m.accounts.follow_active, "the user moved the cursor");
    send(
        &mut m,
        [done(
            Op::Switch {
                name: "personal".into(),
            },
            Ok(()),
        )],
    );
    assert!(m.accounts.follow_active);
    let mut after = rows();
    for r in &mut after {
        r.active = r.name == "personal";
    }
    list(&mut m, after.clone());
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("personal"),
        "the panes show the new live account, not a preview of the old one"
    );
    assert!(shown(&m).is_live());
    // Once there, a later listing keeps the user's own cursor.
    send(&mut m, [key('g')]);
    list(&mut m, after);
    assert_eq!(
        m.accounts.selected_row().map(|r| r.name.as_str()),
        Some("broken")
    );
}

#[test]
fn copy_only_what_needs_no_registration() {
    let mut m = live_work();
    send(&mut m, [key('j')]); // zkey
    preview_read(
        &mut m,
        &account_doc("zkey", fixtures::api_key_doc(FAKE_KEY)),
    );
    send(&mut m, [key('c')]);
    assert!(matches!(m.overlay, Overlay::CopyMenu { .. }));
    let fx = send(&mut m, [key('1')]);
    assert!(
        matches!(fx.as_slice(), [Effect::Copy { what, text, .. }]
            if what.starts_with("zkey's") && text.expose() == format!("Bearer {FAKE_KEY}")),
        "the previewed key, not the live token: {fx:?}"
    );

    // An Agent Identity needs a task: refused, with the reason.
    let mut m = live_work();
    send(&mut m, [key('j')]);
    preview_read(
        &mut m,
        &account_doc(
            "zkey",
            fixtures::agent_jwt_doc(&fixtures::unsigned_agent_jwt(
                "agent-runtime-2",
                4_102_444_800,
            )),
        ),
    );
    let fx = send(&mut m, [key('c')]);
    assert!(fx.is_empty());
    assert!(matches!(m.overlay, Overlay::None));
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("registered task") && s.text.contains("zkey"))
    );
}

#[test]
fn r_verifies_a_previewed_agent_dry_and_m_is_for_the_live_one() {
    let mut m = live_work();
    send(&mut m, [key('j')]);
    preview_read(
        &mut m,
        &account_doc(
            "zkey",
            fixtures::agent_jwt_doc(&fixtures::unsigned_agent_jwt(
                "agent-runtime-2",
                4_102_444_800,
            )),
        ),
    );
    let fx = send(&mut m, [key('r')]);
    let [Effect::VerifyPreview { generation, .. }] = fx.as_slice() else {
        panic!("a dry verification, never a runtime init: {fx:?}");
    };
    let generation = *generation;
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("no task is registered"))
    );
    // A stale answer is dropped; the current one lands.
    send(
        &mut m,
        [Msg::PreviewVerified {
            generation: generation - 1,
            result: Ok(true),
        }],
    );
    assert!(matches!(shown(&m), Shown::Account(p) if p.verify == Some(Verify::Running)));
    send(
        &mut m,
        [Msg::PreviewVerified {
            generation,
            result: Err(crate::tui::outcome::VerifyFailure::Failed(
                crate::runtime::InitError {
                    kind: crate::backend::FailureKind::Verification,
                    class: crate::backend::FailureClass::Permanent,
                    message: "JWT signature does not verify".into(),
                    status: None,
                    attempts: 1,
                },
            )),
        }],
    );
    // `update` words the typed failure: the message and its class.
    assert!(
        matches!(shown(&m), Shown::Account(p) if p.verify == Some(Verify::Failed("JWT signature does not verify (permanent)".into())))
    );
    assert_eq!(
        m.live.runtime_generation, 1,
        "the live runtime was not touched"
    );

    send(&mut m, [key('m')]);
    assert!(matches!(m.overlay, Overlay::None));
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("press ."))
    );

    // Not an agent: r says there is nothing to verify.
    let mut m = live_work();
    send(&mut m, [key('j')]);
    preview_read(
        &mut m,
        &account_doc("zkey", fixtures::api_key_doc(FAKE_KEY)),
    );
    assert!(send(&mut m, [key('r')]).is_empty());
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("nothing to verify"))
    );
    // Offline: no network, said so.
    let mut m = model_with(Settings {
        offline: true,
        ..Settings::default()
    });
    load(&mut m, &chatgpt_live(), 1);
    list(&mut m, rows());
    send(&mut m, [key('j')]);
    preview_read(
        &mut m,
        &account_doc(
            "zkey",
            fixtures::agent_jwt_doc(&fixtures::unsigned_agent_jwt(
                "agent-runtime-2",
                4_102_444_800,
            )),
        ),
    );
    assert!(send(&mut m, [key('r')]).is_empty());
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("offline"))
    );
}

#[test]
fn help_scrolls_to_every_binding_and_back_at_once() {
    let mut m = live_work();
    send(&mut m, [key('?')]);
    let (max, page) =
        crate::tui::layout::help_scroll_range(ratatui::layout::Rect::new(0, 0, 80, 24));
    assert!(max > 0, "the help is longer than 80x24");
    send(&mut m, std::iter::repeat_n(key('j'), 500));
    assert!(matches!(m.overlay, Overlay::Help { scroll } if scroll == max));
    send(&mut m, [key('k')]);
    assert!(
        matches!(m.overlay, Overlay::Help { scroll } if scroll == max - 1),
        "k moves at once"
    );
    send(&mut m, [key('g'), code(KeyCode::PageDown)]);
    assert!(matches!(m.overlay, Overlay::Help { scroll } if scroll == page));
    send(&mut m, [key('G')]);
    assert!(matches!(m.overlay, Overlay::Help { scroll } if scroll == max));
    send(&mut m, [code(KeyCode::PageUp), code(KeyCode::Home)]);
    assert!(matches!(m.overlay, Overlay::Help { scroll: 0 }));
}
