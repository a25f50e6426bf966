//! The account commands: `list`, `save`, `add`, `switch`, `mode`, `rename`, `remove`.
//!
//! Each command is a thin face over [`crate::store`]: parse, call one store operation, print.
//! Human output is short and aligned, on stdout; warnings go to stderr as `warning:` lines;
//! `--json` prints one object with `"schema_version": 1` and never a secret (API keys and tokens
//! appear only masked, in the switch/mode diff). Every string that comes from a credential
//! (emails, plans, problems, diff values) passes through [`clean`] before it is printed.
//!
//! Store errors become [`CliError`]s with the store's message and hint; the exit code follows
//! the kind: a bad name is a usage error (2), no live file is "signed out" (3), a file that cannot
//! be used is "invalid credential" (5), everything else is 1.

use crate::cli::out::outln;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr as _;

use super::material::{read_stdin, show, verify_before_add};
use super::{CliError, CliResult, Ctx, Exit, pick, print_json};
use crate::codex::credential::{Analysis, AuthMode};
use crate::material::{agent_jwt_document, api_key_document, document_from_file};
use crate::sanitize::clean;
use crate::secret::mask_api_key;
use crate::store::{
    self, AccountSummary, ErrorKind, FieldChange, Options, Paths, Store, StoreError,
};

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        let exit = match e.kind() {
            ErrorKind::InvalidName | ErrorKind::AmbiguousName => Exit::Usage,
            ErrorKind::LiveMissing => Exit::SignedOut,
            ErrorKind::LiveInvalid | ErrorKind::AccountCorrupt | ErrorKind::CodexWouldRefuse => {
                Exit::Invalid
            }
            _ => Exit::Error,
        };
        let err = CliError::new(e.message()).exit(exit);
        match e.hint() {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }
}

fn warn(lines: &[String]) {
    for l in lines {
        eprintln!("warning: {}", clean(l));
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
fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn list(ctx: &Ctx, _args: &ListArgs) -> CliResult {
    let paths = ctx.paths()?;
    let live = store::read_live(&paths, &ctx.env.as_fn());
    let summaries = store::summaries_brief(&Store::new(&paths), live.file.doc())?;
    let rows: Vec<ListedAccount> = summaries.iter().map(listed).collect();
    let active = rows.iter().find(|r| r.active).map(|r| r.name.clone());
    if ctx.json {
        // A struct, not a `json!` tree: 10,000 rows are written straight out.
        #[derive(Serialize)]
        struct Listing<'a> {
            schema_version: u32,
            accounts: &'a [ListedAccount],
            active: Option<String>,
        }
        print_json(&Listing {
            schema_version: 1,
            accounts: &rows,
            active,
        });
        return Ok(Exit::Ok);
    }
    if rows.is_empty() {
        outln!("no saved accounts in {}", show(&paths.store));
        if live.file.doc().is_some() {
            outln!("save the live credential with `authdeck save <name>`");
        }
        return Ok(Exit::Ok);
    }
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
    if live.file.doc().is_some() && active.is_none() {
        outln!("(the live credential is not saved as an account: `authdeck save <name>`)");
    }
    if let Some(n) = live.env_notice() {
        warn(&[n]);
    }
    if let Some(n) = live.store_kind.notice() {
        warn(&[n]);
    }
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------------------------
// save

/// `authdeck save <name> [--force]`
#[derive(Debug, Clone, Args)]
pub struct SaveArgs {
    /// Account name (letters, digits, '.', '_', '-'; up to 64)
    pub name: String,
    /// Replace an existing account (its old file goes to the store's trash)
    #[arg(long)]
    pub force: bool,
}

fn report_saved(ctx: &Ctx, verb: &str, name: &str, saved: &store::Saved, extra: &Value) {
    if ctx.json {
        let mut out = json!({
            "schema_version": 1,
            verb: name,
            "path": saved.path,
            "replaced_to": saved.replaced_to,
            "unchanged": saved.unchanged,
        });
        if let (Some(o), Some(e)) = (out.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        print_json(&out);
        return;
    }
    if saved.unchanged {
        outln!(
            "account \"{name}\" already holds exactly this credential ({})",
            show(&saved.path)
        );
    } else {
        outln!("{verb} account \"{name}\" ({})", show(&saved.path));
    }
    if let Some(old) = &saved.replaced_to {
        outln!("  the previous \"{name}\" is kept in {}", show(old));
    }
}

pub fn save(ctx: &Ctx, args: &SaveArgs) -> CliResult {
    let paths = ctx.paths()?;
    store::validate_name(&args.name)?;
    let live = store::read_live(&paths, &ctx.env.as_fn());
    let saved = store::save_live(&paths, &args.name, args.force, &Options::default())?;
    report_saved(ctx, "saved", &args.name, &saved, &json!({}));
    if !ctx.json
        && let Some(var) = live.env_var()
    {
        warn(&[format!(
            "{var} is set and is the live credential; this saved auth.json, not the environment token"
        )]);
    }
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------------------------
// add

/// `authdeck add <name> --api-key-stdin | --jwt-stdin | --from-file PATH`
#[allow(clippy::struct_excessive_bools)] // clap flags: exactly one material flag is enforced by the group
#[derive(Debug, Clone, Args)]
#[command(
    group(
        clap::ArgGroup::new("material")
            .required(true)
            .args(["api_key_stdin", "jwt_stdin", "from_file"])
    ),
    after_help = "Examples:\n  \
        printf %s \"$OPENAI_API_KEY\" | authdeck add api --api-key-stdin\n  \
        authdeck add agent --jwt-stdin < agent.jwt\n  \
        authdeck add old-laptop --from-file ~/backup/auth.json"
)]
pub struct AddArgs {
    /// Account name (letters, digits, '.', '_', '-'; up to 64)
    pub name: String,
    /// Read an OpenAI API key from stdin
    #[arg(long)]
    pub api_key_stdin: bool,
    /// Read an Agent Identity JWT from stdin
    #[arg(long)]
    pub jwt_stdin: bool,
    /// Use an auth.json-shaped file, kept verbatim
    #[arg(long, value_name = "PATH")]
    pub from_file: Option<PathBuf>,
    /// Do not verify an Agent Identity JWT against JWKS
    #[arg(long)]
    pub no_verify: bool,
    /// Replace an existing account (its old file goes to the store's trash)
    #[arg(long)]
    pub force: bool,
}

pub fn add(ctx: &Ctx, args: &AddArgs) -> CliResult {
    let paths = ctx.paths()?;
    store::validate_name(&args.name)?;
    let (doc, warnings, shown) = if args.api_key_stdin {
        let key = read_stdin("API key")?;
        let doc = api_key_document(key.expose())?;
        (
            doc,
            Vec::new(),
            format!("API key {}", mask_api_key(key.expose())),
        )
    } else if args.jwt_stdin {
        let token = read_stdin("JWT")?;
        (
            agent_jwt_document(token.expose())?,
            Vec::new(),
            "Agent Identity JWT".to_string(),
        )
    } else if let Some(path) = &args.from_file {
        let (doc, w) = document_from_file(path)?;
        (doc, w, format!("file {}", show(path)))
    } else {
        return Err(
            CliError::new("choose one of --api-key-stdin, --jwt-stdin, --from-file PATH")
                .exit(Exit::Usage),
        );
    };
    let verified = verify_before_add(ctx, &doc, args.no_verify)?;
    let mode = Analysis::of_doc(&doc).mode;
    let saved = Store::new(&paths).save(&args.name, &doc, args.force)?;
    report_saved(
        ctx,
        "added",
        &args.name,
        &saved,
        &json!({ "auth_mode": mode.as_str(), "verified": verified, "warnings": warnings }),
    );
    if !ctx.json {
        outln!(
            "  from {}, auth mode {}",
            clean(&shown),
            clean(mode.as_str())
        );
        if mode == AuthMode::AgentIdentity && !verified {
            outln!("  the JWT was decoded and its key checked, but its signature was not verified");
        }
        warn(&warnings);
    }
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------------------------
// switch and mode

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
        return super::best::switch_best(ctx, args);
    }
    let Some(typed) = &args.name else {
        return pick::switch_menu(ctx);
    };
    let paths = ctx.paths()?;
    let target = store::resolve_switch_target(&paths, typed)?;
    pick::note(ctx, &target);
    let opts = Options {
        allow_refused: args.force,
        ..Options::default()
    };
    let r = store::switch_with(&paths, &target.name, &ctx.env.as_fn(), &opts)?;
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

/// Parses a mode argument: exact wire strings, case-insensitive, plus the app-server's `apiKey`.
fn parse_mode(s: &str) -> AuthMode {
    AuthMode::KNOWN
        .iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
        .cloned()
        .unwrap_or_else(|| AuthMode::parse(s.trim()))
}

pub fn mode(ctx: &Ctx, args: &ModeArgs) -> CliResult {
    let paths = ctx.paths()?;
    let mode = parse_mode(&args.mode);
    let opts = Options {
        allow_refused: args.force,
        ..Options::default()
    };
    let r = store::set_mode_with(&paths, &mode, &ctx.env.as_fn(), &opts)?;
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

// ---------------------------------------------------------------------------------------------
// rename and remove

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

#[cfg(test)]
mod tests;
