//! What the keys *do* once the keymap has named an action: starting file operations (one at
//! a time), the switch confirmation, the mode picker, the copy menu (which signs a fresh
//! header set at `model.now`), retrying the runtime init, and the save/rename prompts and the
//! add form. Pure, like the rest of `update`.

use tui_input::Input;

use super::{refresh_live, reload_live};
use crate::codex::headers::HeaderFormat;
use crate::secret::Secret;
use crate::store::validate_name;
use crate::tui::keymap::Action;
use crate::tui::model::{Model, Overlay, Pending, Prompt, PromptKind, Tone};
use crate::tui::msg::{CopyFormat, Effect};
use crate::tui::preview;

/// Starts a file operation unless one is already running.
pub(super) fn start_op(model: &mut Model, what: String, effect: Effect) -> Vec<Effect> {
    if let Some(p) = &model.pending {
        model.set_status(
            Tone::Warn,
            format!("busy: {} — try again in a moment", p.what),
        );
        return Vec::new();
    }
    model.pending = Some(Pending {
        what,
        since: model.now,
    });
    vec![effect]
}

pub(super) fn start_switch(model: &mut Model) -> Vec<Effect> {
    let Some(row) = model.accounts.selected_row() else {
        model.set_status(Tone::Info, "no account selected");
        return Vec::new();
    };
    if row.active {
        let name = row.name.clone();
        model.set_status(Tone::Info, format!("{name} is already the live account"));
        return Vec::new();
    }
    let name = row.name.clone();
    model.overlay = Overlay::Planning { name: name.clone() };
    vec![Effect::PlanSwitch { name }]
}

/// `-`: the same confirm as `Enter`, for the account live before the last switch.
pub(super) fn start_switch_back(model: &mut Model) -> Vec<Effect> {
    let Some(name) = model.accounts.previous.clone() else {
        model.set_status(
            Tone::Info,
            "no previous account yet: - switches back after a switch",
        );
        return Vec::new();
    };
    let Some(row) = model.accounts.rows.iter().find(|r| r.name == name) else {
        model.set_status(
            Tone::Warn,
            format!("the previous account {name} no longer exists"),
        );
        return Vec::new();
    };
    if row.active {
        model.set_status(Tone::Info, format!("{name} is already the live account"));
        return Vec::new();
    }
    model.overlay = Overlay::Planning { name: name.clone() };
    vec![Effect::PlanSwitch { name }]
}

pub(super) fn confirm(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Back => model.overlay = Overlay::None,
        Action::Accept => {
            let Overlay::Confirm(preview) = &model.overlay else {
                return Vec::new();
            };
            if let Some(why) = &preview.blocked {
                model.set_status(Tone::Bad, format!("cannot switch: {why}"));
                return Vec::new();
            }
            let name = preview.name.clone();
            model.overlay = Overlay::None;
            return start_op(
                model,
                format!("switching to {name}"),
                Effect::Switch { name },
            );
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn open_mode_picker(model: &mut Model) {
    let Some(analysis) = model.live.loaded.as_ref().and_then(|l| l.analysis.as_ref()) else {
        model.set_status(Tone::Info, "no live credential document to set a mode on");
        return;
    };
    if analysis.available.is_empty() {
        model.set_status(
            Tone::Info,
            "the live document holds no usable material for any mode",
        );
        return;
    }
    let selected = analysis
        .available
        .iter()
        .position(|m| *m == analysis.mode)
        .unwrap_or(0);
    model.overlay = Overlay::ModePicker {
        options: analysis.available.clone(),
        selected,
    };
}

pub(super) fn mode_picker(model: &mut Model, action: Action) -> Vec<Effect> {
    let Overlay::ModePicker { options, selected } = &mut model.overlay else {
        return Vec::new();
    };
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(options.len().saturating_sub(1)),
        Action::Back => model.overlay = Overlay::None,
        Action::Accept => {
            let Some(mode) = options.get(*selected).cloned() else {
                return Vec::new();
            };
            model.overlay = Overlay::None;
            if model.live.report.auth_mode.as_ref() == Some(&mode) {
                model.set_status(Tone::Info, format!("auth mode is already {mode}"));
                return Vec::new();
            }
            return start_op(
                model,
                format!("setting auth mode {mode}"),
                Effect::SetMode { mode },
            );
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn copy_menu(model: &mut Model, action: Action) -> Vec<Effect> {
    let Overlay::CopyMenu { selected } = &mut model.overlay else {
        return Vec::new();
    };
    let format = match action {
        Action::Up => {
            *selected = selected.saturating_sub(1);
            return Vec::new();
        }
        Action::Down => {
            *selected = (*selected + 1).min(CopyFormat::ALL.len() - 1);
            return Vec::new();
        }
        Action::Back => {
            model.overlay = Overlay::None;
            return Vec::new();
        }
        Action::Accept => Model::copy_format(*selected),
        Action::CopyValue => CopyFormat::Value,
        Action::CopyHttp => CopyFormat::Http,
        Action::CopyCurl => CopyFormat::Curl,
        _ => return Vec::new(),
    };
    model.overlay = Overlay::None;
    copy(model, format)
}

/// Signs a fresh header set now and asks the loop to copy it: the live credential's, or a
/// previewed account's when it needs no task registration (API key, bearer tokens).
pub fn copy(model: &mut Model, format: CopyFormat) -> Vec<Effect> {
    let (analysis, task, whose) = match preview::shown(model) {
        preview::Shown::Live => {
            let live = &model.live;
            let Some(analysis) = live.loaded.as_ref().and_then(|l| l.analysis.as_ref()) else {
                model.set_status(Tone::Warn, "nothing to copy: no live credential");
                return Vec::new();
            };
            (
                analysis,
                live.runtime.task.as_ref().map(|t| &t.task_id),
                String::new(),
            )
        }
        preview::Shown::Account(p) if p.copyable => {
            let Some(analysis) = p.loaded.analysis.as_ref() else {
                model.set_status(Tone::Warn, "nothing to copy: the account has no credential");
                return Vec::new();
            };
            (analysis, None, format!("{}'s ", p.name))
        }
        preview::Shown::Account(p) => {
            let text = format!("cannot copy {}'s headers: {}", p.name, preview::NEEDS_TASK);
            model.set_status(Tone::Warn, text);
            return Vec::new();
        }
        preview::Shown::Loading(name) => {
            let text = format!("still reading {name}");
            model.set_status(Tone::Info, text);
            return Vec::new();
        }
    };
    let set = match crate::codex::headers::header_set(analysis, task, model.now) {
        Ok(set) => set,
        Err(e) => {
            model.set_status(Tone::Warn, format!("nothing to copy: {e}"));
            return Vec::new();
        }
    };
    let text: Secret = set.format(match format {
        CopyFormat::Value => HeaderFormat::Value,
        CopyFormat::Http => HeaderFormat::Http,
        CopyFormat::Curl => HeaderFormat::Curl,
    });
    model.copy_id += 1;
    vec![Effect::Copy {
        copy_id: model.copy_id,
        what: format!("{whose}{} header", format.label()),
        text,
        clear_after: model.settings.clear_clipboard,
    }]
}

pub(super) fn retry(model: &mut Model) -> Vec<Effect> {
    let Some(loaded) = &model.live.loaded else {
        model.set_status(Tone::Info, "still loading");
        return Vec::new();
    };
    let Some(identity) = loaded.agent_to_init().cloned() else {
        model.set_status(
            Tone::Info,
            "nothing to initialise for this credential; reloaded it",
        );
        model.live.fingerprint = None;
        return vec![reload_live(model)];
    };
    if model.settings.offline {
        model.set_status(
            Tone::Info,
            "offline: the runtime init needs the network (started with --offline)",
        );
        return Vec::new();
    }
    let last_good = model.live.runtime.task.clone();
    model.live.runtime = crate::runtime::RuntimeModel::starting(model.now, last_good);
    model.live.runtime_generation += 1;
    model.task_scroll = 0;
    model.status = None;
    refresh_live(model);
    vec![
        Effect::CancelRuntime,
        Effect::StartRuntime {
            generation: model.live.runtime_generation,
            identity: Box::new(identity),
        },
    ]
}

fn suggested_name(model: &Model) -> String {
    let email = model
        .live
        .report
        .account
        .as_ref()
        .and_then(|a| a.email.clone())
        .unwrap_or_default();
    let local: String = email
        .split('@')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(64)
        .collect();
    local.trim_start_matches('.').to_string()
}

pub(super) fn open_save(model: &mut Model) {
    let has_file = model.live.loaded.as_ref().is_some_and(|l| {
        matches!(l.source, crate::report::SourceReport::File { .. }) && l.file_problem.is_none()
    });
    if !has_file {
        model.set_status(
            Tone::Info,
            "there is no usable auth.json to save (add one with a)",
        );
        return;
    }
    model.overlay = Overlay::Prompt(Box::new(Prompt {
        input: Input::new(suggested_name(model)),
        kind: PromptKind::Save,
        error: None,
    }));
}

pub(super) fn prompt(model: &mut Model, action: Action) -> Vec<Effect> {
    let Overlay::Prompt(p) = &mut model.overlay else {
        return Vec::new();
    };
    match action {
        Action::Back => model.overlay = Overlay::None,
        Action::Accept => {
            let name = p.input.value().trim().to_string();
            if let Err(e) = validate_name(&name) {
                p.error = Some(e.to_string());
                return Vec::new();
            }
            let (what, effect) = match &p.kind {
                PromptKind::Save => (format!("saving {name}"), Effect::SaveLive { name }),
                PromptKind::Rename { from } if *from == name => {
                    model.overlay = Overlay::None;
                    return Vec::new();
                }
                PromptKind::Rename { from } => (
                    format!("renaming {from} to {name}"),
                    Effect::Rename {
                        from: from.clone(),
                        to: name,
                    },
                ),
            };
            return start_op(model, what, effect);
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn add_form(model: &mut Model, action: Action) -> Vec<Effect> {
    let Overlay::Add(form) = &mut model.overlay else {
        return Vec::new();
    };
    match action {
        Action::Back => model.overlay = Overlay::None,
        Action::NextField => form.field = 1 - form.field.min(1),
        Action::Accept => return submit_add(model),
        _ => {}
    }
    Vec::new()
}

fn submit_add(model: &mut Model) -> Vec<Effect> {
    let Overlay::Add(form) = &mut model.overlay else {
        return Vec::new();
    };
    let name = form.name.value().trim().to_string();
    let material = Secret::new(form.material.value().trim());
    if let Err(e) = validate_name(&name) {
        form.error = Some(e.to_string());
        form.field = 0;
        return Vec::new();
    }
    if material.is_empty() {
        form.error = Some("paste an API key or an Agent Identity JWT, or type a file path".into());
        form.field = 1;
        return Vec::new();
    }
    // The CLI's cap and words, before anything runs (the add itself checks again).
    let what = match crate::ops::material::kind_of(material.expose()) {
        crate::ops::material::Kind::ApiKey => "API key",
        crate::ops::material::Kind::Jwt => "JWT",
        crate::ops::material::Kind::File => "credential or file path",
    };
    if let Err(e) = crate::ops::material::checked_text(material.expose().as_bytes(), what) {
        form.error = Some(e.one_line());
        form.field = 1;
        return Vec::new();
    }
    start_op(
        model,
        format!("adding {name}"),
        Effect::Add { name, material },
    )
}
