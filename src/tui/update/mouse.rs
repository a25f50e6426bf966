//! The mouse: wheel scrolling and clicks, hit-tested against the same [`layout`] the screen
//! is drawn with (so a click lands on what was drawn there).

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::keys;
use crate::tui::layout;
use crate::tui::model::{Model, Overlay, Pane};
use crate::tui::msg::Effect;

pub(super) fn on_mouse(model: &mut Model, ev: MouseEvent) -> Vec<Effect> {
    if !model.settings.mouse {
        return Vec::new();
    }
    let area = layout::full(model.size);
    let Some(areas) = layout::areas(area) else {
        return Vec::new();
    };
    let at = Position::new(ev.column, ev.row);
    match ev.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = ev.kind == MouseEventKind::ScrollDown;
            let delta: isize = if down { 3 } else { -3 };
            match &mut model.overlay {
                Overlay::Help { scroll } => {
                    let (max, _) = layout::help_scroll_range(area);
                    *scroll = scroll
                        .saturating_add_signed(if down { 3 } else { -3 })
                        .min(max);
                }
                Overlay::Log { scroll } => {
                    *scroll = scroll.saturating_add_signed(if down { -3 } else { 3 });
                }
                Overlay::None if areas.accounts.contains(at) => {
                    model.accounts.follow_active = false;
                    model.accounts.move_by(delta);
                    keys::follow_selection(model);
                }
                Overlay::None if areas.task.contains(at) => {
                    model.task_scroll = model.task_scroll.saturating_add_signed(-delta);
                }
                _ => return Vec::new(),
            }
            model.dirty = true;
        }
        MouseEventKind::Down(MouseButton::Left) if matches!(model.overlay, Overlay::None) => {
            let Some(pane) = areas.pane_at(at) else {
                return Vec::new();
            };
            model.focus = pane;
            if pane == Pane::Accounts
                && let Some(row) = layout::list_row(areas.accounts, at)
            {
                let pos = model.accounts.offset + row;
                if pos < model.accounts.visible.len() {
                    model.accounts.follow_active = false;
                    model.accounts.selected = pos;
                }
            }
            model.dirty = true;
        }
        _ => {}
    }
    Vec::new()
}
