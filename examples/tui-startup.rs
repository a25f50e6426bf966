//! Measures the TUI as a user meets it, in a real pseudo-terminal: time to the first frame, time
//! until the account list is on screen, CPU used while idle, and CPU per scrolling keypress.
//!
//! "Account list shown" is the first listing on screen: every name, with the rows on screen
//! complete (the TUI reads those first; the rest fill in afterwards, see `summaries_staged`).
//!
//! Run (release build recommended):
//!   cargo build --release && cargo run --release --example tui-startup -- CODEX_HOME
//! `AUTHDECK_BIN` overrides the binary (default `target/release/authdeck`). BENCHMARKS.md
//! records the numbers for a 10,000-account store.

use std::io::{Read as _, Write as _};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let home = std::env::args()
        .nth(1)
        .ok_or("usage: tui-startup CODEX_HOME")?;
    let bin = std::env::var("AUTHDECK_BIN").unwrap_or_else(|_| "target/release/authdeck".into());
    let bin = std::fs::canonicalize(&bin)?;
    let pty = native_pty_system().openpty(PtySize {
        rows: 30,
        cols: 100,
        pixel_width: 0,
        pixel_height: 0,
    })?;
    let mut cmd = CommandBuilder::new(&bin);
    cmd.env_clear();
    cmd.env("CODEX_HOME", &home);
    cmd.env("HOME", std::env::temp_dir());
    cmd.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pty.slave.spawn_command(cmd)?;
    let pid = child.process_id().ok_or("no pid")?;
    let mut reader = pty.master.try_clone_reader()?;
    let mut writer = pty.master.take_writer()?;
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(30, 100, 0);
    let mut first_frame = None;
    let mut listed = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    while listed.is_none() && Instant::now() < deadline {
        let Ok((at, bytes)) = rx.recv_timeout(Duration::from_millis(50)) else {
            continue;
        };
        parser.process(&bytes);
        let screen = parser.screen().contents();
        if first_frame.is_none() && screen.contains("authdeck") {
            first_frame = Some(at - started);
        }
        if screen.contains("Accounts (") && !screen.contains("Accounts (0)") {
            listed = Some(at - started);
        }
    }
    let drain =
        |rx: &mpsc::Receiver<(Instant, Vec<u8>)>, parser: &mut vt100::Parser, quiet: Duration| {
            while let Ok((_, b)) = rx.recv_timeout(quiet) {
                parser.process(&b);
            }
        };
    drain(&rx, &mut parser, Duration::from_millis(500));
    let tick = 100.0; // USER_HZ on Linux
    let idle_secs = 10.0;
    let before = cpu_ticks(pid).ok_or("no /proc stat")?;
    std::thread::sleep(Duration::from_secs_f64(idle_secs));
    let idle = cpu_ticks(pid).ok_or("no /proc stat")? - before;
    drain(&rx, &mut parser, Duration::from_millis(1));
    let keys = 300u32;
    let before = cpu_ticks(pid).ok_or("no /proc stat")?;
    for _ in 0..keys {
        writer.write_all(b"j")?;
        writer.flush()?;
        std::thread::sleep(Duration::from_millis(10));
        drain(&rx, &mut parser, Duration::from_millis(1));
    }
    drain(&rx, &mut parser, Duration::from_millis(500));
    let scroll = cpu_ticks(pid).ok_or("no /proc stat")? - before;
    writer.write_all(b"q")?;
    writer.flush()?;
    let _ = child.wait();
    println!(
        "first frame:        {:?}",
        first_frame.ok_or("no first frame")?
    );
    println!(
        "account list shown: {:?}",
        listed.ok_or("the list never appeared")?
    );
    #[allow(clippy::cast_precision_loss)]
    {
        println!(
            "idle CPU:           {:.2} % over {idle_secs} s ({idle} ticks)",
            idle as f64 / tick / idle_secs * 100.0
        );
        println!(
            "CPU per keypress:   {:.3} ms ({scroll} ticks for {keys} × j, render included)",
            scroll as f64 / tick * 1000.0 / f64::from(keys)
        );
    }
    Ok(())
}
