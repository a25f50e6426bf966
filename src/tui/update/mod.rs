//! `update(&mut Model, Msg) -> Vec<Effect>`: the whole behaviour of the TUI, pure.
//!
//! No IO, no clock (the loop sends [`Msg::Clock`]), no terminal. Every background result is
//! checked against the generation it was started under and dropped when stale, so a slow
//! reload can never overwrite a newer one and a cancelled runtime init can never report into a
//! new one. Tests drive this function with `KeyEvent`s and background messages and assert on
//! the model and on the returned effects (see `tests.rs`).
//!
//! Keys live in `keys` (keymap lookup, text fields, panes) and `actions` (what the
//! actions do); the mouse in `mouse`; finished background work in `results`, worded by
//! `words` (the runner reports data, never sentences); derived views (report, header preview)
//! in `derive`. Geometry and key contexts come from `tui::layout` and `tui::contexts`, which
//! `ui` asks too — `update` never imports `ui`.

mod actions;
mod derive;
mod keys;
mod mouse;
mod results;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_flows;
#[cfg(test)]
mod tests_forms;
#[cfg(test)]
mod tests_preview;
#[cfg(test)]
mod tests_words;
pub mod words;

pub use derive::refresh_live;
pub use keys::follow_selection;

use super::model::{Model, Tone};
use super::msg::{Effect, Msg};
use super::{preview, usage};
use crate::sanitize::clean;
use mouse::on_mouse;
use results::{on_op_done, on_runtime_event, on_switch_planned};

/// The effects to run when the app starts: the first frame is drawn before any of them ends.
pub fn init(model: &mut Model) -> Vec<Effect> {
    model.live.generation += 1;
    model.accounts.generation += 1;
    let mut fx = vec![
        Effect::LoadLive {
            generation: model.live.generation,
        },
        Effect::LoadStore {
            generation: model.accounts.generation,
        },
        Effect::Watch,
    ];
    fx.extend(usage::on_start(model));
    fx
}

/// Applies one message; then the detail panes follow the Accounts cursor (one name
/// comparison; a read of the newly selected account when it changed, see `tui::preview`).
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut fx = apply(model, msg);
    fx.extend(preview::sync(model));
    fx
}

fn apply(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Clock(now) => {
            model.now = now;
            Vec::new()
        }
        Msg::Tick => {
            if model.busy() {
                model.spinner = model.spinner.wrapping_add(1);
                model.dirty = true;
            }
            Vec::new()
        }
        Msg::Resize(w, h) => {
            model.size = (w, h);
            keys::follow_selection(model);
            model.dirty = true;
            Vec::new()
        }
        Msg::Key(ev) => keys::on_key(model, &ev),
        Msg::Paste(text) => keys::on_paste(model, text.expose()),
        Msg::Mouse(ev) => on_mouse(model, ev),
        Msg::LiveLoaded {
            generation,
            loaded,
            fingerprint,
        } => on_live_loaded(model, generation, *loaded, fingerprint),
        Msg::StoreLoaded {
            generation,
            listing,
            previous,
        } => {
            if generation == model.accounts.generation {
                model.accounts.previous = previous;
                on_store_loaded(model, listing);
                return usage::after_listing(model);
            }
            Vec::new()
        }
        Msg::Runtime { generation, event } => {
            if generation != model.live.runtime_generation || !model.live.runtime.busy() {
                return Vec::new();
            }
            on_runtime_event(model, &event)
        }
        Msg::SwitchPlanned(result) => on_switch_planned(model, *result),
        Msg::OpDone(done) => on_op_done(model, *done),
        msg @ (Msg::FilesChanged { .. }
        | Msg::OpenAccountFiles(_)
        | Msg::WatchFailed(_)
        | Msg::Copied { .. }
        | Msg::ClearClipboardDue { .. }) => on_outside(model, msg),
        Msg::PreviewLoaded {
            generation,
            name,
            loaded,
        } => {
            preview::on_loaded(model, generation, name, *loaded);
            Vec::new()
        }
        Msg::PreviewVerified { generation, result } => {
            preview::on_verified(model, generation, result);
            Vec::new()
        }
        Msg::UsageLoaded { rows } => usage::on_loaded(model, rows),
        Msg::UsageMinute => usage::on_minute(model),
        Msg::Minute => {
            model.dirty = true;
            Vec::new()
        }
        Msg::TaskPanicked(message) => {
            model.fatal = Some(format!("a background task failed: {message}"));
            vec![Effect::Quit]
        }
        Msg::InputClosed(why) => {
            model.fatal = Some(words::closed(&why));
            vec![Effect::Quit]
        }
    }
}

/// What the outside world said: files changed on disk, the watcher, the clipboard.
fn on_outside(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::FilesChanged { live, store } => {
            let mut fx = Vec::new();
            if live {
                model.log_line("auth.json or config.toml changed on disk; reloading");
                fx.push(reload_live(model));
                // Another account may be live now (codex login elsewhere): its usage, too.
                fx.extend(usage::after_switch(model));
            }
            if store {
                fx.push(reload_store(model));
            }
            fx
        }
        Msg::OpenAccountFiles(line) => {
            // Said once, not on every reload; said again if it changes or comes back.
            if let Some(text) = &line
                && model.open_files_warning.as_ref() != Some(text)
            {
                model.log_line(format!("warning: {text}"));
                model.dirty = true;
            }
            model.open_files_warning = line;
            Vec::new()
        }
        Msg::WatchFailed(message) => {
            model.log_line(format!("file watcher: {}", clean(&message)));
            model.set_status(
                Tone::Warn,
                format!("not watching for outside changes: {message}"),
            );
            model.dirty = true;
            Vec::new()
        }
        Msg::Copied { what, native } => {
            match native {
                Ok(()) => model.set_status(Tone::Good, format!("copied {what}")),
                Err(why) => model.set_status(
                    Tone::Info,
                    format!("{what} sent to terminal (OSC 52; no system clipboard: {why})"),
                ),
            }
            model.dirty = true;
            Vec::new()
        }
        Msg::ClearClipboardDue { copy_id } => {
            if copy_id == model.copy_id {
                model.set_status(Tone::Info, "clipboard cleared");
                model.dirty = true;
                vec![Effect::ClearClipboard]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// A new live load; older results will be dropped.
pub(crate) fn reload_live(model: &mut Model) -> Effect {
    model.live.generation += 1;
    Effect::LoadLive {
        generation: model.live.generation,
    }
}

pub(crate) fn reload_store(model: &mut Model) -> Effect {
    model.accounts.generation += 1;
    Effect::LoadStore {
        generation: model.accounts.generation,
    }
}

fn on_live_loaded(
    model: &mut Model,
    generation: u64,
    loaded: crate::runtime::load::Loaded,
    fingerprint: u64,
) -> Vec<Effect> {
    if generation != model.live.generation {
        return Vec::new();
    }
    let first = model.live.loaded.is_none();
    if model.live.fingerprint == Some(fingerprint) {
        // Same content as before (our own write echoed by the watcher, a store-only change):
        // keep the runtime as it is — also a failed one; `r` is the way to retry.
        return Vec::new();
    }
    model.live.fingerprint = Some(fingerprint);
    model.clear_runtime_status();
    // Keep the last good task across a reload; `initial_model` drops it for another identity.
    let last_good = model.live.runtime.task.clone();
    let runtime = loaded.initial_model(model.settings.offline, model.now, last_good);
    let identity = loaded.agent_to_init().cloned();
    model.live.runtime = runtime;
    model.live.loaded = Some(loaded);
    model.task_scroll = 0;
    let mut fx = vec![Effect::CancelRuntime];
    model.live.runtime_generation += 1;
    if let Some(identity) = identity.filter(|_| model.live.runtime.busy()) {
        fx.push(Effect::StartRuntime {
            generation: model.live.runtime_generation,
            identity: Box::new(identity),
        });
    }
    if !first {
        // Active/stale marks depend on the live file.
        fx.push(reload_store(model));
    }
    refresh_live(model);
    model.dirty = true;
    fx
}

fn on_store_loaded(
    model: &mut Model,
    listing: Result<Vec<super::msg::AccountRow>, crate::store::StoreError>,
) {
    let list = &mut model.accounts;
    list.loaded = true;
    match listing {
        Ok(rows) => {
            list.error = None;
            list.set_rows(rows);
        }
        Err(e) => {
            list.error = Some(e.to_string());
            list.set_rows(Vec::new());
        }
    }
    if list.follow_active
        && let Some(pos) = list
            .visible
            .iter()
            .position(|i| list.rows.get(*i).is_some_and(|r| r.active))
    {
        list.selected = pos;
        list.follow_active = false;
    }
    // The previewed account may have changed on disk: read it again (the old view stays
    // until the new one lands).
    preview::invalidate(model);
    keys::follow_selection(model);
    model.dirty = true;
}
