//! `authdeck usage [NAME…|--all] [--json] [--offline] [--timeout SECS]`: usage and limits per
//! account, over [`crate::usage`].
//!
//! This file only words and prints: the operation is [`crate::ops::usage`]; which accounts, the
//! cache policy and the requests are the usage core's. Human output is one block per account
//! (windows as bars labelled by length, used %, reset countdown and clock time, credits, the
//! block reason, the age of the figures); `--json` is the shape in `docs/json.md`. Exit 0 when every account answered, was served from the cache
//! or is not applicable; 1 when any failed (the output still lists every account).

use crate::cli::out::outln;

use chrono::{Local, TimeZone as _};
use clap::Args;
use serde_json::json;

use super::{CliResult, Ctx, Exit, print_json};
use crate::ops;
use crate::sanitize::clean;
use crate::usage::figures::{compact_duration, next_reset, window_label};
use crate::usage::gather::Selection;
use crate::usage::{AccountUsage, Snapshot, Status, view};

/// `authdeck usage`
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  \
    authdeck usage                  the live account\n  \
    authdeck usage --all            every saved account, 16 requests at a time\n  \
    authdeck usage work --json      one account as JSON\n  \
    authdeck usage --all --offline  the cached figures, no request\n\n\
    Tokens are never refreshed to read usage: an expired access token shows as \
    \"token expired or rejected — not refreshed\". API-key accounts have no plan limits. \
    Each request is bounded by --timeout (10 s unless given). Exit 0 when every account \
    answered (or is cached / not applicable), 1 when any failed.")]
pub struct UsageArgs {
    /// Saved accounts to read (default: the live account)
    #[arg(value_name = "NAME", conflicts_with = "all")]
    pub names: Vec<String>,
    /// Every saved account (and the live one when it is not saved)
    #[arg(long)]
    pub all: bool,
}

pub fn usage(ctx: &Ctx, args: &UsageArgs) -> CliResult {
    let selection = if args.all {
        Selection::All
    } else if args.names.is_empty() {
        Selection::Live
    } else {
        // The same naming rules as `switch`: exact, unique prefix, did-you-mean.
        let mut names = Vec::with_capacity(args.names.len());
        for typed in &args.names {
            let resolved = ops::accounts::resolve(ctx, typed)?;
            super::pick::note(ctx, &resolved);
            names.push(resolved.name);
        }
        Selection::Named(names)
    };
    let rows = ops::usage::usage(ctx, &selection)?;
    let exit = if ops::usage::all_answered(&rows) {
        Exit::Ok
    } else {
        Exit::Error
    };
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "accounts": rows.iter().map(view::account).collect::<Vec<_>>(),
        }));
        return Ok(exit);
    }
    if rows.is_empty() {
        outln!("no accounts to read (save one with `authdeck save <name>`)");
    }
    let now = chrono::Utc::now().timestamp();
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            outln!();
        }
        for line in human_block(row, now) {
            outln!("{line}");
        }
    }
    Ok(exit)
}

/// A 20-cell bar for a used share.
pub fn bar(used: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let filled = ((used.clamp(0.0, 100.0) / 5.0).round() as usize).min(20);
    format!("[{}{}]", "█".repeat(filled), "░".repeat(20 - filled))
}

/// "resets in 2h 13m (14:05)", or "" without a reset time.
pub fn resets_in(at: Option<i64>, now: i64) -> String {
    let Some(at) = at else {
        return String::new();
    };
    let left = u64::try_from(at.saturating_sub(now)).unwrap_or(0);
    let clock = Local
        .timestamp_opt(at, 0)
        .single()
        .map(|t| {
            if left < 86_400 {
                t.format("%H:%M").to_string()
            } else {
                t.format("%a %H:%M").to_string()
            }
        })
        .unwrap_or_default();
    format!("resets in {} ({clock})", compact_duration(left))
}

/// "just now", "3m ago".
pub fn age(fetched_at: i64, now: i64) -> String {
    let secs = u64::try_from(now.saturating_sub(fetched_at)).unwrap_or(0);
    if secs < 60 {
        "just now".to_string()
    } else {
        format!("{} ago", compact_duration(secs))
    }
}

/// The human lines of one account.
pub fn human_block(row: &AccountUsage, now: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut head = clean(row.display_name()).into_owned();
    if row.active && row.name.is_some() {
        head.push_str(" (live)");
    }
    let who: Vec<String> = [row.email.as_deref(), row.plan.as_deref()]
        .into_iter()
        .flatten()
        .map(|s| clean(s).into_owned())
        .collect();
    if !who.is_empty() {
        head.push_str("  ");
        head.push_str(&who.join(" · "));
    }
    out.push(head);
    if row.status == Status::NotApplicable {
        let why = row.note.as_deref().unwrap_or("no plan limits");
        out.push(format!("  not applicable: {}", clean(why)));
        return out;
    }
    if let Some(s) = &row.snapshot {
        snapshot_lines(&mut out, row, s, now);
    }
    if let Some(e) = &row.error {
        let prefix = if row.status == Status::Cached {
            "note"
        } else {
            "error"
        };
        out.push(format!("  {prefix}: {}", clean(&e.words())));
        if row.status == Status::Error && e.words() != e.message {
            out.push(format!("    ({})", clean(&e.message)));
        }
    }
    match (row.status, row.fetched_at) {
        (Status::Cached, Some(at)) => out.push(format!("  cached figures from {}", age(at, now))),
        (Status::Cached, None) if row.snapshot.is_none() && row.error.is_none() => {
            out.push("  no cached figures yet".to_string());
        }
        (Status::Ok, Some(at)) => out.push(format!("  fetched {}", age(at, now))),
        _ => {}
    }
    out
}

/// The lines of an account's figures: one bar per window, credits, the block or the headroom.
fn snapshot_lines(out: &mut Vec<String>, row: &AccountUsage, s: &Snapshot, now: i64) {
    let width = s
        .windows
        .iter()
        .map(|w| window_label(w.window_seconds).len() + if w.main { 0 } else { w.source.len() + 1 })
        .max()
        .unwrap_or(0);
    for w in &s.windows {
        let label = if w.main {
            window_label(w.window_seconds)
        } else {
            format!("{} {}", clean(&w.source), window_label(w.window_seconds))
        };
        out.push(
            format!(
                "  {label:<width$}  {}  {:>3.0}% used  {}",
                bar(w.used_percent),
                w.used_percent.clamp(0.0, 100.0),
                resets_in(w.resets_at, now)
            )
            .trim_end()
            .to_string(),
        );
    }
    if s.windows.is_empty() {
        out.push("  no rate-limit windows reported".to_string());
    }
    if let Some(c) = &s.credits {
        let text = if c.unlimited {
            "unlimited".to_string()
        } else if let Some(b) = &c.balance {
            clean(b).into_owned()
        } else if c.has_credits {
            "yes".to_string()
        } else {
            "none".to_string()
        };
        out.push(format!("  credits: {text}"));
    }
    if crate::usage::figures::blocked(s) {
        let when = next_reset(s)
            .map(|t| {
                format!(
                    " — resets in {}",
                    compact_duration(u64::try_from(t.saturating_sub(now)).unwrap_or(0))
                )
            })
            .unwrap_or_default();
        out.push(format!("  limit reached{when}"));
    } else if let Some(h) = row.headroom() {
        out.push(format!("  headroom: {h:.0}%"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_figures_never_panic() {
        let body = br#"{"rate_limit":{"limit_reached":true,"primary_window":
            {"used_percent":1e308,"limit_window_seconds":-5,"reset_at":-9223372036854775808},
            "secondary_window":{"used_percent":-1e308,"limit_window_seconds":9223372036854775807,
            "reset_at":9223372036854775807}},"credits":{"balance":"\u001b[31mred"}}"#;
        let snap = crate::usage::decode(body, i64::MAX).expect("decodes");
        let row = AccountUsage {
            name: Some("x".into()),
            active: true,
            auth_mode: None,
            email: Some("\u{1b}[2Jevil".into()),
            plan: None,
            status: Status::Ok,
            fetched_at: Some(i64::MIN),
            snapshot: Some(snap),
            error: None,
            note: None,
        };
        for now in [i64::MIN, 0, i64::MAX] {
            let lines = human_block(&row, now).join("\n");
            assert!(!lines.contains('\u{1b}'), "escaped: {lines}");
            let _ = view::account(&row);
        }
    }
}
