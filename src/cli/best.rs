//! `authdeck switch --best [--dry-run] [--json]`: switch to the saved account with the most
//! usage headroom.
//!
//! The operation is [`crate::ops::switch::best`]: the figures come from [`crate::usage`] (a
//! cache entry younger than 60 s is reused; `--offline` uses the cache only), the pick from
//! [`crate::usage::pick_best`], and the switch itself is the very same store operation as
//! `switch NAME` (sync-back, backup, lock, processes). This file words the result. When no
//! account has room the live file is untouched and the exit code is 6, naming the soonest reset.

use crate::cli::out::outln;
use serde_json::{Value, json};

use super::accounts::SwitchArgs;
use super::{CliError, CliResult, Ctx, Exit, print_json};
use crate::ops;
use crate::sanitize::clean;
use crate::usage::figures::compact_duration;
use crate::usage::{Candidate, Skip, view};

/// Why an account was skipped, in the words `switch --best` prints and puts in its JSON.
fn skip_words(why: &Skip) -> String {
    match why {
        Skip::Invalid(problem) => format!("invalid: {problem}"),
        Skip::NotApplicable(note) => format!(
            "not applicable ({})",
            note.as_deref().unwrap_or("no plan limits")
        ),
        Skip::Failed(error) => error
            .as_ref()
            .map_or_else(|| "failed".to_string(), crate::usage::UsageError::words),
        Skip::NoFigures => "no usage figures (none cached)".to_string(),
    }
}

fn candidate_json(c: &Candidate) -> Value {
    json!({
        "name": c.name,
        "headroom_percent": c.headroom.map(|h| (h * 10.0).round() / 10.0),
        "skipped": c.skipped.as_ref().map(skip_words),
    })
}

pub fn switch_best(ctx: &Ctx, args: &SwitchArgs) -> CliResult {
    let best = ops::switch::best(ctx, args.dry_run)?;
    let now = chrono::Utc::now().timestamp();
    let cands = &best.candidates;
    let picked = best.pick();
    let next_reset = &best.next_reset;
    let switched = best.switched();
    let report = &best.report;
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
    for c in cands {
        match (&c.skipped, c.headroom) {
            (Some(why), _) => outln!("  {:<16} skipped: {}", c.name, clean(&skip_words(why))),
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
    if let Some(r) = report {
        super::accounts::print_switch_report(r);
    }
    Ok(Exit::Ok)
}
