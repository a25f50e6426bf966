//! Whole-command benchmarks: what a user (or their shell prompt) waits for.
//!
//! * `status/short_offline` — `authdeck status --format short --offline` on a ChatGPT auth.json,
//!   the command a prompt runs on every line (process start-up included).
//! * `status/offline_in_process` — the same work without process start-up (read, analyse,
//!   report), to separate authdeck's cost from the OS's.
//! * `status/agent_identity_mock` — `authdeck status` for an Agent Identity against the embedded
//!   mock backend on 127.0.0.1 (JWKS + verification beside task registration).
//! * `list/json_10000` — `authdeck list --json` over a store of 10,000 accounts.
//!
//! Run: `cargo bench --bench cli`. Numbers and machine: BENCHMARKS.md.

use std::path::Path;
use std::process::Command;

use authdeck::codex::agent_key::AgentKey;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::mock_backend::{AgentJwtSpec, MockBackend, MockConfig, mint_agent_jwt};
use authdeck::runtime::load::Loaded;
use authdeck::store::{Paths, read_live};
use criterion::{Criterion, criterion_group, criterion_main};

fn authdeck(home: &Path, args: &[&str], extra: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_authdeck"));
    c.args(args)
        .env_clear()
        .env("HOME", home)
        .env("CODEX_HOME", home);
    for (k, v) in extra {
        c.env(k, v);
    }
    c.output().unwrap_or_else(|e| panic!("authdeck runs: {e}"))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let home = dir.path();
    write(
        &home.join("auth.json"),
        fixtures::chatgpt_doc(&ChatgptSpec::default()).as_bytes(),
    );

    let mut status = c.benchmark_group("status");
    status.bench_function("short_offline", |b| {
        b.iter(|| {
            let out = authdeck(home, &["status", "--format", "short", "--offline"], &[]);
            assert!(out.status.success());
        });
    });
    let paths = Paths::in_codex_home(home);
    status.bench_function("offline_in_process", |b| {
        b.iter(|| {
            let live = read_live(&paths, &|_: &str| None);
            let loaded = Loaded::from_live(&live);
            let model = loaded.initial_model(true, chrono::Utc::now(), None);
            std::hint::black_box(loaded.report(&model));
        });
    });

    let rt = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("runtime: {e}"));
    let mock = rt
        .block_on(MockBackend::start(MockConfig::default(), 0))
        .unwrap_or_else(|e| panic!("mock: {e}"));
    let agent_home = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let key = AgentKey::generate();
    mock.register_agent_key("agent-bench", key.public_key_bytes());
    let jwt = mint_agent_jwt(&AgentJwtSpec::demo(
        "agent-bench",
        key,
        chrono::Utc::now().timestamp(),
    ))
    .unwrap_or_else(|e| panic!("jwt: {e}"));
    write(
        &agent_home.path().join("auth.json"),
        fixtures::agent_jwt_doc(&jwt).as_bytes(),
    );
    let url = mock.base_url();
    let env = [
        ("CODEX_AGENT_IDENTITY_JWKS_BASE_URL", url.as_str()),
        ("CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL", url.as_str()),
    ];
    status.bench_function("agent_identity_mock", |b| {
        b.iter(|| {
            let out = authdeck(agent_home.path(), &["status"], &env);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
        });
    });
    status.finish();
    rt.block_on(mock.shutdown());

    let big = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    make_store(big.path(), 10_000);
    let mut list = c.benchmark_group("list");
    list.sample_size(10);
    list.bench_function("json_10000", |b| {
        b.iter(|| {
            let out = authdeck(big.path(), &["list", "--json"], &[]);
            assert!(out.status.success());
        });
    });
    list.finish();
}

/// A store of `n` accounts (ChatGPT logins and API keys, as real stores mix them) plus a live
/// auth.json equal to one of them.
pub fn make_store(home: &Path, n: usize) {
    let store = home.join("accounts");
    std::fs::create_dir_all(&store).unwrap_or_else(|e| panic!("mkdir: {e}"));
    for i in 0..n {
        let doc = if i % 3 == 0 {
            fixtures::api_key_doc(&format!("sk-proj-bench{i:012}ABCDEFGH"))
        } else {
            let email = format!("user{i}@example.com");
            let user = format!("user-{i}");
            fixtures::chatgpt_doc(&ChatgptSpec {
                email: &email,
                user_id: &user,
                ..ChatgptSpec::default()
            })
        };
        write(&store.join(format!("acct-{i:05}.json")), doc.as_bytes());
        if i == 1 {
            write(&home.join("auth.json"), doc.as_bytes());
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
