//! Helpers for the TUI soak test (`tests/tui_soak.rs`): a ratatui backend whose screen can be
//! read while the real loop owns the terminal, an OSC 52 byte sink, a seeded PRNG, the
//! process's resident memory, and small readers of the rendered screen.
//!
//! The App takes `&mut Terminal<B>` for the whole run, so a plain `TestBackend` can only be read
//! after the loop has quit. [`ScreenBackend`] wraps one behind a shared lock and, at every
//! flush (the end of each frame), records a copy of the screen rows, a frame counter and a
//! caller-supplied probe value read *at flush time*. The soak reads the mock backend's
//! registration counter there: a settled frame whose probe shows the new run's first request
//! was rendered after that run started, so it is that run's outcome and never a leftover frame.

use std::convert::Infallible;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the last flushed frame showed.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Frames flushed so far (1 = the first).
    pub number: u64,
    /// The probe's value when this frame was flushed.
    pub probe: u64,
    /// The screen, one string per row (wide characters appear once).
    pub rows: Vec<String>,
}

impl Frame {
    pub fn text(&self) -> String {
        self.rows.join("\n")
    }

    pub fn title(&self) -> &str {
        self.rows.first().map_or("", String::as_str)
    }

    /// The text inside `rect`, its rows joined and runs of whitespace collapsed, so a phrase
    /// the renderer wrapped over several lines can be searched as one.
    pub fn region(&self, rect: ratatui::layout::Rect) -> String {
        let x = usize::from(rect.x);
        let w = usize::from(rect.width);
        let joined = self
            .rows
            .iter()
            .skip(usize::from(rect.y))
            .take(usize::from(rect.height))
            .map(|row| row.chars().skip(x).take(w).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        joined.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The status line (second row from the bottom).
    pub fn status_line(&self) -> &str {
        let n = self.rows.len();
        self.rows
            .get(n.saturating_sub(2))
            .map_or("", String::as_str)
    }

    /// Not busy: the title shows the settled-state dot instead of a spinner.
    pub fn settled(&self) -> bool {
        self.title().contains("● ")
    }
}

struct Inner {
    backend: TestBackend,
    last: Frame,
}

type Probe = Arc<dyn Fn() -> u64 + Send + Sync>;

/// A `TestBackend` the test can read while the App draws on it.
pub struct ScreenBackend {
    inner: Arc<Mutex<Inner>>,
    probe: Probe,
}

/// The reading side of a [`ScreenBackend`].
#[derive(Clone)]
pub struct ScreenHandle {
    inner: Arc<Mutex<Inner>>,
}

impl ScreenBackend {
    pub fn new(cols: u16, rows: u16, probe: Probe) -> (Self, ScreenHandle) {
        let inner = Arc::new(Mutex::new(Inner {
            backend: TestBackend::new(cols, rows),
            last: Frame::default(),
        }));
        (
            Self {
                inner: Arc::clone(&inner),
                probe,
            },
            ScreenHandle { inner },
        )
    }
}

impl ScreenHandle {
    /// The last flushed frame.
    pub fn last(&self) -> Frame {
        lock(&self.inner).last.clone()
    }
}

fn rows_of(backend: &TestBackend) -> Vec<String> {
    let buf = backend.buffer();
    let area = buf.area;
    (area.y..area.y + area.height)
        .map(|y| {
            (area.x..area.x + area.width)
                .filter_map(|x| buf.cell((x, y)).map(Cell::symbol))
                .collect::<String>()
        })
        .collect()
}

impl Backend for ScreenBackend {
    type Error = Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        lock(&self.inner).backend.draw(content)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        lock(&self.inner).backend.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        lock(&self.inner).backend.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        lock(&self.inner).backend.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        lock(&self.inner).backend.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        lock(&self.inner).backend.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        lock(&self.inner).backend.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        lock(&self.inner).backend.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        lock(&self.inner).backend.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        // Read the probe before taking the lock: the frame's cells were already rendered (the
        // diff was drawn just before this call), so the probe is read after the render.
        let probe = (self.probe)();
        let mut inner = lock(&self.inner);
        inner.backend.flush()?;
        let rows = rows_of(&inner.backend);
        let number = inner.last.number + 1;
        inner.last = Frame {
            number,
            probe,
            rows,
        };
        Ok(())
    }
}

/// Where the App writes OSC 52 (the terminal's stdout in real use).
#[derive(Clone, Default)]
pub struct OscSink(Arc<Mutex<Vec<u8>>>);

impl Write for OscSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl OscSink {
    pub fn is_empty(&self) -> bool {
        lock(&self.0).is_empty()
    }

    pub fn len(&self) -> usize {
        lock(&self.0).len()
    }

    /// The text of the first complete OSC 52 sequence (`ESC ] 52 ; c ; <base64> ESC \`), if one
    /// has arrived; everything received so far is drained when it has.
    pub fn take_copy(&self) -> Option<String> {
        let mut buf = lock(&self.0);
        let start = buf.windows(7).position(|w| w == b"\x1b]52;c;")?;
        let end = start + 7 + buf[start + 7..].iter().position(|b| *b == 0x1b)?;
        let decoded = STANDARD.decode(&buf[start + 7..end]).ok();
        buf.clear();
        decoded.map(|d| String::from_utf8_lossy(&d).into_owned())
    }
}

/// `(agent_runtime_id, task_id)` from a copied `AgentAssertion <base64url JSON>` value.
pub fn assertion_ids(value: &str) -> Option<(String, String)> {
    let token = value.strip_prefix("AgentAssertion ")?;
    let json: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    Some((
        json.get("agent_runtime_id")?.as_str()?.to_string(),
        json.get("task_id")?.as_str()?.to_string(),
    ))
}

/// SplitMix64: a tiny seeded generator, so every run of the soak sees the same sequence.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` small; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// The process's resident set size in KiB (`VmRSS` in /proc/self/status).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// The attempt count the Task pane reports: `attempt N of M` on the registered line, or
/// `· N attempt(s)` on the failure line.
pub fn screen_attempts(frame: &Frame) -> Option<u32> {
    for row in &frame.rows {
        if let Some(at) = row.find("✗ Runtime init failed · ") {
            let last = row[at..].split(" · ").last()?;
            return last.split_whitespace().next()?.parse().ok();
        }
        if let Some(at) = row.find("✓ registered ") {
            let rest = &row[at..];
            let n = rest.split("attempt ").nth(1)?;
            return n.split_whitespace().next()?.parse().ok();
        }
    }
    None
}
