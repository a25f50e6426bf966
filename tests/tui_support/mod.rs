//! Shared by the PTY tests: run the real binary in a pseudo-terminal and read its screen
//! through vt100. Waits have generous deadlines and fail only when the text never shows up.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The terminal as the child drew it, fed by a reader thread.
pub struct Screen {
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub parser: vt100::Parser,
    pub seen: usize,
}

impl Screen {
    pub fn pump(&mut self) {
        let raw = self.raw.lock().expect("lock");
        if raw.len() > self.seen {
            self.parser.process(&raw[self.seen..]);
            self.seen = raw.len();
        }
    }

    pub fn text(&mut self) -> String {
        self.pump();
        self.parser.screen().contents()
    }

    pub fn raw_contains(&self, needle: &[u8]) -> bool {
        let raw = self.raw.lock().expect("lock");
        raw.windows(needle.len()).any(|w| w == needle)
    }

    pub fn wait_for(&mut self, what: &str) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if text.contains(what) {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "never saw {what:?}; the screen was:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_until(&mut self, what: &str, mut ok: impl FnMut(&Self) -> bool) {
        let start = Instant::now();
        while !ok(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; the screen was:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
            self.pump();
        }
    }
}

/// A running authdeck in a PTY.
pub struct Session {
    pub screen: Screen,
    pub child: Box<dyn Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    /// Starts the binary with exactly `env` (the environment is cleared first).
    pub fn start(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_authdeck"));
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(cwd);
        let child = pty.slave.spawn_command(cmd).expect("spawn authdeck");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let keys = pty.master.take_writer().expect("writer");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&raw);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
        });
        Self {
            screen: Screen {
                raw,
                parser: vt100::Parser::new(ROWS, COLS, 0),
                seen: 0,
            },
            child,
            keys,
            _master: pty.master,
        }
    }

    pub fn press(&mut self, s: &str) {
        self.keys.write_all(s.as_bytes()).expect("type");
        self.keys.flush().expect("flush");
    }

    /// Waits for the process to end; returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(start.elapsed() < DEADLINE, "authdeck did not quit");
            std::thread::sleep(Duration::from_millis(50));
        };
        std::thread::sleep(Duration::from_millis(200));
        self.screen.pump();
        status.success()
    }

    /// The terminal was given back: alternate screen left, cursor shown, modes off.
    pub fn assert_restored(&mut self) {
        self.screen.pump();
        assert!(
            !self.screen.parser.screen().alternate_screen(),
            "alternate screen left"
        );
        assert!(!self.screen.parser.screen().hide_cursor(), "cursor shown");
        for seq in ["\x1b[?2004l", "\x1b[?1049l", "\x1b[?25h"] {
            assert!(self.screen.raw_contains(seq.as_bytes()), "missing {seq:?}");
        }
    }
}
