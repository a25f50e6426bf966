//! Test helpers: fake live credentials, account rows, runtime events and key events, with a
//! fixed clock. Every secret here is fake (unsigned tokens, `sk-test-FAKE…` keys, the public
//! test-vector key).

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use serde_json::{Value, json};

use super::model::{Model, Settings};
use super::msg::{AccountRow, Effect, Msg, Op, OpDone};
use super::outcome::{Done, Failure};
use super::update::update;
use crate::backend::{FailureClass, FailureKind};
use crate::codex::auth_file::{AuthDoc, DocError};
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::runtime::load::Loaded;
use crate::runtime::{Event, EventKind, InitError, Outcome, Step, TaskRuntime};
use crate::secret::Secret;
use crate::store::{CredentialStoreKind, FileState, Live, Source};

pub const FAKE_KEY: &str = "sk-test-FAKEFAKEFAKE12345";

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn at_ms(ms: i64) -> DateTime<Utc> {
    t0() + chrono::Duration::milliseconds(ms)
}

pub fn model() -> Model {
    model_with(Settings {
        mouse: true,
        ..Settings::default()
    })
}

pub fn model_with(settings: Settings) -> Model {
    let mut m = Model::new(t0(), (80, 24), settings);
    let _ = super::update::init(&mut m);
    m
}

pub fn file_live(doc: AuthDoc) -> Live {
    let path = PathBuf::from("/home/user/.codex/auth.json");
    Live {
        source: Source::File { path: path.clone() },
        env_token: None,
        file: FileState::Doc { path, doc },
        store_kind: CredentialStoreKind::File,
        config: crate::store::CodexConfig {
            store: CredentialStoreKind::File,
            ..crate::store::CodexConfig::default()
        },
        keyring: None,
        exec_api_key: false,
    }
}

pub fn api_key_live() -> Live {
    file_live(fixtures::api_key_doc(FAKE_KEY))
}

pub fn chatgpt_live() -> Live {
    file_live(fixtures::chatgpt_doc(&ChatgptSpec::default()))
}

/// A ChatGPT login that also holds an API key (two modes present).
pub fn multi_mode_live() -> Live {
    file_live(AuthDoc::from_members(&[
        ("auth_mode", json!("chatgpt")),
        ("OPENAI_API_KEY", json!(FAKE_KEY)),
        ("tokens", fixtures::chatgpt_tokens(&ChatgptSpec::default())),
        ("last_refresh", json!("2026-04-30T10:00:00Z")),
    ]))
}

pub fn agent_live() -> Live {
    file_live(fixtures::agent_jwt_doc(&fixtures::unsigned_agent_jwt(
        "agent-runtime-1",
        4_102_444_800,
    )))
}

pub fn pat_live() -> Live {
    file_live(AuthDoc::from_members(&[
        ("auth_mode", json!("personalAccessToken")),
        ("OPENAI_API_KEY", Value::Null),
        ("personal_access_token", json!("at-FAKEFAKEFAKEFAKE0000")),
    ]))
}

pub fn env_agent_live() -> Live {
    Live {
        source: Source::Env {
            var: "CODEX_ACCESS_TOKEN",
        },
        env_token: Some(Secret::new(fixtures::unsigned_agent_jwt(
            "agent-env-1",
            4_102_444_800,
        ))),
        file: FileState::Missing,
        store_kind: CredentialStoreKind::File,
        config: crate::store::CodexConfig {
            store: CredentialStoreKind::File,
            ..crate::store::CodexConfig::default()
        },
        keyring: None,
        exec_api_key: false,
    }
}

pub fn keyring_live() -> Live {
    Live {
        store_kind: CredentialStoreKind::Keyring,
        config: crate::store::CodexConfig {
            store: CredentialStoreKind::Keyring,
            ..crate::store::CodexConfig::default()
        },
        keyring: None,
        exec_api_key: false,
        ..chatgpt_live()
    }
}

pub fn signed_out_live() -> Live {
    Live {
        source: Source::None,
        env_token: None,
        file: FileState::Missing,
        store_kind: CredentialStoreKind::File,
        config: crate::store::CodexConfig {
            store: CredentialStoreKind::File,
            ..crate::store::CodexConfig::default()
        },
        keyring: None,
        exec_api_key: false,
    }
}

pub fn invalid_live() -> Live {
    file_live(
        AuthDoc::parse(br#"{"auth_mode":"apikey"}"#).unwrap_or_else(|_| AuthDoc::from_members(&[])),
    )
}

pub fn malformed_live() -> Live {
    let path = PathBuf::from("/home/user/.codex/auth.json");
    Live {
        source: Source::File { path: path.clone() },
        env_token: None,
        file: FileState::Malformed {
            path,
            error: DocError::Empty,
        },
        store_kind: CredentialStoreKind::File,
        config: crate::store::CodexConfig {
            store: CredentialStoreKind::File,
            ..crate::store::CodexConfig::default()
        },
        keyring: None,
        exec_api_key: false,
    }
}

/// Feeds a live load of the current generation; returns its effects.
pub fn load(m: &mut Model, live: &Live, fingerprint: u64) -> Vec<Effect> {
    update(
        m,
        Msg::LiveLoaded {
            generation: m.live.generation,
            loaded: Box::new(Loaded::from_live(live)),
            fingerprint,
        },
    )
}

/// A stored account's file as the preview reads it.
pub fn account_live(name: &str, file: FileState) -> Live {
    crate::tui::preview::live_of_account(
        PathBuf::from(format!("/home/user/.authdeck/accounts/{name}.json")),
        file,
        crate::store::CodexConfig::default(),
    )
}

/// A stored account document as a readable file.
pub fn account_doc(name: &str, doc: AuthDoc) -> Live {
    let path = PathBuf::from(format!("/home/user/.authdeck/accounts/{name}.json"));
    account_live(name, FileState::Doc { path, doc })
}

/// Feeds the preview read of the selected account (the current preview generation).
pub fn preview_read(m: &mut Model, live: &Live) -> Vec<Effect> {
    let name = m.preview.want.clone().unwrap_or_default();
    update(
        m,
        Msg::PreviewLoaded {
            generation: m.preview.generation,
            name,
            loaded: Box::new(Loaded::from_live(live)),
        },
    )
}

pub fn row(name: &str, who: &str, active: bool, stale: bool, problem: Option<&str>) -> AccountRow {
    AccountRow {
        name: name.into(),
        mode: Some(
            if who.starts_with("sk-") {
                "apikey"
            } else {
                "chatgpt"
            }
            .into(),
        ),
        who: Some(who.into()),
        plan: Some("Pro".into()),
        active,
        stale,
        problem: problem.map(str::to_string),
        haystack: String::new(),
    }
    .indexed()
}

pub fn rows() -> Vec<AccountRow> {
    vec![
        row("broken", "—", false, false, Some("not JSON")),
        row("personal", "me@example.com", false, true, None),
        row("work", "user@example.com", true, false, None),
        row("zkey", "sk-test-***12345", false, false, None),
    ]
}

pub fn list(m: &mut Model, rows: Vec<AccountRow>) {
    let _ = update(
        m,
        Msg::StoreLoaded {
            generation: m.accounts.generation,
            listing: Ok(rows),
            previous: m.accounts.previous.clone(),
        },
    );
}

pub fn ev(kind: EventKind, ms: i64) -> Event {
    Event {
        at: at_ms(ms),
        kind,
    }
}

pub fn task(ms: u64) -> TaskRuntime {
    TaskRuntime {
        runtime_id: "agent-runtime-1".into(),
        task_id: Secret::new("task-FAKE-0123456789abcdef"),
        registered_at: at_ms(500),
        latency: Duration::from_millis(ms),
        reused: false,
    }
}

pub fn init_error(class: FailureClass) -> InitError {
    InitError {
        kind: FailureKind::Registration,
        class,
        message: "agent task registration failed with status 503".into(),
        status: Some(503),
        attempts: 3,
    }
}

/// Runtime events of the current generation.
pub fn runtime(m: &mut Model, events: Vec<Event>) {
    for e in events {
        let generation = m.live.runtime_generation;
        let _ = update(
            m,
            Msg::Runtime {
                generation,
                event: Box::new(e),
            },
        );
    }
}

/// JWKS + verify done, registration attempt 1 of 3 in flight.
pub fn registering() -> Vec<Event> {
    vec![
        ev(EventKind::Started { step: Step::Jwks }, 0),
        ev(
            EventKind::Started {
                step: Step::Register,
            },
            0,
        ),
        ev(
            EventKind::Attempt {
                step: Step::Jwks,
                attempt: 1,
                of: 3,
            },
            0,
        ),
        ev(
            EventKind::Attempt {
                step: Step::Register,
                attempt: 1,
                of: 3,
            },
            0,
        ),
        ev(
            EventKind::Finished {
                step: Step::Jwks,
                status: Some(200),
                latency: Duration::from_millis(12),
            },
            12,
        ),
        ev(EventKind::Started { step: Step::Verify }, 12),
        ev(
            EventKind::Finished {
                step: Step::Verify,
                status: None,
                latency: Duration::from_millis(1),
            },
            13,
        ),
    ]
}

pub fn ready_events() -> Vec<Event> {
    let mut e = registering();
    e.push(ev(
        EventKind::Finished {
            step: Step::Register,
            status: Some(200),
            latency: Duration::from_millis(42),
        },
        42,
    ));
    e.push(ev(
        EventKind::Done(Outcome::Ready {
            task: Some(task(42)),
            jwt_verified: true,
        }),
        42,
    ));
    e
}

pub fn failed_events(class: FailureClass) -> Vec<Event> {
    let mut e = registering();
    e.push(ev(
        EventKind::AttemptFailed {
            step: Step::Register,
            attempt: 1,
            of: 3,
            status: Some(503),
            latency: Duration::from_millis(30),
            class,
            message: "agent task registration failed with status 503".into(),
            retry_in: None,
        },
        30,
    ));
    e.push(ev(EventKind::Done(Outcome::Failed(init_error(class))), 30));
    e
}

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn release(c: char) -> Msg {
    Msg::Key(KeyEvent {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    })
}

/// Sends each message, returning all effects.
pub fn send(m: &mut Model, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|msg| update(m, msg)).collect()
}

/// Whether the effects stop the app ([`Effect::Quit`], the one way to quit).
pub fn quits(fx: &[Effect]) -> bool {
    fx.contains(&Effect::Quit)
}

pub fn typed(s: &str) -> Vec<Msg> {
    s.chars().map(key).collect()
}

/// What the runner reports when `op` succeeds (files under `/tmp`).
pub fn did(op: &Op) -> Done {
    let path = std::path::PathBuf::from("/tmp/x.json");
    match op.clone() {
        Op::Switch { name } => Done::Switched {
            name,
            synced_back_into: None,
            backup: None,
            wrote: path,
            processes: 0,
        },
        Op::SetMode { mode } => Done::ModeSet {
            mode,
            backup: None,
            wrote: path,
        },
        Op::Save { name } => Done::Saved {
            name,
            wrote: Some(path),
        },
        Op::Rename { from, to } => Done::Renamed { from, to, path },
        Op::Remove { name } => Done::Removed { name, trash: path },
        Op::Undo { name } => Done::Restored { name, path },
        Op::Add { name } => Done::Added {
            name,
            wrote: Some(path),
            verification: crate::ops::add::Verification::NoJwt,
        },
    }
}

/// A finished file operation: `Ok` as [`did`] says, `Err` a store failure with that message.
pub fn done(op: Op, result: Result<(), &str>) -> Msg {
    let result = match result {
        Ok(()) => Ok(did(&op)),
        Err(e) => Err(Failure::Store(crate::store::StoreError::new(
            crate::store::ErrorKind::Io,
            e,
        ))),
    };
    Msg::OpDone(Box::new(OpDone {
        op,
        result,
        calls: Vec::new(),
    }))
}
