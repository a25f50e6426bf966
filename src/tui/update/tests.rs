//! `update` without IO: state + effects for every key and every background message, at the
//! `KeyEvent` level.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::backend::FailureClass;
use crate::codex::credential::AuthMode;
use crate::runtime::{Phase, TaskStatus};
use crate::tui::model::{Settings, Tone};
use crate::tui::msg::{Effect, Msg};
use crate::tui::testkit::*;

fn state(m: &crate::tui::model::Model) -> &'static str {
    m.live.runtime.state.label()
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
            Effect::Watch,
            Effect::FetchUsage {
                scope: crate::tui::usage::Scope::Live,
                policy: crate::usage::gather::Policy::ReuseYoungerThan(300),
                task: None
            },
        ]
    );
}

/// The demo asks for every account's usage at the start (its mock answers), so the headroom
/// column is filled without pressing `U`; a real session asks only for the live account.
#[test]
fn the_demo_asks_every_accounts_usage_at_the_start() {
    let mut m = crate::tui::model::Model::new(
        t0(),
        (80, 24),
        Settings {
            usage_at_start: crate::tui::usage::Scope::All,
            ..Settings::default()
        },
    );
    let fx = init(&mut m);
    assert_eq!(
        fx.last(),
        Some(&Effect::FetchUsage {
            scope: crate::tui::usage::Scope::All,
            policy: crate::usage::gather::Policy::ReuseYoungerThan(300),
            task: None
        })
    );
    let mut offline = crate::tui::model::Model::new(
        t0(),
        (80, 24),
        Settings {
            usage_at_start: crate::tui::usage::Scope::All,
            offline: true,
            ..Settings::default()
        },
    );
    assert!(
        !init(&mut offline)
            .iter()
            .any(|e| matches!(e, Effect::FetchUsage { .. })),
        "offline asks nothing"
    );
}

#[test]
fn only_key_presses_count() {
    let mut m = model();
    assert!(send(&mut m, [release('q')]).is_empty());
}

#[test]
fn quitting() {
    let mut m = model();
    // One way to quit: the runner aborts everything in flight when it executes it.
    assert_eq!(send(&mut m, [key('q')]), vec![Effect::Quit]);
    // Esc quits at the top level, but first clears a filter.
    let mut m = model();
    list(&mut m, rows());
    send(&mut m, [key('/'), key('w'), code(KeyCode::Enter)]);
    assert_eq!(m.accounts.filter, "w");
    assert!(send(&mut m, [code(KeyCode::Esc)]).is_empty());
    assert!(m.accounts.filter.is_empty());
    assert_eq!(send(&mut m, [code(KeyCode::Esc)]), vec![Effect::Quit]);
    // Ctrl-C quits even while typing in a form, where q is just a letter.
    let mut m = model();
    assert!(!quits(&send(&mut m, [key('a'), key('q')])));
    assert_eq!(send(&mut m, [ctrl('c')]), vec![Effect::Quit]);
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
        assert_eq!(m.live.report.auth_mode, Some(AuthMode::AgentIdentity));
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
    // The status line says what happened without contradicting "Ready".
    let status = m.status.clone().expect("a status");
    assert_eq!(status.tone, Tone::Warn);
    assert!(
        status.text.contains("keeping the task registered earlier"),
        "{}",
        status.text
    );
    assert!(!status.text.contains("Runtime init failed"));
}

#[test]
fn a_runtime_status_goes_away_when_it_stops_being_true() {
    let mut m = model();
    load(&mut m, &agent_live(), 1);
    runtime(&mut m, failed_events(FailureClass::Permanent));
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Bad));
    // A reload by the watcher (new content) starts over: the old failure is no longer true.
    let _ = reload_live(&mut m);
    load(&mut m, &agent_live(), 2);
    assert!(m.status.is_none(), "stale failure status after a reload");
    // Statuses that are not about the runtime survive a reload and a success.
    m.set_status(Tone::Bad, "could not delete: disk full");
    let _ = reload_live(&mut m);
    load(&mut m, &agent_live(), 3);
    runtime(&mut m, ready_events());
    assert_eq!(
        m.status.as_ref().map(|s| s.text.as_str()),
        Some("could not delete: disk full")
    );
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
    // Our own write echoed by the watcher: same fingerprint, runtime kept. The usage read
    // carries the task registered for the live Agent Identity (its AgentAssertion asks).
    let task = m
        .live
        .runtime
        .task
        .as_ref()
        .map(|t| crate::usage::gather::RegisteredTask {
            runtime_id: t.runtime_id.clone(),
            task_id: t.task_id.clone(),
        });
    assert!(task.is_some());
    let fx = send(
        &mut m,
        [Msg::FilesChanged {
            live: true,
            store: false,
        }],
    );
    assert_eq!(
        fx,
        vec![
            Effect::LoadLive {
                generation: m.live.generation
            },
            Effect::FetchUsage {
                scope: crate::tui::usage::Scope::Live,
                policy: crate::usage::gather::Policy::ReuseYoungerThan(60),
                task
            }
        ]
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
            Effect::FetchUsage {
                scope: crate::tui::usage::Scope::Live,
                policy: crate::usage::gather::Policy::ReuseYoungerThan(60),
                task: None
            },
            Effect::LoadStore { generation: 2 }
        ]
    );
    send(
        &mut m,
        [Msg::StoreLoaded {
            generation: 1,
            listing: Ok(rows()),
            previous: None,
        }],
    );
    assert!(!m.accounts.loaded, "stale listing dropped");
    send(
        &mut m,
        [Msg::StoreLoaded {
            generation: 2,
            listing: Err(crate::store::StoreError::new(
                crate::store::ErrorKind::Io,
                "permission denied",
            )),
            previous: None,
        }],
    );
    assert_eq!(m.accounts.error.as_deref(), Some("permission denied"));
    // Open account files: logged once per distinct warning, not on every reload.
    let line = || Some("2 account files in /s are open to other users".to_string());
    let logged = |m: &Model| {
        m.log
            .iter()
            .filter(|e| e.text.contains("open to other users"))
            .count()
    };
    send(&mut m, [Msg::OpenAccountFiles(line())]);
    send(&mut m, [Msg::OpenAccountFiles(line())]);
    assert_eq!(logged(&m), 1);
    send(&mut m, [Msg::OpenAccountFiles(None)]);
    send(&mut m, [Msg::OpenAccountFiles(line())]);
    assert_eq!(logged(&m), 2, "said again when it comes back");
    send(&mut m, [Msg::WatchFailed("no inotify".into())]);
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Warn));
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
    assert_eq!(fx, vec![Effect::Quit]);
    assert!(m.fatal.as_deref().is_some_and(|f| f.contains("boom")));
}

#[test]
fn clock_is_an_input_not_a_redraw() {
    let mut m = model();
    m.dirty = false;
    send(&mut m, [Msg::Clock(at_ms(5000))]);
    assert_eq!(m.now, at_ms(5000));
    assert!(!m.dirty);
}

/// A newly registered task asks for the live Agent Identity's usage with that task (the read at
/// the start found it not applicable); a run that ends without a new task asks nothing.
#[test]
fn a_new_task_asks_for_the_live_agents_usage_with_it() {
    let mut m = model();
    load(&mut m, &agent_live(), 1);
    let mut events = ready_events();
    let done = events.pop().expect("the outcome");
    runtime(&mut m, events);
    let generation = m.live.runtime_generation;
    let fx = update(
        &mut m,
        Msg::Runtime {
            generation,
            event: Box::new(done.clone()),
        },
    );
    let task = m.live.runtime.task.clone().expect("registered");
    assert_eq!(
        fx,
        vec![Effect::FetchUsage {
            scope: crate::tui::usage::Scope::Live,
            policy: crate::usage::gather::Policy::ReuseYoungerThan(60),
            task: Some(crate::usage::gather::RegisteredTask {
                runtime_id: task.runtime_id,
                task_id: task.task_id,
            }),
        }]
    );
    // The same outcome again (a stale duplicate) changes nothing and asks nothing.
    let fx = update(
        &mut m,
        Msg::Runtime {
            generation,
            event: Box::new(done),
        },
    );
    assert!(fx.is_empty(), "{fx:?}");
}
