//! The two vocabularies of the app: [`Msg`] (everything that can happen) and [`Effect`]
//! (everything `update` may ask the outside world to do).
//!
//! Both are plain data. Terminal input, background results, the file watcher and timers all
//! arrive as a `Msg` in ONE inbox; `update` turns each into state changes plus a list of
//! `Effect`s; the runner executes each effect in its own task and reports back only by sending
//! another `Msg`. Every background result carries the *generation* it was started under, so a
//! result that arrives after the user moved on (a reload superseded by another, a runtime init
//! that was retried) is recognised as stale and dropped instead of overwriting newer state.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::codex::agent_identity::AgentIdentity;
use crate::codex::credential::AuthMode;
use crate::runtime::Event;
use crate::runtime::load::Loaded;
use crate::secret::Secret;

/// One account of the store, summarised once when the listing is loaded (never re-parsed per
/// frame or per keypress). Strings are raw data; the renderer cleans them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountRow {
    pub name: String,
    /// The `auth_mode` in force (explicit or resolved).
    pub mode: Option<String>,
    /// Who it is: email, else agent runtime id, else the masked API key.
    pub who: Option<String>,
    /// Plan display name.
    pub plan: Option<String>,
    /// The live credential is this account.
    pub active: bool,
    /// The live file holds newer tokens of this account (switching back would be stale).
    pub stale: bool,
    /// Why the file cannot be used, when it cannot.
    pub problem: Option<String>,
    /// Lower-case text the `/` filter matches against.
    pub haystack: String,
}

impl AccountRow {
    /// Fills [`AccountRow::haystack`] from the other fields.
    #[must_use]
    pub fn indexed(mut self) -> Self {
        self.haystack = [
            Some(self.name.as_str()),
            self.who.as_deref(),
            self.plan.as_deref(),
            self.mode.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
        self
    }
}

/// One changed key of auth.json in a switch preview, already masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub key: String,
    pub before: String,
    pub after: String,
}

/// What a switch would do, for the confirm popup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SwitchPreview {
    pub name: String,
    pub changes: Vec<DiffLine>,
    /// Running Codex processes that keep the old credential until restarted.
    pub processes: Vec<String>,
    /// Things the user should know before confirming (sync-back, env override…).
    pub notes: Vec<String>,
    /// Why the switch cannot happen (keyring store, unreadable account…); confirm is refused.
    pub blocked: Option<String>,
}

pub use super::outcome::{Op, OpDone};

/// Which header format to copy (the copy menu lists them in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum CopyFormat {
    Value,
    Http,
    Curl,
}

impl CopyFormat {
    pub const ALL: &'static [CopyFormat] = <CopyFormat as strum::VariantArray>::VARIANTS;

    /// The menu's name for it: `value`, `http`, `curl`.
    pub fn label(self) -> &'static str {
        self.into()
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Value => "the Authorization value alone",
            Self::Http => "one `Name: value` line per header",
            Self::Curl => "-H flags for curl",
        }
    }
}

/// Everything that can happen.
#[derive(Debug, Clone)]
pub enum Msg {
    /// The loop's clock, sent before each burst of messages (update never reads a clock).
    Clock(DateTime<Utc>),
    /// Sent periodically only while something is in flight (spinner, elapsed, countdown).
    Tick,
    Key(KeyEvent),
    /// Bracketed paste. Often a key or a token, so it travels as a [`Secret`] (masked in
    /// `Debug`).
    Paste(Secret),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The live credential was read and analysed. `fingerprint` identifies its content, so a
    /// reload that finds the same bytes keeps the running runtime.
    LiveLoaded {
        generation: u64,
        loaded: Box<Loaded>,
        fingerprint: u64,
    },
    /// The store was listed and summarised.
    StoreLoaded {
        generation: u64,
        listing: Result<Vec<AccountRow>, crate::store::StoreError>,
        /// The account live before the last switch (the target of `-`), if known.
        previous: Option<String>,
    },
    /// A progress event of the runtime init started under `generation`.
    Runtime {
        generation: u64,
        event: Box<Event>,
    },
    /// The diff for a switch is ready.
    SwitchPlanned(Box<Result<SwitchPreview, crate::store::StoreError>>),
    /// A file operation finished.
    OpDone(Box<OpDone>),
    /// The file watcher saw outside changes (debounced).
    FilesChanged {
        live: bool,
        store: bool,
    },
    /// The watcher could not start or stopped.
    WatchFailed(String),
    /// A complete listing found account files open to other users (the warning line), or none.
    OpenAccountFiles(Option<String>),
    /// The loop wrote a copy: OSC 52 always, the system clipboard when `native` is `Ok`.
    Copied {
        what: String,
        native: Result<(), String>,
    },
    /// The auto-clear timer for copy number `copy_id` fired.
    ClearClipboardDue {
        copy_id: u64,
    },
    /// Usage figures arrived (merged per account).
    UsageLoaded {
        rows: Vec<crate::usage::AccountUsage>,
    },
    /// The once-a-minute tick that exists only while a reset countdown is shown.
    UsageMinute,
    /// The once-a-minute tick while the Account pane shows how far away an expiry is (and no
    /// reset countdown is shown): a redraw, nothing else.
    Minute,
    /// A stored account was read for the preview of the selected row (nothing fetched, nothing
    /// written). Results of an older `generation` (the cursor moved on) are dropped.
    PreviewLoaded {
        generation: u64,
        name: String,
        loaded: Box<Loaded>,
    },
    /// The dry JWKS verification of a previewed Agent Identity finished (`r`; never registers).
    PreviewVerified {
        generation: u64,
        result: Result<bool, super::outcome::VerifyFailure>,
    },
    /// A background task panicked: restore the terminal and exit.
    TaskPanicked(String),
    /// Terminal input failed or ended: exit, saying why.
    InputClosed(Closed),
}

/// Why the terminal's input ended (worded by `update::words::closed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    /// Reading the terminal failed (the I/O error's text).
    ReadFailed(String),
    /// The terminal closed its input.
    Ended,
    /// A signal asked authdeck to stop (its name, e.g. `SIGTERM`).
    Signal(&'static str),
}

/// Everything `update` may ask for. Executed by the runner, the one executor (a copy's OSC 52
/// bytes are written by the loop between frames, from the runner's queue).
#[derive(Debug, Clone, PartialEq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Effect {
    LoadLive {
        generation: u64,
    },
    LoadStore {
        generation: u64,
    },
    /// Start the Agent Identity runtime init; aborts any earlier one.
    StartRuntime {
        generation: u64,
        identity: Box<AgentIdentity>,
    },
    /// Abort the runtime init in flight, if any (a reload found new content; not for quitting,
    /// which [`Effect::Quit`] does with everything else).
    CancelRuntime,
    /// Compute the masked diff of switching to `name`.
    PlanSwitch {
        name: String,
    },
    Switch {
        name: String,
    },
    SetMode {
        mode: AuthMode,
    },
    SaveLive {
        name: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Remove {
        name: String,
    },
    Undo {
        name: String,
    },
    /// Create account `name` from pasted material or a file path (verified unless offline).
    Add {
        name: String,
        material: Secret,
    },
    /// Write `text` with OSC 52 (from the loop) and to the system clipboard.
    Copy {
        copy_id: u64,
        what: String,
        text: Secret,
        clear_after: Option<u64>,
    },
    /// Clear what copy number `copy_id` put on the clipboards.
    ClearClipboard,
    /// Read usage for the live account or every account. `task` is the live Agent Identity's
    /// registered task, so its usage is read with an AgentAssertion (none is ever registered
    /// for usage).
    FetchUsage {
        scope: super::usage::Scope,
        policy: crate::usage::gather::Policy,
        task: Option<crate::usage::gather::RegisteredTask>,
    },
    /// Read the stored account `name` for the preview. Only the latest request matters: the
    /// runner keeps one read in flight and skips requests overtaken by a newer one.
    LoadPreview {
        generation: u64,
        name: String,
    },
    /// Verify a previewed Agent Identity's JWT against the JWKS (no task registration).
    VerifyPreview {
        generation: u64,
        identity: Box<AgentIdentity>,
    },
    /// Start watching the Codex home and the store.
    Watch,
    /// Stop: abort everything in flight and end the loop. The ONE way to quit (a key, a closed
    /// input, a signal, a panicked task all end here).
    Quit,
}

impl Effect {
    /// A short name for logs (never the data, which may be a secret): the variant's name in
    /// snake case, derived.
    pub fn name(&self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::Effect;

    #[test]
    fn effect_names_are_the_variants_in_snake_case() {
        assert_eq!(Effect::LoadLive { generation: 1 }.name(), "load_live");
        assert_eq!(Effect::ClearClipboard.name(), "clear_clipboard");
        assert_eq!(Effect::Quit.name(), "quit");
    }
}
