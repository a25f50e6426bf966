//! The runner against real temp directories: every effect reports back by message, with its
//! generation; a panicking task is reported instead of vanishing.

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::*;
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::ops::Env;
use crate::ops::add::Verification;
use crate::runtime::{EventKind, Outcome, State};
use crate::secret::Secret;
use crate::store::{self, Paths};
use crate::tui::outcome::Call;
use crate::tui::outcome::{Done, Failure, VerifyFailure};

const KEY: &str = "sk-test-FAKEFAKEFAKE12345";

struct Rig {
    _dir: tempfile::TempDir,
    paths: Paths,
    runner: Runner,
    rx: UnboundedReceiver<Msg>,
}

fn rig(env: &[(&str, &str)]) -> Rig {
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

/// The next message, skipping the permission note every complete listing sends (tested on its
/// own in `a_listing_reports_open_account_files_from_its_own_stats`).
async fn next(rx: &mut UnboundedReceiver<Msg>) -> Msg {
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
fn said(done: &OpDone) -> Result<String, String> {
    use crate::tui::update::words;
    done.result
        .as_ref()
        .map(words::summary)
        .map_err(words::failure)
}

/// The event-log lines `update` words for a finished operation.
fn logged(done: &OpDone) -> Vec<String> {
    use crate::tui::update::words;
    let calls = done.calls.iter().map(|c| words::call(&done.op, c));
    let files = done.result.iter().flat_map(words::log);
    calls.chain(files).collect()
}

async fn op_done(rx: &mut UnboundedReceiver<Msg>) -> OpDone {
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
async fn file_operations_round_trip() {
    let mut r = rig(&[]);
    r.runner.execute(Effect::PlanSwitch { name: "key".into() });
    let Msg::SwitchPlanned(plan) = next(&mut r.rx).await else {
        panic!("plan")
    };
    let plan = (*plan).expect("plan");
    assert!(
        plan.changes
            .iter()
            .any(|c| c.key == "OPENAI_API_KEY" && !c.after.contains("FAKEFAKE"))
    );
    r.runner.execute(Effect::Switch { name: "key".into() });
    let done = op_done(&mut r.rx).await;
    assert!(done.result.is_ok(), "{done:?}");
    assert_eq!(
        std::fs::read(r.paths.auth_json()).expect("live"),
        std::fs::read(r.paths.store.join("key.json")).expect("account")
    );
    assert!(
        matches!(&done.result, Ok(Done::Switched { name, wrote, .. }) if name == "key" && wrote.ends_with("auth.json")),
        "{done:?}"
    );
    assert!(logged(&done).iter().any(|l| l.contains("auth.json")));
    r.runner.execute(Effect::Remove {
        name: "broken".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    assert!(!r.paths.store.join("broken.json").exists());
    r.runner.execute(Effect::Undo {
        name: "broken".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    assert!(r.paths.store.join("broken.json").exists());
    r.runner.execute(Effect::Rename {
        from: "broken".into(),
        to: "fixed".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    r.runner.execute(Effect::SaveLive {
        name: "live-copy".into(),
    });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    r.runner.execute(Effect::Add {
        name: "added".into(),
        material: Secret::new(KEY),
    });
    let done = op_done(&mut r.rx).await;
    assert!(matches!(
        &done.result,
        Ok(Done::Added {
            wrote: Some(_),
            verification: Verification::NoJwt,
            ..
        })
    ));
    assert_eq!(said(&done).as_deref(), Ok("added added"));
    r.runner.execute(Effect::Add {
        name: "added".into(),
        material: Secret::new(KEY),
    });
    let done = op_done(&mut r.rx).await;
    assert!(matches!(&done.result, Ok(Done::Added { wrote: None, .. })));
    assert!(said(&done).is_ok_and(|s| s.contains("already")));
    r.runner.execute(Effect::Add {
        name: "added".into(),
        material: Secret::new("sk-test-OTHERFAKEKEY999999"),
    });
    assert!(
        op_done(&mut r.rx).await.result.is_err(),
        "no silent overwrite"
    );
    r.runner.execute(Effect::SetMode {
        mode: crate::codex::credential::AuthMode::Chatgpt,
    });
    assert!(
        op_done(&mut r.rx).await.result.is_err(),
        "no ChatGPT material in an API-key doc"
    );
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
async fn added_jwts_are_verified_against_the_jwks() {
    use crate::codex::agent_key::AgentKey;
    use crate::mock_backend::{AgentJwtSpec, MockBackend, MockConfig, mint_agent_jwt};
    let mock = MockBackend::start(MockConfig::default(), 0)
        .await
        .expect("mock");
    let base = mock.base_url();
    let mut r = rig(&[
        ("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", &base),
        ("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", &base),
    ]);
    let spec = AgentJwtSpec::demo(
        "agent-add-1",
        AgentKey::from_seed([9; 32]),
        chrono::Utc::now().timestamp(),
    );
    let jwt = mint_agent_jwt(&spec).expect("jwt");
    r.runner.execute(Effect::Add {
        name: "signed".into(),
        material: Secret::new(jwt),
    });
    let done = op_done(&mut r.rx).await;
    assert_eq!(said(&done).as_deref(), Ok("added signed, JWT verified"));
    assert!(
        done.calls.iter().any(|c| matches!(
            c,
            Call::Finished {
                step: crate::runtime::Step::Jwks,
                status: 200,
                ..
            }
        )),
        "{:?}",
        done.calls
    );
    assert!(
        logged(&done)
            .iter()
            .any(|l| l.contains("fetch JWKS — 200") && l.ends_with("(add signed)")),
        "{:?}",
        logged(&done)
    );
    let forged = fixtures::unsigned_agent_jwt("agent-add-2", 4_102_444_800);
    r.runner.execute(Effect::Add {
        name: "forged".into(),
        material: Secret::new(forged),
    });
    let done = op_done(&mut r.rx).await;
    assert!(
        matches!(done.result, Err(Failure::NotVerified(_))),
        "{done:?}"
    );
    assert!(
        said(&done)
            .is_err_and(|e| e.contains("did not verify") && e.ends_with("nothing was added")),
        "{done:?}"
    );
    assert!(!r.paths.store.join("forged.json").exists(), "nothing saved");
    mock.shutdown().await;
}

#[tokio::test]
async fn a_tui_switch_is_remembered_for_switch_back() {
    let mut r = rig(&[]);
    let previous = |msg: Msg| match msg {
        Msg::StoreLoaded { previous, .. } => previous,
        other => panic!("expected StoreLoaded, got {other:?}"),
    };
    r.runner.execute(Effect::LoadStore { generation: 1 });
    assert_eq!(previous(next(&mut r.rx).await), None);
    // The live file is the `work` login: switching to `key` leaves `work`.
    r.runner.execute(Effect::Switch { name: "key".into() });
    assert!(op_done(&mut r.rx).await.result.is_ok());
    r.runner.execute(Effect::LoadStore { generation: 2 });
    assert_eq!(previous(next(&mut r.rx).await).as_deref(), Some("work"));
    // The CLI's `switch -` sees the same record.
    let back = store::resolve_switch_target(&r.paths, "-").expect("previous");
    assert_eq!(back.name, "work");
}

/// The add effect itself (whatever the form let through): 0.1.0 saved a 1 MiB pasted key as an
/// empty `{}` and said "added", and accepted 70–500 KB keys the CLI refuses. Now the same cap
/// and the same words as `authdeck add`, and nothing is written.
#[tokio::test]
async fn oversized_pasted_keys_are_refused_like_the_cli_and_nothing_is_written() {
    let mut r = rig(&[]);
    for (i, size) in [70 * 1024, 500 * 1024, 1024 * 1024].into_iter().enumerate() {
        let name = format!("huge{i}");
        r.runner.execute(Effect::Add {
            name: name.clone(),
            material: Secret::new(format!("sk-{}", "a".repeat(size))),
        });
        let done = op_done(&mut r.rx).await;
        assert!(matches!(
            done.result,
            Err(Failure::Material { file: false, .. })
        ));
        let err = said(&done).expect_err("refused");
        assert!(
            err.starts_with("the input holds more than 64 KiB, which is not an API key"),
            "{err}"
        );
        assert!(
            !r.paths.store.join(format!("{name}.json")).exists(),
            "nothing saved"
        );
    }
    r.runner.shutdown();
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

#[tokio::test]
async fn preview_reads_use_the_status_words_write_nothing_and_only_the_newest_matters() {
    let mut r = rig(&[]);
    let before: Vec<(String, Vec<u8>)> = [r.paths.auth_json(), r.paths.store.join("broken.json")]
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).expect("readable")))
        .collect();
    r.runner.execute(Effect::LoadPreview {
        generation: 1,
        name: "broken".into(),
    });
    let Msg::PreviewLoaded {
        generation,
        name,
        loaded,
    } = next(&mut r.rx).await
    else {
        panic!("preview");
    };
    assert_eq!((generation, name.as_str()), (1, "broken"));
    // The words `status`/`register --account` use: the path, then the parse error.
    let path = r.paths.store.join("broken.json");
    let expected = match crate::store::read_doc_file(&path) {
        crate::store::FileState::Malformed { error, .. } => {
            format!("{}: {error}", path.display())
        }
        other => panic!("broken.json must be malformed, got {other:?}"),
    };
    let State::Invalid { reason } = loaded.initial_model(true, chrono::Utc::now(), None).state
    else {
        panic!("a broken account previews as invalid");
    };
    assert_eq!(reason, expected);

    // A burst of selections: results arrive in order, the newest last.
    for g in 2..=200u64 {
        let name = if g % 2 == 0 { "key" } else { "work" };
        r.runner.execute(Effect::LoadPreview {
            generation: g,
            name: name.into(),
        });
    }
    let mut seen = Vec::new();
    loop {
        match next(&mut r.rx).await {
            Msg::PreviewLoaded {
                generation,
                name,
                loaded,
            } => {
                seen.push(generation);
                if generation == 200 {
                    assert_eq!(name, "key");
                    let a = loaded.analysis.expect("a document");
                    assert_eq!(a.mode, crate::codex::credential::AuthMode::ApiKey);
                    break;
                }
            }
            other => panic!("only preview reads were asked for, got {other:?}"),
        }
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "never an older result after a newer one: {seen:?}"
    );
    for (p, bytes) in before {
        assert_eq!(
            std::fs::read(&p).expect("still there"),
            bytes,
            "{p} untouched"
        );
    }
    assert!(
        !r.paths.codex_home.join("auth.json.bak").exists()
            && std::fs::read_dir(&r.paths.store).expect("store").count() == 3,
        "a preview writes nothing"
    );
}

#[tokio::test]
async fn a_dry_preview_verification_fetches_the_jwks_and_registers_nothing() {
    use crate::codex::agent_identity::AgentIdentity;
    use crate::codex::agent_key::AgentKey;
    use crate::mock_backend::{AgentJwtSpec, MockBackend, MockConfig, mint_agent_jwt};
    let mock = MockBackend::start(MockConfig::default(), 0)
        .await
        .expect("mock");
    let base = mock.base_url();
    let mut r = rig(&[
        ("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", &base),
        ("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", &base),
    ]);
    let spec = AgentJwtSpec::demo(
        "agent-preview-1",
        AgentKey::from_seed([7; 32]),
        chrono::Utc::now().timestamp(),
    );
    let jwt = mint_agent_jwt(&spec).expect("jwt");
    let identity = AgentIdentity::from_value(&serde_json::Value::String(jwt)).expect("identity");
    r.runner.execute(Effect::VerifyPreview {
        generation: 3,
        identity: Box::new(identity),
    });
    let Msg::PreviewVerified { generation, result } = next(&mut r.rx).await else {
        panic!("verified");
    };
    assert_eq!((generation, result), (3, Ok(true)));

    let forged = fixtures::unsigned_agent_jwt("agent-preview-2", 4_102_444_800);
    let identity = AgentIdentity::from_value(&serde_json::Value::String(forged)).expect("identity");
    r.runner.execute(Effect::VerifyPreview {
        generation: 4,
        identity: Box::new(identity),
    });
    let Msg::PreviewVerified { generation, result } = next(&mut r.rx).await else {
        panic!("verified");
    };
    assert_eq!(generation, 4);
    assert!(
        matches!(result, Err(VerifyFailure::Failed(_))),
        "a forged JWT does not verify: {result:?}"
    );
    let stats = mock.stats();
    assert!(stats.jwks >= 2, "{stats:?}");
    assert_eq!(
        (
            stats.task_register,
            stats.agent_register,
            stats.tasks_issued
        ),
        (0, 0, 0),
        "a dry run never registers"
    );
    mock.shutdown().await;
}
