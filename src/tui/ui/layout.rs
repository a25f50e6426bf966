//! Where each pane goes, as a pure function of the terminal size.
//!
//! `update` uses the same function as `render` for mouse hit-testing and for keeping the
//! selected account in view, so a click always lands on what was drawn there.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use crate::tui::model::Pane;

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
