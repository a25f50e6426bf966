//! Usage in the TUI: the model part, the pure update steps and the runner task.
//!
//! * On start the live account is fetched in the background (figures younger than 5 minutes are
//!   reused); once the first store listing is on screen, the cache fills the Accounts list's
//!   headroom column (no request) — after the listing, so it never competes with it.
//! * After every switch, and whenever auth.json changes on disk, the (new) live account is
//!   fetched again (figures younger than a minute are reused).
//! * While the Usage pane shows a reset countdown the loop ticks once a minute (nothing else: idle
//!   stays idle); a tick finding the live figures older than 5 minutes refreshes them.
//! * `U` asks the backend for every account now; `o` cycles the list order name ↔ headroom;
//!   `b` picks the account with the most room and opens the same confirm popup as Enter, with
//!   the reason in its notes.
//!
//! Results merge per account, so the order in which answers arrive does not matter, and a
//! cached entry never replaces fresher figures.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::model::{Model, Overlay, Tone};
use super::msg::{Effect, Msg};
use crate::ops::switch::skip_of;
use crate::usage::figures::compact_duration;
use crate::usage::gather::{Policy, RegisteredTask, Selection};
use crate::usage::{AccountUsage, BestPick, Candidate, Skip, Status, pick_best};

/// The live figures are refreshed at most this often while the TUI is open.
pub const REFRESH_SECS: i64 = 300;
/// After a switch, figures younger than this are reused.
pub const AFTER_SWITCH_REUSE_SECS: i64 = 60;

/// Which accounts a fetch covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Live,
    All,
}

/// The order of the Accounts list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    Headroom,
}

/// What the TUI knows about usage.
#[derive(Debug, Clone, Default)]
pub struct UsageView {
    /// Saved accounts by name.
    pub by_name: HashMap<String, AccountUsage>,
    /// The live credential when it is not saved.
    pub unsaved_live: Option<AccountUsage>,
    /// Fetches in flight.
    pub in_flight: u32,
    /// When the live account was last asked (for the 5-minute refresh).
    pub live_asked: Option<DateTime<Utc>>,
    pub sort: SortBy,
    /// The account `b` chose and why, until its confirm popup opens.
    pub best: Option<(String, String)>,
    /// Anything has been requested.
    pub started: bool,
    /// The cache has been read for every account (once, after the first listing).
    pub cache_read: bool,
}

impl UsageView {
    /// The figures of the live account (saved or not), if any arrived.
    pub fn live<'a>(&'a self, model_active: Option<&str>) -> Option<&'a AccountUsage> {
        model_active
            .and_then(|n| self.by_name.get(n))
            .or(self.unsaved_live.as_ref())
    }

    /// Whether a reset countdown is on screen (the loop then ticks once a minute).
    pub fn wants_minute_tick(&self, model_active: Option<&str>) -> bool {
        self.live(model_active)
            .and_then(|u| u.snapshot.as_ref())
            .is_some_and(|s| s.windows.iter().any(|w| w.resets_at.is_some()))
    }
}

/// The name of the active saved account.
pub fn active_name(model: &Model) -> Option<&str> {
    model
        .accounts
        .rows
        .iter()
        .find(|r| r.active)
        .map(|r| r.name.as_str())
}

/// The effects of the start: the live account (unless offline); every account when the
/// session asks for it (the demo).
pub fn on_start(model: &mut Model) -> Vec<Effect> {
    model.usage.started = true;
    if model.settings.offline {
        return Vec::new();
    }
    model.usage.live_asked = Some(model.now);
    let scope = model.settings.usage_at_start;
    vec![fetch(model, scope, Policy::ReuseYoungerThan(REFRESH_SECS))]
}

/// After a listing: the first time, read every account's cached figures.
pub fn after_listing(model: &mut Model) -> Vec<Effect> {
    if model.usage.cache_read {
        return Vec::new();
    }
    model.usage.cache_read = true;
    vec![fetch(model, Scope::All, Policy::Offline)]
}

fn fetch(model: &mut Model, scope: Scope, policy: Policy) -> Effect {
    model.usage.in_flight += 1;
    Effect::FetchUsage {
        scope,
        policy,
        task: live_task(model),
    }
}

/// The task this session registered for the live Agent Identity, if any.
fn live_task(model: &Model) -> Option<RegisteredTask> {
    model.live.runtime.task.as_ref().map(|t| RegisteredTask {
        runtime_id: t.runtime_id.clone(),
        task_id: t.task_id.clone(),
    })
}

/// `U`: every account, now.
pub fn refresh_all(model: &mut Model) -> Vec<Effect> {
    if model.settings.offline {
        model.set_status(Tone::Info, "offline: showing cached usage only");
        return vec![fetch(model, Scope::All, Policy::Offline)];
    }
    model.usage.live_asked = Some(model.now);
    model.set_status(Tone::Info, "asking the backend for every account's usage…");
    model.dirty = true;
    vec![fetch(model, Scope::All, Policy::Fetch)]
}

/// After a switch (ours, or auth.json changed on disk): the live account.
pub fn after_switch(model: &mut Model) -> Vec<Effect> {
    if model.settings.offline {
        return Vec::new();
    }
    model.usage.live_asked = Some(model.now);
    vec![fetch(
        model,
        Scope::Live,
        Policy::ReuseYoungerThan(AFTER_SWITCH_REUSE_SECS),
    )]
}

/// The minute tick: redraw the countdown; refresh the live figures when they are old.
pub fn on_minute(model: &mut Model) -> Vec<Effect> {
    model.dirty = true;
    let old = model
        .usage
        .live_asked
        .is_none_or(|at| (model.now - at).num_seconds() >= REFRESH_SECS);
    if old && !model.settings.offline && model.usage.in_flight == 0 {
        model.usage.live_asked = Some(model.now);
        return vec![fetch(
            model,
            Scope::Live,
            Policy::ReuseYoungerThan(REFRESH_SECS),
        )];
    }
    Vec::new()
}

/// Whether `new` may replace `old` (a cache answer never replaces fresher figures).
fn replaces(old: &AccountUsage, new: &AccountUsage) -> bool {
    !(new.status == Status::Cached
        && new.error.is_none()
        && old.fetched_at.unwrap_or(i64::MIN) > new.fetched_at.unwrap_or(i64::MIN))
}

/// Answers arrived.
pub fn on_loaded(model: &mut Model, rows: Vec<AccountUsage>) -> Vec<Effect> {
    model.usage.in_flight = model.usage.in_flight.saturating_sub(1);
    for row in rows {
        match row.name.clone() {
            Some(name) => {
                let keep = model
                    .usage
                    .by_name
                    .get(&name)
                    .is_some_and(|old| !replaces(old, &row));
                if !keep {
                    model.usage.by_name.insert(name, row);
                }
            }
            None => model.usage.unsaved_live = Some(row),
        }
    }
    if model.usage.in_flight == 0
        && matches!(model.status.as_ref(), Some(s) if s.text.starts_with("asking the backend"))
    {
        model.status = None;
    }
    resort(model);
    model.dirty = true;
    Vec::new()
}

/// `o`: name ↔ headroom.
pub fn cycle_sort(model: &mut Model) {
    model.usage.sort = match model.usage.sort {
        SortBy::Name => SortBy::Headroom,
        SortBy::Headroom => SortBy::Name,
    };
    resort(model);
    model.set_status(
        Tone::Info,
        match model.usage.sort {
            SortBy::Name => "accounts sorted by name",
            SortBy::Headroom => "accounts sorted by usage headroom (most room first)",
        },
    );
    model.dirty = true;
}

/// Re-applies the list order after new figures or a new sort.
pub fn resort(model: &mut Model) {
    model.accounts.headroom_rank = match model.usage.sort {
        SortBy::Name => None,
        SortBy::Headroom => Some(
            model
                .usage
                .by_name
                .iter()
                .filter_map(|(n, u)| u.headroom().map(|h| (n.clone(), rank(h))))
                .collect(),
        ),
    };
    model.accounts.refilter();
}

fn rank(h: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let r = (h * 10.0).round() as i64;
    r
}

/// The candidates for `b`, from what the TUI knows (saved, valid accounts only), judged as
/// `switch --best` judges them ([`skip_of`]).
pub fn candidates(model: &Model) -> Vec<Candidate> {
    model
        .accounts
        .rows
        .iter()
        .map(|row| {
            if let Some(p) = &row.problem {
                return Candidate::skipped(&row.name, Skip::Invalid(p.clone()));
            }
            // The same rule as `switch --best` for what the TUI holds.
            let u = model.usage.by_name.get(&row.name);
            match (u.and_then(skip_of), u.and_then(|u| u.snapshot.as_ref())) {
                (None, Some(s)) => Candidate::from_snapshot(&row.name, s).live(row.active),
                (why, _) => Candidate::skipped(&row.name, why.unwrap_or(Skip::NoFigures)),
            }
        })
        .collect()
}

/// `b`: choose the account with the most room and open the confirm popup for it.
pub fn best(model: &mut Model) -> Vec<Effect> {
    let cands = candidates(model);
    let now = model.now.timestamp();
    match pick_best(&cands) {
        BestPick::Picked(i) => {
            let c = &cands[i];
            let active = model
                .accounts
                .rows
                .iter()
                .any(|r| r.active && r.name == c.name);
            let why = format!(
                "chosen by b: most usage headroom ({:.0}%) of {} account(s) with figures",
                c.headroom.unwrap_or(0.0),
                cands.iter().filter(|c| c.skipped.is_none()).count()
            );
            if active {
                model.set_status(
                    Tone::Info,
                    format!("{} is live and already has the most room", c.name),
                );
                model.dirty = true;
                return Vec::new();
            }
            model.usage.best = Some((c.name.clone(), why));
            model.overlay = Overlay::Planning {
                name: c.name.clone(),
            };
            model.dirty = true;
            vec![Effect::PlanSwitch {
                name: c.name.clone(),
            }]
        }
        BestPick::NoRoom { soonest } => {
            let text = match soonest {
                Some((name, at)) => format!(
                    "all accounts are at their limit; the first to reset is {name}, in {}",
                    compact_duration(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
                ),
                None => "all accounts are at their limit".to_string(),
            };
            model.set_status(Tone::Bad, text);
            model.dirty = true;
            Vec::new()
        }
        BestPick::NoCandidates => {
            model.set_status(
                Tone::Warn,
                "no account has usage figures yet — U asks the backend",
            );
            model.dirty = true;
            Vec::new()
        }
    }
}

/// The runner's work for [`Effect::FetchUsage`]: the operation `usage` runs, on the session's
/// runtime. A store that cannot be read (or no live credential, for [`Scope::Live`]) gives no
/// rows: the list and the Account pane already say why.
pub async fn run_fetch(
    paths: crate::store::Paths,
    env: crate::env::Env,
    timeout: std::time::Duration,
    scope: Scope,
    policy: Policy,
    task: Option<RegisteredTask>,
) -> Msg {
    let sel = match scope {
        Scope::Live => Selection::Live,
        Scope::All => Selection::All,
    };
    let rows = crate::ops::usage::read_at(paths, env, timeout, sel, policy, task)
        .await
        .unwrap_or_default();
    Msg::UsageLoaded { rows }
}
