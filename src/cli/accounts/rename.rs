//! `authdeck rename` and `authdeck remove` (to the store's trash, recoverable).

use crate::cli::out::outln;

use clap::Args;
use serde_json::json;

use super::super::material::show;
use super::super::{CliResult, Ctx, Exit, pick, print_json};
use crate::ops::accounts;

/// `authdeck rename <old> <new>`
#[derive(Debug, Clone, Args)]
pub struct RenameArgs {
    /// The account to rename: its name or a unique prefix of it
    pub old: String,
    /// The new name (letters, digits, '.', '_', '-'; up to 64)
    pub new: String,
}

pub fn rename(ctx: &Ctx, args: &RenameArgs) -> CliResult {
    accounts::check_name(&args.new)?;
    let old = accounts::resolve(ctx, &args.old)?;
    pick::note(ctx, &old);
    let path = accounts::rename(ctx, &old, &args.new)?;
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "renamed": { "from": old.name, "to": args.new },
            "resolved_from": old.resolved_from(),
            "path": path,
        }));
    } else {
        outln!(
            "renamed \"{}\" to \"{}\" ({})",
            old.name,
            args.new,
            show(&path)
        );
    }
    Ok(Exit::Ok)
}

/// `authdeck remove <name>`
#[derive(Debug, Clone, Args)]
pub struct RemoveArgs {
    /// The account to remove: its name or a unique prefix of it
    pub name: String,
}

pub fn remove(ctx: &Ctx, args: &RemoveArgs) -> CliResult {
    let target = accounts::resolve(ctx, &args.name)?;
    pick::note(ctx, &target);
    let to = accounts::remove(ctx, &target)?;
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "removed": target.name,
            "resolved_from": target.resolved_from(),
            "trash_path": to,
        }));
    } else {
        outln!(
            "removed \"{}\" (moved to {}; recoverable)",
            target.name,
            show(&to)
        );
    }
    Ok(Exit::Ok)
}
