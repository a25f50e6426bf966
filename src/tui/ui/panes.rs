//! The Plan, Auth mode and Headers panes (the Account pane is in [`super::account`]): the
//! cached [`StatusReport`] and header preview, laid out. A runtime-init failure changes the
//! title bar and the Task pane, never these: account, plan and mode stay visible
//! (docs/codex-formats.md §4.3).
//!
//! [`StatusReport`]: crate::report::StatusReport

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::{pane_block, shown, span};
use crate::report::StatusReport;
use crate::tui::keymap::{Action, Context, key_for};
use crate::tui::model::{Model, Pane};
use crate::tui::preview::{self, Shown};

/// The report the Plan and Auth mode panes show: the live one or the previewed account's.
fn report_of(model: &Model) -> Option<&StatusReport> {
    match preview::shown(model) {
        Shown::Live => Some(&model.live.report),
        Shown::Loading(_) => None,
        Shown::Account(p) => Some(&p.report),
    }
}

pub fn plan(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = pane_block(model, Pane::Plan, "Plan", theme);
    let lines = match report_of(model).and_then(|r| r.plan.as_ref()) {
        Some(p) => vec![
            Line::from(span(&p.display, theme.title)),
            Line::from(vec![
                Span::styled("raw ", theme.label),
                span(&p.raw, theme.base),
            ]),
            Line::from(if p.workspace {
                "workspace account"
            } else {
                "personal account"
            }),
        ],
        None => vec![Line::styled("—", theme.dim)],
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn auth_mode(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = pane_block(model, Pane::AuthMode, "Auth mode", theme);
    let Some(r) = report_of(model) else {
        frame.render_widget(
            Paragraph::new(Line::styled("…", theme.dim)).block(block),
            area,
        );
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    match &r.auth_mode {
        Some(mode) => {
            let describe = mode.describe().to_string();
            let how = if r.auth_mode_explicit {
                ""
            } else {
                ", resolved"
            };
            lines.push(Line::from(vec![
                span(mode.as_str(), theme.title),
                Span::styled(format!(" ({describe}{how})"), theme.dim),
            ]));
            let others: Vec<String> = r
                .available_modes
                .iter()
                .filter(|m| *m != mode)
                .map(|m| shown(m.as_str()))
                .collect();
            let others = if others.is_empty() {
                "none".to_string()
            } else {
                others.join(", ")
            };
            lines.push(Line::from(vec![
                Span::styled("also present: ", theme.label),
                Span::raw(others),
            ]));
        }
        None => lines.push(Line::styled("—", theme.dim)),
    }
    for n in &r.notices {
        lines.push(Line::from(vec![
            Span::styled("⚠ ", theme.warn),
            span(n, theme.warn),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

pub fn headers(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let p = match preview::shown(model) {
        Shown::Live => None,
        Shown::Loading(_) => {
            let block = pane_block(model, Pane::Headers, "Headers (masked)", theme);
            frame.render_widget(
                Paragraph::new(Line::styled("…", theme.dim)).block(block),
                area,
            );
            return;
        }
        Shown::Account(p) => Some(p),
    };
    if let Some(p) = p {
        let copy = if p.copyable {
            format!(" · {} copies", key_for(Context::Global, Action::CopyMenu))
        } else {
            String::new()
        };
        let title = format!("Headers of {} (masked){copy}", shown(&p.name));
        let block = pane_block(model, Pane::Headers, title, theme);
        let lines: Vec<Line> = match &p.headers.masked {
            Ok(masked) => masked
                .iter()
                .map(|(name, value)| {
                    Line::from(vec![
                        Span::styled(format!("{name}: "), theme.label),
                        span(value, theme.base),
                    ])
                })
                .collect(),
            Err(why) => vec![Line::styled(shown(why), theme.dim)],
        };
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let preview = &model.live.headers;
    let title = if model.reveal && preview.revealed.is_some() {
        format!(
            "Headers — REVEALED ({} masks)",
            key_for(Context::Global, Action::Reveal)
        )
    } else {
        "Headers (masked)".to_string()
    };
    let block = pane_block(model, Pane::Headers, title, theme);
    let lines: Vec<Line> = match (&preview.masked, &preview.revealed) {
        (Ok(_), Some(revealed)) if model.reveal => revealed
            .iter()
            .map(|(name, value)| {
                Line::from(vec![
                    Span::styled(format!("{name}: "), theme.label),
                    span(value.expose(), theme.revealed),
                ])
            })
            .collect(),
        (Ok(masked), _) => masked
            .iter()
            .map(|(name, value)| {
                Line::from(vec![
                    Span::styled(format!("{name}: "), theme.label),
                    span(value, theme.base),
                ])
            })
            .collect(),
        (Err(why), _) => vec![Line::styled(shown(why), theme.dim)],
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
