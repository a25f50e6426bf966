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

use std::collections::hash_map::DefaultHasher;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::{AbortHandle, JoinError};

use super::msg::{Effect, Msg};
use super::outcome::{Done, Failure, Op, OpDone, VerifyFailure};
use super::{summary, watch};
use crate::backend::Backend;
use crate::copy::{Clipboard, osc52_sequence};
use crate::ops::Env;
use crate::runtime::driver::{RetryPolicy, backend_for_home, fail_now, init_agent, verify};
use crate::runtime::load::Loaded;
use crate::runtime::{Event, InitError};
use crate::secret::Zeroizing;
use crate::store::{self, Live, Paths, Store};

/// Rows completed before the first listing is shown: more than any terminal has lines (the list
/// opens at its top), few enough to read in a few milliseconds when nothing is indexed.
const FIRST_ROWS: usize = 100;

/// What every task may read: fixed for the session.
#[derive(Debug)]
pub struct Shared {
    pub paths: Paths,
    pub env: Env,
    pub offline: bool,
    pub timeout: Duration,
    backend: OnceLock<Result<Backend, InitError>>,
}

impl Shared {
    pub fn new(paths: Paths, env: Env, offline: bool, timeout: Duration) -> Self {
        Self {
            paths,
            env,
            offline,
            timeout,
            backend: OnceLock::new(),
        }
    }

    /// The session's HTTP client (built on first use).
    pub fn backend(&self) -> &Result<Backend, InitError> {
        self.backend.get_or_init(|| {
            backend_for_home(
                &self.env.as_fn(),
                Some(&self.paths.config_toml()),
                self.timeout,
            )
        })
    }
}

/// The preview reads: the latest request waiting, and whether a reader is running. One reader
/// at a time takes the newest request when it finishes the last, so requests overtaken while
/// a read was running are never read at all (holding `j` through 10,000 accounts).
#[derive(Debug, Default)]
struct PreviewQueue {
    next: Option<(u64, String)>,
    running: bool,
}

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

/// A fingerprint of what the live credential is, so a reload that finds the same content (our
/// own write echoed by the watcher) keeps the running runtime.
pub fn fingerprint(live: &Live) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{:?}", live.source).hash(&mut h);
    live.env_token
        .as_ref()
        .map(|t| t.expose().to_string())
        .hash(&mut h);
    match &live.file {
        store::FileState::Doc { doc, .. } => doc.as_bytes().hash(&mut h),
        other => other.problem().hash(&mut h),
    }
    live.store_kind.as_str().hash(&mut h);
    h.finish()
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

    /// Queues a preview read; starts a reader unless one is running (it will take this one).
    fn load_preview(&self, generation: u64, name: String) {
        {
            let mut q = self
                .previews
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            q.next = Some((generation, name));
            if q.running {
                return;
            }
            q.running = true;
        }
        let queue = Arc::clone(&self.previews);
        let shared = Arc::clone(&self.shared);
        let tx = self.tx.clone();
        let handle = tokio::task::spawn_blocking(move || {
            loop {
                let job = {
                    let mut q = queue
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let Some(job) = q.next.take() else {
                        // A request queued from now on starts its own reader.
                        q.running = false;
                        return;
                    };
                    job
                };
                let (generation, name) = job;
                let loaded = super::preview::read(&shared.paths, &name);
                let _ = tx.send(Msg::PreviewLoaded {
                    generation,
                    name,
                    loaded: Box::new(loaded),
                });
            }
        });
        let tx = self.tx.clone();
        let queue = Arc::clone(&self.previews);
        tokio::spawn(async move {
            if let Err(e) = handle.await {
                // Never leave the queue marked running after a failed reader.
                queue
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .running = false;
                if e.is_panic() {
                    let _ = tx.send(Msg::TaskPanicked(panic_text(&e)));
                }
            }
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
            Effect::LoadLive { generation } => self.blocking(move |s| {
                let live = store::read_live(&s.paths, &s.env.as_fn());
                Msg::LiveLoaded {
                    generation,
                    fingerprint: fingerprint(&live),
                    loaded: Box::new(Loaded::from_live(&live)),
                }
            }),
            Effect::LoadStore { generation } => {
                let tx = self.tx.clone();
                self.blocking(move |s| {
                    let live = store::read_live(&s.paths, &s.env.as_fn());
                    let previous = store::previous_account(&s.paths);
                    // Names and the rows on screen first, when the rest takes reading files.
                    let stage = |rows: Vec<store::AccountSummary>| {
                        let _ = tx.send(Msg::StoreLoaded {
                            generation,
                            listing: Ok(rows.iter().map(summary::row_of).collect()),
                            previous: previous.clone(),
                        });
                    };
                    let listing = store::summaries_staged(
                        &Store::new(&s.paths),
                        live.file.doc(),
                        FIRST_ROWS,
                        stage,
                    )
                    .map(|rows| {
                        // Open account files, from the listing's own `stat`s.
                        let open = store::account_files_warning_in(&s.paths.store, &rows);
                        let _ = tx.send(Msg::OpenAccountFiles(open));
                        rows.iter().map(summary::row_of).collect()
                    })
                    .map_err(|e| e.to_string());
                    Msg::StoreLoaded {
                        generation,
                        listing,
                        previous,
                    }
                });
            }
            Effect::StartRuntime {
                generation,
                identity,
            } => {
                self.cancel_runtime();
                let tx = self.tx.clone();
                let shared = Arc::clone(&self.shared);
                self.runtime = Some(self.spawn(async move {
                    let sink = move |event: Event| {
                        let _ = tx.send(Msg::Runtime {
                            generation,
                            event: Box::new(event),
                        });
                    };
                    match shared.backend() {
                        Ok(backend) => {
                            init_agent(&identity, backend, &RetryPolicy::default(), &sink).await;
                        }
                        Err(e) => {
                            fail_now(&sink, e.clone());
                        }
                    }
                }));
            }
            Effect::CancelRuntime => self.cancel_runtime(),
            Effect::PlanSwitch { name } => self.blocking(move |s| {
                let plan = store::plan_switch(&s.paths, &name, &s.env.as_fn())
                    .map(|plan| summary::preview_of(&plan, &store::codex_processes()))
                    .map_err(|e| e.to_string());
                Msg::SwitchPlanned(Box::new(plan))
            }),
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
            Effect::Add { name, material } => {
                let shared = Arc::clone(&self.shared);
                let tx = self.tx.clone();
                self.spawn(async move {
                    let done = add::run(&shared, name, material).await;
                    let _ = tx.send(Msg::OpDone(Box::new(done)));
                });
            }
            Effect::FetchUsage { scope, policy } => {
                let paths = self.shared.paths.clone();
                let env = self.shared.env.clone();
                // The usage default (10 s), shortened by a smaller --timeout.
                let timeout = crate::usage::fetch::USAGE_TIMEOUT.min(self.shared.timeout);
                let tx = self.tx.clone();
                self.spawn(async move {
                    let msg = super::usage::run_fetch(paths, env, timeout, scope, policy).await;
                    let _ = tx.send(msg);
                });
            }
            Effect::LoadPreview { generation, name } => self.load_preview(generation, name),
            Effect::VerifyPreview {
                generation,
                identity,
            } => {
                if let Some(v) = self.verify.take() {
                    v.abort();
                }
                let shared = Arc::clone(&self.shared);
                let tx = self.tx.clone();
                self.verify = Some(self.spawn(async move {
                    // Only the JWKS fetch and the signature check: never a task registration.
                    let result = match shared.backend() {
                        Ok(backend) => verify(&identity, backend, &RetryPolicy::default(), &|_| {})
                            .await
                            .map_err(VerifyFailure::Failed),
                        Err(e) => Err(VerifyFailure::NoBackend(e.clone())),
                    };
                    let _ = tx.send(Msg::PreviewVerified { generation, result });
                }));
            }
            Effect::Watch => match watch::Watcher::start(&self.shared.paths, self.tx.clone()) {
                Ok(w) => self.watcher = Some(w),
                Err(e) => {
                    let _ = self.tx.send(Msg::WatchFailed(e));
                }
            },
            Effect::Copy {
                copy_id,
                what,
                text,
                clear_after,
            } => {
                self.osc.push(osc52_sequence(text.expose()));
                let native = self.clipboard.set(text.expose());
                if let Some(secs) = clear_after {
                    self.schedule_clear(copy_id, secs);
                }
                let _ = self.tx.send(Msg::Copied { what, native });
            }
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
#[cfg(test)]
mod tests;
