//! The operations layer called as a face calls it: typed arguments in, typed results out, over a
//! temp Codex home and the embedded mock backend on 127.0.0.1 (never the real ~/.codex, no
//! other network). The CLI tests check the wording; these check the data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use authdeck::codex::agent_identity::AgentIdentity;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::codex::headers::HeaderFormat;
use authdeck::codex::urls::{AUTHAPI_BASE_VAR, JWKS_BASE_VAR};
use authdeck::mock_backend::{Fault, MockBackend, MockConfig};
use authdeck::ops::provision::{Progress, ProvisionError, provision};
use authdeck::ops::status::Subject;
use authdeck::ops::{self, Ctx, Env};
use authdeck::runtime::State;
use authdeck::store;

/// A context on `<dir>/home` and `<dir>/store`, talking to `mock`.
fn ctx_for(dir: &Path, mock: &MockBackend) -> Ctx {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut env = Env::from_pairs(std::iter::empty());
    env.set(JWKS_BASE_VAR, &mock.base_url());
    env.set(AUTHAPI_BASE_VAR, &mock.base_url());
    Ctx {
        json: false,
        offline: false,
        timeout: Duration::from_secs(5),
        timeout_given: false,
        codex_home: Some(home),
        store: Some(dir.join("store")),
        env,
    }
}

fn chatgpt_live(ctx: &Ctx) {
    let doc = fixtures::chatgpt_doc(&ChatgptSpec::default());
    store::write_atomic(&ctx.paths().unwrap().auth_json(), doc.as_bytes()).unwrap();
}

/// A runtime, a mock backend answering as `config` says, and a context whose live auth.json is
/// a ChatGPT login (the temp dir lives as long as `_dir`).
struct Setup {
    rt: tokio::runtime::Runtime,
    mock: MockBackend,
    _dir: tempfile::TempDir,
    ctx: Ctx,
}

fn signed_in(config: MockConfig) -> Setup {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mock = rt.block_on(MockBackend::start(config, 0)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_for(dir.path(), &mock);
    chatgpt_live(&ctx);
    Setup {
        rt,
        mock,
        _dir: dir,
        ctx,
    }
}

#[test]
fn provision_then_mode_then_header_over_the_mock() {
    let Setup {
        rt,
        mock,
        _dir,
        ctx,
    } = signed_in(MockConfig::default());
    let auth_json = ctx.paths().unwrap().auth_json();

    let seen = Mutex::new(Vec::new());
    let progress = |p: Progress<'_>| {
        let step = match p {
            Progress::KeyGenerated { .. } => "key",
            Progress::AgentRegistered { .. } => "agent",
            Progress::Task(_) => "task",
        };
        seen.lock().unwrap().push(step);
    };
    let done = provision(&ctx, &Subject::Live, false, &progress).unwrap();
    assert!(done.runtime_id.starts_with("agent-"), "{}", done.runtime_id);
    assert!(done.key_fingerprint.starts_with("SHA256:"));
    assert_eq!(done.path, auth_json);
    let steps = seen.into_inner().unwrap();
    assert_eq!(&steps[..2], ["key", "agent"]);
    assert!(steps.contains(&"task"), "{steps:?}");
    let file = store::read_doc_file(&auth_json);
    let record = file
        .doc()
        .and_then(|d| d.get("agent_identity"))
        .map(AgentIdentity::from_value);
    assert!(matches!(record, Some(Ok(AgentIdentity::Record(_)))));

    // A second run refuses without `force`, and writes nothing.
    let before = std::fs::read(&auth_json).unwrap();
    let again = provision(&ctx, &Subject::Live, false, &|_| {}).unwrap_err();
    assert!(
        matches!(again, ProvisionError::AlreadyProvisioned { .. }),
        "{again:?}"
    );
    assert_eq!(std::fs::read(&auth_json).unwrap(), before);

    // The new identity becomes the mode in force, reaches ready and signs headers.
    let mode = ops::switch::parse_mode("agentIdentity");
    let m = ops::switch::set_mode(&ctx, &mode, false).unwrap();
    assert!(m.changed);
    let ev = ops::status::status(&ctx).unwrap();
    assert_eq!(ev.model.state, State::Ready, "{:?}", ev.report().error);
    let set = ops::header::header(&ctx, &Subject::Live).unwrap();
    assert!(
        set.format(HeaderFormat::Value)
            .expose()
            .starts_with("AgentAssertion ")
    );
    rt.block_on(mock.shutdown());
}

#[test]
fn a_failed_agent_registration_is_typed_and_writes_nothing() {
    let Setup {
        rt,
        mock,
        _dir,
        ctx,
    } = signed_in(MockConfig {
        agent_register_fault: Fault::Status(401),
        ..MockConfig::default()
    });
    let auth_json = ctx.paths().unwrap().auth_json();
    let before = std::fs::read(&auth_json).unwrap();
    let err = provision(&ctx, &Subject::Live, false, &|_| {}).unwrap_err();
    assert!(matches!(err, ProvisionError::Agent(_)), "{err:?}");
    assert_eq!(std::fs::read(&auth_json).unwrap(), before);
    rt.block_on(mock.shutdown());
}

#[test]
fn register_streams_events_and_reaches_ready() {
    let Setup {
        rt,
        mock,
        _dir,
        ctx,
    } = signed_in(MockConfig::default());
    provision(&ctx, &Subject::Live, false, &|_| {}).unwrap();
    ops::switch::set_mode(&ctx, &ops::switch::parse_mode("agentidentity"), false).unwrap();
    let events = Mutex::new(0usize);
    let ev = ops::status::register(&ctx, &Subject::Live, &|_| {
        *events.lock().unwrap() += 1;
    })
    .unwrap();
    assert_eq!(ev.model.state, State::Ready);
    // A record with a stored task may be reused without a request; either way it is ready.
    let _ = events.into_inner().unwrap();
    rt.block_on(mock.shutdown());
}
