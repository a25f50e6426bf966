//! Frame and keypress costs with many accounts (issue 4: "a frame should cost a few
//! milliseconds at most, and a keypress should not re-read files").
//!
//! * `render/frame_1000`, `render/frame_10000` — a full 80×24 frame on a `TestBackend` with
//!   that many accounts in the store (the Accounts pane draws only the rows in view).
//! * `update/key_down_10000` — one `j` keypress through `update` with 10,000 accounts: pure,
//!   no IO, O(1) in the number of accounts. The cursor moves between the live account and the
//!   next one, so every press also switches the detail panes between live and a preview (and
//!   asks the runner for one preview read).
//! * `render/frame_preview_10000` — a frame while an account that is not live is previewed.

use std::hint::black_box;
use std::path::PathBuf;

use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::runtime::load::Loaded;
use authdeck::store::{CredentialStoreKind, FileState, Live, Source};

use authdeck::tui::model::{Model, Settings};
use authdeck::tui::msg::{AccountRow, Msg};
use authdeck::tui::ui::render;
use authdeck::tui::update::{init, update};
use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn model_with(accounts: usize) -> Model {
    let mut m = Model::new(Utc::now(), (80, 24), Settings::default());
    let _ = init(&mut m);
    let rows = (0..accounts)
        .map(|i| {
            AccountRow {
                name: format!("account-{i:05}"),
                mode: Some("chatgpt".into()),
                who: Some(format!("user{i}@example.com")),
                plan: Some("Pro".into()),
                active: i == 42,
                stale: i % 97 == 0,
                problem: None,
                haystack: String::new(),
            }
            .indexed()
        })
        .collect();
    let generation = m.accounts.generation;
    let _ = update(
        &mut m,
        Msg::StoreLoaded {
            generation,
            listing: Ok(rows),
            previous: None,
        },
    );
    // A loaded ChatGPT login, so every pane has content.
    let path = PathBuf::from("/home/user/.codex/auth.json");
    let live = Live {
        source: Source::File { path: path.clone() },
        env_token: None,
        file: FileState::Doc {
            path,
            doc: fixtures::chatgpt_doc(&ChatgptSpec::default()),
        },
        store_kind: CredentialStoreKind::File,
        config: authdeck::store::CodexConfig::default(),
        keyring: None,
        exec_api_key: false,
    };
    let generation = m.live.generation;
    let _ = update(
        &mut m,
        Msg::LiveLoaded {
            generation,
            loaded: Box::new(Loaded::from_live(&live)),
            fingerprint: 1,
        },
    );
    m
}

fn bench(c: &mut Criterion) {
    for n in [1_000, 10_000] {
        let m = model_with(n);
        let mut term = match Terminal::new(TestBackend::new(80, 24)) {
            Ok(t) => t,
            Err(e) => match e {},
        };
        c.bench_function(&format!("render/frame_{n}"), |b| {
            b.iter(|| {
                let _ = term.draw(|f| render(black_box(&m), f));
            });
        });
    }
    let mut m = model_with(10_000);
    let _ = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
    );
    let path = PathBuf::from("/home/user/.authdeck/accounts/account-00043.json");
    let previewed = authdeck::ops::status::account_as_live(
        path.clone(),
        FileState::Doc {
            path,
            doc: fixtures::chatgpt_doc(&ChatgptSpec::default()),
        },
        authdeck::store::CodexConfig::default(),
    );
    let generation = m.preview.generation;
    let _ = update(
        &mut m,
        Msg::PreviewLoaded {
            generation,
            name: "account-00043".into(),
            loaded: Box::new(Loaded::from_live(&previewed)),
        },
    );
    assert!(!authdeck::tui::preview::shown(&m).is_live(), "previewing");
    let mut term = match Terminal::new(TestBackend::new(80, 24)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    c.bench_function("render/frame_preview_10000", |b| {
        b.iter(|| {
            let _ = term.draw(|f| render(black_box(&m), f));
        });
    });
    let mut m = model_with(10_000);
    let down = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let up = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE);
    let mut flip = false;
    c.bench_function("update/key_down_10000", |b| {
        b.iter(|| {
            flip = !flip;
            let key = if flip { down } else { up };
            black_box(update(&mut m, Msg::Key(key)))
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
