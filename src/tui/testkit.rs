//! Test helpers: fake live credentials, account rows, runtime events and key events, with a
//! fixed clock. Every secret here is fake (unsigned tokens, `sk-test-FAKE…` keys, the public
//! test-vector key).

use chrono::{DateTime, TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

use super::model::{Model, Settings};
use super::msg::{AccountRow, Effect, Msg, Op, OpDone};
use super::outcome::{Done, Failure};
use super::update::update;
use crate::runtime::load::Loaded;
use crate::store::Live;

mod live;
mod runtime;

pub use live::*;
pub use runtime::*;

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
