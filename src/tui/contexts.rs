//! Which keymap contexts are in force, as a pure function of the model.
//!
//! `update` looks keys up in these contexts and the footer lists their bindings; keeping the
//! function here (beside the keymap, not inside `update`) lets both ask it without `ui`
//! importing `update` (docs/architecture.md, "Inside the TUI").

use super::keymap::Context;
use super::model::{Model, Overlay, Pane};

/// The keymap contexts in force, innermost first.
pub fn contexts(model: &Model) -> Vec<Context> {
    let modal = match &model.overlay {
        Overlay::Help { .. } => Some(Context::Help),
        Overlay::Log { .. } => Some(Context::Log),
        Overlay::Planning { .. } | Overlay::Confirm(_) => Some(Context::Confirm),
        Overlay::ModePicker { .. } => Some(Context::ModePicker),
        Overlay::CopyMenu { .. } => Some(Context::CopyMenu),
        Overlay::Add(_) => Some(Context::AddForm),
        Overlay::Prompt(_) => Some(Context::Prompt),
        Overlay::None if model.accounts.filter_input.is_some() => Some(Context::Filter),
        Overlay::None => None,
    };
    if let Some(m) = modal {
        return vec![m];
    }
    let pane = match model.focus {
        Pane::Accounts => Some(Context::Accounts),
        Pane::Task => Some(Context::Task),
        Pane::AuthMode => Some(Context::AuthMode),
        Pane::Headers => Some(Context::Headers),
        Pane::Account | Pane::Plan => None,
    };
    let previewing = model.preview.want.is_some().then_some(Context::Preview);
    pane.into_iter()
        .chain(previewing)
        .chain([Context::Global])
        .collect()
}
