//! `authdeck rename` and `authdeck remove` (to the store's trash, recoverable).

use crate::cli::out::outln;

use clap::Args;
use serde_json::json;

use super::super::material::show;
use super::super::{CliResult, Ctx, Exit, pick, print_json};
use crate::store::{self, Paths, Store};

/// `authdeck rename <old> <new>`
#[derive(Debug, Clone, Args)]
pub struct RenameArgs {
    /// The account to rename: its name or a unique prefix of it
    pub old: String,
    /// The new name (letters, digits, '.', '_', '-'; up to 64)
    pub new: String,
}

pub fn rename(ctx: &Ctx, args: &RenameArgs) -> CliResult {
    let paths: Paths = ctx.paths()?;
    store::validate_name(&args.new)?;
    let old = store::resolve_account(&paths, &args.old)?;
    pick::note(ctx, &old);
    let path = Store::new(&paths).rename(&old.name, &args.new)?;
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
    let paths = ctx.paths()?;
    let target = store::resolve_account(&paths, &args.name)?;
    pick::note(ctx, &target);
    let to = Store::new(&paths).remove(&target.name)?;
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
