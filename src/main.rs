//! The `authdeck` binary, and the composition root: parse the command line, then hand off to
//! the CLI face or the TUI face (which never import each other; docs/architecture.md).
//!
//! Errors come in two kinds. Expected ones — a bad name, no live credential, no terminal — are
//! one clear `error:` line (and a `hint:`) with the documented exit code (docs/json.md), worded
//! by the CLI face. Anything unexpected is an [`eyre::Report`] printed by `color-eyre` with its
//! cause chain (and, with `RUST_BACKTRACE=1`, a backtrace), exit 1. Both hooks restore the
//! terminal first, so a report or a panic never lands on the TUI's alternate screen.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser as _;
use color_eyre::eyre;

use authdeck::cli::{self, Cli, CliError, Command, Exit};
use authdeck::ops::{Env, OpError};
use authdeck::tui;

fn main() -> ExitCode {
    // First thing, before any secret is read: no core dumps, no ptrace by other processes of
    // the user (src/secret.rs). A failure here is not fatal (the kernel may forbid prctl in a
    // sandbox) and there is no log yet to say so; authdeck works the same either way.
    let _ = authdeck::secret::harden_process();
    // Not a clap subcommand: the completion generators would offer it to users.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .get(1)
        .is_some_and(|a| a == cli::complete::COMPLETE_NAMES)
    {
        return cli::complete::main(&args[1..], Env::capture()).into();
    }
    let parsed = match Cli::try_parse() {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    if let Err(e) = install_hooks() {
        cli::out::err_line(format_args!(
            "warning: could not install the error report hooks: {e}"
        ));
    }
    let env = Env::capture();
    let _log_guard = cli::misc::init_logging(&env);
    match run(&parsed, env) {
        Ok(code) => code,
        Err(report) => {
            // Not `eprintln!`: it panics when stderr is gone (the terminal was closed).
            cli::out::err_line(format_args!("error: {report:?}"));
            Exit::Error.into()
        }
    }
}

/// Builds the context and calls one face. Expected failures come back as exit codes already
/// reported; `Err` is an unexpected one.
fn run(parsed: &Cli, env: Env) -> eyre::Result<ExitCode> {
    let ctx = match cli::context(parsed, env) {
        Ok(ctx) => ctx,
        Err(e) => return Ok(cli::fail(&e)),
    };
    if parsed.version {
        return Ok(reported(cli::misc::version(&ctx)));
    }
    cli::warn_open_permissions(&ctx, parsed.command.as_ref());
    let tui_result = if parsed.demo {
        tui::demo::run(&ctx, &parsed.tui)
    } else {
        match &parsed.command {
            None | Some(Command::Tui) => tui::run(&ctx, &parsed.tui),
            Some(command) => return Ok(reported(cli::run_command(&ctx, command))),
        }
    };
    match tui_result {
        Ok(()) => Ok(Exit::Ok.into()),
        // An expected failure of the TUI (no terminal, a bad Codex home) is worded like the
        // CLI's; anything else goes up as a report.
        Err(report) => match report.downcast::<OpError>() {
            Ok(e) => Ok(cli::fail(&CliError::from(e))),
            Err(report) => Err(report),
        },
    }
}

/// A command's result as an exit code, its error printed.
fn reported(result: cli::CliResult) -> ExitCode {
    match result {
        Ok(code) => code.into(),
        Err(e) => cli::fail(&e),
    }
}

/// `color-eyre`'s panic and error hooks, each restoring the terminal before it prints (a
/// no-op when the TUI is not on screen).
fn install_hooks() -> eyre::Result<()> {
    let mut builder = color_eyre::config::HookBuilder::default().display_env_section(false);
    // Plain text when stderr is not a terminal or NO_COLOR is set (no escape codes in logs).
    if !std::io::stderr().is_terminal() || std::env::var_os("NO_COLOR").is_some() {
        builder = builder.theme(color_eyre::config::Theme::new());
    }
    let (panic_hook, eyre_hook) = builder.into_hooks();
    let eyre_hook = eyre_hook.into_eyre_hook();
    eyre::set_hook(Box::new(move |error| {
        tui::terminal::restore();
        eyre_hook(error)
    }))?;
    let panic_hook = panic_hook.into_panic_hook();
    std::panic::set_hook(Box::new(move |info| {
        tui::terminal::restore();
        panic_hook(info);
    }));
    Ok(())
}
