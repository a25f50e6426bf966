//! The Usage pane and the Accounts list's headroom cell.
//!
//! The Usage pane takes the Task pane's place whenever the live credential has no task to
//! register (a ChatGPT login, an API key…) and the first answer for it has arrived:
//!
//! ```text
//! Usage─────────────────────────────────────────────────────────────
//! 5h      ████████░░░░░░░░░░░░  42%  resets in 2h 13m
//! weekly  ████████████░░░░░░░░  63%  resets in 2d 8h
//! credits 12.50 · headroom 37% · fetched 3m ago
//! ```
//!
//! A blocked account says "limit reached — resets in 41m" in the error colour; an error is
//! shown in words ("token expired or rejected — not refreshed"), never as signed out.
//!
//! A live Agent Identity keeps its Task pane; once its usage has been read with the task it
//! registered, the figures go in a Usage pane below the Task pane, when the area is tall enough
//! for both ([`beside_task`], [`split_for_usage`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::{pane_block, shown, spinner};
use crate::runtime::{State, TaskStatus};
use crate::tui::keymap::{Action, Context, key_for};
use crate::tui::layout;
use crate::tui::model::{Model, Pane};
use crate::tui::preview::{self, Shown};
use crate::tui::usage::active_name;
use crate::usage::figures::{blocked, compact_duration, next_reset, window_label};
use crate::usage::{AccountUsage, Credits, Snapshot, Status, Window};

/// Whether the Task area shows Usage: nothing to register, and figures (or an answer saying
/// why there are none) have arrived for the live credential.
/// A previewed account shows its cached figures the same way, when it is usable and needs no
/// task.
pub fn shows_usage(model: &Model) -> bool {
    match preview::shown(model) {
        Shown::Live => {
            model.live.loaded.is_some()
                && model.live.runtime.task_status == TaskStatus::NotNeeded
                && model.usage.live(active_name(model)).is_some()
        }
        Shown::Loading(_) => false,
        Shown::Account(p) => {
            p.runtime.task_status == TaskStatus::NotNeeded
                && !matches!(p.runtime.state, State::Invalid { .. } | State::SignedOut)
                && model.usage.by_name.contains_key(&p.name)
        }
    }
}

/// The live Agent Identity's figures, shown below its Task pane: only when they are figures (an
/// error or "not applicable" would only repeat what the Task pane says).
fn beside_task(model: &Model) -> Option<&AccountUsage> {
    if !matches!(preview::shown(model), Shown::Live)
        || model.live.loaded.is_none()
        || model.live.runtime.task_status == TaskStatus::NotNeeded
    {
        return None;
    }
    model
        .usage
        .live(active_name(model))
        .filter(|u| u.snapshot.is_some())
}

/// Rows the Task pane keeps when usage shares its area: its summary and a successful run's steps.
const TASK_KEEPS: u16 = 8;

/// The Task area split into the Task pane and a Usage pane below it, with the Usage pane's
/// lines (built once, drawn by [`render_lines`]), when [`beside_task`] has figures and the area
/// is tall enough for both.
pub fn split_for_usage(
    model: &Model,
    area: Rect,
    theme: &Theme,
) -> Option<(Rect, Rect, Vec<Line<'static>>)> {
    beside_task(model)?;
    let text = pane_lines(model, area, theme);
    // The title row above the lines (the pane has only a top border).
    let usage_h = u16::try_from(text.len()).ok()?.saturating_add(1);
    if area.height < usage_h.saturating_add(TASK_KEEPS) {
        return None;
    }
    let task = Rect {
        height: area.height - usage_h,
        ..area
    };
    let usage = Rect {
        y: area.y + task.height,
        height: usage_h,
        ..area
    };
    Some((task, usage, text))
}

/// Whether the live Agent Identity's Usage pane is on screen below its Task pane (the loop's
/// minute tick follows what is drawn).
pub fn shown_below_task(model: &Model) -> bool {
    beside_task(model).is_some()
        && layout::screen(model.size).is_some_and(|a| {
            split_for_usage(model, a.task, &Theme::new(model.settings.no_color)).is_some()
        })
}

/// Whose figures the Usage pane shows: the previewed account's, else the live one's (the loop
/// ticks once a minute while they hold a reset countdown).
pub fn shown_name(model: &Model) -> Option<&str> {
    match preview::shown(model) {
        Shown::Account(p) => Some(p.name.as_str()),
        _ => active_name(model),
    }
}

fn bar(used: f64, width: usize) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let filled = ((used.clamp(0.0, 100.0) / 100.0 * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn left(at: i64, now: i64) -> String {
    compact_duration(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
}

/// The lines for one account's figures: a bar per window, the blocked line, the facts line,
/// then the error, if any.
pub fn lines(u: &AccountUsage, now: i64, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if u.status == Status::NotApplicable {
        return vec![Line::styled(
            format!(
                "not applicable: {}",
                shown(u.note.as_deref().unwrap_or("no plan limits"))
            ),
            theme.dim,
        )];
    }
    let mut out = Vec::new();
    if let Some(s) = &u.snapshot {
        out.extend(window_lines(s, now, width, theme));
        if blocked(s) {
            let when = next_reset(s)
                .map(|t| format!(" — resets in {}", left(t, now)))
                .unwrap_or_default();
            out.push(Line::styled(format!("limit reached{when}"), theme.bad));
        }
        let facts = facts(u, s, now);
        if !facts.is_empty() {
            out.push(Line::styled(facts.join(" · "), theme.dim));
        }
    }
    if let Some(e) = &u.error {
        let style = if u.status == Status::Cached {
            theme.warn
        } else {
            theme.bad
        };
        out.push(Line::styled(shown(&e.words()), style));
    }
    if u.snapshot.is_none() && u.error.is_none() {
        out.push(Line::styled(no_figures_yet(), theme.dim));
    }
    out
}

/// One line per window, the labels padded to one column and the bars sized to what the width
/// leaves after the label, the percentage and the reset countdown.
fn window_lines(s: &Snapshot, now: i64, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let label_w = s
        .windows
        .iter()
        .map(|w| label_of(w).chars().count())
        .max()
        .unwrap_or(0)
        .min(18);
    let bar_w = width.saturating_sub(label_w + 28).clamp(6, 20);
    s.windows
        .iter()
        .map(|w| window_line(w, label_w, bar_w, now, theme))
        .collect()
}

/// `5h      ████████░░░░░░░░░░░░  42%  resets in 2h 13m`, in the error colour when used up.
fn window_line(w: &Window, label_w: usize, bar_w: usize, now: i64, theme: &Theme) -> Line<'static> {
    let exhausted = w.used_percent >= 100.0;
    let style = if exhausted { theme.bad } else { theme.base };
    let mut spans = vec![
        Span::styled(format!("{:<label_w$} ", label_of(w)), theme.label),
        Span::styled(bar(w.used_percent, bar_w), style),
        Span::styled(
            format!(" {:>3.0}%", w.used_percent.clamp(0.0, 100.0)),
            style,
        ),
    ];
    if let Some(at) = w.resets_at {
        spans.push(Span::styled(
            format!("  resets in {}", left(at, now)),
            theme.dim,
        ));
    }
    Line::from(spans)
}

/// The facts under the bars: credits, headroom and the figures' age.
fn facts(u: &AccountUsage, s: &Snapshot, now: i64) -> Vec<String> {
    let mut facts = Vec::new();
    if let Some(c) = &s.credits {
        facts.push(credits(c));
    }
    if let Some(h) = u.headroom() {
        facts.push(format!("headroom {h:.0}%"));
    }
    if let Some(at) = u.fetched_at {
        let age = u64::try_from(now.saturating_sub(at)).unwrap_or(0);
        let word = if u.status == Status::Cached {
            "cached"
        } else {
            "fetched"
        };
        facts.push(if age < 60 {
            format!("{word} just now")
        } else {
            format!("{word} {} ago", compact_duration(age))
        });
    }
    facts
}

fn credits(c: &Credits) -> String {
    if c.unlimited {
        "credits unlimited".to_string()
    } else if let Some(b) = &c.balance {
        format!("credits {}", shown(b))
    } else if c.has_credits {
        "credits yes".to_string()
    } else {
        "no credits".to_string()
    }
}

/// Said while no figures have arrived, naming the refresh key from the keymap.
fn no_figures_yet() -> String {
    format!(
        "no usage figures yet — {} asks the backend",
        key_for(Context::Global, Action::UsageRefresh)
    )
}

fn label_of(w: &Window) -> String {
    if w.main {
        window_label(w.window_seconds)
    } else {
        format!("{} {}", shown(&w.source), window_label(w.window_seconds))
    }
}

pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    render_lines(model, frame, area, pane_lines(model, area, theme), theme);
}

/// Draws the Usage pane with lines already built ([`pane_lines`]).
pub fn render_lines(
    model: &Model,
    frame: &mut Frame,
    area: Rect,
    text: Vec<Line<'static>>,
    theme: &Theme,
) {
    let block = pane_block(model, Pane::Task, pane_title(model), theme);
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        area,
    );
}

fn pane_title(model: &Model) -> String {
    match preview::shown(model) {
        Shown::Account(p) => format!("Usage of {}", shown(&p.name)),
        _ => "Usage".to_string(),
    }
}

/// The Usage pane's lines for `area`: the shown account's figures (the previewed one's, else
/// the live one's), or why there are none, and "refreshing…" while an answer is awaited.
fn pane_lines(model: &Model, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let live = match preview::shown(model) {
        Shown::Account(p) => model.usage.by_name.get(&p.name),
        _ => model.usage.live(active_name(model)),
    };
    // The pane has only a top border: its text is as wide as the area.
    let inner_w = usize::from(area.width);
    let mut text = match live {
        Some(u) => lines(u, model.now.timestamp(), inner_w, theme),
        None if model.usage.in_flight > 0 => vec![Line::styled(
            format!("{} asking the backend for usage…", spinner(model)),
            theme.warn,
        )],
        None if model.settings.offline => vec![Line::styled(
            "offline: no cached usage for this account",
            theme.dim,
        )],
        None => vec![Line::styled(no_figures_yet(), theme.dim)],
    };
    if live.is_some() && model.usage.in_flight > 0 {
        text.push(Line::styled("refreshing…", theme.dim));
    }
    text
}

/// The compact headroom cell of an account row (`37%`, `0%` in the error colour, `err`), or
/// `None` without figures.
pub fn headroom_cell(model: &Model, name: &str, theme: &Theme) -> Option<(String, Style)> {
    let u = model.usage.by_name.get(name)?;
    match (u.status, u.headroom()) {
        (Status::NotApplicable, _) => None,
        (_, Some(h)) if h <= 0.0 => Some(("0%".to_string(), theme.bad)),
        (_, Some(h)) => Some((
            format!("{h:.0}%"),
            if h < 20.0 { theme.warn } else { theme.good },
        )),
        (Status::Error, None) => Some(("err".to_string(), theme.warn)),
        // Nothing known yet (no cache entry, not asked): an empty cell, not an error.
        (_, None) => None,
    }
}
