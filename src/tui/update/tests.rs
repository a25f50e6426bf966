//! `update` without IO: state + effects for every key and every background message, at the
//! `KeyEvent` level.

use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::*;
use crate::backend::FailureClass;
use crate::codex::credential::AuthMode;
use crate::runtime::{Phase, TaskStatus};
use crate::tui::model::{Overlay, Pane, Settings, Tone};
use crate::tui::msg::{CopyFormat, Effect, Msg, Op, OpDone, SwitchPreview};
use crate::tui::testkit::*;

fn state(m: &crate::tui::model::Model) -> &'static str {
    m.live.runtime.state.label()
}

fn done(op: Op, result: Result<&str, &str>) -> Msg {
    Msg::OpDone(Box::new(OpDone {
        op,
        result: result.map(str::to_string).map_err(str::to_string),
        log: vec!["wrote /tmp/x.json".into()],
    }))
}

#[test]
fn start_loads_in_the_background_and_shows_loading() {
    let mut m = crate::tui::model::Model::new(t0(), (80, 24), Settings::default());
    assert_eq!(state(&m), "Loading");
    assert!(m.busy(), "the first frame has a spinner");
    let fx = init(&mut m);
    assert_eq!(
        fx,
        vec![
            Effect::LoadLive { generation: 1 },
            Effect::LoadStore { generation: 1 },
            Effect::Watch
        ]
    );
}

#[test]
fn only_key_presses_count() {
    let mut m = model();
    assert!(send(&mut m, [release('q')]).is_empty());
    assert!(!m.quit);
}

#[test]
fn quitting() {
    let mut m = model();
    assert_eq!(
        send(&mut m, [key('q')]),
        vec![Effect::CancelRuntime, Effect::Quit]
    );
    assert!(m.quit);
    // Esc quits at the top level, but first clears a filter.
    let mut m = model();
    list(&mut m, rows());
    send(&mut m, [key('/'), key('w'), code(KeyCode::Enter)]);
    assert_eq!(m.accounts.filter, "w");
    assert!(send(&mut m, [code(KeyCode::Esc)]).is_empty());
    assert!(m.accounts.filter.is_empty() && !m.quit);
    send(&mut m, [code(KeyCode::Esc)]);
    assert!(m.quit);
    // Ctrl-C quits even while typing in a form, where q is just a letter.
    let mut m = model();
    send(&mut m, [key('a'), key('q')]);
    assert!(!m.quit);
    send(&mut m, [ctrl('c')]);
    assert!(m.quit);
}

#[test]
fn api_key_is_ready_with_a_masked_header() {
    let mut m = model();
    let fx = load(&mut m, &api_key_live(), 1);
    assert_eq!(fx, vec![Effect::CancelRuntime]);
    assert_eq!(state(&m), "Ready");
    assert!(!m.busy());
    let headers = m.live.headers.masked.clone().expect("headers");
    assert_eq!(
        headers[0],
        (
            "Authorization".to_string(),
            "Bearer sk-test-***12345".to_string()
        )
    );
    assert!(m.live.headers.revealed.is_none());
}

#[test]
fn agent_identity_starts_and_follows_its_runtime() {
    let mut m = model();
    let fx = load(&mut m, &agent_live(), 1);
    let generation = m.live.runtime_generation;
    assert!(matches!(&fx[1], Effect::StartRuntime { generation: g, .. } if *g == generation));
    assert_eq!(state(&m), "Loading");
    // A stale generation is dropped.
    let stale = update(
        &mut m,
        Msg::Runtime {
            generation: generation - 1,
            event: Box::new(ready_events().remove(0)),
        },
    );
    assert!(stale.is_empty());
    assert!(m.live.runtime.steps.is_empty());
    runtime(&mut m, registering());
    assert_eq!(state(&m), "Registering");
    assert_eq!(m.live.runtime.attempts, 1);
    assert!(
        m.live
            .headers
            .masked
            .as_ref()
            .is_err_and(|e| e.contains("waiting"))
    );
    runtime(&mut m, ready_events().split_off(7));
    assert_eq!(state(&m), "Ready");
    assert_eq!(m.live.runtime.task_status, TaskStatus::Registered);
    let headers = m.live.headers.masked.clone().expect("assertion signed");
    assert!(headers[0].1.starts_with("AgentAssertion "));
    assert!(m.log.iter().any(|l| l.text.contains("register task — 200")));
}

#[test]
fn runtime_failure_keeps_the_account_and_r_retries() {
    for class in [FailureClass::Transient, FailureClass::Permanent] {
        let mut m = model();
        load(&mut m, &agent_live(), 1);
        runtime(&mut m, failed_events(class));
        assert_eq!(state(&m), "Runtime init failed");
        assert!(m.live.report.account.is_some(), "account stays visible");
        assert_eq!(m.live.report.auth_mode.as_deref(), Some("agentIdentity"));
        assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Bad));
        let before = m.live.runtime_generation;
        let fx = send(&mut m, [key('r')]);
        assert_eq!(m.live.runtime_generation, before + 1);
        assert!(
            matches!(fx.as_slice(), [Effect::CancelRuntime, Effect::StartRuntime { generation, .. }] if *generation == before + 1)
        );
        assert_eq!(
            m.live.runtime.state,
            crate::runtime::State::Loading {
                phase: Phase::Loading
            }
        );
    }
}

#[test]
fn a_transient_failure_on_reload_keeps_the_last_good_task() {
    let mut m = model();
    load(&mut m, &agent_live(), 1);
    runtime(&mut m, ready_events());
    // The file changes (same identity, other bytes): the runtime restarts with the old task kept.
    let _ = reload_live(&mut m);
    let fx = load(&mut m, &agent_live(), 2);
    assert!(fx.iter().any(|e| matches!(e, Effect::StartRuntime { .. })));
    assert!(m.live.runtime.task.is_some());
    runtime(&mut m, failed_events(FailureClass::Transient));
    assert_eq!(state(&m), "Ready");
    assert!(m.live.runtime.kept_last_good);
}

#[test]
fn stale_and_unchanged_loads_change_nothing() {
    let mut m = model();
    load(&mut m, &agent_live(), 7);
    runtime(&mut m, ready_events());
    let gen_before = m.live.runtime_generation;
    // An old generation is dropped.
    let fx = update(
        &mut m,
        Msg::LiveLoaded {
            generation: 0,
            loaded: Box::new(crate::runtime::load::Loaded::from_live(&signed_out_live())),
            fingerprint: 9,
        },
    );
    assert!(fx.is_empty());
    assert_eq!(state(&m), "Ready");
    // Our own write echoed by the watcher: same fingerprint, runtime kept.
    let fx = send(
        &mut m,
        [Msg::FilesChanged {
            live: true,
            store: false,
        }],
    );
    assert_eq!(
        fx,
        vec![Effect::LoadLive {
            generation: m.live.generation
        }]
    );
    assert!(load(&mut m, &agent_live(), 7).is_empty());
    assert_eq!(m.live.runtime_generation, gen_before);
}

#[test]
fn offline_never_starts_the_runtime() {
    let mut m = model_with(Settings {
        offline: true,
        ..Settings::default()
    });
    let fx = load(&mut m, &agent_live(), 1);
    assert_eq!(fx, vec![Effect::CancelRuntime]);
    assert_eq!(state(&m), "Offline (not verified)");
    assert!(send(&mut m, [key('r')]).is_empty());
    assert!(
        m.status
            .as_ref()
            .is_some_and(|s| s.text.contains("offline"))
    );
}

#[test]
fn signed_out_invalid_and_unreadable() {
    let mut m = model();
    load(&mut m, &signed_out_live(), 1);
    assert_eq!(state(&m), "Signed out");
    let mut m = model();
    load(&mut m, &invalid_live(), 1);
    assert_eq!(state(&m), "Invalid credential");
    let mut m = model();
    load(&mut m, &malformed_live(), 1);
    assert_eq!(state(&m), "Invalid credential");
    assert!(m.live.headers.masked.is_err());
    // r on a credential without a runtime reloads it from disk.
    let fx = send(&mut m, [key('r')]);
    assert!(matches!(fx.as_slice(), [Effect::LoadLive { .. }]));
}

#[test]
fn moving_through_accounts() {
    let mut m = model();
    list(&mut m, rows());
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
    send(&mut m, [key('j')]); // personal
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
            Ok("switched to personal"),
        )],
    );
    assert!(matches!(
        fx.as_slice(),
        [Effect::LoadLive { .. }, Effect::LoadStore { .. }]
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
            Msg::SwitchPlanned(Box::new(Err("no such account".into()))),
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

use crate::tui::model::Model;

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
fn add_form_with_paste() {
    let mut m = model();
    send(&mut m, [key('a')]);
    assert_eq!(contexts(&m), vec![crate::tui::keymap::Context::AddForm]);
    send(&mut m, typed("new-key"));
    send(
        &mut m,
        [code(KeyCode::Tab), Msg::Paste(format!("{FAKE_KEY}\n"))],
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
                Ok("added new-key"),
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
    send(&mut m, [code(KeyCode::Esc)]);
    assert!(matches!(m.overlay, Overlay::None) && !m.quit);
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
            Ok("saved"),
        )],
    );
    send(&mut m, [key('j'), key('R')]);
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
            Ok("renamed"),
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
            Ok("moved"),
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
            Ok("restored"),
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
    send(&mut m, [key('q')]);
    assert!(matches!(m.overlay, Overlay::None) && !m.quit);
    send(&mut m, [key('l')]);
    assert!(matches!(m.overlay, Overlay::Log { .. }));
    send(&mut m, [code(KeyCode::Esc)]);
    assert!(matches!(m.overlay, Overlay::None) && !m.quit);
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
    send(&mut m, [click(3, 5)]);
    assert_eq!(m.accounts.selected, 0, "--no-mouse");
}

#[test]
fn background_messages() {
    let mut m = model();
    send(&mut m, [Msg::Resize(100, 40)]);
    assert_eq!(m.size, (100, 40));
    let fx = send(
        &mut m,
        [Msg::FilesChanged {
            live: true,
            store: true,
        }],
    );
    assert_eq!(
        fx,
        vec![
            Effect::LoadLive { generation: 2 },
            Effect::LoadStore { generation: 2 }
        ]
    );
    send(
        &mut m,
        [Msg::StoreLoaded {
            generation: 1,
            listing: Ok(rows()),
        }],
    );
    assert!(!m.accounts.loaded, "stale listing dropped");
    send(
        &mut m,
        [Msg::StoreLoaded {
            generation: 2,
            listing: Err("permission denied".into()),
        }],
    );
    assert_eq!(m.accounts.error.as_deref(), Some("permission denied"));
    send(&mut m, [Msg::WatchFailed("no inotify".into())]);
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Warn));
    send(
        &mut m,
        [Msg::LiveFailed {
            generation: 2,
            message: "CODEX_HOME is gone".into(),
        }],
    );
    assert_eq!(m.live.load_error.as_deref(), Some("CODEX_HOME is gone"));
    // Ticks redraw only while busy.
    m.dirty = false;
    send(&mut m, [Msg::Tick]);
    assert!(m.dirty, "still loading");
    load(&mut m, &api_key_live(), 1);
    let _ = m.busy();
    m.dirty = false;
    send(&mut m, [Msg::Tick]);
    assert!(!m.dirty, "idle: no redraw");
    let fx = send(&mut m, [Msg::TaskPanicked("boom".into())]);
    assert_eq!(fx, vec![Effect::CancelRuntime, Effect::Quit]);
    assert!(m.quit && m.fatal.as_deref().is_some_and(|f| f.contains("boom")));
}

#[test]
fn clock_is_an_input_not_a_redraw() {
    let mut m = model();
    m.dirty = false;
    send(&mut m, [Msg::Clock(at_ms(5000))]);
    assert_eq!(m.now, at_ms(5000));
    assert!(!m.dirty);
}
