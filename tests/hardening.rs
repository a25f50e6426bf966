//! Hardening that needs real processes: many authdecks at once, a killed writer, and text from
//! tokens that tries to drive the terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use authdeck::codex::auth_file::AuthDoc;
use authdeck::codex::fixtures::{self, ChatgptSpec};

fn cmd(home: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_authdeck"));
    c.args(args)
        .env_clear()
        .env("HOME", home.join("userhome"))
        .env("CODEX_HOME", home.join("codex"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn setup() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let dir = tempfile::tempdir().unwrap();
    let codex = dir.path().join("codex");
    std::fs::create_dir_all(codex.join("accounts")).unwrap();
    let a = fixtures::chatgpt_doc(&ChatgptSpec::default());
    let mut b = fixtures::chatgpt_doc(&ChatgptSpec {
        email: "b@example.com",
        user_id: "user-b",
        ..ChatgptSpec::default()
    });
    b.set(
        "OPENAI_API_KEY",
        &serde_json::json!("sk-proj-1234567890BBBBBBBB"),
    );
    let c = fixtures::api_key_doc("sk-proj-1234567890CCCCCCCC");
    let docs = vec![
        ("a".to_string(), a.as_bytes().to_vec()),
        ("b".to_string(), b.as_bytes().to_vec()),
        ("c".to_string(), c.as_bytes().to_vec()),
    ];
    for (name, bytes) in &docs {
        std::fs::write(codex.join("accounts").join(format!("{name}.json")), bytes).unwrap();
    }
    std::fs::write(codex.join("auth.json"), &docs[0].1).unwrap();
    (dir, docs)
}

fn auth_path(home: &Path) -> PathBuf {
    home.join("codex").join("auth.json")
}

/// The live file is one whole document, and belongs to one of the accounts (possibly with a
/// different `auth_mode`, which `mode` may have set).
fn assert_whole(home: &Path, docs: &[(String, Vec<u8>)]) {
    let live = std::fs::read(auth_path(home)).unwrap();
    let doc = AuthDoc::parse(&live)
        .unwrap_or_else(|e| panic!("torn auth.json ({e}): {}", String::from_utf8_lossy(&live)));
    let without_mode = |d: &AuthDoc| {
        let mut m = d.root().clone();
        m.remove("auth_mode");
        m
    };
    let live_members = without_mode(&doc);
    assert!(
        docs.iter()
            .any(|(_, b)| without_mode(&AuthDoc::parse(b).unwrap()) == live_members),
        "auth.json is not one of the accounts"
    );
}

#[test]
fn many_processes_switching_saving_and_setting_modes_never_tear_or_lose_a_file() {
    let (dir, docs) = setup();
    let home = dir.path();
    let scripts: Vec<Vec<&str>> = vec![
        vec!["switch", "a"],
        vec!["switch", "b"],
        vec!["switch", "c"],
        vec!["mode", "apikey"],
        vec!["mode", "chatgpt"],
        vec!["save", "snap", "--force"],
    ];
    let deadline = Instant::now() + Duration::from_secs(120);
    for round in 0..6 {
        let children: Vec<Child> = (0..8)
            .map(|i| {
                cmd(home, &scripts[(i + round) % scripts.len()])
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            // A mode the live account has no material for is a clean refusal, not a failure.
            assert!(
                out.status.success()
                    || err.contains("no material for auth mode")
                    || err.contains("another authdeck"),
                "unexpected failure: {err}"
            );
        }
        assert_whole(home, &docs);
        assert!(Instant::now() < deadline, "the processes must not deadlock");
    }
    for (name, bytes) in &docs {
        let now = std::fs::read(
            home.join("codex")
                .join("accounts")
                .join(format!("{name}.json")),
        )
        .unwrap();
        let now = AuthDoc::parse(&now).expect("account intact");
        let orig = AuthDoc::parse(bytes).unwrap();
        // Sync-back may store the same account again (same identity), never another account.
        let a = authdeck::codex::credential::Analysis::of_doc(&now);
        let b = authdeck::codex::credential::Analysis::of_doc(&orig);
        assert!(
            a.same_account(&b),
            "account {name} now holds another credential"
        );
    }
}

#[test]
fn a_killed_writer_leaves_no_lock_behind() {
    let (dir, _) = setup();
    let home = dir.path();
    // Kill processes at random points while they hold (or wait for) the lock.
    for i in 0..20u64 {
        let mut child = cmd(home, &["switch", if i % 2 == 0 { "b" } else { "a" }])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(i % 7));
        let _ = child.kill();
        let _ = child.wait();
    }
    let started = Instant::now();
    let out = cmd(home, &["switch", "c"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(9),
        "a dead process's lock must not block"
    );
    assert_eq!(
        std::fs::read(auth_path(home)).unwrap(),
        std::fs::read(home.join("codex/accounts/c.json")).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(home.join("codex"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "auth.json" && n != "accounts")
        .collect();
    assert!(
        leftovers.is_empty(),
        "temp files left behind: {leftovers:?}"
    );
}

/// `save --force` killed at random points: the account is listed after every kill (old or new
/// bytes, never missing). 0.1.0 moved the old file to the trash before writing the new one, and
/// about a third of the kills left the account gone.
#[test]
fn a_killed_forced_save_never_makes_the_account_vanish() {
    let (dir, docs) = setup();
    let home = dir.path();
    let snap = home.join("codex/accounts/snap.json");
    std::fs::write(&snap, &docs[2].1).unwrap();
    let mut killed_mid_way = 0;
    for i in 0..40u64 {
        // Alternate the live file so every save really replaces the account.
        std::fs::write(auth_path(home), &docs[usize::from(i % 2 == 1)].1).unwrap();
        let mut child = cmd(home, &["save", "snap", "--force"]).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(500 * (i % 16)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        killed_mid_way += u32::from(!status.success());
        let now =
            std::fs::read(&snap).unwrap_or_else(|e| panic!("kill {i}: the account vanished ({e})"));
        assert!(
            docs.iter().any(|(_, bytes)| *bytes == now),
            "kill {i}: the account holds a torn document"
        );
    }
    assert!(killed_mid_way > 0, "no process was killed before it ended");
    let out = cmd(home, &["list", "--json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"snap\""));
}

/// Paths from the environment are untrusted text too: `--version` prints them escaped.
#[test]
fn escape_sequences_in_environment_paths_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("codex\u{1b}c\u{1b}[2J");
    std::fs::create_dir_all(&evil).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_authdeck"))
        .arg("--version")
        .env_clear()
        .env("HOME", dir.path())
        .env("CODEX_HOME", &evil)
        .env("AUTHDECK_STORE", dir.path().join("store\u{9b}2J"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}'),
        "{text:?}"
    );
    assert!(text.contains("codex\\u{1b}c"), "{text}");
}

#[test]
fn escape_sequences_from_tokens_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let codex = home.join("codex");
    std::fs::create_dir_all(codex.join("accounts")).unwrap();
    let evil = ChatgptSpec {
        email: "mallory\u{1b}]52;c;cHduZWQ=\u{7}@evil\u{1b}[2J.example",
        plan: "pro\u{9b}31m",
        account_id: "acct\r\nFAKE: line",
        ..ChatgptSpec::default()
    };
    let doc = fixtures::chatgpt_doc(&evil);
    std::fs::write(codex.join("auth.json"), doc.as_bytes()).unwrap();
    std::fs::write(codex.join("accounts").join("evil.json"), doc.as_bytes()).unwrap();
    for args in [
        vec!["status"],
        vec!["status", "--format", "short"],
        vec!["list"],
        vec!["status", "--json"],
        vec!["list", "--json"],
        vec!["switch", "evil"],
    ] {
        let out = cmd(home, &args).output().unwrap();
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains('\u{1b}'),
                "{args:?} {stream} carries a raw ESC: {text:?}"
            );
            assert!(
                !text.contains('\u{9b}'),
                "{args:?} {stream} carries a raw CSI: {text:?}"
            );
            assert!(
                !text.contains('\u{7}'),
                "{args:?} {stream} carries a raw BEL"
            );
            assert!(
                !text.contains("\rFAKE"),
                "{args:?} {stream} carries a raw CR"
            );
        }
        if args == ["status"] {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains("mallory\\u{1b}]52"),
                "shown as visible data: {text}"
            );
        }
    }
}

/// `authdeck list --json | head -c1`: 0.1.0 panicked with "failed printing to stdout: Broken
/// pipe". The reader is gone before authdeck writes a byte here, so every write fails; the
/// command must end quietly with its own exit code, and nothing is written to the store.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let (dir, _accounts) = setup();
    for args in [
        &["list", "--json"][..],
        &["list"][..],
        &["status", "--offline"][..],
        &["status", "--offline", "--json"][..],
        &["--version"][..],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = cmd(dir.path(), args)
            .stdout(Stdio::from(writer))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert!(out.status.code().is_some(), "{args:?}: ended by a signal");
    }
}
