//! `authdeck --demo` in a pseudo-terminal: the demo home opens on a healthy Agent Identity that
//! registers (`Ready`) and every account's usage headroom shows; moving the cursor previews
//! another account without registering it, and switching to the demo agent whose backend is
//! down ends in `Runtime init failed` (transient, after its retries) with the account still
//! shown. Then the terminal is given back, and the demo's temp home is gone — also when the
//! terminal is closed under it instead of `q`. Hermetic: the demo
//! builds its own temp home (under a TMPDIR of the test's) and mock backend.

mod tui_support;

use tui_support::Session;

#[test]
fn the_demo_shows_ready_and_runtime_init_failed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().to_str().expect("utf8").to_string();
    // The demo's throw-away home goes under TMPDIR: give it its own, to see it removed.
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).expect("tmpdir");
    let tmpdir_s = tmpdir.to_str().expect("utf8").to_string();
    let mut app = Session::start(
        &["--demo", "--no-mouse"],
        &[
            ("HOME", &home),
            ("TERM", "xterm-256color"),
            ("TMPDIR", &tmpdir_s),
        ],
        tmp.path(),
    );
    app.screen.wait_for("DEMO");
    let homes = || {
        std::fs::read_dir(&tmpdir)
            .expect("tmpdir")
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("authdeck-demo-")
            })
            .count()
    };
    assert_eq!(homes(), 1, "the demo made its throw-away home under TMPDIR");
    app.screen.wait_for("Ready");
    app.screen.wait_for("✓ registered");
    // The demo asks its mock for every account's usage at the start: the headroom column
    // fills in without `U` (chatgpt-pro has 37 % left, the record agent's login 70 %).
    app.screen.wait_for("37%");
    app.screen.wait_for("70%");
    // The live Agent Identity's usage, read with the task it just registered (an
    // AgentAssertion the mock verifies): 65 % left.
    app.screen.wait_for("65%");
    // The store is sorted by name: agent-down comes first.
    app.screen.wait_for("agent-down");
    app.press("g");
    // The panes preview the selected account (read in the background), before any switch.
    app.screen
        .wait_for("selected: agent-down — not live; Enter switches");
    app.screen.wait_for("agent-down@example.com");
    app.screen.wait_for("nothing is registered for a preview");
    app.press("\r");
    app.screen.wait_for("Switch to agent-down?");
    app.press("y");
    app.screen.wait_for("switched to agent-down");
    app.screen.wait_for("Runtime init failed");
    let text = app.screen.text();
    assert!(text.contains("transient"), "{text}");
    assert!(
        text.contains("agent-down@example.com"),
        "account kept: {text}"
    );
    app.press("q");
    assert!(app.wait_exit(), "clean exit");
    app.assert_restored();
    assert_eq!(homes(), 0, "the demo home is removed on exit");
    assert_eq!(
        std::fs::read_dir(&tmpdir).expect("tmpdir").count(),
        0,
        "no temp files left behind"
    );
    assert!(
        !app.screen.raw_contains(b"\x1b[?1000h"),
        "--no-mouse never turns mouse capture on"
    );
}

/// Closing the terminal window — every handle on the PTY's master side goes away, so authdeck
/// gets SIGHUP and every later write to the terminal fails — still removes the demo home: the
/// way out never panics on the dead terminal. (It used to: ratatui's `Terminal` reports a failed
/// cursor restore with `eprintln!`, which panics on a dead stderr and aborted the process before
/// the home was removed.)
#[test]
fn closing_the_terminal_still_removes_the_demo_home() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read as _;
    use std::time::{Duration, Instant};

    let tmp = tempfile::tempdir().expect("tempdir");
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir_all(&tmpdir).expect("tmpdir");
    let homes = || std::fs::read_dir(&tmpdir).expect("tmpdir").count();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: tui_support::ROWS,
            cols: tui_support::COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_authdeck"));
    cmd.args(["--demo", "--no-mouse"]);
    cmd.env_clear();
    cmd.env("HOME", tmp.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("TMPDIR", &tmpdir);
    cmd.cwd(tmp.path());
    let mut child = pty.slave.spawn_command(cmd).expect("spawn authdeck");
    drop(pty.slave);

    // Read until the demo is on screen (the TUI keeps drawing while it registers, so reads
    // return), then let go of the master side entirely: the terminal is closed.
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let start = Instant::now();
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    while !String::from_utf8_lossy(&seen).contains("DEMO") {
        let n = reader.read(&mut buf).expect("read the screen");
        assert!(n > 0, "authdeck ended before drawing the demo");
        seen.extend_from_slice(&buf[..n]);
        assert!(
            start.elapsed() < tui_support::DEADLINE,
            "the demo never drew"
        );
    }
    assert_eq!(homes(), 1, "the demo made its home");
    drop(reader);
    drop(pty.master);

    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        assert!(
            start.elapsed() < tui_support::DEADLINE,
            "authdeck did not end after the terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        homes(),
        0,
        "the demo home is removed when the terminal closes"
    );
}
