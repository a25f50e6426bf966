//! Drawing: `render(&Model, &mut Frame)`, pure — it borrows the model and writes cells.
//!
//! ```text
//!  authdeck  ● Ready  alice@example.com · Pro · chatgpt                       title
//! ─Accounts (3)──────────┐─Account───────────────────────────────────────────
//!  / filter              │ email      alice@example.com
//! ▸● work                │ user id    user-123
//!   personal  stale      │ workspace  ws-1 · fedramp no
//!   broken    invalid    │ source     file /home/a/.codex/auth.json
//!                        │ tokens     expire 2100-01-01 · refreshable
//!                        │─Plan──────────────┬─Auth mode──────────────────────
//!                        │ Pro               │ chatgpt (ChatGPT login)
//!                        │ raw pro           │ also present: apikey
//!                        │ personal          │ ⚠ notices (env override, keyring)
//!                        │─Task──────────────────────────────────────────────
//!                        │ registered · attempt 1 of 3 · 42 ms
//!                        │ ✓ fetch JWKS      HTTP 200    12 ms
//!                        │ ✓ register task   HTTP 200    42 ms
//!                        │─Headers───────────────────────────────────────────
//!                        │ Authorization: Bearer eyJh…sig
//!                        │ ChatGPT-Account-ID: ws-1
//!  copied http header                                                      status
//!  q quit  Tab next pane  Enter switch to account  …                       footer
//! ```
//!
//! One render function per region ([`panes`], [`accounts`], [`task`], [`bars`], [`overlays`]),
//! the geometry in [`layout`] (shared with `update` for mouse hit-testing), the styles in
//! [`theme`]. Every string that comes from a credential, a file or a server goes through
//! [`crate::sanitize::clean`] before it becomes a cell. Nothing here reads a file, parses a
//! credential or signs anything: those results are cached in the model.

pub mod accounts;
pub mod bars;
pub mod layout;
pub mod overlays;
pub mod panes;
pub mod task;
pub mod theme;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::model::{Model, Pane};
use crate::sanitize::clean;
use theme::Theme;

/// Draws the whole screen.
pub fn render(model: &Model, frame: &mut Frame) {
    let theme = Theme::new(model.settings.no_color);
    let area = frame.area();
    let Some(areas) = layout::areas(area) else {
        too_small(frame, area, &theme);
        return;
    };
    bars::title(model, frame, areas.title, &theme);
    accounts::render(model, frame, areas.accounts, &theme);
    panes::account(model, frame, areas.account, &theme);
    panes::plan(model, frame, areas.plan, &theme);
    panes::auth_mode(model, frame, areas.mode, &theme);
    task::render(model, frame, areas.task, &theme);
    panes::headers(model, frame, areas.headers, &theme);
    bars::status(model, frame, areas.status, &theme);
    bars::footer(model, frame, areas.footer, &theme);
    overlays::render(model, frame, area, &theme);
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("terminal too small", theme.warn),
        Line::from(format!(
            "need {}×{}, have {}×{}",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT,
            area.width,
            area.height
        )),
        Line::styled("q quits", theme.dim),
    ];
    let h = u16::try_from(text.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let rect = Rect::new(area.x, y, area.width, h);
    frame.render_widget(
        Paragraph::new(text)
            .centered()
            .style(theme.base)
            .wrap(ratatui::widgets::Wrap { trim: true }),
        rect,
    );
}

/// A pane's frame: a top rule carrying the title, highlighted when focused.
pub fn pane_block<'a>(
    model: &Model,
    pane: Pane,
    title: impl Into<Cow<'a, str>>,
    theme: &Theme,
) -> Block<'a> {
    let style = if model.focus == pane && matches!(model.overlay, super::model::Overlay::None) {
        theme.focus
    } else {
        theme.title
    };
    let borders = if pane == Pane::Accounts {
        Borders::TOP | Borders::RIGHT
    } else {
        Borders::TOP
    };
    Block::new()
        .borders(borders)
        .border_style(theme.border)
        .title(Span::styled(title.into(), style))
}

/// `label  value` with the label in a fixed column.
pub fn kv<'a>(label: &'a str, value: impl Into<Cow<'a, str>>, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<10} "), theme.label),
        Span::raw(value.into()),
    ])
}

/// Cleans text from a credential, file or server for display.
pub fn shown(s: &str) -> String {
    clean(s).into_owned()
}

/// A styled span of cleaned text.
pub fn span(s: &str, style: Style) -> Span<'static> {
    Span::styled(shown(s), style)
}

/// The spinner frame for the current tick.
pub fn spinner(model: &Model) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    FRAMES[model.spinner % FRAMES.len()]
}

#[cfg(test)]
mod tests;
