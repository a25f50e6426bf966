//! Views derived from the live credential, recomputed only when their inputs change (a load, a
//! runtime event, the reveal toggle) — never per frame.

use chrono::{DateTime, Utc};

use crate::codex::headers::{HeaderError, header_set};
use crate::report::{SourceReport, StatusReport};
use crate::runtime::RuntimeModel;
use crate::runtime::load::Loaded;
use crate::tui::model::{HeaderPreview, Model};

/// Rebuilds the cached report and header preview of the live credential.
pub fn refresh_live(model: &mut Model) {
    let live = &mut model.live;
    live.report = match &live.loaded {
        Some(l) => l.report(&live.runtime),
        None => StatusReport::build(SourceReport::None, None, &live.runtime, Vec::new()),
    };
    live.headers = preview(live.loaded.as_ref(), &live.runtime, model.now, model.reveal);
}

fn preview(
    loaded: Option<&Loaded>,
    runtime: &RuntimeModel,
    now: DateTime<Utc>,
    reveal: bool,
) -> HeaderPreview {
    let none = |why: &str| HeaderPreview {
        masked: Err(why.to_string()),
        revealed: None,
    };
    let Some(loaded) = loaded else {
        return none("loading");
    };
    if let Some(problem) = &loaded.file_problem {
        return none(&format!("none: {problem}"));
    }
    let Some(analysis) = &loaded.analysis else {
        return none("none: signed out");
    };
    let task = runtime.task.as_ref().map(|t| &t.task_id);
    match header_set(analysis, task, now) {
        Ok(set) => HeaderPreview {
            masked: Ok(set
                .headers
                .iter()
                .map(|h| (h.name.to_string(), h.masked_value()))
                .collect()),
            revealed: reveal.then(|| {
                set.headers
                    .iter()
                    .map(|h| (h.name.to_string(), h.value()))
                    .collect()
            }),
        },
        Err(HeaderError::NoTask) => none(if runtime.busy() {
            "waiting for task registration (the AgentAssertion needs a task id)"
        } else {
            "no registered task, so no AgentAssertion can be signed — press r to retry"
        }),
        Err(e) => none(&e.to_string()),
    }
}
