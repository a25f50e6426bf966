//! Popups over the panes: help, event log, switch confirmation, mode picker, copy menu, and
//! (in [`super::forms`]) the add form and the name prompt. Each clears its rectangle first,
//! then draws a bordered box. Key hints come from the keymap table, never typed here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use super::{forms, hint_spans};
use super::{shown, span};
use crate::codex::credential::AuthMode;
use crate::tui::keymap::{self, Action, Context, HELP_ORDER, key_for};
use crate::tui::layout::{help_rect, help_scroll_range, popup};
use crate::tui::model::{CopyTo, Model, Overlay};
use crate::tui::msg::{CopyFormat, SwitchPreview};
use crate::tui::preview::{self, Shown};

pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    match &model.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help(frame, area, *scroll, theme),
        Overlay::Log { scroll } => log(model, frame, area, *scroll, theme),
        Overlay::Planning { name } => {
            let lines = vec![Line::from(format!(
                "Preparing the switch to {}…",
                shown(name)
            ))];
            boxed(frame, popup(area, 50, 3), "Switch", lines, theme);
        }
        Overlay::Confirm(preview) => confirm(frame, area, preview, theme),
        Overlay::ModePicker { options, selected } => {
            mode_picker(model, frame, area, options, *selected, theme);
        }
        Overlay::CopyMenu { selected } => copy_menu(model, frame, area, *selected, theme),
        Overlay::Add(form) => forms::add_form(model, frame, area, form, theme),
        Overlay::Prompt(p) => forms::prompt(frame, area, p, theme),
    }
}

/// Rows `lines` take when wrapped at `width` columns (word wrapping can only add a little to
/// this estimate; the popup is clipped, never drawn outside the screen).
fn wrapped_height(lines: &[Line], width: u16) -> usize {
    let w = usize::from(width.max(1));
    lines.iter().map(|l| l.width().div_ceil(w).max(1)).sum()
}

pub(super) fn boxed(frame: &mut Frame, rect: Rect, title: &str, lines: Vec<Line>, theme: &Theme) {
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.key)
        .title(Span::styled(format!(" {title} "), theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn help_lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in HELP_ORDER {
        lines.push(Line::styled(ctx.title(), theme.title));
        for b in keymap::of_context(ctx) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<11}", b.label), theme.key),
                Span::raw(b.description),
            ]));
        }
    }
    lines
}

fn help(frame: &mut Frame, area: Rect, scroll: u16, theme: &Theme) {
    let lines = help_lines(theme);
    let rect = help_rect(area);
    frame.render_widget(Clear, rect);
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let inner = rect.height.saturating_sub(2);
    // Never scroll past the last line (`update` clamps too; a resize can shrink the range).
    let (max, _) = help_scroll_range(area);
    let scroll = scroll.min(max);
    let last = scroll.saturating_add(inner).min(total);
    let key = |action| key_for(Context::Help, action);
    let title = format!(
        " Keys {}–{last} of {total} — {} closes ",
        scroll + 1,
        key(Action::Back)
    );
    let hint = if scroll < max {
        let (j, pg, end) = (
            key(Action::Down),
            key(Action::PageDown),
            key(Action::Bottom),
        );
        format!(" ↓ more: {j}, {pg}, {end} ")
    } else if max > 0 {
        let (k, pg, top) = (key(Action::Up), key(Action::PageUp), key(Action::Top));
        format!(" end — {k}, {pg}, {top} ")
    } else {
        String::new()
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.key)
        .title(Span::styled(title, theme.title))
        .title_bottom(Line::styled(hint, theme.key).right_aligned());
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}

fn log(model: &Model, frame: &mut Frame, area: Rect, scroll: u16, theme: &Theme) {
    let mut lines: Vec<Line> = model
        .log
        .iter()
        .map(|e| {
            Line::from(vec![
                Span::styled(format!("{} ", e.at.format("%H:%M:%S")), theme.dim),
                span(&e.text, theme.base),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            "nothing yet: file writes and HTTP calls appear here",
            theme.dim,
        ));
    }
    let rect = popup(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let inner_h = rect.height.saturating_sub(2);
    // Newest at the bottom; scrolling up reveals older lines.
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let top = total.saturating_sub(inner_h).saturating_sub(scroll);
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.key)
        .title(Span::styled(
            format!(
                " Event log (secrets redacted) — {} closes ",
                key_for(Context::Log, Action::Back)
            ),
            theme.title,
        ));
    frame.render_widget(Paragraph::new(lines).block(block).scroll((top, 0)), rect);
}

fn confirm(frame: &mut Frame, area: Rect, p: &SwitchPreview, theme: &Theme) {
    let mut lines = Vec::new();
    if p.changes.is_empty() {
        lines.push(Line::styled("auth.json: no key changes", theme.dim));
    } else {
        lines.push(Line::styled("auth.json changes (masked):", theme.title));
        for c in &p.changes {
            lines.push(Line::from(vec![
                Span::styled(format!("  {} ", shown(&c.key)), theme.label),
                span(&c.before, theme.bad),
                Span::raw(" → "),
                span(&c.after, theme.good),
            ]));
        }
    }
    for n in &p.notes {
        lines.push(Line::from(vec![
            Span::styled("• ", theme.info),
            span(n, theme.base),
        ]));
    }
    if p.processes.is_empty() {
        lines.push(Line::styled(
            "No Codex process is running now; new ones will use this account.",
            theme.dim,
        ));
    } else {
        lines.push(Line::styled(
            "These running Codex processes keep the old credential until restarted:",
            theme.warn,
        ));
        for proc in &p.processes {
            lines.push(Line::from(format!("  {}", shown(proc))));
        }
    }
    if let Some(why) = &p.blocked {
        lines.push(Line::from(vec![
            Span::styled("cannot switch: ", theme.bad),
            span(why, theme.base),
        ]));
    } else {
        lines.push(Line::from(hint_spans(Context::Confirm, "   ", theme)));
    }
    // As wide as the longest line (so a change or a note reads on one line where the terminal
    // allows it), at least 72 and at most 100 columns, leaving a margin on each side.
    let longest = lines.iter().map(Line::width).max().unwrap_or(0);
    let want = u16::try_from(longest + 2)
        .unwrap_or(u16::MAX)
        .clamp(72, 100);
    let width = want
        .min(area.width.saturating_sub(4))
        .max(72.min(area.width));
    let h = u16::try_from(wrapped_height(&lines, width.saturating_sub(2)) + 2).unwrap_or(u16::MAX);
    let rect = popup(area, width, h);
    boxed(
        frame,
        rect,
        &format!("Switch to {}?", shown(&p.name)),
        lines,
        theme,
    );
}

fn mode_picker(
    model: &Model,
    frame: &mut Frame,
    area: Rect,
    options: &[AuthMode],
    selected: usize,
    theme: &Theme,
) {
    let current = model.live.report.auth_mode.as_ref();
    let mut lines: Vec<Line> = options
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mark = if Some(m) == current { "●" } else { " " };
            choice(
                format!("{mark} {:<20} {}", shown(m.as_str()), m.describe()),
                i == selected,
                theme,
            )
        })
        .collect();
    lines.push(Line::styled(
        "only modes whose material is in auth.json",
        theme.dim,
    ));
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    boxed(frame, popup(area, 56, h), "Auth mode", lines, theme);
}

/// One row of a picker, highlighted when it is the selected one.
fn choice(text: String, selected: bool, theme: &Theme) -> Line<'static> {
    Line::styled(text, if selected { theme.selected } else { theme.base })
}

fn copy_menu(model: &Model, frame: &mut Frame, area: Rect, selected: usize, theme: &Theme) {
    let mut lines: Vec<Line> = CopyFormat::ALL
        .iter()
        .enumerate()
        .map(|(i, f)| {
            choice(
                format!("{} {:<6} {}", i + 1, f.label(), f.describe()),
                i == selected,
                theme,
            )
        })
        .collect();
    lines.extend(
        copy_notes(model)
            .into_iter()
            .map(|note| Line::styled(note, theme.dim)),
    );
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    boxed(frame, popup(area, 52, h), "Copy header", lines, theme);
}

/// What a copy will do, truthfully: an AgentAssertion is signed at the moment of copying (a
/// bearer token is copied as it is); where the text goes (`--no-system-clipboard` means OSC 52
/// alone); and when it is cleared, if `--clear-clipboard` asked for it.
fn copy_notes(model: &Model) -> Vec<String> {
    let report = match preview::shown(model) {
        Shown::Account(p) => &p.report,
        Shown::Live | Shown::Loading(_) => &model.live.report,
    };
    let mut notes = Vec::new();
    if report.auth_mode == Some(AuthMode::AgentIdentity) {
        notes.push("the AgentAssertion is signed when you copy".to_string());
    }
    let target = match model.settings.copy_to {
        CopyTo::TerminalOnly => "OSC 52 only (--no-system-clipboard)",
        CopyTo::TerminalAndSystem => "OSC 52 + the system clipboard if there is one",
    };
    notes.push(target.to_string());
    if let Some(secs) = model.settings.clear_clipboard {
        notes.push(format!("the clipboard is cleared after {secs}s"));
    }
    notes
}
