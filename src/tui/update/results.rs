//! Background results that finished something: a runtime progress event, a switch plan, a
//! file operation. Each is worded here (file operations through [`super::words`]), never in
//! the task that produced it.

use super::{refresh_live, reload_live, reload_store, words};
use crate::runtime::{Event, EventKind, Outcome};
use crate::sanitize::clean;
use crate::tui::model::{Model, Overlay, Tone};
use crate::tui::msg::{Effect, Op, OpDone, SwitchPreview};
use crate::tui::usage;

fn ms(d: std::time::Duration) -> u128 {
    d.as_millis()
}

/// Folds one runtime event into the model. A run that ends with a task lets the live Agent
/// Identity's usage be read with it (the read at the start found it not applicable): that is
/// the one effect.
pub(super) fn on_runtime_event(model: &mut Model, event: &Event) -> Vec<Effect> {
    model.live.runtime.apply(event);
    let mut fx = Vec::new();
    match &event.kind {
        EventKind::Attempt { step, attempt, of } => {
            model.log_line(format!("{} — attempt {attempt} of {of}", step.log_name()));
        }
        EventKind::Finished {
            step,
            status: Some(status),
            latency,
        } => model.log_line(format!(
            "{} — {status} in {} ms",
            step.log_name(),
            ms(*latency)
        )),
        EventKind::AttemptFailed {
            step,
            status,
            latency,
            message,
            ..
        } => {
            let status = status.map(|s| format!("{s} ")).unwrap_or_default();
            model.log_line(format!(
                "{} — failed {status}after {} ms: {}",
                step.log_name(),
                ms(*latency),
                clean(message)
            ));
        }
        EventKind::Done(Outcome::Failed(e)) => {
            let class = e.class.as_str();
            if model.live.runtime.kept_last_good {
                // Still Ready: say what happened without contradicting the state.
                model.set_runtime_status(
                    Tone::Warn,
                    format!("re-registration failed ({class}); keeping the task registered earlier — r retries"),
                );
            } else {
                model.set_runtime_status(
                    Tone::Bad,
                    format!("Runtime init failed ({class}) — press r to retry"),
                );
            }
        }
        EventKind::Done(Outcome::Ready { task, .. }) => {
            model.clear_runtime_status();
            if task.is_some() {
                fx = usage::after_switch(model);
            }
        }
        _ => {}
    }
    refresh_live(model);
    model.dirty = true;
    fx
}

pub(super) fn on_switch_planned(
    model: &mut Model,
    result: Result<SwitchPreview, crate::store::StoreError>,
) -> Vec<Effect> {
    let Overlay::Planning { name } = &model.overlay else {
        return Vec::new();
    };
    match result {
        Ok(mut preview) if preview.name == *name => {
            if let Some((best, why)) = model.usage.best.take()
                && best == preview.name
            {
                preview.notes.insert(0, why);
            }
            model.overlay = Overlay::Confirm(Box::new(preview));
        }
        Ok(_) => {}
        Err(e) => {
            model.overlay = Overlay::None;
            model.set_status(Tone::Bad, format!("cannot switch: {e}"));
        }
    }
    model.dirty = true;
    Vec::new()
}

pub(super) fn on_op_done(model: &mut Model, done: OpDone) -> Vec<Effect> {
    model.pending = None;
    model.dirty = true;
    for call in &done.calls {
        model.log_line(words::call(&done.op, call));
    }
    match done.result {
        Ok(result) => {
            for line in words::log(&result) {
                model.log_line(line);
            }
            match &done.op {
                Op::Remove { name } => model.undo = Some(name.clone()),
                Op::Undo { .. } => model.undo = None,
                Op::Rename { from, .. } if model.undo.as_deref() == Some(from) => {
                    model.undo = None;
                }
                _ => {}
            }
            if matches!(model.overlay, Overlay::Add(_) | Overlay::Prompt(_)) {
                model.overlay = Overlay::None;
            }
            model.set_status(Tone::Good, words::summary(&result));
            let mut fx = vec![reload_live(model), reload_store(model)];
            if matches!(done.op, Op::Switch { .. }) {
                // The cursor (and so the panes) follow the new live account.
                model.accounts.follow_active = true;
                fx.extend(usage::after_switch(model));
            }
            fx
        }
        Err(failure) => {
            let e = words::failure(&failure);
            match &mut model.overlay {
                Overlay::Add(form) => form.error = Some(e.clone()),
                Overlay::Prompt(p) => p.error = Some(e.clone()),
                _ => {}
            }
            model.set_status(Tone::Bad, e);
            Vec::new()
        }
    }
}
