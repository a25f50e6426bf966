//! Usage benchmarks (numbers in BENCHMARKS.md), in-process over the same code the CLI runs:
//!
//! 1. `usage --all` over 40 ChatGPT accounts behind the embedded mock answering every usage
//!    request after 300 ms: [`authdeck::usage::gather`] with the CLI's settings (16 at a time).
//!    Target: ≤ 1.5 s.
//! 2. `list` over 1,000 accounts, without and with 1,000 usage cache entries in the store's
//!    private area: [`authdeck::store::summaries`] (what `list` does). Target: within 10 %.
//!
//! Run: `cargo run --example usage-bench [--release]`.

use std::time::{Duration, Instant};

use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::mock_backend::{MockBackend, MockConfig};
use authdeck::store::{Paths, Store, summaries};
use authdeck::usage::cache::{self, CacheEntry};
use authdeck::usage::gather::{Policy, Selection, Settings, gather, targets};
use authdeck::usage::{Snapshot, Window};

fn fill(paths: &Paths, n: usize) {
    std::fs::create_dir_all(&paths.store).unwrap_or_else(|e| panic!("store: {e}"));
    for i in 0..n {
        let email = format!("user{i}@example.com");
        let id = format!("acct-{i}");
        let user = format!("user-{i}");
        let doc = fixtures::chatgpt_doc(&ChatgptSpec {
            email: &email,
            account_id: &id,
            user_id: &user,
            ..ChatgptSpec::default()
        });
        std::fs::write(paths.store.join(format!("a{i:05}.json")), doc.as_bytes())
            .unwrap_or_else(|e| panic!("write: {e}"));
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn usage_all() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio: {e}"));
    let mock = rt
        .block_on(MockBackend::start(MockConfig::default(), 0))
        .unwrap_or_else(|e| panic!("mock: {e}"));
    mock.set_usage_latency(Duration::from_millis(300));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let paths = Paths::in_codex_home(dir.path());
    fill(&paths, 40);
    std::fs::write(
        paths.config_toml(),
        format!("chatgpt_base_url = \"{}/backend-api\"\n", mock.base_url()),
    )
    .unwrap_or_else(|e| panic!("config: {e}"));
    let env = |_: &str| None;
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let t = targets(&paths, &env, &Selection::All).unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings::for_paths(&paths, Duration::from_secs(10), Policy::Fetch);
        let rows = rt.block_on(gather(t, &settings, chrono::Utc::now().timestamp()));
        times.push(started.elapsed());
        assert_eq!(rows.len(), 40);
        assert!(
            rows.iter().all(|r| r.snapshot.is_some()),
            "every account answered"
        );
    }
    println!(
        "usage --all, 40 accounts, 300 ms backend: median {:?} (runs: {times:?}); {} requests",
        median(times.clone()),
        mock.usage_requests().len()
    );
    rt.block_on(mock.shutdown());
}

fn list_with_cache() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let paths = Paths::in_codex_home(dir.path());
    fill(&paths, 1_000);
    let store = Store::new(&paths);
    let snap = Snapshot {
        windows: vec![Window {
            source: "primary".into(),
            main: true,
            window_seconds: Some(18_000),
            used_percent: 42.0,
            resets_at: Some(1_800_000_000),
        }],
        ..Snapshot::default()
    };
    let cache_dir = cache::dir(&paths);
    for i in 0..1_000 {
        let key =
            cache::key(Some(&format!("acct-{i}")), Some(&format!("user-{i}"))).unwrap_or_default();
        cache::write(
            &cache_dir,
            &key,
            &CacheEntry::fresh(snap.clone(), 1_790_000_000),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    // Alternate runs with and without the cache directory, so machine load hits both alike.
    let parked = dir.path().join("parked-usage-cache");
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for round in 0..30 {
        let cached = round % 2 == 0;
        if !cached {
            std::fs::rename(&cache_dir, &parked).unwrap_or_else(|e| panic!("{e}"));
        }
        let started = Instant::now();
        let rows = summaries(&store, None).unwrap_or_else(|e| panic!("{e}"));
        let took = started.elapsed();
        assert_eq!(rows.len(), 1_000);
        if cached {
            with.push(took);
        } else {
            without.push(took);
            std::fs::rename(&parked, &cache_dir).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let (w, wo) = (median(with), median(without));
    println!(
        "list, 1,000 accounts: median {wo:?} without the usage cache, {w:?} with 1,000 entries; ratio {:.3}",
        w.as_secs_f64() / wo.as_secs_f64()
    );
}

fn main() {
    usage_all();
    list_with_cache();
}
