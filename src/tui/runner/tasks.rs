//! The tasks behind the effects that wait on something: reading the live file and the store,
//! the runtime init, the switch plan, an add, usage, a preview read or a dry verification, the
//! watcher, and a copy. Each runs in its own task (file work on the blocking pool) and reports
//! back only by message; what it reports is data, which `update` words.

use std::sync::Arc;

use super::{Runner, add, fingerprint, panic_text};
use crate::codex::agent_identity::AgentIdentity;
use crate::copy::osc52_sequence;
use crate::ops::{accounts, status, switch};
use crate::runtime::Event;
use crate::runtime::driver::{RetryPolicy, fail_now, init_agent, verify};
use crate::runtime::load::Loaded;
use crate::secret::Secret;
use crate::store;
use crate::tui::msg::Msg;
use crate::tui::outcome::VerifyFailure;
use crate::tui::{summary, usage, watch};

/// Rows completed before the first listing is shown: more than any terminal has lines (the list
/// opens at its top), few enough to read in a few milliseconds when nothing is indexed.
pub(super) const FIRST_ROWS: usize = 100;

/// The preview reads: the latest request waiting, and whether a reader is running. One reader
/// at a time takes the newest request when it finishes the last, so requests overtaken while
/// a read was running are never read at all (holding `j` through 10,000 accounts).
#[derive(Debug, Default)]
pub(super) struct PreviewQueue {
    next: Option<(u64, String)>,
    running: bool,
}

impl Runner {
    pub(super) fn load_live(&self, generation: u64) {
        self.blocking(move |s| {
            let live = status::live_at(&s.paths, &s.env);
            Msg::LiveLoaded {
                generation,
                fingerprint: fingerprint(&live),
                loaded: Box::new(Loaded::from_live(&live)),
            }
        });
    }

    /// Lists the store: the first rows as soon as they are read, then the whole listing.
    pub(super) fn load_store(&self, generation: u64) {
        let tx = self.tx.clone();
        self.blocking(move |s| {
            let previous = accounts::previous_at(&s.paths);
            // Names and the rows on screen first, when the rest takes reading files.
            let stage = |rows: Vec<store::AccountSummary>| {
                let _ = tx.send(Msg::StoreLoaded {
                    generation,
                    listing: Ok(rows.iter().map(summary::row_of).collect()),
                    previous: previous.clone(),
                });
            };
            let listing = accounts::list_staged_at(&s.paths, &s.env, FIRST_ROWS, stage).map(|l| {
                // Open account files, from the listing's own `stat`s.
                let _ = tx.send(Msg::OpenAccountFiles(l.files_warning));
                l.accounts.iter().map(summary::row_of).collect()
            });
            Msg::StoreLoaded {
                generation,
                listing,
                previous,
            }
        });
    }

    /// Starts the Agent Identity runtime init, aborting any earlier one.
    pub(super) fn start_runtime(&mut self, generation: u64, identity: AgentIdentity) {
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

    pub(super) fn plan_switch(&self, name: String) {
        self.blocking(move |s| {
            let plan = switch::plan_at(&s.paths, &s.env, &name)
                .map(|p| summary::preview_of(&p.plan, &p.codex_running));
            Msg::SwitchPlanned(Box::new(plan))
        });
    }

    pub(super) fn add(&self, name: String, material: Secret) {
        let shared = Arc::clone(&self.shared);
        let tx = self.tx.clone();
        self.spawn(async move {
            let done = add::run(&shared, name, material).await;
            let _ = tx.send(Msg::OpDone(Box::new(done)));
        });
    }

    pub(super) fn fetch_usage(
        &self,
        scope: usage::Scope,
        policy: crate::usage::gather::Policy,
        task: Option<crate::usage::gather::RegisteredTask>,
    ) {
        let paths = self.shared.paths.clone();
        let env = self.shared.env.clone();
        // The usage default (10 s), shortened by a smaller --timeout.
        let timeout = crate::usage::fetch::USAGE_TIMEOUT.min(self.shared.timeout);
        let tx = self.tx.clone();
        self.spawn(async move {
            let msg = usage::run_fetch(paths, env, timeout, scope, policy, task).await;
            let _ = tx.send(msg);
        });
    }

    /// The dry verification of a previewed identity: only the JWKS fetch and the signature
    /// check, never a task registration. A newer one aborts the one in flight.
    pub(super) fn verify_preview(&mut self, generation: u64, identity: AgentIdentity) {
        if let Some(v) = self.verify.take() {
            v.abort();
        }
        let shared = Arc::clone(&self.shared);
        let tx = self.tx.clone();
        self.verify = Some(self.spawn(async move {
            let result = match shared.backend() {
                Ok(backend) => verify(&identity, backend, &RetryPolicy::default(), &|_| {})
                    .await
                    .map_err(VerifyFailure::Failed),
                Err(e) => Err(VerifyFailure::NoBackend(e.clone())),
            };
            let _ = tx.send(Msg::PreviewVerified { generation, result });
        }));
    }

    pub(super) fn watch(&mut self) {
        match watch::Watcher::start(&self.shared.paths, self.tx.clone()) {
            Ok(w) => self.watcher = Some(w),
            Err(e) => {
                let _ = self.tx.send(Msg::WatchFailed(e));
            }
        }
    }

    /// Sets the system clipboard and queues the OSC 52 sequence for the loop to write.
    pub(super) fn copy(&mut self, copy_id: u64, what: String, text: &Secret, clear: Option<u64>) {
        self.osc.push(osc52_sequence(text.expose()));
        let native = self.clipboard.set(text.expose());
        if let Some(secs) = clear {
            self.schedule_clear(copy_id, secs);
        }
        let _ = self.tx.send(Msg::Copied { what, native });
    }

    /// Queues a preview read; starts a reader unless one is running (it will take this one).
    pub(super) fn load_preview(&self, generation: u64, name: String) {
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
                let loaded = status::peek_at(&shared.paths, &name);
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
}
