//! The Task pane: the Agent Identity runtime init as it happens — a summary line (status,
//! attempt n of N, elapsed, retry countdown, or the failure with its class and `r` to retry)
//! over the step log with each step's HTTP status and latency.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{pane_block, shown, span, spinner};
use crate::codex::agent_identity::AgentForm;
use crate::report::StatusReport;
use crate::runtime::{InitError, RuntimeModel, State, StepLine, TaskStatus};
use crate::tui::keymap::{Action, Context, key_for};
use crate::tui::model::{Model, Pane};
use crate::tui::preview::{self, Preview, Shown, Verify};

fn secs(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let ms = (to - from).num_milliseconds().max(0);
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

/// The Task pane's head: one arm per runtime state and task status, each worded by its own
/// fn below, so this match stays the one table of which state says what.
fn summary(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let rt = &model.live.runtime;
    match (&rt.state, rt.task_status) {
        (State::Loading { .. }, _) => loading(model, theme),
        (State::RuntimeInitFailed(e), _) => init_failed(e, theme),
        (_, TaskStatus::Registered) => registered(model, theme),
        (State::Offline, TaskStatus::Pending) => vec![Line::styled(
            "Offline (not verified): no registration without the network (--offline)",
            theme.warn,
        )],
        (State::Offline, _) => vec![Line::styled(
            "Offline (not verified): nothing to register",
            theme.dim,
        )],
        (State::SignedOut, _) => vec![Line::styled(
            "no credential, nothing to register",
            theme.dim,
        )],
        (State::Invalid { .. }, _) => vec![Line::styled(
            "the credential cannot be used, nothing to register",
            theme.dim,
        )],
        _ => vec![Line::styled(
            format!(
                "no runtime init needed for auth mode {}",
                auth_mode(&model.live.report)
            ),
            theme.dim,
        )],
    }
}

/// ` · attempt n of N` while the runtime counts its attempts, else nothing.
fn attempts(rt: &RuntimeModel) -> String {
    if rt.attempts_of > 0 {
        format!(" · attempt {} of {}", rt.attempts, rt.attempts_of)
    } else {
        String::new()
    }
}

/// The report's auth mode as shown, or nothing when it has none.
fn auth_mode(r: &StatusReport) -> String {
    r.auth_mode
        .as_ref()
        .map_or_else(String::new, |m| shown(m.as_str()))
}

/// While the init runs: the state with its attempt, elapsed time and retry countdown, then
/// the last error it is retrying after, if any.
fn loading(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let rt = &model.live.runtime;
    let now = model.now;
    let elapsed = rt
        .started_at
        .map(|s| format!(" · {}", secs(s, now)))
        .unwrap_or_default();
    let mut line = vec![
        Span::styled(format!("{} ", spinner(model)), theme.warn),
        Span::styled(rt.state.label().to_string(), theme.warn),
        Span::raw(format!("{}{elapsed}", attempts(rt))),
    ];
    if let Some(at) = rt.next_retry_at {
        line.push(Span::styled(
            format!(" · retry in {}", secs(now, at)),
            theme.warn,
        ));
    }
    let mut out = vec![Line::from(line)];
    if let Some(e) = &rt.last_error {
        out.push(Line::from(vec![
            Span::styled(format!("last error ({}): ", e.class.as_str()), theme.bad),
            span(&e.message, theme.base),
        ]));
    }
    out
}

/// The init gave up: its class, HTTP status and attempts, the message, and the retry key.
fn init_failed(e: &InitError, theme: &Theme) -> Vec<Line<'static>> {
    let status = e.status.map(|s| format!(" · HTTP {s}")).unwrap_or_default();
    let tries = if e.attempts == 1 {
        "attempt"
    } else {
        "attempts"
    };
    vec![
        Line::from(vec![
            Span::styled("✗ Runtime init failed", theme.bad),
            Span::raw(format!(
                " · {}{status} · {} {tries}",
                e.class.as_str(),
                e.attempts
            )),
        ]),
        Line::from(span(&e.message, theme.base)),
        Line::from(vec![
            Span::raw("the credential itself is fine — press "),
            Span::styled(key_for(Context::Global, Action::Retry), theme.key),
            Span::raw(" to retry"),
        ]),
    ]
}

/// A task is registered: its masked id and how it came (reused, or latency and attempts),
/// plus the failed re-registration when the earlier task was kept.
fn registered(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let rt = &model.live.runtime;
    let t = model.live.report.task.as_ref();
    let id = t.and_then(|t| t.task_id_masked.clone()).unwrap_or_default();
    let when = rt
        .task
        .as_ref()
        .map(|t| format!(" · at {}", t.registered_at.format("%H:%M:%S")))
        .unwrap_or_default();
    // Most useful first: the line is cut at the pane's edge.
    let how = match t {
        Some(t) if t.reused => format!("{when} · stored with the identity"),
        Some(t) => format!(
            "{}{when}{}",
            t.latency_ms
                .map(|ms| format!(" · {ms} ms"))
                .unwrap_or_default(),
            attempts(rt)
        ),
        None => when,
    };
    let mut out = vec![Line::from(vec![
        Span::styled("✓ registered ", theme.good),
        span(&id, theme.base),
        Span::raw(how),
    ])];
    if rt.kept_last_good
        && let Some(e) = &rt.last_error
    {
        out.push(Line::from(vec![
            Span::styled(
                format!(
                    "re-registration failed ({}), kept the earlier task: ",
                    e.class.as_str()
                ),
                theme.warn,
            ),
            span(&e.message, theme.base),
        ]));
    }
    out
}

fn step_line(step: &StepLine, now: DateTime<Utc>, theme: &Theme) -> Line<'static> {
    let latency = step.latency.map_or_else(
        || secs(step.started, now),
        |d| format!("{} ms", d.as_millis()),
    );
    let attempt = if step.of > 1 {
        format!("{}/{}", step.attempt, step.of)
    } else {
        String::new()
    };
    let (mark, style, result) = match &step.result {
        None => ("…", theme.warn, "running".to_string()),
        Some(Ok(Some(status))) => ("✓", theme.good, format!("HTTP {status}")),
        Some(Ok(None)) => ("✓", theme.good, "ok".to_string()),
        Some(Err(msg)) => ("✗", theme.bad, shown(msg)),
    };
    Line::from(vec![
        Span::styled(format!("{mark} "), style),
        Span::raw(format!(
            "{:<14}{attempt:>4}  {latency:>8}  ",
            step.step.label()
        )),
        Span::styled(result, style),
    ])
}

/// What a switch to a previewed account would do about the runtime init; nothing of it is
/// done for the preview.
fn preview_lines(model: &Model, p: &Preview, theme: &Theme) -> Vec<Line<'static>> {
    let r = &p.report;
    match (&p.runtime.state, p.loaded.agent_to_init()) {
        (State::SignedOut, _) => vec![Line::styled(
            "no account file, nothing to register",
            theme.dim,
        )],
        (State::Invalid { .. }, _) => vec![Line::styled(
            "the credential cannot be used, nothing to register",
            theme.dim,
        )],
        (_, Some(identity)) => {
            let steps = match (identity.form(), identity.persisted_task_id().is_some()) {
                (Some(AgentForm::Jwt), true) => {
                    "fetch the JWKS and verify the JWT; reuse the task stored with it"
                }
                (Some(AgentForm::Jwt), false) => "fetch the JWKS, verify the JWT, register a task",
                (_, true) => "reuse the task stored with the identity",
                (_, false) => "register a task",
            };
            let mut out = vec![
                Line::from(vec![
                    Span::styled("on switch: ", theme.label),
                    Span::raw(steps),
                ]),
                Line::styled("nothing is registered for a preview", theme.dim),
            ];
            if model.settings.offline {
                out.push(Line::styled(
                    "offline (--offline): no registration until authdeck runs online",
                    theme.warn,
                ));
            }
            out.push(match &p.verify {
                None if identity.form() == Some(AgentForm::Jwt) && !model.settings.offline => {
                    Line::from(vec![
                        Span::styled(key_for(Context::Preview, Action::VerifyPreview), theme.key),
                        Span::raw(
                            " verifies the JWT against the JWKS now (dry run, registers nothing)",
                        ),
                    ])
                }
                None => Line::default(),
                Some(Verify::Running) => Line::from(vec![
                    Span::styled(format!("{} ", spinner(model)), theme.warn),
                    Span::styled("verifying the JWT against the JWKS (dry run)…", theme.warn),
                ]),
                Some(Verify::Done(true)) => Line::styled(
                    "✓ JWT verified against the JWKS (dry run, nothing registered)",
                    theme.good,
                ),
                Some(Verify::Done(false)) => {
                    Line::styled("record form: no JWT to verify", theme.dim)
                }
                Some(Verify::Failed(e)) => Line::from(vec![
                    Span::styled("✗ verification failed (dry run): ", theme.bad),
                    span(e, theme.base),
                ]),
            });
            out
        }
        _ => vec![
            Line::styled(
                format!("no runtime init needed for auth mode {}", auth_mode(r)),
                theme.dim,
            ),
            Line::styled("a switch only writes auth.json", theme.dim),
        ],
    }
}

pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    match preview::shown(model) {
        Shown::Live => {}
        Shown::Loading(name) => {
            let block = pane_block(model, Pane::Task, "Task on switch", theme);
            let line = Line::styled(format!("reading {}…", shown(name)), theme.dim);
            frame.render_widget(Paragraph::new(line).block(block), area);
            return;
        }
        Shown::Account(p) => {
            let block = pane_block(model, Pane::Task, "Task on switch", theme);
            frame.render_widget(
                Paragraph::new(preview_lines(model, p, theme))
                    .block(block)
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                area,
            );
            return;
        }
    }
    let block = pane_block(model, Pane::Task, "Task", theme);
    let inner_h = usize::from(block.inner(area).height);
    let mut lines = summary(model, theme);
    let steps = &model.live.runtime.steps;
    let room = inner_h.saturating_sub(lines.len());
    // Follow the newest steps; scrolling up (k) reveals older ones.
    let end = steps.len().saturating_sub(
        model
            .task_scroll
            .min(steps.len().saturating_sub(room.min(steps.len()))),
    );
    let start = end.saturating_sub(room);
    lines.extend(
        steps[start..end]
            .iter()
            .map(|s| step_line(s, model.now, theme)),
    );
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
