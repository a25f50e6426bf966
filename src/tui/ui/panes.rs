//! The Account, Plan, Auth mode and Headers panes: the cached [`StatusReport`] and header
//! preview, laid out. A runtime-init failure changes the title bar and the Task pane, never
//! these: account, plan and mode stay visible (docs/codex-formats.md §4.3).
//!
//! [`StatusReport`]: crate::report::StatusReport

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::{kv, pane_block, shown, span};
use crate::codex::credential::AuthMode;
use crate::report::SourceReport;
use crate::runtime::State;
use crate::tui::model::{Model, Pane};

fn source_text(source: &SourceReport) -> String {
    match source {
        SourceReport::File { path } => format!("file {}", shown(path)),
        SourceReport::Env { var } => format!("environment {}", shown(var)),
        SourceReport::Keyring { service, account } => {
            format!("OS keyring {} / {}", shown(service), shown(account))
        }
        SourceReport::None => "none".to_string(),
    }
}

/// An RFC 3339 time as `2026-05-01 12:00 UTC` (the report's strings are for machines).
pub fn short_time(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s).map_or_else(
        |_| shown(s),
        |t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        },
    )
}

pub fn account(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = pane_block(model, Pane::Account, "Account", theme);
    let r = &model.live.report;
    let state = &model.live.runtime.state;
    let mut lines: Vec<Line> = Vec::new();
    if model.live.loaded.is_none() {
        lines.push(Line::styled("Loading the live credential…", theme.warn));
    } else if matches!(state, State::SignedOut) {
        lines.push(Line::styled(
            "Signed out — no credential anywhere.",
            theme.title,
        ));
        lines.push(Line::from("Sign in with `codex login` in a terminal,"));
        lines.push(Line::from(vec![
            Span::raw("or press "),
            Span::styled("a", theme.key),
            Span::raw(" to add an account;"),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::raw(" switches to a saved one."),
        ]));
    } else if let (State::Invalid { reason }, None) = (state, &r.auth_mode) {
        lines.push(Line::styled("Invalid credential", theme.bad));
        lines.push(Line::from(shown(reason)));
        lines.push(kv("source", source_text(&r.source), theme));
    } else {
        let acct = r.account.as_ref();
        let field = |v: Option<&String>| v.map_or_else(|| "—".to_string(), |s| shown(s));
        lines.push(kv(
            "email",
            field(acct.and_then(|a| a.email.as_ref())),
            theme,
        ));
        lines.push(kv(
            "user id",
            field(acct.and_then(|a| a.chatgpt_user_id.as_ref())),
            theme,
        ));
        let fedramp = if acct.is_some_and(|a| a.fedramp) {
            "fedramp yes"
        } else {
            "fedramp no"
        };
        lines.push(kv(
            "workspace",
            format!(
                "{} · {fedramp}",
                field(acct.and_then(|a| a.account_id.as_ref()))
            ),
            theme,
        ));
        lines.push(kv("source", source_text(&r.source), theme));
        lines.push(credential_line(model, theme));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Tokens (expiry + refreshable), else the key or the agent identity.
fn credential_line(model: &Model, theme: &Theme) -> Line<'static> {
    let r = &model.live.report;
    if let Some(t) = &r.tokens {
        let exp = t
            .access_token_expires_at
            .as_deref()
            .map_or_else(|| "unknown".to_string(), shown);
        let refresh = if t.refreshable {
            "refreshable"
        } else {
            "not refreshable"
        };
        return kv("tokens", format!("expire {exp} · {refresh}"), theme);
    }
    if let Some(a) = &r.agent_identity {
        let id = a
            .agent_runtime_id
            .as_deref()
            .map_or_else(|| "—".to_string(), shown);
        let verified = match (a.form, a.jwt_verified) {
            ("jwt", true) => "JWT verified",
            ("jwt", false) => "JWT not verified",
            _ => "record",
        };
        let exp = a
            .jwt_expires_at
            .as_deref()
            .map(|e| format!(" · expires {}", shown(e)))
            .unwrap_or_default();
        return kv("agent", format!("{id} · {verified}{exp}"), theme);
    }
    if let Some(k) = &r.api_key_masked {
        return kv("api key", shown(k), theme);
    }
    kv("tokens", "—", theme)
}

pub fn plan(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = pane_block(model, Pane::Plan, "Plan", theme);
    let lines = match &model.live.report.plan {
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
    let r = &model.live.report;
    let mut lines: Vec<Line> = Vec::new();
    match &r.auth_mode {
        Some(mode) => {
            let describe = AuthMode::parse(mode).describe().to_string();
            let how = if r.auth_mode_explicit {
                ""
            } else {
                ", resolved"
            };
            lines.push(Line::from(vec![
                span(mode, theme.title),
                Span::styled(format!(" ({describe}{how})"), theme.dim),
            ]));
            let others: Vec<String> = r
                .available_modes
                .iter()
                .filter(|m| *m != mode)
                .map(|m| shown(m))
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
    let preview = &model.live.headers;
    let title = if model.reveal && preview.revealed.is_some() {
        "Headers — REVEALED (v masks)"
    } else {
        "Headers (masked)"
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
