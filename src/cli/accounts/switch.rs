//! `authdeck switch` and `authdeck mode`: put an account in place (newer tokens synced back,
//! the old file backed up) or change the live document's `auth_mode`, with a masked diff.

use crate::cli::out::{errln, outln};

use clap::Args;
use serde_json::json;
use unicode_width::UnicodeWidthStr as _;

use super::super::material::show;
use super::super::{CliResult, Ctx, Exit, pick, print_json};
use super::{pad, warn};
use crate::ops;
use crate::sanitize::clean;
use crate::store::{self, FieldChange};

/// `authdeck switch [NAME | -]`
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  \
    authdeck save work && authdeck switch personal\n  \
    authdeck switch pers          # a unique prefix is enough (an exact name always wins)\n  \
    authdeck switch -             # back to the account live before the last switch\n  \
    authdeck switch               # list the accounts to switch to\n  \
    authdeck switch work --json\n\n\
    Newer tokens in auth.json are saved back into their account first, and the replaced \
    auth.json is backed up under <store>/.backups/. Running Codex processes keep the old \
    credential until restarted.")]
pub struct SwitchArgs {
    /// The account to make live: its name, a unique prefix of it, or - for the previous
    /// account; without it (and without --best), list the accounts
    #[arg(conflicts_with = "best")]
    pub name: Option<String>,
    /// Put the account in place even though Codex would refuse or delete it under the current
    /// config.toml (the consequence is printed)
    #[arg(long)]
    pub force: bool,
    /// Switch to the saved account with the most usage headroom (exit 6 when none has room)
    #[arg(long)]
    pub best: bool,
    /// With --best: only report the pick, switch nothing
    #[arg(long, requires = "best")]
    pub dry_run: bool,
}

fn print_changes(changes: &[FieldChange]) {
    if changes.is_empty() {
        return;
    }
    let width = changes.iter().map(|c| c.key.width()).max().unwrap_or(0);
    outln!("  changes:");
    for c in changes {
        let side = |v: &Option<String>| {
            v.as_deref()
                .map_or("(absent)".to_string(), |s| clean(s).into_owned())
        };
        outln!(
            "    {}  {} → {}",
            pad(&clean(&c.key), width),
            side(&c.before),
            side(&c.after)
        );
    }
}

fn print_processes(processes: &[store::CodexProcess], target: &str) {
    if processes.is_empty() {
        outln!(
            "note: Codex processes started from now on use {target}; restart any that are still running"
        );
    } else {
        outln!("note: these running Codex processes keep the old credential until restarted:");
        for p in processes {
            outln!("    {}  {}", p.pid, clean(&p.command));
        }
    }
}

pub fn switch(ctx: &Ctx, args: &SwitchArgs) -> CliResult {
    if args.best {
        return super::super::best::switch_best(ctx, args);
    }
    let Some(typed) = &args.name else {
        return pick::switch_menu(ctx);
    };
    let target = ops::switch::resolve_target(ctx, typed)?;
    pick::note(ctx, &target);
    let r = ops::switch::switch(ctx, &target, args.force)?;
    if let Some(line) = &r.open_files_warning {
        errln!("warning: {line}");
    }
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "switched_to": r.to,
            "resolved_from": target.resolved_from(),
            "from": r.from,
            "synced_back": r.synced_back,
            "already_active": r.already_active,
            "backup": r.backup,
            "auth_path": r.auth_path,
            "changes": r.changes,
            "processes": r.processes,
            "warnings": r.warnings.iter().map(|w| clean(w).into_owned()).collect::<Vec<_>>(),
        }));
        return Ok(Exit::Ok);
    }
    print_switch_report(&r);
    Ok(Exit::Ok)
}

/// The human report of a switch (shared with `switch --best`).
pub(crate) fn print_switch_report(r: &store::SwitchReport) {
    let name = &r.to;
    if r.already_active {
        outln!("\"{name}\" is already live ({})", show(&r.auth_path));
    } else {
        match &r.from {
            Some(from) if from != name => outln!("switched to \"{name}\" (from \"{from}\")"),
            _ => outln!("switched to \"{name}\""),
        }
    }
    if r.synced_back
        && let Some(from) = &r.from
    {
        outln!("  saved the newer live tokens into \"{from}\" first");
    }
    if let Some(b) = &r.backup {
        outln!("  previous auth.json backed up to {}", show(b));
    }
    print_changes(&r.changes);
    warn(&r.warnings);
    if !r.already_active {
        print_processes(&r.processes, &format!("\"{name}\""));
    }
}

/// `authdeck mode <auth_mode>`
#[derive(Debug, Clone, Args)]
pub struct ModeArgs {
    /// apikey, chatgpt, agentIdentity, personalAccessToken, bedrockApiKey, bedrockAccessKeys
    pub mode: String,
    /// Set the mode even though Codex would refuse or delete the credential under the current
    /// config.toml (the consequence is printed)
    #[arg(long)]
    pub force: bool,
}

pub fn mode(ctx: &Ctx, args: &ModeArgs) -> CliResult {
    let r = ops::switch::set_mode(ctx, &ops::switch::parse_mode(&args.mode), args.force)?;
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "auth_mode": r.to.as_str(),
            "previous": r.from.as_str(),
            "changed": r.changed,
            "path": r.path,
            "backup": r.backup,
            "changes": r.changes,
            "processes": r.processes,
            "warnings": r.warnings.iter().map(|w| clean(w).into_owned()).collect::<Vec<_>>(),
        }));
        return Ok(Exit::Ok);
    }
    let to = clean(r.to.as_str()).into_owned();
    if r.changed {
        outln!(
            "auth_mode: {} → {to} ({})",
            clean(r.from.as_str()),
            show(&r.path)
        );
        if let Some(b) = &r.backup {
            outln!("  previous auth.json backed up to {}", show(b));
        }
    } else {
        outln!("auth_mode is already {to} ({})", show(&r.path));
    }
    warn(&r.warnings);
    if r.changed {
        print_processes(&r.processes, "the new mode");
    }
    Ok(Exit::Ok)
}
