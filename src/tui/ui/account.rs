//! The Account pane: who the live credential (or the previewed account) is, where it comes
//! from, and its tokens, key or Agent Identity — in the words `status` uses. A runtime-init
//! failure never changes it: the account stays visible (docs/codex-formats.md §4.3).

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::{kv, pane_block, preview_block, shown, span};
use crate::codex::agent_identity::AgentForm;
use crate::report::{SourceReport, StatusReport};
use crate::runtime::State;
use crate::tui::keymap::{Action, Context, key_for};
use crate::tui::model::{Model, Pane};
use crate::tui::preview::{self, Preview, Shown, Verify};
use crate::usage::figures::compact_duration;

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

pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    match preview::shown(model) {
        Shown::Live => {
            let block = pane_block(model, Pane::Account, "Account", theme);
            let lines = live_account_lines(model, theme);
            frame.render_widget(Paragraph::new(lines).block(block), area);
        }
        Shown::Loading(name) => {
            let lines = vec![Line::styled(format!("reading {}…", shown(name)), theme.dim)];
            frame.render_widget(
                Paragraph::new(lines).block(preview_block(name, theme)),
                area,
            );
        }
        Shown::Account(p) => {
            let lines = preview_account_lines(model, p, theme);
            frame.render_widget(
                Paragraph::new(lines)
                    .block(preview_block(&p.name, theme))
                    .wrap(Wrap { trim: true }),
                area,
            );
        }
    }
}

fn live_account_lines<'a>(model: &Model, theme: &Theme) -> Vec<Line<'a>> {
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
            Span::styled(key_for(Context::Global, Action::Add), theme.key),
            Span::raw(" to add an account;"),
        ]));
        lines.push(Line::from(vec![
            Span::styled(key_for(Context::Accounts, Action::Switch), theme.key),
            Span::raw(" switches to a saved one."),
        ]));
    } else if let (State::Invalid { reason }, None) = (state, &r.auth_mode) {
        lines.push(Line::styled("Invalid credential", theme.bad));
        lines.push(Line::from(shown(reason)));
        lines.push(kv("source", source_text(&r.source), theme));
    } else {
        lines.extend(identity_lines(r, theme));
        lines.push(kv("source", source_text(&r.source), theme));
        lines.push(credential_line(r, None, model.now, theme));
    }
    lines
}

/// Email, user id and workspace.
fn identity_lines(r: &StatusReport, theme: &Theme) -> Vec<Line<'static>> {
    let acct = r.account.as_ref();
    let field = |v: Option<&String>| v.map_or_else(|| "—".to_string(), |s| shown(s));
    let fedramp = if acct.is_some_and(|a| a.fedramp) {
        "fedramp yes"
    } else {
        "fedramp no"
    };
    vec![
        kv("email", field(acct.and_then(|a| a.email.as_ref())), theme),
        kv(
            "user id",
            field(acct.and_then(|a| a.chatgpt_user_id.as_ref())),
            theme,
        ),
        kv(
            "workspace",
            format!(
                "{} · {fedramp}",
                field(acct.and_then(|a| a.account_id.as_ref()))
            ),
            theme,
        ),
    ]
}

/// A previewed account: who, its credential, and whether it is usable — the problem in the
/// words `status` uses when it is not.
fn preview_account_lines(model: &Model, p: &Preview, theme: &Theme) -> Vec<Line<'static>> {
    let r = &p.report;
    let mut lines = Vec::new();
    match &p.runtime.state {
        State::SignedOut => {
            lines.push(Line::styled(
                "the account file is gone (removed outside authdeck?)",
                theme.warn,
            ));
            return lines;
        }
        State::Invalid { reason } if r.auth_mode.is_none() => {
            lines.push(Line::styled("Invalid credential", theme.bad));
            lines.push(Line::from(shown(reason)));
            return lines;
        }
        _ => {}
    }
    lines.extend(identity_lines(r, theme));
    lines.push(credential_line(r, Some(p), model.now, theme));
    let stale = model
        .accounts
        .rows
        .iter()
        .any(|row| row.name == p.name && row.stale);
    lines.push(match &p.runtime.state {
        State::Invalid { reason } => Line::from(vec![
            Span::styled("invalid    ", theme.bad),
            span(reason, theme.bad),
        ]),
        _ if stale => Line::from(vec![
            Span::styled("stale      ", theme.warn),
            Span::styled("the live auth.json holds newer tokens", theme.warn),
        ]),
        _ => match (r.agent_identity.as_ref().map(|a| a.form), &p.verify) {
            (Some(AgentForm::Jwt), Some(Verify::Done(true))) => Line::from(vec![
                Span::styled("usable     ", theme.good),
                Span::styled("JWT verified against the JWKS (dry run)", theme.good),
            ]),
            (Some(AgentForm::Jwt), Some(Verify::Running)) => Line::from(vec![
                Span::styled("usable?    ", theme.warn),
                Span::styled("verifying the JWT against the JWKS…", theme.warn),
            ]),
            (Some(AgentForm::Jwt), Some(Verify::Failed(_))) => Line::from(vec![
                Span::styled("invalid?   ", theme.bad),
                Span::styled("the JWT did not verify (see Task)", theme.bad),
            ]),
            (Some(AgentForm::Jwt), _) => Line::from(vec![
                Span::styled("usable     ", theme.good),
                Span::styled(
                    format!(
                        "JWT not verified (judged offline; {} verifies)",
                        key_for(Context::Preview, Action::VerifyPreview)
                    ),
                    theme.dim,
                ),
            ]),
            _ => Line::from(vec![
                Span::styled("usable     ", theme.good),
                Span::styled("judged offline: nothing fetched or written", theme.dim),
            ]),
        },
    });
    lines
}

/// How far away an RFC 3339 time is: `in 25m`, `expired 2h ago`.
fn relative(at: &str, now: DateTime<Utc>) -> Option<String> {
    let t = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc);
    let secs = (t - now).num_seconds();
    let d = |s: i64| {
        let s = s.unsigned_abs();
        if s >= 2 * 365 * 86_400 {
            format!("{}y", s / (365 * 86_400))
        } else {
            compact_duration(s)
        }
    };
    Some(if secs > 0 {
        format!("in {}", d(secs))
    } else {
        format!("{} ago", d(secs))
    })
}

/// `expires in 2h 5m` / `expired 3d ago`: how far away an expiry is, for the live credential
/// and a preview alike (an RFC 3339 stamp cut off at the pane's edge said less). The loop
/// redraws once a minute while one is on screen ([`shows_expiry`]), so it never goes stale.
/// A time that does not parse is shown as it is.
fn expiry(at: &str, now: DateTime<Utc>) -> String {
    match relative(at, now) {
        Some(w) if w.ends_with("ago") => format!("expired {w}"),
        Some(w) => format!("expires {w}"),
        None => format!("expires {}", shown(at)),
    }
}

/// Whether the Account pane shows a relative expiry (the loop then redraws once a minute).
pub fn shows_expiry(model: &Model) -> bool {
    let has = |r: &StatusReport| {
        r.tokens
            .as_ref()
            .is_some_and(|t| t.access_token_expires_at.is_some())
            || r.agent_identity
                .as_ref()
                .is_some_and(|a| a.jwt_expires_at.is_some())
    };
    match preview::shown(model) {
        Shown::Live => model.live.loaded.is_some() && has(&model.live.report),
        Shown::Account(p) => has(&p.report),
        Shown::Loading(_) => false,
    }
}

/// Tokens (expiry + refreshable), else the key or the agent identity. A preview says how far
/// the JWT was verified on a line of its own.
fn credential_line(
    r: &StatusReport,
    preview: Option<&Preview>,
    now: DateTime<Utc>,
    theme: &Theme,
) -> Line<'static> {
    if let Some(t) = &r.tokens {
        let refresh = if t.refreshable {
            "refreshable"
        } else {
            "not refreshable"
        };
        let when = t
            .access_token_expires_at
            .as_deref()
            .map_or_else(|| "expiry unknown".to_string(), |e| expiry(e, now));
        return kv("tokens", format!("access {when} · {refresh}"), theme);
    }
    if let Some(a) = &r.agent_identity {
        let id = a
            .agent_runtime_id
            .as_deref()
            .map_or_else(|| "—".to_string(), shown);
        // A preview says how far the JWT was verified on its own line.
        let verified = match (a.form, a.jwt_verified) {
            (AgentForm::Jwt, _) if preview.is_some() => "JWT",
            (AgentForm::Jwt, true) => "JWT verified",
            (AgentForm::Jwt, false) => "JWT not verified",
            (AgentForm::Record, _) => "record",
        };
        let exp = a
            .jwt_expires_at
            .as_deref()
            .map(|e| format!(" · {}", expiry(e, now)))
            .unwrap_or_default();
        return kv("agent", format!("{id} · {verified}{exp}"), theme);
    }
    if let Some(k) = &r.api_key_masked {
        return kv("api key", shown(k), theme);
    }
    kv("tokens", "—", theme)
}
