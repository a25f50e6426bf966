//! The runner: the ONE executor of [`Effect`]s. Each effect that waits on something runs in
//! its own task; tasks report back ONLY by sending a [`Msg`] into the inbox, tagged with the
//! generation they were started under.
//!
//! The few effects that touch the terminal or the clipboard (copy, clear, quit) are executed
//! here too, synchronously: a copy sets the system clipboard and queues its OSC 52 sequence,
//! which the loop takes with [`Runner::take_osc`] and writes between frames (never in the middle
//! of drawing). [`Effect::Quit`] is the one way to stop: it aborts everything in flight and
//! the loop ends once it sees [`Runner::stopped`].
//!
//! File work (reading auth.json, listing the store, switching…) runs on tokio's blocking pool,
//! network work (the runtime init, JWKS for the add form) on the async workers, so nothing ever
//! blocks the loop. The runtime init is abortable: the runner keeps its abort handle and aborts
//! it when a new generation starts or the app quits. Every task is watched: if one panics, the
//! loop gets [`Msg::TaskPanicked`] and exits cleanly instead of leaving a half-alive UI.
//!
//! The HTTP client is built once per session, lazily, inside the first task that needs it (so
//! building it never delays the first frame).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::{AbortHandle, JoinError};

use super::msg::{Effect, Msg};
use super::outcome::{Done, Failure, Op, OpDone};
use super::watch;
use crate::copy::{Clipboard, osc52_sequence};
use crate::secret::Zeroizing;
#[cfg(test)]
use tasks::FIRST_ROWS;
use tasks::PreviewQueue;

/// Executes effects.
pub struct Runner {
    tx: UnboundedSender<Msg>,
    shared: Arc<Shared>,
    previews: Arc<std::sync::Mutex<PreviewQueue>>,
    /// The dry verification in flight (aborted when a newer one starts).
    verify: Option<AbortHandle>,
    runtime: Option<AbortHandle>,
    clear: Option<AbortHandle>,
    watcher: Option<watch::Watcher>,
    /// The system clipboard, kept for the whole session (on Linux its content vanishes when
    /// it is dropped).
    clipboard: Clipboard,
    /// OSC 52 sequences waiting for the loop to write them after the next frame.
    osc: Vec<Zeroizing<String>>,
    /// [`Effect::Quit`] was executed: everything is aborted and the loop must end.
    stopped: bool,
}

fn panic_text(e: &JoinError) -> String {
    e.to_string()
}

impl Runner {
    pub fn new(tx: UnboundedSender<Msg>, shared: Arc<Shared>, clipboard: Clipboard) -> Self {
        Self {
            tx,
            shared,
            previews: Arc::default(),
            verify: None,
            runtime: None,
            clear: None,
            watcher: None,
            clipboard,
            osc: Vec::new(),
            stopped: false,
        }
    }

    /// Whether [`Effect::Quit`] was executed (the loop stops draining and ends).
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// The OSC 52 sequences queued since the last call, for the loop to write between frames.
    pub fn take_osc(&mut self) -> Vec<Zeroizing<String>> {
        std::mem::take(&mut self.osc)
    }

    /// Spawns `fut` on the async workers, reporting a panic as [`Msg::TaskPanicked`].
    fn spawn<F>(&self, fut: F) -> AbortHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let handle = tokio::spawn(fut);
        let abort = handle.abort_handle();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            if let Err(e) = handle.await
                && e.is_panic()
            {
                let _ = tx.send(Msg::TaskPanicked(panic_text(&e)));
            }
        });
        abort
    }

    /// Runs blocking file work on the blocking pool and sends its message.
    fn blocking<F>(&self, work: F)
    where
        F: FnOnce(&Shared) -> Msg + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        let tx = self.tx.clone();
        let handle = tokio::task::spawn_blocking(move || work(&shared));
        tokio::spawn(async move {
            match handle.await {
                Ok(msg) => {
                    let _ = tx.send(msg);
                }
                Err(e) if e.is_panic() => {
                    let _ = tx.send(Msg::TaskPanicked(panic_text(&e)));
                }
                Err(_) => {}
            }
        });
    }

    /// Runs a file operation on the blocking pool; it reports what it did as data.
    fn op<F>(&self, op: Op, work: F)
    where
        F: FnOnce(&Shared) -> Result<Done, Failure> + Send + 'static,
    {
        self.blocking(move |s| {
            let result = work(s);
            Msg::OpDone(Box::new(OpDone {
                op,
                result,
                calls: Vec::new(),
            }))
        });
    }

    /// Aborts everything in flight (quit, or the loop ending on an error).
    pub fn shutdown(&mut self) {
        self.cancel_runtime();
        if let Some(v) = self.verify.take() {
            v.abort();
        }
        if let Some(c) = self.clear.take() {
            c.abort();
        }
        self.watcher = None;
    }

    fn cancel_runtime(&mut self) {
        if let Some(h) = self.runtime.take() {
            h.abort();
        }
    }

    /// Schedules the auto-clear of copy number `copy_id`.
    fn schedule_clear(&mut self, copy_id: u64, secs: u64) {
        if let Some(c) = self.clear.take() {
            c.abort();
        }
        let tx = self.tx.clone();
        self.clear = Some(self.spawn(async move {
            tokio::time::sleep(Duration::from_secs(secs)).await;
            let _ = tx.send(Msg::ClearClipboardDue { copy_id });
        }));
    }

    /// Executes one effect (every kind: this is the only place effects are executed). After
    /// [`Effect::Quit`] nothing more is started.
    pub fn execute(&mut self, effect: Effect) {
        tracing::debug!(effect = effect.name(), "tui effect");
        if self.stopped {
            return;
        }
        if matches!(effect, Effect::LoadLive { .. } | Effect::LoadStore { .. })
            && let Some(w) = &mut self.watcher
        {
            w.ensure(&self.shared.paths);
        }
        match effect {
            Effect::LoadLive { generation } => self.load_live(generation),
            Effect::LoadStore { generation } => self.load_store(generation),
            Effect::StartRuntime {
                generation,
                identity,
            } => self.start_runtime(generation, *identity),
            Effect::CancelRuntime => self.cancel_runtime(),
            Effect::PlanSwitch { name } => self.plan_switch(name),
            Effect::Switch { name } => {
                let op = Op::Switch { name: name.clone() };
                self.op(op, move |s| ops::switch(s, &name));
            }
            Effect::SetMode { mode } => {
                let op = Op::SetMode { mode: mode.clone() };
                self.op(op, move |s| ops::set_mode(s, &mode));
            }
            Effect::SaveLive { name } => {
                let op = Op::Save { name: name.clone() };
                self.op(op, move |s| ops::save(s, &name));
            }
            Effect::Rename { from, to } => {
                let op = Op::Rename {
                    from: from.clone(),
                    to: to.clone(),
                };
                self.op(op, move |s| ops::rename(s, &from, &to));
            }
            Effect::Remove { name } => {
                let op = Op::Remove { name: name.clone() };
                self.op(op, move |s| ops::remove(s, &name));
            }
            Effect::Undo { name } => {
                let op = Op::Undo { name: name.clone() };
                self.op(op, move |s| ops::undo(s, &name));
            }
            Effect::Add { name, material } => self.add(name, material),
            Effect::FetchUsage {
                scope,
                policy,
                task,
            } => self.fetch_usage(scope, policy, task),
            Effect::LoadPreview { generation, name } => self.load_preview(generation, name),
            Effect::VerifyPreview {
                generation,
                identity,
            } => self.verify_preview(generation, *identity),
            Effect::Watch => self.watch(),
            Effect::Copy {
                copy_id,
                what,
                text,
                clear_after,
            } => self.copy(copy_id, what, &text, clear_after),
            Effect::ClearClipboard => {
                self.osc.push(osc52_sequence(""));
                let _ = self.clipboard.clear();
            }
            Effect::Quit => {
                tracing::debug!("tui quit");
                self.shutdown();
                self.stopped = true;
            }
        }
    }
}

mod add;
mod ops;
mod shared;
mod tasks;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ops;
#[cfg(test)]
mod tests_preview;

pub use shared::{Shared, fingerprint};
