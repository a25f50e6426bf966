//! Running the real binary from integration tests: always with a cleared environment (so no
//! developer's HOME, CODEX_HOME or token can leak in), stdin fed and closed, output collected.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

/// `authdeck ARGS` with exactly the variables in `env`.
pub fn authdeck<K, V>(args: &[&str], env: impl IntoIterator<Item = (K, V)>) -> Command
where
    K: AsRef<OsStr>,
    V: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authdeck"));
    cmd.args(args).env_clear().envs(env);
    cmd
}

/// Runs `cmd`, writes `stdin` (if any) and closes it, and collects stdout and stderr.
pub fn output_with_stdin(mut cmd: Command, stdin: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("authdeck starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(input.as_bytes())
            .expect("stdin written");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("authdeck ends")
}
