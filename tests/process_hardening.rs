//! The process hardening of issue 14: after start-up authdeck cannot be core-dumped or traced by
//! other processes of its user (src/secret.rs, README "Secrets in memory").
//!
//! This file is its own test binary on purpose: one test hardens *this* process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The start-up function the binary calls first thing: afterwards the kernel reports the process
/// as not dumpable.
#[cfg(target_os = "linux")]
#[test]
fn start_up_hardening_makes_the_process_non_dumpable() {
    // A freshly exec'd test binary is dumpable; only the call below changes that.
    assert_eq!(authdeck::secret::process_is_dumpable(), Some(true));
    authdeck::secret::harden_process().unwrap();
    assert_eq!(authdeck::secret::process_is_dumpable(), Some(false));
    // Idempotent: a second call changes nothing and does not fail.
    authdeck::secret::harden_process().unwrap();
    assert_eq!(authdeck::secret::process_is_dumpable(), Some(false));
}

/// Core size limit (soft, hard) of a process, from `/proc/<pid>/limits`.
#[cfg(target_os = "linux")]
fn core_limits(pid: &str) -> (String, String) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("a core limit line");
    let fields: Vec<&str> = line["Max core file size".len()..]
        .split_whitespace()
        .collect();
    (fields[0].to_string(), fields[1].to_string())
}

/// The real binary hardens itself before doing anything: a long-running `authdeck mock-backend`
/// has its core limit at zero (soft and hard) even though it was started with a hard limit that
/// allowed core dumps. The limit is set in the same start-up call as PR_SET_DUMPABLE, and, unlike
/// the dumpable flag, can be read from outside the process.
#[cfg(target_os = "linux")]
#[test]
fn the_binary_hardens_itself_at_start_up() {
    use std::io::BufRead as _;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_authdeck"))
        .args(["mock-backend", "--port", "0"])
        .env_clear()
        .env("HOME", dir.path().join("userhome"))
        .env("CODEX_HOME", dir.path().join("codex"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let limits = core_limits(&child.id().to_string());
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("mock Codex backend on"), "{first}");
    assert_eq!(limits, ("0".to_string(), "0".to_string()));
    // The child inherits our limits: the check above proves something only if ours allow cores.
    let (_, parent_hard) = core_limits("self");
    if parent_hard == "0" {
        eprintln!("note: this environment already forbids core dumps; the limit check is weak");
    }
}
