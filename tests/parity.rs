//! Verdict parity, pinned: for every case of the corpus in `tests/parity/cases/`, the verdict the
//! real `codex login status` of Codex 0.169.0 and 0.171.0 gave (recorded by
//! `scripts/codex-parity.sh --record` into `tests/parity/verdicts.tsv`) must be authdeck's verdict
//! too — offline, and online against the embedded mock backend — except for the documented
//! differences in `tests/parity/notes.tsv` (docs/codex-parity.md), which are asserted as such.
//! CI has no Codex; this keeps what was observed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authdeck::codex::auth_file::AuthDoc;
use authdeck::codex::credential::Analysis;
use authdeck::mock_backend::{MockBackend, MockConfig};
use serde_json::Value;

fn parity_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity")
}

/// Rows of a tab-separated file with a header line, keyed by the first column.
fn table(name: &str) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(parity_dir().join(name)).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t').map(str::to_string);
            (cols.next().unwrap(), cols.collect())
        })
        .collect()
}

/// Codex's class (`ok`, `signed_out`, `invalid`, `runtime`) → the bucket authdeck's state falls
/// in: usable (`ok`), refused, or a backend step failed (`runtime`).
fn bucket(codex_class: &str) -> &str {
    match codex_class {
        "signed_out" | "invalid" => "refused",
        other => other,
    }
}

fn bucket_of_state(state: &str) -> &str {
    match state {
        "ready" | "offline" => "ok",
        "signed_out" | "invalid" => "refused",
        "runtime_init_failed" => "runtime",
        other => panic!("unexpected state {other}"),
    }
}

struct Run {
    state: String,
    code: i32,
}

fn run_case(case: &Path, mock_url: &str, offline: bool) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (home, codex) = (dir.path().join("home"), dir.path().join("codex"));
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&codex).unwrap();
    for f in ["auth.json", "config.toml"] {
        if case.join(f).exists() {
            std::fs::copy(case.join(f), codex.join(f)).unwrap();
        }
    }
    if case.join("config.fifo").exists() {
        let ok = std::process::Command::new("mkfifo")
            .arg(codex.join("config.toml"))
            .status()
            .unwrap()
            .success();
        assert!(ok, "mkfifo");
    }
    let dead = "http://127.0.0.1:9".to_string();
    let mut env: Vec<(String, String)> = vec![
        ("HOME".into(), home.display().to_string()),
        ("CODEX_HOME".into(), codex.display().to_string()),
        ("CODEX_AGENT_IDENTITY_JWKS_BASE_URL".into(), mock_url.into()),
        (
            "CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL".into(),
            mock_url.into(),
        ),
        ("HTTPS_PROXY".into(), dead.clone()),
        ("HTTP_PROXY".into(), dead),
        ("NO_PROXY".into(), "127.0.0.1,localhost".into()),
    ];
    if let Ok(text) = std::fs::read_to_string(case.join("env")) {
        for line in text.lines() {
            let (k, v) = line.split_once('=').unwrap();
            env.push((k.into(), v.into()));
        }
    }
    let mut args = vec!["status", "--json", "--timeout", "5"];
    if offline {
        args.push("--offline");
    }
    let out = common::authdeck(&args, env).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: status --json must print JSON ({e}): {}",
            case.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Run {
        state: v["state"].as_str().unwrap().to_string(),
        code: out.status.code().unwrap(),
    }
}

fn exit_code_of(state: &str) -> i32 {
    match state {
        "ready" | "offline" => 0,
        "signed_out" => 3,
        "runtime_init_failed" => 4,
        "invalid" => 5,
        other => panic!("unexpected state {other}"),
    }
}

#[test]
fn authdeck_agrees_with_the_recorded_codex_verdicts() {
    let verdicts = table("verdicts.tsv");
    let notes = table("notes.tsv");
    assert!(
        verdicts.len() >= 100,
        "the corpus has {} cases",
        verdicts.len()
    );
    let cases = parity_dir().join("cases");
    let on_disk = std::fs::read_dir(&cases).unwrap().count();
    assert_eq!(on_disk, verdicts.len(), "every case has a recorded verdict");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mock = rt
        .block_on(MockBackend::start(MockConfig::default(), 0))
        .unwrap();
    for entry in std::fs::read_dir(parity_dir().join("trust")).unwrap() {
        let doc = AuthDoc::parse(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
        let analysis = Analysis::of_doc(&doc);
        let agent = analysis.material.agent_ok().unwrap();
        mock.register_agent_key(
            &agent.facts().unwrap().runtime_id,
            agent.key().unwrap().public_key_bytes(),
        );
    }
    let url = mock.base_url();

    let mut failures = Vec::new();
    let mut deliberate = 0;
    for (name, cols) in &verdicts {
        let (v169, v171) = (cols[0].as_str(), cols[1].as_str());
        assert_eq!(
            v169, v171,
            "{name}: both Codex versions agree on every case"
        );
        let note = notes.get(name).map_or("", |n| n[0].as_str());
        let case = cases.join(name);
        let before = mock.stats();
        let online = run_case(&case, &url, false);
        let after = mock.stats();
        let offline = run_case(&case, &url, true);
        for run in [&online, &offline] {
            assert_eq!(run.code, exit_code_of(&run.state), "{name}: exit code");
        }
        let want = bucket(v169);
        let want_offline = if want == "runtime" { "ok" } else { want };
        let (got_on, got_off) = (
            bucket_of_state(&online.state),
            bucket_of_state(&offline.state),
        );
        let ok = if note.starts_with("deliberate") {
            deliberate += 1;
            // authdeck stays stricter: a credential Codex cannot make a request with is invalid.
            online.state == "invalid" && offline.state == "invalid" && want != "refused"
        } else if note.starts_with("internet") {
            // Codex needs the internet to check it (blocked here); authdeck's material check
            // says usable, as Codex would with a working network.
            deliberate += 1;
            got_on == "ok" && got_off == "ok" && want == "runtime"
        } else if note.starts_with("offline-unknowable") {
            got_on == want && got_off == "ok"
        } else {
            got_on == want && got_off == want_offline
        };
        if !ok {
            failures.push(format!(
                "{name}: codex={v169} authdeck online={} offline={} [{note}]",
                online.state, offline.state
            ));
        }
        // A credential refused before the network never causes a backend request.
        if online.state == "invalid" && !note.starts_with("offline-unknowable") {
            let requests =
                (after.jwks - before.jwks) + (after.task_register - before.task_register);
            if requests != 0 {
                failures.push(format!(
                    "{name}: invalid, yet {requests} backend request(s)"
                ));
            }
        }
    }
    rt.block_on(mock.shutdown());
    assert!(
        deliberate <= 15,
        "documented differences stay few: {deliberate}"
    );
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}
