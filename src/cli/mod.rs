//! The command line: one clap definition, one context, one error type, one exit-code table.
//!
//! Each command lives in its own file and returns a [`CliResult`]; this module only parses,
//! builds the [`Ctx`] and turns errors into the one-line `error:` (+ `hint:`) messages and exit
//! codes of the contract (README "Commands" and docs/json.md). The environment is captured once into [`Env`] so every
//! command (and every test) sees an explicit, injectable snapshot instead of reading globals.

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

pub use crate::env::Env;

use out::outln;
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

/// `--timeout` when not given.
pub const DEFAULT_TIMEOUT_SECS: f64 = 30.0;

/// What every command gets.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub json: bool,
    pub offline: bool,
    pub timeout: Duration,
    /// Whether `--timeout` was given (commands with another default, like `usage`, check it).
    pub timeout_given: bool,
    pub codex_home: Option<PathBuf>,
    pub store: Option<PathBuf>,
    pub env: Env,
}

impl Ctx {
    /// `<codex home>/config.toml`, when the Codex home resolves.
    pub fn config_toml(&self) -> Option<PathBuf> {
        self.paths().ok().map(|p| p.config_toml())
    }

    /// Resolves the Codex home and store paths.
    pub fn paths(&self) -> Result<crate::store::Paths, CliError> {
        crate::store::resolve(
            self.codex_home.as_deref(),
            self.store.as_deref(),
            &self.env.as_fn(),
        )
        .map_err(CliError::from)
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
    pub tui: crate::tui::TuiArgs,
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

fn print_error(e: &CliError) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", clean(&e.message));
    if let Some(h) = &e.hint {
        let _ = writeln!(err, "hint: {}", clean(h));
    }
}

/// Prints a JSON value on one line of stdout.
pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string(value) {
        Ok(s) => outln!("{}", crate::sanitize::json_terminal_safe(&s)),
        Err(e) => eprintln!("error: could not encode JSON output: {e}"),
    }
}

/// Pretty JSON for objects meant to be read (status, list).
pub fn print_json_pretty(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => outln!("{}", crate::sanitize::json_terminal_safe(&s)),
        Err(e) => eprintln!("error: could not encode JSON output: {e}"),
    }
}

/// The binary's entry point.
pub fn main() -> ExitCode {
    // Not a clap subcommand: the completion generators would offer it to users.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == complete::COMPLETE_NAMES) {
        return complete::main(&args[1..], Env::capture()).into();
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    let env = Env::capture();
    let _log_guard = misc::init_logging(&env);
    match run(&cli, env) {
        Ok(code) => code.into(),
        Err(e) => {
            print_error(&e);
            e.exit.into()
        }
    }
}

fn run(cli: &Cli, env: Env) -> CliResult {
    let timeout = cli.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS);
    if !timeout.is_finite() || timeout <= 0.0 || timeout > 3600.0 {
        return Err(CliError::new(format!(
            "--timeout must be more than 0 and at most 3600 seconds, not {timeout}"
        ))
        .with_hint("e.g. --timeout 0.5 or --timeout 30 (the default)")
        .exit(Exit::Usage));
    }
    let ctx = Ctx {
        json: cli.json,
        offline: cli.offline,
        timeout: Duration::from_secs_f64(timeout),
        timeout_given: cli.timeout.is_some(),
        codex_home: cli.codex_home.clone(),
        store: cli.store.clone(),
        env,
    };
    if cli.version {
        return misc::version(&ctx);
    }
    warn_open_permissions(&ctx, cli.command.as_ref());
    if cli.demo {
        return crate::tui::demo::run(&ctx, &cli.tui);
    }
    match &cli.command {
        None | Some(Command::Tui) => crate::tui::run(&ctx, &cli.tui),
        Some(Command::Status(a)) => status::status(&ctx, a),
        Some(Command::Register(a)) => status::register(&ctx, a),
        Some(Command::List(a)) => accounts::list(&ctx, a),
        Some(Command::Save(a)) => accounts::save(&ctx, a),
        Some(Command::Add(a)) => accounts::add(&ctx, a),
        Some(Command::Switch(a)) => accounts::switch(&ctx, a),
        Some(Command::Usage(a)) => usage::usage(&ctx, a),
        Some(Command::Mode(a)) => accounts::mode(&ctx, a),
        Some(Command::Rename(a)) => accounts::rename(&ctx, a),
        Some(Command::Remove(a)) => accounts::remove(&ctx, a),
        Some(Command::Provision(a)) => provision::provision(&ctx, a),
        Some(Command::Header(a)) => header::header(&ctx, a),
        Some(Command::MockBackend(a)) => misc::mock_backend(&ctx, a),
        Some(Command::Completions(a)) => misc::completions(a),
        Some(Command::Man) => misc::man(),
    }
}

/// Warns on stderr, as ssh does, when the live credential, the store or (for commands that use
/// the store) an account file is open to other users — one line each, with the `chmod` fix.
/// The TUI puts the same lines in its log; commands that touch no credential skip the check.
fn warn_open_permissions(ctx: &Ctx, command: Option<&Command>) {
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
    if let Ok(paths) = ctx.paths() {
        for line in crate::store::permission_warnings(&paths, accounts) {
            eprintln!("warning: {line}");
        }
    }
}

/// A tokio runtime for one command (the CLI is synchronous around it).
pub fn tokio_runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::new(format!("could not start the async runtime: {e}")))
}
