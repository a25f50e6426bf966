//! The account commands: `list`, `save`, `add`, `switch`, `mode`, `rename`, `remove`.
//!
//! Each command is a thin face over [`crate::ops::accounts`] and [`crate::ops::switch`]: parse,
//! call one operation, word its typed result.
//! Human output is short and aligned, on stdout; warnings go to stderr as `warning:` lines;
//! `--json` prints one object with `"schema_version": 1` and never a secret (API keys and tokens
//! appear only masked, in the switch/mode diff). Every string that comes from a credential
//! (emails, plans, problems, diff values) passes through [`clean`] before it is printed.
//!
//! Store errors become [`CliError`]s with the store's message and hint; the exit code follows
//! the kind: a bad name is a usage error (2), no live file is "signed out" (3), a file that cannot
//! be used is "invalid credential" (5), everything else is 1.

use crate::cli::out::{errln, outln};

use clap::Args;
use serde::Serialize;
use unicode_width::UnicodeWidthStr as _;

use super::material::show;
use super::{CliError, CliResult, Ctx, Exit, print_json};
use crate::sanitize::clean;
use crate::store::{AccountSummary, StoreError};

mod rename;
mod save;
mod switch;

pub use rename::{RemoveArgs, RenameArgs, remove, rename};
pub use save::{AddArgs, SaveArgs, add, save};
pub(super) use switch::print_switch_report;
pub use switch::{ModeArgs, SwitchArgs, mode, switch};

/// The store's kinds are [`crate::ops::OpError`]'s, which pick the exit code.
impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        crate::ops::OpError::from(e).into()
    }
}

pub(super) fn warn(lines: &[String]) {
    for l in lines {
        errln!("warning: {}", clean(l));
    }
}

// ---------------------------------------------------------------------------------------------
// list

/// `authdeck list`
#[derive(Debug, Clone, Args)]
pub struct ListArgs {}

#[derive(Debug, Serialize)]
pub(super) struct ListedAccount {
    pub(super) name: String,
    auth_mode: Option<String>,
    email: Option<String>,
    plan: Option<String>,
    pub(super) active: bool,
    stale: bool,
    problem: Option<String>,
}

pub(super) fn listed(row: &AccountSummary) -> ListedAccount {
    let show = |o: &Option<String>| o.as_deref().map(|v| clean(v).into_owned());
    ListedAccount {
        name: row.name.clone(),
        auth_mode: row.mode.as_ref().map(|m| clean(m.as_str()).into_owned()),
        email: show(&row.email),
        plan: show(&row.plan),
        active: row.active,
        stale: row.stale,
        problem: show(&row.problem),
    }
}

/// Pads `s` to `width` terminal columns.
pub(super) fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn list(ctx: &Ctx, _args: &ListArgs) -> CliResult {
    print_listing(ctx, &crate::ops::accounts::list(ctx)?);
    Ok(Exit::Ok)
}

/// Prints a listing as `list` does (JSON, or the table with its notes).
pub fn print_listing(ctx: &Ctx, listing: &crate::ops::accounts::Listing) {
    if let Some(line) = &listing.files_warning {
        errln!("warning: {line}");
    }
    let live = &listing.live;
    let rows: Vec<ListedAccount> = listing.accounts.iter().map(listed).collect();
    let active = listing.active();
    if ctx.json {
        // A struct, not a `json!` tree: 10,000 rows are written straight out.
        #[derive(Serialize)]
        struct Listing<'a> {
            schema_version: u32,
            accounts: &'a [ListedAccount],
            active: Option<&'a str>,
        }
        print_json(&Listing {
            schema_version: 1,
            accounts: &rows,
            active,
        });
        return;
    }
    if rows.is_empty() {
        outln!("no saved accounts in {}", show(&listing.store_dir));
        if live.file.doc().is_some() {
            outln!("save the live credential with `authdeck save <name>`");
        }
        return;
    }
    print_table(&rows);
    if live.file.doc().is_some() && active.is_none() {
        outln!("(the live credential is not saved as an account: `authdeck save <name>`)");
    }
    if let Some(n) = live.env_notice() {
        warn(&[n]);
    }
    if let Some(n) = live.store_kind.notice() {
        warn(&[n]);
    }
}

/// The aligned table of `list`: a header, one row per account (`*` marks the live one) and
/// notes for stale or invalid accounts.
fn print_table(rows: &[ListedAccount]) {
    let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.name.clone(),
                dash(&r.auth_mode),
                dash(&r.email),
                dash(&r.plan),
            ]
        })
        .collect();
    let headers = ["NAME", "MODE", "EMAIL", "PLAN"];
    let mut widths = headers.map(str::len);
    for c in &cells {
        for (w, s) in widths.iter_mut().zip(c.iter()) {
            *w = (*w).max(s.width());
        }
    }
    let line = |marker: &str, c: &[String; 4], extra: &str| {
        let body: Vec<String> = c.iter().zip(widths).map(|(s, w)| pad(s, w)).collect();
        format!("{marker} {}  {extra}", body.join("  "))
            .trim_end()
            .to_string()
    };
    outln!("{}", line(" ", &headers.map(str::to_string), ""));
    for (r, c) in rows.iter().zip(&cells) {
        let mut notes = Vec::new();
        if r.stale {
            notes.push("stale (live has newer tokens)".to_string());
        }
        if let Some(p) = &r.problem {
            notes.push(format!("invalid: {p}"));
        }
        outln!(
            "{}",
            line(if r.active { "*" } else { " " }, c, &notes.join("; "))
        );
    }
}

#[cfg(test)]
mod tests;
