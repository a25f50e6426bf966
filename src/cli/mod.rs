//! The command line face: one clap definition, one error type, one exit-code table.
//!
//! Each command lives in its own file and returns a [`CliResult`]; this module holds the parser
//! ([`Cli`]), builds the [`Ctx`] ([`context`]), dispatches a command ([`run_command`]) and turns
//! errors into the one-line `error:` (+ `hint:`) messages and exit codes of the contract (README
//! "Commands" and docs/json.md). `main.rs` is the composition root that calls it (or the TUI);
//! the shared plumbing ([`Ctx`], [`Env`], the runtime, the typed operation error) is
//! [`crate::ops`], which the CLI words here.

pub mod accounts;
pub mod best;
pub mod complete;
pub mod header;
pub mod material;
pub mod misc;
pub mod out;
pub mod pick;
pub mod provision;
pub mod status;
pub mod usage;

pub use crate::ops::{Ctx, DEFAULT_TIMEOUT_SECS, Env, tokio_runtime};

use out::{errln, outln};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::sanitize::clean;

/// Exit codes (README "Commands" and docs/json.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Error = 1,
    Usage = 2,
    SignedOut = 3,
    RuntimeInitFailed = 4,
    Invalid = 5,
    /// `switch --best`: no account has usage headroom.
    NoHeadroom = 6,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// An error for the user: one clear line, an optional hint, and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub message: String,
    pub hint: Option<String>,
    pub exit: Exit,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
            exit: Exit::Error,
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn exit(mut self, exit: Exit) -> Self {
        self.exit = exit;
        self
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub type CliResult = Result<Exit, CliError>;

/// An operation's failure, worded as the CLI words it: the kind picks the exit code.
impl From<crate::ops::OpError> for CliError {
    fn from(e: crate::ops::OpError) -> Self {
        use crate::ops::Failure;
        let exit = match e.failure {
            Failure::Error => Exit::Error,
            Failure::Usage => Exit::Usage,
            Failure::SignedOut => Exit::SignedOut,
            Failure::Invalid => Exit::Invalid,
        };
        let err = CliError::new(e.message).exit(exit);
        match e.hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }
}

#[derive(Debug, Parser)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
#[command(
    name = "authdeck",
    version,
    about = "A terminal account manager for Codex credentials",
    long_about = "authdeck shows who the live Codex credential belongs to (account, plan, auth mode), \
registers Agent Identity tasks while you watch, keeps many accounts side by side and switches \
between them without losing a token, and prints ready-to-use auth headers.\n\n\
Run without a command for the full-screen TUI, or `authdeck --demo` to try everything against \
an embedded mock backend without touching your files.",
    after_help = "Examples:\n  authdeck --demo                 try it safely\n  authdeck status --json          the live credential as JSON\n  authdeck save work && authdeck switch personal\n  authdeck header --format curl   headers for curl\n\nExit codes: 0 ok/ready · 1 error · 2 usage · 3 signed out · 4 runtime init failed · 5 invalid credential · 6 no account has room",
    disable_version_flag = true
)]
pub struct Cli {
    /// Codex home (default: $CODEX_HOME, else ~/.codex)
    #[arg(long, global = true, value_name = "DIR")]
    pub codex_home: Option<PathBuf>,
    /// Account store (default: $AUTHDECK_STORE, else <codex home>/accounts)
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Machine-readable JSON output (schema_version 1) for commands that print data
    #[arg(long, global = true)]
    pub json: bool,
    /// Never use the network; Agent Identity JWTs are shown as unverified
    #[arg(long, global = true)]
    pub offline: bool,
    /// Seconds per HTTP attempt (JWKS uses at most 10) [default: 30]
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Open the TUI on a throw-away demo home backed by the embedded mock backend
    #[arg(long)]
    pub demo: bool,
    /// Print the version, the log file and the store location
    #[arg(short = 'V', long)]
    pub version: bool,
    #[command(flatten)]
    pub tui: crate::ops::TuiArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The full-screen TUI (the default)
    Tui,
    /// Show the live credential: state, source, mode, account, plan, task
    Status(status::StatusArgs),
    /// List the saved accounts
    List(accounts::ListArgs),
    /// Save the live auth.json as an account
    Save(accounts::SaveArgs),
    /// Create an account from an API key, an Agent Identity JWT or a file
    Add(accounts::AddArgs),
    /// Make an account live (syncs newer tokens back first, backs up, writes atomically)
    Switch(accounts::SwitchArgs),
    /// Usage and limits per account (never refreshes a token)
    Usage(usage::UsageArgs),
    /// Set auth_mode of the live document
    Mode(accounts::ModeArgs),
    /// Rename an account
    Rename(accounts::RenameArgs),
    /// Move an account to the store's trash (recoverable)
    Remove(accounts::RemoveArgs),
    /// Run the runtime init now and show each step as it happens
    Register(status::RegisterArgs),
    /// Turn a ChatGPT login into an Agent Identity, as Codex does
    Provision(provision::ProvisionArgs),
    /// Print or copy freshly signed auth headers
    Header(header::HeaderArgs),
    /// Run the embedded mock Codex backend on 127.0.0.1
    MockBackend(misc::MockBackendArgs),
    /// Print shell completions
    Completions(misc::CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

/// Prints `error:` (and `hint:`) on stderr and returns the error's exit code.
pub fn fail(e: &CliError) -> ExitCode {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", clean(&e.message));
    if let Some(h) = &e.hint {
        let _ = writeln!(err, "hint: {}", clean(h));
    }
    e.exit.into()
}

/// Prints a JSON value on one line of stdout.
pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string(value) {
        Ok(s) => outln!("{}", crate::sanitize::json_terminal_safe(&s)),
        Err(e) => errln!("error: could not encode JSON output: {e}"),
    }
}

/// Pretty JSON for objects meant to be read (status, list).
pub fn print_json_pretty(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => outln!("{}", crate::sanitize::json_terminal_safe(&s)),
        Err(e) => errln!("error: could not encode JSON output: {e}"),
    }
}

/// Builds the [`Ctx`] from the global options; a bad `--timeout` is a usage error.
pub fn context(cli: &Cli, env: Env) -> Result<Ctx, CliError> {
    let timeout = cli.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS);
    if !timeout.is_finite() || timeout <= 0.0 || timeout > 3600.0 {
        return Err(CliError::new(format!(
            "--timeout must be more than 0 and at most 3600 seconds, not {timeout}"
        ))
        .with_hint("e.g. --timeout 0.5 or --timeout 30 (the default)")
        .exit(Exit::Usage));
    }
    Ok(Ctx {
        json: cli.json,
        offline: cli.offline,
        timeout: Duration::from_secs_f64(timeout),
        timeout_given: cli.timeout.is_some(),
        codex_home: cli.codex_home.clone(),
        store: cli.store.clone(),
        env,
    })
}

/// Runs one command (not the TUI: `main.rs` opens that). `None` and `tui` are not commands of
/// this face; the caller handles them.
pub fn run_command(ctx: &Ctx, command: &Command) -> CliResult {
    match command {
        Command::Tui => Err(CliError::new("the TUI is not a command of the CLI face")),
        Command::Status(a) => status::status(ctx, a),
        Command::Register(a) => status::register(ctx, a),
        Command::List(a) => accounts::list(ctx, a),
        Command::Save(a) => accounts::save(ctx, a),
        Command::Add(a) => accounts::add(ctx, a),
        Command::Switch(a) => accounts::switch(ctx, a),
        Command::Usage(a) => usage::usage(ctx, a),
        Command::Mode(a) => accounts::mode(ctx, a),
        Command::Rename(a) => accounts::rename(ctx, a),
        Command::Remove(a) => accounts::remove(ctx, a),
        Command::Provision(a) => provision::provision(ctx, a),
        Command::Header(a) => header::header(ctx, a),
        Command::MockBackend(a) => misc::mock_backend(ctx, a),
        Command::Completions(a) => misc::completions(a),
        Command::Man => misc::man(),
    }
}

/// Warns on stderr, as ssh does, when the live credential, the store or (for commands that use
/// the store) an account file is open to other users — one line each, with the `chmod` fix.
/// The TUI puts the same lines in its log; commands that touch no credential skip the check.
pub fn warn_open_permissions(ctx: &Ctx, command: Option<&Command>) {
    let accounts = match command {
        // `list` and `switch NAME` stat every account file anyway and warn from those `stat`s.
        Some(Command::Switch(a)) if a.name.is_some() && !a.best => false,
        Some(
            Command::Save(_)
            | Command::Add(_)
            | Command::Switch(_)
            | Command::Mode(_)
            | Command::Rename(_)
            | Command::Remove(_),
        ) => true,
        Some(
            Command::List(_)
            | Command::Status(_)
            | Command::Register(_)
            | Command::Provision(_)
            | Command::Header(_),
        ) => false,
        _ => return,
    };
    for line in crate::ops::permission_warnings(ctx, accounts) {
        errln!("warning: {line}");
    }
}
