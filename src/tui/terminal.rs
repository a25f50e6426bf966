//! The terminal: enter (raw mode, alternate screen, bracketed paste, mouse capture) and leave
//! again on EVERY exit path — normal return, error, and panic on any thread.
//!
//! `ratatui::restore` does not undo mouse capture or bracketed paste, so this module does its
//! own restore. It is idempotent and guarded by a flag: once the terminal has been restored
//! (for instance by the panic hook, while a background task panicked and the loop has not
//! noticed yet), [`is_restored`] turns further drawing off so nothing is painted over the
//! user's normal screen.

use std::io::{self, Stdout, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// The terminal type of the real app.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Whether the terminal is no longer ours (restored); drawing must stop.
pub fn is_restored() -> bool {
    !ACTIVE.load(Ordering::SeqCst)
}

/// Enters the TUI screen. On failure, whatever was already switched on is switched off again.
pub fn enter(mouse: bool) -> io::Result<Tui> {
    install_panic_hook();
    MOUSE.store(mouse, Ordering::SeqCst);
    ACTIVE.store(true, Ordering::SeqCst);
    let result = (|| {
        enable_raw_mode()?;
        let mut out = io::stdout();
        // Clear directly: `Terminal::clear` would ask the terminal for the cursor position and
        // wait for an answer, a round trip the first frame does not need.
        execute!(
            out,
            EnterAlternateScreen,
            EnableBracketedPaste,
            Clear(ClearType::All)
        )?;
        if mouse {
            execute!(out, EnableMouseCapture)?;
        }
        let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        term.hide_cursor()?;
        Ok(term)
    })();
    if result.is_err() {
        restore();
    }
    result
}

/// Leaves the TUI screen: mouse capture and bracketed paste off, alternate screen left, cursor
/// shown, raw mode off. Safe to call any number of times, from any thread.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Lets go of the terminal after [`restore`]. ratatui's `Terminal` shows the cursor again when
/// dropped and reports a failure with `eprintln!` — which panics when stderr is the same dead
/// terminal (the window was closed: SIGHUP, then EIO on every write). That panic, in the panic
/// hook's own printing, aborted the process before the demo could remove its home. So the
/// cursor is shown here, and when that fails the terminal is gone and there is nothing left to
/// restore: ratatui's `Drop` is skipped (it holds only screen buffers, freed at exit).
pub fn release(mut term: Tui) {
    if term.show_cursor().is_err() {
        std::mem::forget(term);
    }
}

/// Restores the terminal when dropped (covers early returns and unwinding).
#[derive(Debug)]
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first so the panic message lands on the normal screen, readable.
        restore();
        previous(info);
    }));
}
