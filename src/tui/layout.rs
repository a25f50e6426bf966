//! Where each pane goes, as a pure function of the terminal size.
//!
//! Both `update` (mouse hit-testing, keeping the selected account in view, clamping the help's
//! scroll) and `ui` (drawing) ask this module, so a click always lands on what was drawn there
//! — and neither of the two has to import the other (docs/architecture.md, "Inside the TUI").

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::keymap::{self, HELP_ORDER};
use super::model::Pane;

/// The smallest terminal the layout supports; below it the screen says "terminal too small".
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The rectangles of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub accounts: Rect,
    pub account: Rect,
    pub plan: Rect,
    pub mode: Rect,
    pub task: Rect,
    pub headers: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl Areas {
    /// The pane under a position.
    pub fn pane_at(&self, at: Position) -> Option<Pane> {
        [
            (self.accounts, Pane::Accounts),
            (self.account, Pane::Account),
            (self.plan, Pane::Plan),
            (self.mode, Pane::AuthMode),
            (self.task, Pane::Task),
            (self.headers, Pane::Headers),
        ]
        .into_iter()
        .find(|(r, _)| r.contains(at))
        .map(|(_, p)| p)
    }

    pub fn of(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Accounts => self.accounts,
            Pane::Account => self.account,
            Pane::Plan => self.plan,
            Pane::AuthMode => self.mode,
            Pane::Task => self.task,
            Pane::Headers => self.headers,
        }
    }
}

/// Splits the screen; `None` when it is below [`MIN_WIDTH`]×[`MIN_HEIGHT`].
pub fn areas(area: Rect) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [title, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let left = (area.width * 3 / 10).clamp(24, 44);
    let [accounts, right] =
        Layout::horizontal([Constraint::Length(left), Constraint::Min(0)]).areas(body);
    let [account, middle, task, headers] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Length(5),
        Constraint::Min(3),
        Constraint::Length(4),
    ])
    .areas(right);
    let [plan, mode] =
        Layout::horizontal([Constraint::Percentage(35), Constraint::Percentage(65)]).areas(middle);
    Some(Areas {
        title,
        accounts,
        account,
        plan,
        mode,
        task,
        headers,
        status,
        footer,
    })
}

/// The layout of a whole screen of `size` (columns, rows), as the model records it.
pub fn screen(size: (u16, u16)) -> Option<Areas> {
    areas(full(size))
}

/// The rectangle of a whole screen of `size`.
pub fn full(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}

/// How many account rows fit on a screen of `size` (at least 1, so paging always moves).
pub fn list_rows(size: (u16, u16)) -> usize {
    screen(size).map_or(1, |a| list_height(a.accounts).max(1))
}

/// Rows of the Accounts pane above the list (the title rule and the filter line).
pub const LIST_TOP: u16 = 2;

/// How many account rows fit in the Accounts pane.
pub fn list_height(accounts: Rect) -> usize {
    usize::from(accounts.height.saturating_sub(LIST_TOP))
}

/// The list row (0-based, from the top of the list) under a position, if any.
pub fn list_row(accounts: Rect, at: Position) -> Option<usize> {
    let top = accounts.y + LIST_TOP;
    (accounts.contains(at) && at.y >= top).then(|| usize::from(at.y - top))
}

/// A popup of at most `width`×`height`, centred in `area`.
pub fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2)).max(1);
    let h = height.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width.saturating_sub(w)) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        w,
        h,
    )
}

/// The help popup's rectangle in a screen of `area`.
pub fn help_rect(area: Rect) -> Rect {
    popup(area, 76, area.height.saturating_sub(2))
}

/// Lines of the help: a title per context and a line per binding.
pub fn help_len() -> usize {
    HELP_ORDER
        .iter()
        .map(|ctx| 1 + keymap::of_context(*ctx).count())
        .sum()
}

/// `(largest scroll, one page)` of the help in a screen of `area`: every binding is reachable
/// by scrolling, however small the terminal.
pub fn help_scroll_range(area: Rect) -> (u16, u16) {
    let total = u16::try_from(help_len()).unwrap_or(u16::MAX);
    let inner = help_rect(area).height.saturating_sub(2);
    (total.saturating_sub(inner), inner.saturating_sub(1).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_size_fills_the_screen_without_overlap() {
        let a = areas(Rect::new(0, 0, 80, 24)).expect("80x24 is supported");
        assert_eq!(a.title.height, 1);
        assert_eq!(a.footer.y, 23);
        assert_eq!(a.accounts.height, 21);
        assert!(!a.accounts.intersects(a.account));
        assert!(!a.task.intersects(a.headers));
        assert_eq!(a.pane_at(Position::new(1, 3)), Some(Pane::Accounts));
        assert_eq!(a.pane_at(Position::new(79, 21)), Some(Pane::Headers));
        assert_eq!(a.pane_at(Position::new(79, 22)), None);
        assert_eq!(list_row(a.accounts, Position::new(1, 3)), Some(0));
        assert_eq!(list_row(a.accounts, Position::new(1, 1)), None);
    }

    #[test]
    fn too_small_has_no_layout() {
        assert!(areas(Rect::new(0, 0, 59, 24)).is_none());
        assert!(areas(Rect::new(0, 0, 80, 15)).is_none());
        assert!(areas(Rect::new(0, 0, 60, 16)).is_some());
        assert!(areas(Rect::new(0, 0, 0, 0)).is_none());
    }
}
