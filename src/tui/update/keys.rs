//! Keys and paste: from a `KeyEvent` to state changes and effects, through the one keymap.
//!
//! Only `KeyEventKind::Press` is handled (terminals with the kitty protocol also report
//! releases and repeats). Text fields get every key the keymap does not claim for their
//! context, through tui-input's own crossterm mapping.

use ratatui::crossterm::event::{Event as TermEvent, KeyEvent, KeyEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler as _;

use super::actions::{
    add_form, confirm, copy_menu, mode_picker, open_mode_picker, open_save, prompt, retry,
    start_op, start_switch, start_switch_back,
};
use super::refresh_live;
use crate::tui::contexts::contexts;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::layout;
use crate::tui::model::{Model, Overlay, Pane, Prompt, PromptKind, Tone};
use crate::tui::msg::Effect;
use crate::tui::preview;

/// Keeps the selected account inside the visible window of the Accounts pane.
pub fn follow_selection(model: &mut Model) {
    model
        .accounts
        .scroll_into_view(layout::list_rows(model.size));
}

pub fn on_key(model: &mut Model, ev: &KeyEvent) -> Vec<Effect> {
    if ev.kind != KeyEventKind::Press {
        return Vec::new();
    }
    let ctxs = contexts(model);
    let action = keymap::lookup(&ctxs, ev);
    // A key that does nothing must not cancel a redraw an earlier message in the burst asked for.
    let was_dirty = model.dirty;
    model.dirty = true;
    if layout::screen(model.size).is_none() {
        // "terminal too small": nothing is visible, so only quitting does anything.
        return match action {
            Some(Action::Quit | Action::Back) => quit(model),
            _ => Vec::new(),
        };
    }
    match (ctxs.first().copied(), action) {
        (_, Some(Action::Quit)) => quit(model),
        (Some(ctx), Some(action)) => act(model, ctx, action),
        (Some(ctx @ (Context::AddForm | Context::Prompt | Context::Filter)), None) => {
            type_into(model, ctx, ev);
            Vec::new()
        }
        _ => {
            model.dirty = was_dirty;
            Vec::new()
        }
    }
}

/// Bracketed paste goes into the text field in front, never into the keymap.
pub fn on_paste(model: &mut Model, text: &str) -> Vec<Effect> {
    let text = text.trim_end_matches(['\r', '\n']);
    let input = match &mut model.overlay {
        Overlay::Add(form) => Some(if form.field == 0 {
            &mut form.name
        } else {
            &mut form.material
        }),
        Overlay::Prompt(p) => Some(&mut p.input),
        Overlay::None => model.accounts.filter_input.as_mut(),
        _ => None,
    };
    let Some(input) = input else {
        model.set_status(Tone::Info, "paste into the add form: press a first");
        model.dirty = true;
        return Vec::new();
    };
    // The field may hold a key: build the new value in one exact-size buffer and wipe the old.
    let mut old = input.value_and_reset();
    let mut value = String::with_capacity(old.len() + text.len());
    value.push_str(&old);
    value.push_str(text);
    zeroize::Zeroize::zeroize(&mut old);
    *input = Input::new(value);
    sync_filter(model);
    model.dirty = true;
    Vec::new()
}

/// The one way to stop: the runner aborts everything in flight when it executes it.
fn quit(_model: &mut Model) -> Vec<Effect> {
    vec![Effect::Quit]
}

fn type_into(model: &mut Model, ctx: Context, ev: &KeyEvent) {
    let term = TermEvent::Key(*ev);
    match (&mut model.overlay, ctx) {
        (Overlay::Add(form), _) => {
            let input = if form.field == 0 {
                &mut form.name
            } else {
                &mut form.material
            };
            input.handle_event(&term);
            form.error = None;
        }
        (Overlay::Prompt(p), _) => {
            p.input.handle_event(&term);
            p.error = None;
        }
        (Overlay::None, Context::Filter) => {
            if let Some(input) = model.accounts.filter_input.as_mut() {
                input.handle_event(&term);
            }
            sync_filter(model);
        }
        _ => {}
    }
}

fn sync_filter(model: &mut Model) {
    if let Some(input) = &model.accounts.filter_input {
        model.accounts.filter = input.value().to_string();
        model.accounts.refilter();
        follow_selection(model);
    }
}

fn scroll(value: &mut u16, action: Action) {
    *value = match action {
        Action::Up => value.saturating_sub(1),
        Action::Down => value.saturating_add(1),
        _ => *value,
    };
}

/// Scrolls the help, clamped to its last page (so `k` after many `j` moves at once).
fn scroll_help(size: (u16, u16), value: &mut u16, action: Action) {
    let (max, page) = layout::help_scroll_range(layout::full(size));
    *value = match action {
        Action::Up => value.saturating_sub(1),
        Action::Down => value.saturating_add(1),
        Action::PageUp => value.saturating_sub(page),
        Action::PageDown => value.saturating_add(page),
        Action::Top => 0,
        Action::Bottom => max,
        _ => *value,
    }
    .min(max);
}

fn act(model: &mut Model, ctx: Context, action: Action) -> Vec<Effect> {
    match ctx {
        Context::Help | Context::Log => {
            let size = model.size;
            match (&mut model.overlay, action) {
                (_, Action::Back) => model.overlay = Overlay::None,
                (Overlay::Help { scroll: s }, a) => scroll_help(size, s, a),
                // The log counts from its newest line: up means further back.
                (Overlay::Log { scroll: s }, Action::Up) => scroll(s, Action::Down),
                (Overlay::Log { scroll: s }, Action::Down) => scroll(s, Action::Up),
                _ => {}
            }
            Vec::new()
        }
        Context::Confirm => confirm(model, action),
        Context::ModePicker => mode_picker(model, action),
        Context::CopyMenu => copy_menu(model, action),
        Context::AddForm => add_form(model, action),
        Context::Prompt => prompt(model, action),
        Context::Filter => {
            if action == Action::Back {
                model.accounts.filter.clear();
                model.accounts.refilter();
            }
            model.accounts.filter_input = None;
            follow_selection(model);
            Vec::new()
        }
        Context::Global
        | Context::Accounts
        | Context::Preview
        | Context::Task
        | Context::AuthMode
        | Context::Headers => pane_action(model, action),
    }
}

fn page(model: &Model) -> isize {
    isize::try_from(layout::list_rows(model.size)).unwrap_or(1)
}

fn pane_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Back => {
            if model.accounts.filter.is_empty() {
                return quit(model);
            }
            model.accounts.filter.clear();
            model.accounts.refilter();
            follow_selection(model);
        }
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => move_cursor(model, action),
        Action::FocusNext => model.focus = model.focus.next(),
        Action::FocusPrev => model.focus = model.focus.prev(),
        Action::Switch => return start_switch(model),
        Action::SwitchBack => return start_switch_back(model),
        Action::UsageRefresh => return crate::tui::usage::refresh_all(model),
        Action::Best => return crate::tui::usage::best(model),
        Action::SortCycle => {
            crate::tui::usage::cycle_sort(model);
            follow_selection(model);
        }
        Action::ShowLive => preview::show_live(model),
        Action::VerifyPreview => return preview::verify(model),
        Action::ModePicker if model.preview.want.is_some() => model.set_status(
            Tone::Info,
            "m sets the live credential's auth mode: press . to show the live account first",
        ),
        Action::ModePicker => open_mode_picker(model),
        Action::Retry => return retry(model),
        Action::CopyMenu => open_copy_menu(model),
        Action::Reveal => toggle_reveal(model),
        Action::Add => model.overlay = Overlay::Add(Box::default()),
        Action::Save => open_save(model),
        Action::Rename => match model.accounts.selected_row() {
            Some(row) => {
                let from = row.name.clone();
                model.overlay = Overlay::Prompt(Box::new(Prompt {
                    input: Input::new(from.clone()),
                    kind: PromptKind::Rename { from },
                    error: None,
                }));
            }
            None => model.set_status(Tone::Info, "no account selected"),
        },
        Action::Delete => {
            let Some(name) = model.accounts.selected_row().map(|r| r.name.clone()) else {
                model.set_status(Tone::Info, "no account selected");
                return Vec::new();
            };
            return start_op(model, format!("removing {name}"), Effect::Remove { name });
        }
        Action::Undo => {
            let Some(name) = model.undo.clone() else {
                model.set_status(Tone::Info, "nothing to undo");
                return Vec::new();
            };
            return start_op(model, format!("restoring {name}"), Effect::Undo { name });
        }
        Action::Filter => {
            model.focus = Pane::Accounts;
            model.accounts.filter_input = Some(Input::new(model.accounts.filter.clone()));
        }
        Action::Help => model.overlay = Overlay::Help { scroll: 0 },
        Action::Log => model.overlay = Overlay::Log { scroll: 0 },
        Action::Quit => return quit(model),
        Action::Accept
        | Action::NextField
        | Action::CopyValue
        | Action::CopyHttp
        | Action::CopyCurl => {}
    }
    Vec::new()
}

/// The cursor keys: the Task pane scrolls its steps, everywhere else the account list moves.
fn move_cursor(model: &mut Model, action: Action) {
    match action {
        Action::Up | Action::Down if model.focus == Pane::Task => {
            model.task_scroll = if action == Action::Up {
                model.task_scroll.saturating_add(1)
            } else {
                model.task_scroll.saturating_sub(1)
            };
        }
        _ => {
            let page = page(model);
            let list = &mut model.accounts;
            list.follow_active = false;
            match action {
                Action::Up => list.move_by(-1),
                Action::Down => list.move_by(1),
                Action::PageUp => list.move_by(-page),
                Action::PageDown => list.move_by(page),
                Action::Top => list.selected = 0,
                _ => list.move_by(isize::MAX),
            }
            follow_selection(model);
        }
    }
}

/// `c`: the copy menu, when the shown credential has headers to copy.
fn open_copy_menu(model: &mut Model) {
    match preview::shown(model) {
        preview::Shown::Live => match &model.live.headers.masked {
            Ok(_) => model.overlay = Overlay::CopyMenu { selected: 1 },
            Err(why) => model.set_status(Tone::Warn, format!("nothing to copy: {why}")),
        },
        preview::Shown::Loading(name) => {
            let text = format!("still reading {name}");
            model.set_status(Tone::Info, text);
        }
        preview::Shown::Account(p) => match (&p.headers.masked, p.copyable) {
            (Ok(_), true) => model.overlay = Overlay::CopyMenu { selected: 1 },
            (Err(why), _) => {
                let text = format!("cannot copy {}'s headers: {why}", p.name);
                model.set_status(Tone::Warn, text);
            }
            (Ok(_), false) => {
                let text = format!("cannot copy {}'s headers: {}", p.name, preview::NEEDS_TASK);
                model.set_status(Tone::Warn, text);
            }
        },
    }
}

/// `v`: reveal or mask the live credential's secrets (a preview always stays masked).
fn toggle_reveal(model: &mut Model) {
    model.reveal = !model.reveal;
    refresh_live(model);
    if model.reveal && model.preview.want.is_some() {
        model.set_status(
            Tone::Warn,
            "SECRETS OF THE LIVE CREDENTIAL ARE SHOWN — a preview stays masked; v masks",
        );
    } else if model.reveal {
        model.set_status(
            Tone::Warn,
            "SECRETS ARE SHOWN ON SCREEN — press v to mask them",
        );
    } else {
        model.set_status(Tone::Info, "secrets masked");
    }
}
