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

use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr as _;

use super::{CliError, CliResult, Ctx, Exit, print_json};
use crate::codex::agent_identity::{AgentIdentity, AgentJwt};
use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::{Analysis, AuthMode};
use crate::sanitize::clean;
use crate::secret::mask_api_key;
use crate::store::{
    self, AccountSummary, ErrorKind, FieldChange, FileState, Options, Paths, Store, StoreError,
};

/// The most `--api-key-stdin` / `--jwt-stdin` read: keys and JWTs are a few KiB at most.
const MAX_STDIN_BYTES: u64 = 64 * 1024;

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        let exit = match e.kind() {
            ErrorKind::InvalidName => Exit::Usage,
            ErrorKind::LiveMissing => Exit::SignedOut,
            ErrorKind::LiveInvalid | ErrorKind::AccountCorrupt => Exit::Invalid,
            _ => Exit::Error,
        };
        let err = CliError::new(e.message()).exit(exit);
        match e.hint() {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }
}

fn show(p: &Path) -> String {
    clean(&p.display().to_string()).into_owned()
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
struct ListedAccount {
    name: String,
    auth_mode: Option<String>,
    email: Option<String>,
    plan: Option<String>,
    active: bool,
    stale: bool,
    problem: Option<String>,
}

fn listed(row: &AccountSummary) -> ListedAccount {
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
    let summaries = store::summaries(&Store::new(&paths), live.file.doc())?;
    let rows: Vec<ListedAccount> = summaries.iter().map(listed).collect();
    let active = rows.iter().find(|r| r.active).map(|r| r.name.clone());
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "accounts": rows,
            "active": active,
        }));
        return Ok(Exit::Ok);
    }
    if rows.is_empty() {
        println!("no saved accounts in {}", show(&paths.store));
        if live.file.doc().is_some() {
            println!("save the live credential with `authdeck save <name>`");
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
    println!("{}", line(" ", &headers.map(str::to_string), ""));
    for (r, c) in rows.iter().zip(&cells) {
        let mut notes = Vec::new();
        if r.stale {
            notes.push("stale (live has newer tokens)".to_string());
        }
        if let Some(p) = &r.problem {
            notes.push(format!("invalid: {p}"));
        }
        println!(
            "{}",
            line(if r.active { "*" } else { " " }, c, &notes.join("; "))
        );
    }
    if live.file.doc().is_some() && active.is_none() {
        println!("(the live credential is not saved as an account: `authdeck save <name>`)");
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
        println!(
            "account \"{name}\" already holds exactly this credential ({})",
            show(&saved.path)
        );
    } else {
        println!("{verb} account \"{name}\" ({})", show(&saved.path));
    }
    if let Some(old) = &saved.replaced_to {
        println!("  the previous \"{name}\" was moved to {}", show(old));
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

fn invalid(msg: impl Into<String>) -> CliError {
    CliError::new(msg)
        .exit(Exit::Invalid)
        .with_hint("nothing was written")
}

/// Reads stdin (capped), trimmed.
fn read_stdin(what: &str) -> Result<String, CliError> {
    read_capped_input(io::stdin().lock(), what)
}

fn read_capped_input(input: impl io::Read, what: &str) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::new(format!("could not read the {what} from stdin: {e}")))?;
    if bytes.len() as u64 > MAX_STDIN_BYTES {
        return Err(invalid(format!(
            "stdin holds more than {} KiB, which is not a {what}",
            MAX_STDIN_BYTES / 1024
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| invalid(format!("the {what} on stdin is not UTF-8 text")))?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(
            invalid(format!("stdin is empty: expected a {what}")).with_hint(format!(
                "pipe it in, e.g. `pbpaste | authdeck add NAME --{}-stdin`",
                if what == "JWT" { "jwt" } else { "api-key" }
            )),
        );
    }
    Ok(trimmed.to_string())
}

/// The document `codex login --with-api-key` writes.
pub fn api_key_document(key: &str) -> Result<AuthDoc, CliError> {
    if key
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return Err(invalid(
            "the API key contains spaces, line breaks or non-ASCII characters; expected one key such as sk-…",
        ));
    }
    if key.len() < 8 {
        return Err(invalid("the API key is too short to be an OpenAI API key"));
    }
    Ok(AuthDoc::from_members(&[
        ("auth_mode", json!("apikey")),
        ("OPENAI_API_KEY", json!(key)),
    ]))
}

/// The document `codex login --with-access-token` writes, after checking the JWT decodes and
/// carries usable key material (not a signature check: see [`verify_before_add`]).
pub fn agent_jwt_document(token: &str) -> Result<AuthDoc, CliError> {
    let jwt = AgentJwt::decode(token).map_err(|e| {
        invalid(format!(
            "not a usable Agent Identity JWT: {}",
            clean(&e.to_string())
        ))
    })?;
    AgentIdentity::Jwt(jwt).key().map_err(|e| {
        invalid(format!(
            "not a usable Agent Identity JWT: {}",
            clean(&e.to_string())
        ))
    })?;
    Ok(AuthDoc::from_members(&[
        ("auth_mode", json!("agentIdentity")),
        ("OPENAI_API_KEY", Value::Null),
        ("agent_identity", json!(token)),
    ]))
}

/// An auth.json-shaped file, kept verbatim. Rejects files Codex could not use; keeps unknown
/// modes and unrecognised agent identity shapes (with a warning) rather than refuse a newer
/// format.
pub fn document_from_file(path: &Path) -> Result<(AuthDoc, Vec<String>), CliError> {
    let doc = match store::read_doc_file(path) {
        FileState::Doc { doc, .. } => doc,
        FileState::Missing => {
            return Err(CliError::new(format!("{} does not exist", show(path)))
                .with_hint("pass the path of an auth.json-shaped file"));
        }
        other => {
            return Err(invalid(format!(
                "{} is not a usable credential document: {}",
                show(path),
                clean(&other.problem().unwrap_or_default())
            )));
        }
    };
    let a = Analysis::of_doc(&doc);
    let mut warnings = Vec::new();
    if let Some(problem) = &a.problem {
        let unknown_shape = matches!(a.mode, AuthMode::Other(_))
            || matches!(
                (&a.mode, &a.material.agent),
                (
                    AuthMode::AgentIdentity,
                    Some(Ok(AgentIdentity::Unrecognised))
                )
            );
        if !unknown_shape {
            return Err(invalid(format!(
                "{} holds a credential Codex cannot use: {}",
                show(path),
                clean(problem)
            )));
        }
        warnings.push(format!("kept as is: {}", clean(problem)));
    }
    Ok((doc, warnings))
}

/// The check run before an account is added: an Agent Identity JWT is verified against the
/// backend's JWKS (RS256, kid, issuer, audience, expiry) exactly as the runtime does, unless
/// `--no-verify` or `--offline`. Returns whether the credential was verified; a token that does
/// not verify is refused and nothing is written.
pub fn verify_before_add(ctx: &Ctx, doc: &AuthDoc, no_verify: bool) -> Result<bool, CliError> {
    if ctx.offline || no_verify {
        return Ok(false);
    }
    let analysis = Analysis::of_doc(doc);
    let Some(identity @ AgentIdentity::Jwt(_)) = analysis.material.agent_ok() else {
        return Ok(false);
    };
    let refuse = |message: String| {
        CliError::new(format!(
            "the Agent Identity JWT did not verify: {}",
            clean(&message)
        ))
        .with_hint("nothing was added; pass --no-verify to add it unverified")
    };
    let backend = crate::runtime::driver::backend_for(&ctx.env.as_fn(), ctx.timeout)
        .map_err(|e| refuse(e.message))?;
    let rt = super::tokio_runtime()?;
    let policy = crate::runtime::driver::RetryPolicy::default();
    rt.block_on(crate::runtime::driver::verify(
        identity,
        &backend,
        &policy,
        &|_| {},
    ))
    .map_err(|e| refuse(e.message))
}

pub fn add(ctx: &Ctx, args: &AddArgs) -> CliResult {
    let paths = ctx.paths()?;
    store::validate_name(&args.name)?;
    let (doc, warnings, shown) = if args.api_key_stdin {
        let key = read_stdin("API key")?;
        let doc = api_key_document(&key)?;
        (doc, Vec::new(), format!("API key {}", mask_api_key(&key)))
    } else if args.jwt_stdin {
        let token = read_stdin("JWT")?;
        (
            agent_jwt_document(&token)?,
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
        println!(
            "  from {}, auth mode {}",
            clean(&shown),
            clean(mode.as_str())
        );
        if mode == AuthMode::AgentIdentity && !verified {
            println!(
                "  the JWT was decoded and its key checked, but its signature was not verified"
            );
        }
        warn(&warnings);
    }
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------------------------
// switch and mode

/// `authdeck switch <name>`
#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  \
    authdeck save work && authdeck switch personal\n  \
    authdeck switch work --json\n\n\
    Newer tokens in auth.json are saved back into their account first, and the replaced \
    auth.json is backed up under <store>/.backups/. Running Codex processes keep the old \
    credential until restarted.")]
pub struct SwitchArgs {
    /// The account to make live
    pub name: String,
}

fn print_changes(changes: &[FieldChange]) {
    if changes.is_empty() {
        return;
    }
    let width = changes.iter().map(|c| c.key.width()).max().unwrap_or(0);
    println!("  changes:");
    for c in changes {
        let side = |v: &Option<String>| {
            v.as_deref()
                .map_or("(absent)".to_string(), |s| clean(s).into_owned())
        };
        println!(
            "    {}  {} → {}",
            pad(&clean(&c.key), width),
            side(&c.before),
            side(&c.after)
        );
    }
}

fn print_processes(processes: &[store::CodexProcess], target: &str) {
    if processes.is_empty() {
        println!(
            "note: Codex processes started from now on use {target}; restart any that are still running"
        );
    } else {
        println!("note: these running Codex processes keep the old credential until restarted:");
        for p in processes {
            println!("    {}  {}", p.pid, clean(&p.command));
        }
    }
}

pub fn switch(ctx: &Ctx, args: &SwitchArgs) -> CliResult {
    let paths = ctx.paths()?;
    let r = store::switch(&paths, &args.name, &ctx.env.as_fn())?;
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "switched_to": r.to,
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
    let name = &r.to;
    if r.already_active {
        println!("\"{name}\" is already live ({})", show(&r.auth_path));
    } else {
        match &r.from {
            Some(from) if from != name => println!("switched to \"{name}\" (from \"{from}\")"),
            _ => println!("switched to \"{name}\""),
        }
    }
    if r.synced_back
        && let Some(from) = &r.from
    {
        println!("  saved the newer live tokens into \"{from}\" first");
    }
    if let Some(b) = &r.backup {
        println!("  previous auth.json backed up to {}", show(b));
    }
    print_changes(&r.changes);
    warn(&r.warnings);
    if !r.already_active {
        print_processes(&r.processes, &format!("\"{name}\""));
    }
    Ok(Exit::Ok)
}

/// `authdeck mode <auth_mode>`
#[derive(Debug, Clone, Args)]
pub struct ModeArgs {
    /// apikey, chatgpt, agentIdentity, personalAccessToken, bedrockApiKey
    pub mode: String,
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
    let r = store::set_mode(&paths, &mode, &ctx.env.as_fn())?;
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
        println!(
            "auth_mode: {} → {to} ({})",
            clean(r.from.as_str()),
            show(&r.path)
        );
        if let Some(b) = &r.backup {
            println!("  previous auth.json backed up to {}", show(b));
        }
    } else {
        println!("auth_mode is already {to} ({})", show(&r.path));
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
    pub old: String,
    pub new: String,
}

pub fn rename(ctx: &Ctx, args: &RenameArgs) -> CliResult {
    let paths: Paths = ctx.paths()?;
    let path = Store::new(&paths).rename(&args.old, &args.new)?;
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "renamed": { "from": args.old, "to": args.new },
            "path": path,
        }));
    } else {
        println!(
            "renamed \"{}\" to \"{}\" ({})",
            args.old,
            args.new,
            show(&path)
        );
    }
    Ok(Exit::Ok)
}

/// `authdeck remove <name>`
#[derive(Debug, Clone, Args)]
pub struct RemoveArgs {
    pub name: String,
}

pub fn remove(ctx: &Ctx, args: &RemoveArgs) -> CliResult {
    let paths = ctx.paths()?;
    let to = Store::new(&paths).remove(&args.name)?;
    if ctx.json {
        print_json(&json!({
            "schema_version": 1,
            "removed": args.name,
            "trash_path": to,
        }));
    } else {
        println!(
            "removed \"{}\" (moved to {}; recoverable)",
            args.name,
            show(&to)
        );
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_message_hint_and_exit() {
        let e: CliError = store::validate_name("a/b").expect_err("bad").into();
        assert_eq!(e.exit, Exit::Usage);
        assert!(e.message.contains("'/'"), "{}", e.message);
        assert!(e.hint.is_some());
        let e: CliError = StoreError::new(ErrorKind::LiveMissing, "no live")
            .with_hint("login")
            .into();
        assert_eq!(e.exit, Exit::SignedOut);
        assert_eq!(e.hint.as_deref(), Some("login"));
    }

    #[test]
    fn api_key_document_is_what_codex_writes() {
        let doc = api_key_document("sk-test-1234567890abcdef").expect("valid");
        assert_eq!(
            doc.text(),
            "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test-1234567890abcdef\"\n}\n"
        );
        assert!(api_key_document("sk-test 123456").is_err());
        assert!(api_key_document("sk-1").is_err());
        assert!(api_key_document("sk-test-12345\u{1b}[2J").is_err());
    }

    #[test]
    fn jwt_document_is_what_codex_writes_and_bad_jwts_are_refused() {
        let jwt = crate::codex::fixtures::unsigned_agent_jwt("agent-1", 4_102_444_800);
        let doc = agent_jwt_document(&jwt).expect("valid");
        assert_eq!(
            doc.text(),
            format!(
                "{{\n  \"auth_mode\": \"agentIdentity\",\n  \"OPENAI_API_KEY\": null,\n  \"agent_identity\": \"{jwt}\"\n}}\n"
            )
        );
        let e = agent_jwt_document("not.a.jwt").expect_err("bad");
        assert_eq!(e.exit, Exit::Invalid);
        let no_key = crate::codex::fixtures::unsigned_jwt(&json!({"agent_runtime_id": "r"}));
        assert!(agent_jwt_document(&no_key).is_err());
    }

    #[test]
    fn stdin_is_capped_and_trimmed() {
        assert_eq!(
            read_capped_input(&b"  sk-abc\n"[..], "API key").expect("ok"),
            "sk-abc"
        );
        assert!(read_capped_input(&b" \n"[..], "API key").is_err());
        let big = vec![b'a'; 70 * 1024];
        let e = read_capped_input(&big[..], "JWT").expect_err("too big");
        assert!(e.message.contains("64 KiB"), "{}", e.message);
        assert!(read_capped_input(&b"\xff\xfe"[..], "JWT").is_err());
    }

    #[test]
    fn modes_parse_leniently() {
        assert_eq!(parse_mode("apiKey"), AuthMode::ApiKey);
        assert_eq!(parse_mode("CHATGPT"), AuthMode::Chatgpt);
        assert_eq!(parse_mode("agentidentity"), AuthMode::AgentIdentity);
        assert_eq!(parse_mode("weird"), AuthMode::Other("weird".into()));
    }
}
