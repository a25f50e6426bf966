//! The whole state of the TUI as plain data: what `update` changes and `render` borrows.
//!
//! Nothing here does IO or holds a handle (no sender, no lock, no terminal): a model can be
//! built in a test or a benchmark, driven with messages, and rendered to a `TestBackend`.
//! Derived views are cached here when their inputs change — the status report, the header
//! preview, the per-account summaries and the filtered index — so neither a keypress nor a
//! frame ever re-reads a file or re-parses a credential.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::msg::CopyFormat;
use crate::report::{SourceReport, StatusReport};
use crate::runtime::load::Loaded;
use crate::runtime::{RuntimeModel, State, TaskStatus};
use crate::secret::Secret;

mod list;
mod overlay;

pub use list::AccountList;
pub use overlay::{AddForm, MaterialKind, Overlay, Prompt, PromptKind};

/// How many event-log lines are kept.
pub const LOG_CAPACITY: usize = 500;

/// The panes, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::VariantArray)]
pub enum Pane {
    #[default]
    Accounts,
    Account,
    Plan,
    AuthMode,
    Task,
    Headers,
}

impl Pane {
    /// Every pane, in focus order (the declaration order).
    pub const ALL: &'static [Pane] = <Pane as strum::VariantArray>::VARIANTS;

    pub fn title(self) -> &'static str {
        match self {
            Self::Accounts => "Accounts",
            Self::Account => "Account",
            Self::Plan => "Plan",
            Self::AuthMode => "Auth mode",
            Self::Task => "Task",
            Self::Headers => "Headers",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    #[must_use]
    pub fn next(self) -> Self {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    #[must_use]
    pub fn prev(self) -> Self {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

/// The header preview, derived from the live credential and its runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderPreview {
    /// `(name, masked value)` per header, or why there are no headers.
    pub masked: Result<Vec<(String, String)>, String>,
    /// The values themselves, kept only while secrets are revealed (`v`).
    pub revealed: Option<Vec<(String, Secret)>>,
}

/// The live credential as shown.
#[derive(Debug, Clone)]
pub struct LiveView {
    /// Generation of the latest load request.
    pub generation: u64,
    /// `None` until the first load finishes (the first frame shows `Loading`).
    pub loaded: Option<Loaded>,
    /// Content fingerprint of `loaded`.
    pub fingerprint: Option<u64>,
    pub runtime: RuntimeModel,
    /// Generation of the runtime init in flight (events of other generations are dropped).
    pub runtime_generation: u64,
    /// Cached report of `loaded` + `runtime`.
    pub report: StatusReport,
    pub headers: HeaderPreview,
}

impl Default for LiveView {
    fn default() -> Self {
        let runtime = RuntimeModel::settled(
            State::Loading {
                phase: crate::runtime::Phase::Loading,
            },
            TaskStatus::NotNeeded,
        );
        Self {
            generation: 0,
            loaded: None,
            fingerprint: None,
            report: StatusReport::build(SourceReport::None, None, &runtime, Vec::new()),
            runtime,
            runtime_generation: 0,
            headers: HeaderPreview {
                masked: Err("loading".to_string()),
                revealed: None,
            },
        }
    }
}

/// How the status line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warn,
    Bad,
}

/// The one-line status under the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub tone: Tone,
    /// Set by the runtime's outcome (cleared when it is no longer true).
    pub from_runtime: bool,
}

/// One line of the event log overlay (`l`): file writes and HTTP calls, never secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// Where a copy goes: OSC 52 always; the system clipboard unless `--no-system-clipboard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CopyTo {
    #[default]
    TerminalAndSystem,
    TerminalOnly,
}

/// Options fixed for the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    pub offline: bool,
    pub mouse: bool,
    pub no_color: bool,
    /// Clear the clipboard this many seconds after a copy.
    pub clear_clipboard: Option<u64>,
    /// Where copies go (the copy menu says so).
    pub copy_to: CopyTo,
    /// Whose usage is asked for at the start: the live account's; every account's only in the
    /// demo, against its mock, so the headroom column fills in at once (a real store never
    /// does: thousands of accounts would mean thousands of requests).
    pub usage_at_start: super::usage::Scope,
}

/// A file operation in flight (shown with a spinner; further file operations wait).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub what: String,
    pub since: DateTime<Utc>,
}

/// Everything the TUI shows.
#[derive(Debug, Clone)]
pub struct Model {
    pub now: DateTime<Utc>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub settings: Settings,
    pub focus: Pane,
    pub live: LiveView,
    pub accounts: AccountList,
    /// Usage figures per account (the Usage pane, the headroom column, `b`).
    pub usage: super::usage::UsageView,
    /// The selected account when it is not the live one (the detail panes show it).
    pub preview: super::preview::PreviewView,
    pub overlay: Overlay,
    /// Secrets shown in clear (`v`).
    pub reveal: bool,
    pub status: Option<StatusLine>,
    pub log: VecDeque<LogEntry>,
    /// The open-account-files warning last logged (so a reload does not repeat it).
    pub open_files_warning: Option<String>,
    /// Scroll of the Task pane's step list (0 = follow the newest).
    pub task_scroll: usize,
    pub pending: Option<Pending>,
    /// The last removed account, for `u`.
    pub undo: Option<String>,
    /// Counts copies so a late auto-clear never wipes a newer copy.
    pub copy_id: u64,
    /// Frames drawn while busy advance the spinner.
    pub spinner: usize,
    /// Optional text shown in the title bar (the demo says so).
    pub banner: Option<String>,
    /// Why the app must stop with an error (a background task panicked).
    pub fatal: Option<String>,
    /// Something changed since the last frame.
    pub dirty: bool,
}

impl Model {
    pub fn new(now: DateTime<Utc>, size: (u16, u16), settings: Settings) -> Self {
        Self {
            now,
            size,
            settings,
            focus: Pane::Accounts,
            live: LiveView::default(),
            accounts: AccountList {
                follow_active: true,
                ..AccountList::default()
            },
            preview: super::preview::PreviewView::default(),
            usage: super::usage::UsageView::default(),
            overlay: Overlay::None,
            reveal: false,
            status: None,
            log: VecDeque::new(),
            open_files_warning: None,
            task_scroll: 0,
            pending: None,
            undo: None,
            copy_id: 0,
            spinner: 0,
            banner: None,
            fatal: None,
            dirty: true,
        }
    }

    /// Whether something is in flight that needs a tick (spinner, elapsed time, countdown).
    pub fn busy(&self) -> bool {
        self.live.loaded.is_none() || self.live.runtime.busy() || self.pending.is_some()
    }

    /// Appends to the event log, dropping the oldest lines beyond [`LOG_CAPACITY`].
    pub fn log_line(&mut self, text: impl Into<String>) {
        if self.log.len() >= LOG_CAPACITY {
            self.log.pop_front();
        }
        self.log.push_back(LogEntry {
            at: self.now,
            text: text.into(),
        });
    }

    pub fn set_status(&mut self, tone: Tone, text: impl Into<String>) {
        self.status = Some(StatusLine {
            text: text.into(),
            tone,
            from_runtime: false,
        });
    }

    /// A status that describes the runtime's outcome; [`Model::clear_runtime_status`] drops it
    /// when a new run, a reload or a success makes it stale.
    pub fn set_runtime_status(&mut self, tone: Tone, text: impl Into<String>) {
        self.status = Some(StatusLine {
            text: text.into(),
            tone,
            from_runtime: true,
        });
    }

    /// Drops the status if the runtime set it; others ("copied", errors of file operations) stay.
    pub fn clear_runtime_status(&mut self) {
        if self.status.as_ref().is_some_and(|s| s.from_runtime) {
            self.status = None;
        }
    }

    /// The copy format at a menu position.
    pub fn copy_format(selected: usize) -> CopyFormat {
        CopyFormat::ALL
            .get(selected)
            .copied()
            .unwrap_or(CopyFormat::Value)
    }
}

#[cfg(test)]
mod pane_tests {
    use super::Pane;

    #[test]
    fn focus_cycles_through_every_pane_in_order() {
        assert_eq!(Pane::ALL.len(), 6);
        assert_eq!(Pane::ALL.first(), Some(&Pane::Accounts));
        let mut p = Pane::Accounts;
        for expected in Pane::ALL.iter().skip(1).chain([&Pane::Accounts]) {
            p = p.next();
            assert_eq!(p, *expected);
        }
        assert_eq!(Pane::Accounts.prev(), Pane::Headers);
        assert!(Pane::ALL.iter().all(|p| p.next().prev() == *p));
    }
}
