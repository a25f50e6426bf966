//! `authdeck switch --best [--dry-run] [--json]`: switch to the saved account with the most
//! usage headroom.
//!
//! The figures come from [`crate::usage`] (a cache entry younger than 60 s is reused; `--offline`
//! uses the cache only), the pick from [`crate::usage::pick_best`], and the switch itself is the
//! very same store operation as `switch NAME` (sync-back, backup, lock, processes). When no
//! account has room the live file is untouched and the exit code is 6, naming the soonest reset.

use crate::cli::out::outln;
use serde_json::{Value, json};

use super::accounts::SwitchArgs;
use super::usage::read_usage;
use super::{CliError, CliResult, Ctx, Exit, print_json};
use crate::sanitize::clean;
use crate::store;
use crate::usage::figures::compact_duration;
use crate::usage::gather::{Policy, Selection};
use crate::usage::{AccountUsage, BestPick, Candidate, Status, pick_best, view};

/// Cached figures younger than this are reused by `switch --best`.
pub const REUSE_SECS: i64 = 60;

/// Why an account cannot be picked, in words (`None` when it can).
pub fn skip_reason(row: &AccountUsage) -> Option<String> {
    match row.status {
        Status::NotApplicable => Some(format!(
            "not applicable ({})",
            row.note.as_deref().unwrap_or("no plan limits")
        )),
        Status::Error => Some(
            row.error
                .as_ref()
                .map_or_else(|| "failed".to_string(), crate::usage::UsageError::words),
        ),
        _ if row.snapshot.is_none() => Some("no usage figures (none cached)".to_string()),
        _ => None,
    }
}

/// The candidates: every saved account (a live credential without a name cannot be switched to).
pub fn candidates(rows: &[AccountUsage]) -> Vec<Candidate> {
    rows.iter()
        .filter_map(|r| {
            let name = r.name.as_deref()?;
            Some(match (skip_reason(r), &r.snapshot) {
                (None, Some(s)) => Candidate::from_snapshot(name, s).live(r.active),
                (why, _) => Candidate::skipped(name, why.unwrap_or_default()),
            })
        })
        .collect()
}

fn candidate_json(c: &Candidate) -> Value {
    json!({
        "name": c.name,
        "headroom_percent": c.headroom.map(|h| (h * 10.0).round() / 10.0),
        "skipped": c.skipped,
    })
}

pub fn switch_best(ctx: &Ctx, args: &SwitchArgs) -> CliResult {
    let policy = if ctx.offline {
        Policy::Offline
    } else {
        Policy::ReuseYoungerThan(REUSE_SECS)
    };
    let rows = read_usage(ctx, &Selection::All, policy)?;
    let cands = candidates(&rows);
    let now = chrono::Utc::now().timestamp();
    let pick = pick_best(&cands);
    let (picked, next_reset) = match &pick {
        BestPick::Picked(i) => (Some(&cands[*i]), None),
        BestPick::NoRoom { soonest } => (None, soonest.clone()),
        BestPick::NoCandidates => (None, None),
    };
    let mut switched = false;
    let mut report = None;
    // The live account needs no switch (not even a sync-back or a backup).
    if let Some(c) = picked
        && !args.dry_run
        && !c.active
    {
        let paths = ctx.paths()?;
        let r = store::switch(&paths, &c.name, &ctx.env.as_fn())?;
        switched = !r.already_active;
        report = Some(r);
    }
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "picked": picked.map(|c| c.name.clone()),
            "switched": switched,
            "candidates": cands.iter().map(candidate_json).collect::<Vec<_>>(),
            "next_reset": next_reset.as_ref().map_or(Value::Null, |(_, t)| view::rfc3339(*t)),
        }));
        return Ok(if picked.is_some() {
            Exit::Ok
        } else {
            Exit::NoHeadroom
        });
    }
    for c in &cands {
        match (&c.skipped, c.headroom) {
            (Some(why), _) => outln!("  {:<16} skipped: {}", c.name, clean(why)),
            (None, Some(h)) => outln!("  {:<16} {h:>3.0}% headroom", c.name),
            (None, None) => {}
        }
    }
    let Some(c) = picked else {
        let message = match &next_reset {
            Some((name, at)) => format!(
                "all accounts are at their limit; the first to reset is {name}, in {}",
                compact_duration(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
            ),
            None if cands.is_empty() => "no saved accounts to choose from".to_string(),
            None => "no account has usage headroom (none has usable figures)".to_string(),
        };
        return Err(CliError::new(message)
            .with_hint("the live credential was not changed; see `authdeck usage --all`")
            .exit(Exit::NoHeadroom));
    };
    let why = format!("most headroom: {:.0}%", c.headroom.unwrap_or(0.0));
    if c.active {
        outln!(
            "\"{}\" is live and has the most room ({why}); nothing to switch",
            c.name
        );
        return Ok(Exit::Ok);
    }
    if args.dry_run {
        outln!(
            "would switch to \"{}\" ({why}); nothing changed (--dry-run)",
            c.name
        );
        return Ok(Exit::Ok);
    }
    outln!("picked \"{}\" ({why})", c.name);
    if let Some(r) = &report {
        super::accounts::print_switch_report(r);
    }
    Ok(Exit::Ok)
}
