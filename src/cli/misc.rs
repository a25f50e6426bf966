//! The small commands and process plumbing: `--version`, logging, `mock-backend`,
//! `completions`, `man`.
//!
//! Logging is off unless `AUTHDECK_LOG` is set, and then goes to a file (0600) under the user's
//! state directory — never to the terminal, which the TUI owns — so a prompt calling
//! `status --format short` on every keystroke pays nothing for it.

use crate::cli::out::outln;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::CommandFactory as _;

use super::{Cli, CliError, CliResult, Ctx, Env, Exit};
use crate::mock_backend::{MockBackend, SCENARIOS, scenario};
use crate::sanitize::clean;

/// Where the log file goes.
pub fn log_path() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("authdeck").join("authdeck.log"))
}

/// Keeps logging alive for the process.
pub struct LogGuard;

/// Starts file logging when `AUTHDECK_LOG` is set (`error`, `warn`, `info`, `debug`, `trace`, or
/// any `tracing` filter). Failures to open the file are ignored: logging must never stop a
/// command.
pub fn init_logging(env: &Env) -> Option<LogGuard> {
    let level = env.var("AUTHDECK_LOG")?;
    let path = log_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .ok()?;
    let filter = tracing_subscriber::EnvFilter::try_new(&level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "authdeck started");
    Some(LogGuard)
}

/// `authdeck --version`.
pub fn version(ctx: &Ctx) -> CliResult {
    outln!("authdeck {}", env!("CARGO_PKG_VERSION"));
    let log = log_path().map_or_else(
        || "(no state directory)".to_string(),
        |p| p.display().to_string(),
    );
    let level = ctx
        .env
        .var("AUTHDECK_LOG")
        .unwrap_or_else(|| "off; set AUTHDECK_LOG=info to enable".into());
    // Paths come from the environment (HOME, XDG_*, CODEX_HOME, AUTHDECK_STORE): untrusted.
    outln!("log file:   {} ({})", clean(&log), clean(&level));
    match ctx.paths() {
        Ok(p) => {
            outln!("codex home: {}", clean(&p.codex_home.display().to_string()));
            outln!("store:      {}", clean(&p.store.display().to_string()));
        }
        Err(e) => outln!("codex home: unavailable: {}", clean(&e.message)),
    }
    Ok(Exit::Ok)
}

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Scenarios:\n  ok, slow, flaky, down, rate-limited, hang, garbage, endless, missing-task-id, reject, sealed\n\nExample:\n  authdeck mock-backend --port 8765 --scenario flaky --trust ~/.codex/auth.json\n  export CODEX_AGENT_IDENTITY_JWKS_BASE_URL=http://127.0.0.1:8765\n  export CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL=http://127.0.0.1:8765\n  authdeck register"
)]
pub struct MockBackendArgs {
    /// Port on 127.0.0.1 (0 = any free port)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Fault scenario for task registration
    #[arg(long, default_value = "ok")]
    pub scenario: String,
    /// Trust the agent identity in this auth.json / account file (repeatable); its runtime id
    /// and public key are registered so task registration succeeds
    #[arg(long, value_name = "PATH")]
    pub trust: Vec<PathBuf>,
    /// What the usage endpoint answers (5h-weekly, weekly-only, monthly, limit-reached, credits,
    /// unauthorized, rate-limited, garbage, hang)
    #[arg(long, value_name = "NAME", default_value = "5h-weekly")]
    pub usage_scenario: String,
}

/// The runtime id and public key of the agent identity stored in `path`.
fn trusted_agent(path: &Path) -> Result<(String, [u8; 32]), CliError> {
    // The same read (size cap, parse, usability) as `add --file`.
    let (doc, _kept_as_is) = crate::ops::material::document_from_file(path)
        .map_err(|e| CliError::new(format!("--trust: {e}")))?;
    let analysis = crate::codex::credential::Analysis::of_doc(&doc);
    let agent = analysis.material.agent_ok().ok_or_else(|| {
        CliError::new(format!(
            "--trust {}: no agent identity in the file",
            path.display()
        ))
    })?;
    let key = agent
        .key()
        .map_err(|e| CliError::new(format!("--trust {}: {e}", path.display())))?;
    let runtime = agent
        .facts()
        .map(|f| f.runtime_id.clone())
        .unwrap_or_default();
    Ok((runtime, key.public_key_bytes()))
}

/// `authdeck mock-backend`: serve until Ctrl-C.
pub fn mock_backend(_ctx: &Ctx, args: &MockBackendArgs) -> CliResult {
    let config = scenario(&args.scenario).ok_or_else(|| {
        let names: Vec<&str> = SCENARIOS.iter().map(|(n, _)| *n).collect();
        CliError::new(format!("unknown scenario \"{}\"", clean(&args.scenario)))
            .with_hint(format!("choose one of: {}", names.join(", ")))
            .exit(Exit::Usage)
    })?;
    let usage =
        crate::mock_backend::UsageScenario::named(&args.usage_scenario).ok_or_else(|| {
            CliError::new(format!(
                "unknown usage scenario \"{}\"",
                clean(&args.usage_scenario)
            ))
            .with_hint(format!(
                "choose one of: {}",
                crate::mock_backend::USAGE_SCENARIOS.join(", ")
            ))
            .exit(Exit::Usage)
        })?;
    let trusted = args
        .trust
        .iter()
        .map(|p| trusted_agent(p))
        .collect::<Result<Vec<_>, _>>()?;
    let rt = super::tokio_runtime()?;
    rt.block_on(async {
        let mock = MockBackend::start(config, args.port)
            .await
            .map_err(|e| CliError::new(format!("cannot listen on 127.0.0.1:{}: {e}", args.port)))?;
        for (runtime, key) in &trusted {
            mock.register_agent_key(runtime, *key);
        }
        mock.set_usage(None, usage);
        let url = mock.base_url();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "mock Codex backend on {url} (scenario: {})",
            args.scenario
        );
        for (runtime, _) in &trusted {
            let _ = writeln!(out, "trusting agent {}", clean(runtime));
        }
        let _ = writeln!(out, "export CODEX_AGENT_IDENTITY_JWKS_BASE_URL={url}");
        let _ = writeln!(out, "export CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL={url}");
        let _ = writeln!(
            out,
            "usage ({}): put chatgpt_base_url = \"{url}/backend-api\" in <codex home>/config.toml",
            args.usage_scenario
        );
        let _ = writeln!(out, "Ctrl-C stops it.");
        let _ = out.flush();
        drop(out);
        let _ = tokio::signal::ctrl_c().await;
        mock.shutdown().await;
        Ok::<_, CliError>(())
    })?;
    Ok(Exit::Ok)
}

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Account names complete too (switch, rename, remove, --account), read from the store at \
completion time.\n\nExamples:\n  authdeck completions bash > ~/.local/share/bash-completion/completions/authdeck\n  \
authdeck completions zsh > ~/.zfunc/_authdeck        # with fpath+=(~/.zfunc) before compinit\n  \
authdeck completions fish > ~/.config/fish/completions/authdeck.fish"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `authdeck completions <shell>` (account names included: [`super::complete`]).
pub fn completions(args: &CompletionsArgs) -> CliResult {
    std::io::stdout()
        .write_all(&super::complete::script(args.shell))
        .map_err(|e| CliError::new(format!("could not write the completions: {e}")))?;
    Ok(Exit::Ok)
}

/// `authdeck man`.
pub fn man() -> CliResult {
    let man = clap_mangen::Man::new(Cli::command());
    let mut buf = Vec::new();
    man.render(&mut buf)
        .map_err(|e| CliError::new(format!("could not render the man page: {e}")))?;
    std::io::stdout()
        .write_all(&buf)
        .map_err(|e| CliError::new(format!("could not write the man page: {e}")))?;
    Ok(Exit::Ok)
}
