//! The loop: ONE inbox, drain the burst, draw once if dirty, sleep until something happens.
//!
//! ```text
//!   terminal events ─┐
//!   inbox (runner, watcher, timers) ─┼─► update(&mut Model, Msg) ─► Vec<Effect> ─► Runner
//!   tick (only while busy) ──────────┘          │
//!                                      dirty? draw once ─► pending OSC 52 written
//! ```
//!
//! * The first frame is drawn before any effect is started, so the screen shows `Loading`
//!   immediately and never waits on a file, the JWKS or a registration.
//! * Terminal input is forwarded into the same inbox by its own task. After one message,
//!   everything already queued is applied before drawing (a burst of runtime events or of
//!   keys costs one frame, not one frame each).
//! * The tick branch exists only while [`Model::busy`]: idle means no timer and no wakeups.
//! * Every effect goes to the one executor, the [`Runner`]. A copy's OSC 52 sequence is
//!   queued there and written here after the frame is flushed, so it never interleaves with
//!   drawing. The loop ends when the runner has executed [`Effect::Quit`](super::msg::Effect).
//!
//! The loop is generic over the ratatui backend, the terminal event stream and the OSC output,
//! so it can be driven in tests with a `TestBackend`, a scripted stream and a byte buffer.

use std::io::{self, Write};
use std::time::Duration;

use chrono::Utc;
use futures::{Stream, StreamExt as _};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::time::MissedTickBehavior;

use super::model::Model;
use super::msg::{Closed, Msg};
use super::runner::Runner;
use super::terminal;
use super::ui;
use super::update::{init, update};
use crate::secret::Secret;

/// How often the screen refreshes while something is in flight.
pub const TICK: Duration = Duration::from_millis(100);

/// Everything the loop drives.
pub struct App<'a, B: Backend, W: Write> {
    pub terminal: &'a mut Terminal<B>,
    pub model: Model,
    pub runner: Runner,
    pub tx: UnboundedSender<Msg>,
    pub rx: UnboundedReceiver<Msg>,
    /// Where OSC 52 goes (the terminal's stdout).
    pub osc: W,
    /// Stop drawing when the real terminal was restored by the panic hook.
    pub real_terminal: bool,
}

/// Forwards terminal events into the inbox until the input ends.
async fn forward_input<S>(mut events: S, tx: UnboundedSender<Msg>)
where
    S: Stream<Item = io::Result<TermEvent>> + Unpin,
{
    while let Some(ev) = events.next().await {
        let msg = match ev {
            Ok(ev) => match to_msg(ev) {
                Some(msg) => msg,
                None => continue,
            },
            Err(e) => Msg::InputClosed(Closed::ReadFailed(e.to_string())),
        };
        let stop = matches!(msg, Msg::InputClosed(_));
        if tx.send(msg).is_err() || stop {
            return;
        }
    }
    let _ = tx.send(Msg::InputClosed(Closed::Ended));
}

/// Turns SIGTERM, SIGHUP and SIGINT into a clean exit (terminal restored, runtime aborted)
/// instead of dying with the terminal still in raw mode on the alternate screen.
pub async fn forward_signals(tx: UnboundedSender<Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
        signal(SignalKind::interrupt()),
    ) else {
        return;
    };
    let name = tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = hup.recv() => "SIGHUP",
        _ = int.recv() => "SIGINT",
    };
    let _ = tx.send(Msg::InputClosed(Closed::Signal(name)));
}

/// A terminal event as a message; `None` for what the app ignores.
pub fn to_msg(ev: TermEvent) -> Option<Msg> {
    match ev {
        TermEvent::Key(k) if k.kind == KeyEventKind::Press => Some(Msg::Key(k)),
        TermEvent::Paste(s) => Some(Msg::Paste(Secret::new(s))),
        TermEvent::Mouse(m) => Some(Msg::Mouse(m)),
        TermEvent::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

impl<B: Backend, W: Write> App<'_, B, W>
where
    B::Error: std::fmt::Display,
{
    fn draw(&mut self) -> Result<(), String> {
        if self.real_terminal && terminal::is_restored() {
            return Ok(());
        }
        let model = &self.model;
        self.terminal
            .draw(|f| ui::render(model, f))
            .map_err(|e| format!("could not draw: {e}"))?;
        self.model.dirty = false;
        Ok(())
    }

    /// Applies one message and hands its effects to the runner.
    fn apply(&mut self, msg: Msg) {
        for effect in update(&mut self.model, msg) {
            self.runner.execute(effect);
        }
    }

    /// Writes the OSC 52 sequences the runner queued (copies, clears), after the frame.
    fn write_osc(&mut self) -> Result<(), String> {
        let queued = self.runner.take_osc();
        if queued.is_empty() {
            return Ok(());
        }
        for seq in queued {
            self.osc
                .write_all(seq.as_bytes())
                .map_err(|e| format!("could not write to the terminal: {e}"))?;
        }
        self.osc
            .flush()
            .map_err(|e| format!("could not write to the terminal: {e}"))
    }

    /// Runs until quit. Returns the final model (its `fatal` says whether it ended in error).
    ///
    /// Terminal events are forwarded into the inbox by their own task, so the loop waits on
    /// one queue (plus the tick while busy) and drains bursts of both kinds alike. (Polling
    /// crossterm's `EventStream` with a no-op waker to drain it would lose its wake-up.)
    pub async fn run<S>(mut self, events: S) -> Result<Model, String>
    where
        S: Stream<Item = io::Result<TermEvent>> + Send + Unpin + 'static,
    {
        let input = tokio::spawn(forward_input(events, self.tx.clone()));
        let result = self.run_inner().await;
        // On an error too: nothing of the session may keep running.
        self.runner.shutdown();
        input.abort();
        result.map(|()| self.model)
    }

    async fn run_inner(&mut self) -> Result<(), String> {
        self.apply(Msg::Clock(Utc::now()));
        if let Ok(size) = self.terminal.size() {
            self.apply(Msg::Resize(size.width, size.height));
        }
        self.draw()?;
        for effect in init(&mut self.model) {
            self.runner.execute(effect);
        }
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        // Once a minute, only while a usage reset countdown or an expiry is on screen.
        let mut minute = tokio::time::interval(std::time::Duration::from_secs(60));
        minute.set_missed_tick_behavior(MissedTickBehavior::Delay);
        minute.reset();
        loop {
            let busy = self.model.busy();
            let countdown = (crate::tui::ui::usage::shows_usage(&self.model)
                || crate::tui::ui::usage::shown_below_task(&self.model))
                && self
                    .model
                    .usage
                    .wants_minute_tick(crate::tui::ui::usage::shown_name(&self.model));
            // "expires in 20m" in the Account pane is redrawn by the same minute.
            let expiry = crate::tui::ui::account::shows_expiry(&self.model);
            let first = tokio::select! {
                msg = self.rx.recv() => match msg {
                    Some(msg) => msg,
                    None => return Err("the inbox closed".to_string()),
                },
                _ = ticker.tick(), if busy => Msg::Tick,
                _ = minute.tick(), if countdown || expiry => {
                    if countdown { Msg::UsageMinute } else { Msg::Minute }
                }
            };
            self.apply(Msg::Clock(Utc::now()));
            self.apply(first);
            // Drain the burst: everything already queued, before one frame.
            while !self.runner.stopped() {
                let Ok(msg) = self.rx.try_recv() else { break };
                self.apply(msg);
            }
            if self.runner.stopped() {
                return Ok(());
            }
            if self.model.dirty {
                self.draw()?;
            }
            self.write_osc()?;
        }
    }
}

#[cfg(test)]
mod tests;
