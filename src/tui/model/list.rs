//! The store listing and the view onto it: the rows, the filter, the cursor and the scroll.
//! Filtering and sorting happen here once per change, never per frame.

use tui_input::Input;

use crate::tui::msg::AccountRow;

/// The store listing and the view onto it.
#[derive(Debug, Clone, Default)]
pub struct AccountList {
    pub generation: u64,
    /// `false` until the first listing arrives.
    pub loaded: bool,
    pub error: Option<String>,
    pub rows: Vec<AccountRow>,
    /// Indices into `rows` that pass the filter, in order.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// First visible position drawn (scrolling).
    pub offset: usize,
    /// The applied filter (lower-case match on name, who, plan, mode).
    pub filter: String,
    /// The filter being typed (`/`), if the filter prompt is open.
    pub filter_input: Option<Input>,
    /// The account live before the last switch (`-` switches back to it).
    pub previous: Option<String>,
    /// When sorted by usage headroom: each account's rank (headroom on a 0.1 % grid); accounts
    /// without figures go last. `None` = name order.
    pub headroom_rank: Option<std::collections::HashMap<String, i64>>,
    /// Put the cursor on the live account when the next listing shows it (at start and after
    /// a switch), until the user moves the cursor: the panes preview the selected account, so
    /// opening on another one would hide the live credential.
    pub follow_active: bool,
}

impl AccountList {
    /// The selected row, if any.
    pub fn selected_row(&self) -> Option<&AccountRow> {
        self.visible
            .get(self.selected)
            .and_then(|i| self.rows.get(*i))
    }

    /// Replaces the rows (a new listing), keeping the selected account by name. (Which row the
    /// cursor starts on — the active one — is `follow_active`'s business, in `update`.)
    pub fn set_rows(&mut self, rows: Vec<AccountRow>) {
        let keep = self.selected_row().map(|r| r.name.clone());
        self.rows = rows;
        self.apply_filter(keep);
    }

    /// Recomputes `visible` from `filter`, keeping the selected account when it still shows.
    pub fn refilter(&mut self) {
        let keep = self.selected_row().map(|r| r.name.clone());
        self.apply_filter(keep);
    }

    fn apply_filter(&mut self, keep: Option<String>) {
        let needle = self.filter.to_lowercase();
        self.visible = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| needle.is_empty() || r.haystack.contains(&needle))
            .map(|(i, _)| i)
            .collect();
        if let Some(rank) = &self.headroom_rank {
            let rows = &self.rows;
            self.visible.sort_by_key(|i| {
                std::cmp::Reverse(
                    rows.get(*i)
                        .and_then(|r| rank.get(&r.name))
                        .copied()
                        .unwrap_or(-1),
                )
            });
        }
        self.selected = keep
            .and_then(|name| {
                self.visible
                    .iter()
                    .position(|i| self.rows.get(*i).is_some_and(|r| r.name == name))
            })
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }

    /// Moves the selection by `delta`, clamped.
    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Adjusts `offset` so the selection is inside a window of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.visible.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}
