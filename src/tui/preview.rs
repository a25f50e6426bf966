//! Browse before you switch: the detail panes show the account under the cursor.
//!
//! When the Accounts cursor rests on an account that is not live, the Account, Plan, Auth
//! mode, Task/Usage and Headers panes describe *that* account under a header that says so
//! ("selected: business-acme — not live; Enter switches"). `.` or Space (or moving onto the
//! live row) brings the live credential back, exactly as before.
//!
//! Why it is built this way:
//!
//! * **Same words as `status`.** The account file is classified by the one pure classifier
//!   the CLI uses ([`Loaded::from_live`] → [`Loaded::initial_model`] →
//!   [`crate::report::StatusReport`]), fed the account file as if it were auth.json, with the
//!   live config.toml (so a login the config forbids is reported as Codex would after the
//!   switch). The preview is judged offline: nothing is fetched and nothing is written, so an
//!   Agent Identity says "JWT not verified" until `r` runs a dry JWKS verification, which
//!   never registers a task.
//! * **Off the UI thread, latest wins.** `update` asks for a read with
//!   [`Effect::LoadPreview`] under a new generation whenever the previewed name changes; the
//!   runner keeps at most one read in flight and skips requests a newer one overtook, and
//!   `update` drops results of older generations. Holding `j` through 10,000 accounts costs
//!   one small read per frame at most, never a queue.
//! * **Derived once.** The report and the masked header preview are built when the read
//!   arrives (like the live ones), never per frame.
//! * **Secrets stay masked.** A preview's headers are always masked (`v` reveals only the live
//!   credential); copying is allowed only for headers that need no task registration (API key,
//!   ChatGPT bearer, personal access token).

use chrono::{DateTime, Utc};

use super::model::{HeaderPreview, Model, Tone};
use super::msg::Effect;
use super::outcome::VerifyFailure;
use crate::codex::credential::AuthMode;
use crate::codex::headers::{HeaderError, header_set};
use crate::report::StatusReport;
use crate::runtime::RuntimeModel;
use crate::runtime::load::Loaded;

/// What the dry verification (`r` on a previewed Agent Identity) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verify {
    Running,
    /// `true` = the JWT's signature checked out against the JWKS; `false` = record form (no
    /// JWT to verify).
    Done(bool),
    Failed(String),
}

/// One previewed account, analysed.
#[derive(Debug, Clone)]
pub struct Preview {
    pub name: String,
    pub loaded: Loaded,
    /// Settled offline: a preview never runs the runtime init.
    pub runtime: RuntimeModel,
    pub report: StatusReport,
    /// Always masked (`revealed` stays `None`).
    pub headers: HeaderPreview,
    /// Whether the headers may be copied (they need no task registration).
    pub copyable: bool,
    pub verify: Option<Verify>,
}

/// The preview state of the model.
#[derive(Debug, Clone, Default)]
pub struct PreviewView {
    /// Generation of the latest read (or dry verification) requested.
    pub generation: u64,
    /// The account the panes should show; `None` = the live credential.
    pub want: Option<String>,
    /// The last preview read (kept while the same name is re-read, so no flicker).
    pub data: Option<Box<Preview>>,
    /// `.`/Space: show the live credential although the cursor is on another account (until
    /// the cursor moves).
    pub show_live: bool,
    /// The selected account's name when `show_live` was set.
    pub pinned_at: Option<String>,
}

/// What the detail panes show.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    Live,
    /// The read of this account is in flight.
    Loading(&'a str),
    Account(&'a Preview),
}

impl Shown<'_> {
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Live)
    }
}

/// What the panes show now.
pub fn shown(model: &Model) -> Shown<'_> {
    let p = &model.preview;
    match &p.want {
        None => Shown::Live,
        Some(name) => match &p.data {
            Some(d) if d.name == *name => Shown::Account(d),
            _ => Shown::Loading(name),
        },
    }
}

/// The account the cursor asks to preview: the selected row unless it is the live one or `.`
/// pinned the live credential.
fn target(model: &Model) -> Option<String> {
    if !model.accounts.loaded || model.preview.show_live {
        return None;
    }
    let row = model.accounts.selected_row()?;
    (!row.active).then(|| row.name.clone())
}

/// Brings the preview in line with the cursor; run after every message. Cheap when nothing
/// changed (one name comparison).
pub fn sync(model: &mut Model) -> Option<Effect> {
    if model.preview.show_live {
        let selected = model.accounts.selected_row().map(|r| r.name.as_str());
        if selected != model.preview.pinned_at.as_deref() {
            model.preview.show_live = false;
            model.preview.pinned_at = None;
        }
    }
    let want = target(model);
    if want == model.preview.want {
        return None;
    }
    model.dirty = true;
    if model.preview.data.as_ref().map(|d| &d.name) != want.as_ref() {
        model.preview.data = None;
    }
    model.preview.want.clone_from(&want);
    let name = want?;
    model.preview.generation += 1;
    Some(Effect::LoadPreview {
        generation: model.preview.generation,
        name,
    })
}

/// Forgets what was requested, so the next [`sync`] reads the account again (the store changed
/// on disk). The shown data stays until the new read lands.
pub fn invalidate(model: &mut Model) {
    model.preview.want = None;
}

/// `.`/Space: back to the live credential — the cursor jumps to the live row when it is listed,
/// else the panes show the live credential until the cursor moves.
pub fn show_live(model: &mut Model) {
    let list = &mut model.accounts;
    if let Some(pos) = list
        .visible
        .iter()
        .position(|i| list.rows.get(*i).is_some_and(|r| r.active))
    {
        list.selected = pos;
        list.follow_active = false;
        super::update::follow_selection(model);
        return;
    }
    model.preview.show_live = true;
    model.preview.pinned_at = model.accounts.selected_row().map(|r| r.name.clone());
    let why = if model.accounts.rows.iter().any(|r| r.active) {
        "the live account is hidden by the filter"
    } else {
        "the live credential is not a saved account"
    };
    model.set_status(
        Tone::Info,
        format!("showing the live credential ({why}); moving the cursor previews again"),
    );
}

/// A read preview arrived.
pub fn on_loaded(model: &mut Model, generation: u64, name: String, loaded: Loaded) {
    if generation != model.preview.generation || model.preview.want.as_ref() != Some(&name) {
        return;
    }
    model.preview.data = Some(Box::new(build(name, loaded, model.now)));
    model.dirty = true;
}

/// The preview of an analysed account at `now`.
pub fn build(name: String, loaded: Loaded, now: DateTime<Utc>) -> Preview {
    let runtime = loaded.initial_model(true, now, None);
    let report = loaded.report(&runtime);
    let (headers, copyable) = masked_headers(&loaded, now);
    Preview {
        name,
        loaded,
        runtime,
        report,
        headers,
        copyable,
        verify: None,
    }
}

fn masked_headers(loaded: &Loaded, now: DateTime<Utc>) -> (HeaderPreview, bool) {
    let none = |why: String| {
        (
            HeaderPreview {
                masked: Err(why),
                revealed: None,
            },
            false,
        )
    };
    if let Some(problem) = &loaded.file_problem {
        return none(format!("none: {problem}"));
    }
    let Some(analysis) = &loaded.analysis else {
        return none("none: the account file is gone".to_string());
    };
    if analysis.problem.is_none() && analysis.mode == AuthMode::AgentIdentity {
        return none(NEEDS_TASK.to_string());
    }
    match header_set(analysis, None, now) {
        Ok(set) => (
            HeaderPreview {
                masked: Ok(set
                    .headers
                    .iter()
                    .map(|h| (h.name.to_string(), h.masked_value()))
                    .collect()),
                revealed: None,
            },
            true,
        ),
        Err(HeaderError::NoTask) => none(NEEDS_TASK.to_string()),
        Err(e) => none(e.to_string()),
    }
}

/// Why a previewed Agent Identity has no headers.
pub const NEEDS_TASK: &str = "an AgentAssertion needs a registered task: switching registers one (a preview registers nothing)";

/// `r` on a previewed account: a dry verification of an Agent Identity JWT (never registers).
pub fn verify(model: &mut Model) -> Vec<Effect> {
    let Shown::Account(p) = shown(model) else {
        model.set_status(Tone::Info, "still reading the selected account");
        return Vec::new();
    };
    let name = p.name.clone();
    let Some(identity) = p.loaded.agent_to_init().cloned() else {
        model.set_status(
            Tone::Info,
            format!(
                "nothing to verify for {name}: only an Agent Identity is verified (r on the live one retries its init)"
            ),
        );
        return Vec::new();
    };
    if model.settings.offline {
        model.set_status(
            Tone::Info,
            "offline: verifying against the JWKS needs the network (started with --offline)",
        );
        return Vec::new();
    }
    model.preview.generation += 1;
    if let Some(d) = &mut model.preview.data {
        d.verify = Some(Verify::Running);
    }
    model.set_status(
        Tone::Info,
        format!("verifying {name}'s JWT against the JWKS (dry run: no task is registered)"),
    );
    vec![Effect::VerifyPreview {
        generation: model.preview.generation,
        identity: Box::new(identity),
    }]
}

/// The dry verification finished.
pub fn on_verified(model: &mut Model, generation: u64, result: Result<bool, VerifyFailure>) {
    if generation != model.preview.generation {
        return;
    }
    let Some(d) = &mut model.preview.data else {
        return;
    };
    let name = d.name.clone();
    match result {
        Ok(verified) => {
            d.verify = Some(Verify::Done(verified));
            model.set_status(
                Tone::Good,
                if verified {
                    format!("{name}: JWT verified against the JWKS (dry run, nothing registered)")
                } else {
                    format!("{name}: a record-form identity has no JWT to verify")
                },
            );
        }
        Err(failure) => {
            let e = match failure {
                VerifyFailure::Failed(e) => format!("{} ({})", e.message, e.class.as_str()),
                VerifyFailure::NoBackend(e) => e.message,
            };
            d.verify = Some(Verify::Failed(e.clone()));
            model.set_status(
                Tone::Bad,
                format!("{name}: verification failed (dry run, nothing registered): {e}"),
            );
        }
    }
    model.dirty = true;
}
