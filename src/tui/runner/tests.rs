//! The runner against real temp directories: every effect reports back by message, with its
//! generation; a panicking task is reported instead of vanishing.
//!
//! The rig and the helpers here are shared with `tests_ops.rs` (file operations and adds) and
//! `tests_preview.rs` (previewed accounts).

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::*;
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::ops::Env;
use crate::runtime::{EventKind, Outcome, State};
use crate::store::{self, Paths};

pub(super) const KEY: &str = "sk-test-FAKEFAKEFAKE12345";

pub(super) struct Rig {
    _dir: tempfile::TempDir,
    pub(super) paths: Paths,
    pub(super) runner: Runner,
    pub(super) rx: UnboundedReceiver<Msg>,
}

pub(super) fn rig(env: &[(&str, &str)]) -> Rig {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    std::fs::create_dir_all(&paths.store).expect("store");
    let live = fixtures::chatgpt_doc(&ChatgptSpec {
        generation: 2,
        last_refresh: "2026-11-02T10:00:00Z",
        ..ChatgptSpec::default()
    });
    std::fs::write(paths.auth_json(), live.as_bytes()).expect("live");
    let older = fixtures::chatgpt_doc(&ChatgptSpec::default());
    std::fs::write(paths.store.join("work.json"), older.as_bytes()).expect("work");
    std::fs::write(
        paths.store.join("key.json"),
        fixtures::api_key_doc(KEY).as_bytes(),
    )
    .expect("key");
    std::fs::write(paths.store.join("broken.json"), b"{ nope").expect("broken");
    let (tx, rx) = unbounded_channel();
    let shared = Arc::new(Shared::new(
        paths.clone(),
        Env::from_pairs(env.iter().copied()),
        false,
        Duration::from_secs(2),
    ));
    Rig {
        _dir: dir,
        paths,
        runner: Runner::new(tx, shared, Clipboard::terminal_only("no display in tests")),
        rx,
    }
}

/// The embedded mock backend, and a rig whose JWKS and AuthAPI point at it. Keep the mock
/// alive for the test's length.
pub(super) async fn rig_with_mock() -> (crate::mock_backend::MockBackend, Rig) {
    use crate::mock_backend::{MockBackend, MockConfig};
    let mock = MockBackend::start(MockConfig::default(), 0)
        .await
        .expect("mock");
    let base = mock.base_url();
    let r = rig(&[
        ("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", &base),
        ("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", &base),
    ]);
    (mock, r)
}

/// An Agent Identity JWT for `runtime_id` that verifies against the mock's JWKS.
pub(super) fn mock_signed_jwt(runtime_id: &str, seed: u8) -> String {
    use crate::codex::agent_key::AgentKey;
    use crate::mock_backend::{AgentJwtSpec, mint_agent_jwt};
    let spec = AgentJwtSpec::demo(
        runtime_id,
        AgentKey::from_seed([seed; 32]),
        chrono::Utc::now().timestamp(),
    );
    mint_agent_jwt(&spec).expect("jwt")
}

/// The next message, skipping the permission note every complete listing sends (tested on its
/// own in `a_listing_reports_open_account_files_from_its_own_stats`).
pub(super) async fn next(rx: &mut UnboundedReceiver<Msg>) -> Msg {
    loop {
        match next_any(rx).await {
            Msg::OpenAccountFiles(_) => {}
            msg => return msg,
        }
    }
}

async fn next_any(rx: &mut UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("a message in time")
        .expect("inbox open")
}

#[tokio::test]
async fn a_listing_reports_open_account_files_from_its_own_stats() {
    use std::os::unix::fs::PermissionsExt as _;
    let mut r = rig(&[]);
    let chmod = |name: &str, mode: u32| {
        let path = r.paths.store.join(format!("{name}.json"));
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    for name in ["work", "broken"] {
        chmod(name, 0o600);
    }
    chmod("key", 0o644);
    r.runner.execute(Effect::LoadStore { generation: 1 });
    let Msg::OpenAccountFiles(Some(line)) = next_any(&mut r.rx).await else {
        panic!("the open file is reported before the listing");
    };
    assert!(line.contains("0644") && line.contains("key.json"), "{line}");
    assert!(matches!(next_any(&mut r.rx).await, Msg::StoreLoaded { .. }));
    chmod("key", 0o600);
    r.runner.execute(Effect::LoadStore { generation: 2 });
    assert!(matches!(
        next_any(&mut r.rx).await,
        Msg::OpenAccountFiles(None)
    ));
    r.runner.shutdown();
}

/// The status line `update` words for a finished operation (the runner reports only data).
pub(super) fn said(done: &OpDone) -> Result<String, String> {
    use crate::tui::update::words;
    done.result
        .as_ref()
        .map(words::summary)
        .map_err(words::failure)
}

/// The event-log lines `update` words for a finished operation.
pub(super) fn logged(done: &OpDone) -> Vec<String> {
    use crate::tui::update::words;
    let calls = done.calls.iter().map(|c| words::call(&done.op, c));
    let files = done.result.iter().flat_map(words::log);
    calls.chain(files).collect()
}

pub(super) async fn op_done(rx: &mut UnboundedReceiver<Msg>) -> OpDone {
    match next(rx).await {
        Msg::OpDone(done) => *done,
        other => panic!("expected OpDone, got {other:?}"),
    }
}

#[tokio::test]
async fn loads_report_back_with_their_generation() {
    let mut r = rig(&[]);
    r.runner.execute(Effect::LoadLive { generation: 7 });
    let Msg::LiveLoaded {
        generation, loaded, ..
    } = next(&mut r.rx).await
    else {
        panic!("live");
    };
    assert_eq!(generation, 7);
    assert_eq!(
        loaded
            .analysis
            .map(|a| a.mode.as_str().to_string())
            .as_deref(),
        Some("chatgpt")
    );
    r.runner.execute(Effect::LoadStore { generation: 3 });
    let Msg::StoreLoaded {
        generation,
        listing,
        ..
    } = next(&mut r.rx).await
    else {
        panic!("store");
    };
    assert_eq!(generation, 3);
    let rows = listing.expect("listing");
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["broken", "key", "work"]);
    assert!(rows[0].problem.is_some(), "broken file flagged");
    assert!(
        rows[2].active && rows[2].stale,
        "live holds newer tokens of work"
    );
    assert!(!rows[1].active);
}

#[tokio::test]
async fn same_content_has_the_same_fingerprint() {
    let r = rig(&[]);
    let a = store::read_live(&r.paths, &|_| None);
    let b = store::read_live(&r.paths, &|_| None);
    assert_eq!(fingerprint(&a), fingerprint(&b));
    std::fs::write(r.paths.auth_json(), fixtures::api_key_doc(KEY).as_bytes()).expect("write");
    let c = store::read_live(&r.paths, &|_| None);
    assert_ne!(fingerprint(&a), fingerprint(&c));
}

#[tokio::test]
async fn a_refused_override_fails_the_runtime_at_once() {
    let mut r = rig(&[("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", "http://example.com")]);
    let jwt = fixtures::unsigned_agent_jwt("agent-1", 4_102_444_800);
    let identity = crate::codex::agent_identity::AgentIdentity::from_value(&serde_json::json!(jwt))
        .expect("identity");
    r.runner.execute(Effect::StartRuntime {
        generation: 5,
        identity: Box::new(identity),
    });
    let Msg::Runtime { generation, event } = next(&mut r.rx).await else {
        panic!("runtime")
    };
    assert_eq!(generation, 5);
    let EventKind::Done(Outcome::Failed(e)) = &event.kind else {
        panic!("{event:?}")
    };
    let mut m = crate::runtime::RuntimeModel::starting(chrono::Utc::now(), None);
    m.apply(&event);
    assert!(matches!(m.state, State::RuntimeInitFailed(_)));
    assert!(e.message.contains("loopback"), "{}", e.message);
}

#[tokio::test]
async fn a_panicking_task_is_reported() {
    let mut r = rig(&[]);
    let _ = r
        .runner
        .spawn(async { panic!("boom in a background task") });
    let Msg::TaskPanicked(text) = next(&mut r.rx).await else {
        panic!("panic report")
    };
    assert!(text.contains("panic"), "{text}");
    r.runner.blocking(|_| panic!("boom in a blocking task"));
    assert!(matches!(next(&mut r.rx).await, Msg::TaskPanicked(_)));
}

#[tokio::test]
async fn the_clipboard_clear_timer_reports_its_copy() {
    let mut r = rig(&[]);
    r.runner.schedule_clear(4, 0);
    assert!(matches!(
        next(&mut r.rx).await,
        Msg::ClearClipboardDue { copy_id: 4 }
    ));
}

#[tokio::test]
async fn the_watcher_sees_outside_writes() {
    let mut r = rig(&[]);
    r.runner.execute(Effect::Watch);
    tokio::time::sleep(Duration::from_millis(100)).await;
    std::fs::write(r.paths.auth_json(), fixtures::api_key_doc(KEY).as_bytes()).expect("write");
    let msg = next(&mut r.rx).await;
    assert!(
        matches!(msg, Msg::FilesChanged { live: true, .. }),
        "{msg:?}"
    );
    std::fs::write(r.paths.store.join("new.json"), b"{}").expect("write");
    let msg = next(&mut r.rx).await;
    assert!(
        matches!(msg, Msg::FilesChanged { store: true, .. }),
        "{msg:?}"
    );
    r.runner.shutdown();
}

#[tokio::test]
async fn a_codex_home_created_later_is_noticed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path().join("codex"));
    let (tx, mut rx) = unbounded_channel();
    let shared = Arc::new(Shared::new(
        paths.clone(),
        Env::default(),
        false,
        Duration::from_secs(1),
    ));
    let mut runner = Runner::new(tx, shared, Clipboard::terminal_only("no display in tests"));
    runner.execute(Effect::Watch);
    tokio::time::sleep(Duration::from_millis(100)).await;
    std::fs::create_dir_all(&paths.codex_home).expect("codex login creates it");
    assert!(matches!(
        next(&mut rx).await,
        Msg::FilesChanged { live: true, .. }
    ));
    // The reload that follows arms the watch on the new home.
    runner.execute(Effect::LoadLive { generation: 1 });
    assert!(matches!(next(&mut rx).await, Msg::LiveLoaded { .. }));
    std::fs::write(paths.auth_json(), fixtures::api_key_doc(KEY).as_bytes()).expect("write");
    assert!(matches!(
        next(&mut rx).await,
        Msg::FilesChanged { live: true, .. }
    ));
    runner.shutdown();
}

#[tokio::test]
async fn a_big_store_shows_names_and_the_first_rows_then_fills_in() {
    let mut r = rig(&[]);
    let key = fixtures::api_key_doc(KEY);
    for i in 0..FIRST_ROWS + 20 {
        std::fs::write(
            r.paths.store.join(format!("many-{i:04}.json")),
            key.as_bytes(),
        )
        .expect("write");
    }
    r.runner.execute(Effect::LoadStore { generation: 5 });
    let mut listings = Vec::new();
    for _ in 0..2 {
        let Msg::StoreLoaded {
            generation,
            listing,
            ..
        } = next(&mut r.rx).await
        else {
            panic!("store");
        };
        assert_eq!(generation, 5);
        listings.push(listing.expect("listing"));
    }
    let total = FIRST_ROWS + 23;
    let (first, full) = (&listings[0], &listings[1]);
    assert_eq!((first.len(), full.len()), (total, total));
    assert!(
        first[..FIRST_ROWS]
            .iter()
            .filter(|row| row.name != "broken")
            .all(|row| row.mode.is_some() && row.who.is_some())
    );
    assert!(
        first[FIRST_ROWS..].iter().all(|row| row.mode.is_none()),
        "names only"
    );
    assert!(
        full.iter()
            .filter(|row| row.name != "broken")
            .all(|row| row.mode.is_some())
    );
    assert!(full.iter().any(|row| row.name == "work" && row.active));
}
