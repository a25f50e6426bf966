//! The Accounts pane: the store, the active account marked, stale and invalid files flagged.
//!
//! Only the rows in view are turned into cells, so a frame costs the same with ten accounts
//! or ten thousand (see `benches/render.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_truncate::UnicodeTruncateStr as _;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::{pane_block, shown};
use crate::tui::keymap::{Action, Context, key_for};
use crate::tui::layout::{self, LIST_TOP, list_height};
use crate::tui::model::{Model, Pane};
use crate::tui::msg::AccountRow;

pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let list = &model.accounts;
    let mut title = if list.filter.is_empty() {
        format!("Accounts ({})", list.rows.len())
    } else {
        format!("Accounts ({}/{})", list.visible.len(), list.rows.len())
    };
    if model.usage.sort == crate::tui::usage::SortBy::Headroom {
        title.push_str(" by room");
    }
    let block = pane_block(model, Pane::Accounts, title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let filter_line = match &list.filter_input {
        Some(input) => {
            // " /" before the text; the field scrolls like every other (tui-input).
            let width = usize::from(inner.width.saturating_sub(3).max(1));
            let (text, cursor) = super::forms::visible(input, width, false);
            frame.set_cursor_position((
                inner.x + (cursor + 2).min(inner.width.saturating_sub(1)),
                inner.y,
            ));
            Line::from(vec![
                Span::raw(" "),
                Span::styled(format!("/{text}"), theme.key),
            ])
        }
        None if !list.filter.is_empty() => Line::from(vec![
            Span::styled(format!(" /{}", shown(&list.filter)), theme.key),
            Span::styled(
                format!("  {} clears", key_for(Context::Filter, Action::Back)),
                theme.dim,
            ),
        ]),
        None => Line::styled(" / filter", theme.dim),
    };
    frame.render_widget(Paragraph::new(filter_line), Rect { height: 1, ..inner });
    let rows_area = Rect {
        y: inner.y + LIST_TOP - 1,
        height: inner.height.saturating_sub(LIST_TOP - 1),
        ..inner
    };
    let lines = body(model, usize::from(rows_area.width), theme);
    frame.render_widget(Paragraph::new(lines), rows_area);
}

fn body(model: &Model, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let list = &model.accounts;
    if !list.loaded {
        return vec![Line::styled(" loading accounts…", theme.dim)];
    }
    if let Some(e) = &list.error {
        return vec![
            Line::styled(" cannot list the store:", theme.bad),
            Line::from(format!(" {}", shown(e))),
        ];
    }
    if list.rows.is_empty() {
        return vec![
            Line::styled(" no saved accounts", theme.dim),
            Line::styled(" s saves the live one", theme.dim),
            Line::styled(" a adds one", theme.dim),
        ];
    }
    if list.visible.is_empty() {
        return vec![Line::styled(" nothing matches the filter", theme.dim)];
    }
    let height = list_height_for(model);
    list.visible
        .iter()
        .enumerate()
        .skip(list.offset)
        .take(height)
        .filter_map(|(pos, i)| list.rows.get(*i).map(|r| (pos, r)))
        .map(|(pos, row)| {
            // A broken file already says `invalid`; its usage can only have failed for the same
            // reason, so an `err` beside it would repeat the flag in a second colour.
            let room = row
                .problem
                .is_none()
                .then(|| super::usage::headroom_cell(model, &row.name, theme))
                .flatten();
            row_line(row, pos == list.selected, width, theme, room)
        })
        .collect()
}

fn list_height_for(model: &Model) -> usize {
    layout::screen(model.size).map_or(0, |a| list_height(a.accounts))
}

fn row_line(
    row: &AccountRow,
    selected: bool,
    width: usize,
    theme: &Theme,
    headroom: Option<(String, ratatui::style::Style)>,
) -> Line<'static> {
    let marker = if selected { "▸" } else { " " };
    let active = if row.active { "●" } else { " " };
    let (flag, flag_style) = if row.problem.is_some() {
        ("invalid", theme.bad)
    } else if row.stale {
        ("stale", theme.warn)
    } else if row.active {
        ("active", theme.good)
    } else {
        ("", theme.dim)
    };
    let name = shown(&row.name);
    let detail = row
        .who
        .as_deref()
        .or(row.mode.as_deref())
        .map(shown)
        .unwrap_or_default();
    // marker + active + space, name, gap, detail, gap, flag
    let room_w = headroom.as_ref().map_or(0, |(t, _)| t.width() + 1);
    let fixed = 3 + flag.width() + usize::from(!flag.is_empty()) + room_w;
    let room = width.saturating_sub(fixed);
    let name_w = name.width().min(room);
    let name = truncate(&name, name_w);
    let detail_room = room.saturating_sub(name.width() + 1);
    let detail = if detail_room >= 4 {
        truncate(&detail, detail_room)
    } else {
        String::new()
    };
    let used = 3
        + name.width()
        + if detail.is_empty() {
            0
        } else {
            1 + detail.width()
        };
    let pad = width.saturating_sub(used + flag.width() + 1 + room_w);
    let base = if selected { theme.selected } else { theme.base };
    let mut spans = vec![
        Span::styled(marker.to_string(), base),
        Span::styled(active.to_string(), if selected { base } else { theme.good }),
        Span::styled(" ", base),
        Span::styled(name, base),
    ];
    if !detail.is_empty() {
        spans.push(Span::styled(
            format!(" {detail}"),
            if selected { base } else { theme.dim },
        ));
    }
    spans.push(Span::styled(" ".repeat(pad), base));
    if let Some((text, style)) = headroom {
        spans.push(Span::styled(
            format!(" {text}"),
            if selected { base } else { style },
        ));
    }
    if !flag.is_empty() {
        spans.push(Span::styled(
            format!(" {flag}"),
            if selected { base } else { flag_style },
        ));
    }
    Line::from(spans)
}

/// Cuts `s` to at most `max` display columns, marking the cut with `…`. The cut itself is
/// `unicode-truncate`'s (the crate ratatui cuts with): whole grapheme clusters, wide
/// characters never split.
pub fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let (head, _) = s.unicode_truncate(max - 1);
    format!("{head}…")
}

#[cfg(test)]
mod truncate_tests {
    use super::truncate;
    use unicode_width::UnicodeWidthStr as _;

    #[test]
    fn cuts_by_display_width_with_an_ellipsis() {
        assert_eq!(truncate("personal", 8), "personal");
        assert_eq!(truncate("personal", 5), "pers…");
        assert_eq!(truncate("personal", 1), "…");
        assert_eq!(truncate("personal", 0), "");
        // Wide characters count two columns and are never split.
        assert_eq!(truncate("日本語のアカウント", 6), "日本…");
        assert_eq!(truncate("日本語のアカウント", 5), "日本…");
        // A combining accent stays with its letter.
        let cut = truncate("cafe\u{301}-account", 5);
        assert_eq!(cut, "cafe\u{301}…");
        for max in 0..12 {
            assert!(truncate("日本語のアカウント", max).width() <= max);
        }
    }
}
