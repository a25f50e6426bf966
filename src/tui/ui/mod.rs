//! Drawing: `render(&Model, &mut Frame)`, pure — it borrows the model and writes cells.
//!
//! ```text
//!  authdeck ● Ready  agent@example.com · Business · agentIdentity             title (1)
//! Accounts (4)───────────┐Account──────────────────────────────────────────── ┐
//!  / filter              │email      agent@example.com                        │ Account
//! ▸  broken       invalid│user id    user-agent                               │ (title +
//!    personal       stale│workspace  account-agent · fedramp no               │  5 lines)
//!  ● work          active│source     file /home/user/.codex/auth.json         │
//!    zkey                │agent      agent-1 · JWT verified · expires …       ┘
//!                        │Plan─────────────Auth mode───────────────────────── Plan 35% |
//!                        │Business         agentIdentity (Agent Identity)     Auth mode
//!                        │raw business     also present: none                 65% (title
//!                        │workspace account ⚠ notices (env token, keyring)    + 4 lines)
//!                        │Task─────────────────────────────────────────────── Task (rest)
//!                        │✓ registered task…cdef · 42 ms · at 12:00:00 · …
//!                        │✓ fetch JWKS     1/3     12 ms  HTTP 200
//!                        │✓ register task  1/3     42 ms  HTTP 200
//!                        │Headers (masked)─────────────────────────────────── Headers
//!                        │Authorization: AgentAssertion eyJh…Q2fQ             (title +
//!                        │ChatGPT-Account-ID: account-agent                    3 lines)
//!  copied http header  (or the first notice, or a spinner + the file op)      status (1)
//!  Enter switch  q quit  ? help  Tab focus  m mode  r retry  c copy  v reveal  footer (1)
//! ```
//!
//! Accounts takes 30% of the width (24–44 columns). Below 60×16 the whole screen is one
//! "terminal too small" message.
//!
//! One render function per region ([`account`], [`panes`], [`accounts`], [`task`], [`usage`],
//! [`bars`], [`overlays`], [`forms`]), the geometry in [`crate::tui::layout`] (shared with
//! `update` for mouse hit-testing, so `ui` and `update` never import each other), the styles in
//! [`theme`], key hints from [`crate::tui::keymap`]. Every string that comes from a credential, a file or a server goes through
//! [`crate::sanitize::clean`] before it becomes a cell. Nothing here reads a file, parses a
//! credential or signs anything: those results are cached in the model.

pub mod account;
pub mod accounts;
pub mod bars;
pub mod forms;
pub mod overlays;
pub mod panes;
#[cfg(test)]
mod preview_tests;
pub mod task;
pub mod theme;
pub mod usage;
#[cfg(test)]
mod usage_tests;
#[cfg(test)]
mod usage_update_tests;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::keymap::{self, Action, Context, key_for};
use super::layout;
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
    account::render(model, frame, areas.account, &theme);
    panes::plan(model, frame, areas.plan, &theme);
    panes::auth_mode(model, frame, areas.mode, &theme);
    if usage::shows_usage(model) {
        usage::render(model, frame, areas.task, &theme);
    } else if let Some((task_area, usage_area, text)) =
        usage::split_for_usage(model, areas.task, &theme)
    {
        task::render(model, frame, task_area, &theme);
        usage::render_lines(model, frame, usage_area, text, &theme);
    } else {
        task::render(model, frame, areas.task, &theme);
    }
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
        Line::styled(
            format!("{} quits", key_for(Context::Global, Action::Quit)),
            theme.dim,
        ),
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

/// The Account pane's frame while it previews `name`: the title is the unmistakable header
/// "selected: NAME — not live; Enter switches".
pub fn preview_block<'a>(name: &str, theme: &Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border)
        .title(Span::styled(
            format!(
                "selected: {} — not live; {} switches",
                shown(name),
                key_for(Context::Accounts, Action::Switch)
            ),
            theme.preview,
        ))
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

/// The key hints of a modal context, from the keymap table (the entries its footer shows):
/// `Tab next field  Enter add  Esc cancel`, the keys in the key style, `sep` between entries.
pub fn hint_spans(ctx: Context, sep: &str, theme: &Theme) -> Vec<Span<'static>> {
    let entries = keymap::footer(&[ctx]);
    let last = entries.len().saturating_sub(1);
    let mut spans = Vec::new();
    for (i, b) in entries.into_iter().enumerate() {
        spans.push(Span::styled(b.label, theme.key));
        let gap = if i < last { sep } else { "" };
        spans.push(Span::raw(format!(" {}{gap}", b.footer)));
    }
    spans
}

/// The same hints as one plain string (`Enter ok · Esc cancel`).
pub fn hint_text(ctx: Context, sep: &str) -> String {
    keymap::footer(&[ctx])
        .iter()
        .map(|b| format!("{} {}", b.label, b.footer))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The spinner frame for the current tick.
pub fn spinner(model: &Model) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    FRAMES[model.spinner % FRAMES.len()]
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_guards;
