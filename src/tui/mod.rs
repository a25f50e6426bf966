//! The full-screen TUI (README "The TUI"): a pure core inside a thin async shell.
//!
//! * [`msg`] — what can happen ([`msg::Msg`]) and what may be asked for ([`msg::Effect`]).
//! * [`model`] — the whole state, plain data; [`update`] — `update(&mut Model, Msg) ->
//!   Vec<Effect>`, pure; [`ui`] — `render(&Model, &mut Frame)`, pure; [`keymap`] — the one key
//!   table behind both the footer and the `?` help.
//! * [`app`] — the loop (one inbox, drain the burst, draw once if dirty, tick only while
//!   busy); [`runner`] — one task per effect, reporting back only by message, with generation
//!   ids; [`preview`] — the detail panes follow the Accounts cursor (browse before you
//!   switch); [`watch`] — the debounced file watcher; [`clipboard`] — OSC 52 and the system
//!   clipboard; [`terminal`] — enter/restore, including on panics.
//!
//! The shape follows `docs/architecture.md`; every module says why it is the way
//! it is.

pub mod add;
pub mod app;
pub mod clipboard;
pub mod demo;
pub mod keymap;
pub mod model;
pub mod msg;
pub mod preview;
pub mod runner;
pub mod summary;
pub mod terminal;
pub mod ui;
pub mod update;
pub mod usage;
pub mod watch;

#[cfg(test)]
pub(crate) mod testkit;

use std::io::IsTerminal as _;
use std::sync::Arc;

use chrono::Utc;
use ratatui::crossterm::event::EventStream;

use crate::cli::{CliError, CliResult, Ctx, Exit};
use model::{Model, Settings};

/// The TUI's own flags (flattened into the top-level command line).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TuiArgs {
    /// Turn off mouse capture
    #[arg(long)]
    pub no_mouse: bool,
    /// Clear the clipboard N seconds after a copy
    #[arg(long, value_name = "SECS")]
    pub clear_clipboard: Option<u64>,
    /// Copy with OSC 52 only; never touch the system clipboard
    #[arg(long)]
    pub no_system_clipboard: bool,
}

/// `authdeck` / `authdeck tui`.
pub fn run(ctx: &Ctx, args: &TuiArgs) -> CliResult {
    run_with(ctx, args, None)
}

/// The TUI with an optional banner in the title bar (the demo says it is one).
pub fn run_with(ctx: &Ctx, args: &TuiArgs, banner: Option<String>) -> CliResult {
    let paths = ctx.paths()?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::new("the TUI needs a terminal (stdin and stdout)")
            .with_hint("for scripts use `authdeck status --json` or `authdeck list --json`"));
    }
    let settings = Settings {
        offline: ctx.offline,
        mouse: !args.no_mouse,
        no_color: ctx.env.var("NO_COLOR").is_some(),
        clear_clipboard: args.clear_clipboard.filter(|s| *s > 0),
    };
    let permissions = crate::store::permission_warnings(&paths, true);
    let rt = crate::cli::tokio_runtime()?;
    let shared = Arc::new(runner::Shared::new(
        paths,
        ctx.env.clone(),
        ctx.offline,
        ctx.timeout,
    ));
    let clipboard = if args.no_system_clipboard {
        clipboard::Clipboard::terminal_only("turned off with --no-system-clipboard")
    } else {
        clipboard::Clipboard::default()
    };
    let mut term = terminal::enter(settings.mouse)
        .map_err(|e| CliError::new(format!("could not set up the terminal: {e}")))?;
    let guard = terminal::Guard;
    let result = rt.block_on(async {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let signals = tokio::spawn(app::forward_signals(tx.clone()));
        let mut model = Model::new(Utc::now(), (0, 0), settings);
        model.banner = banner;
        for line in permissions {
            model.log_line(format!("warning: {line}"));
        }
        let app = app::App {
            terminal: &mut term,
            model,
            runner: runner::Runner::new(tx.clone(), shared),
            tx,
            rx,
            clipboard,
            osc: std::io::stdout(),
            real_terminal: true,
        };
        let result = app.run(EventStream::new()).await;
        signals.abort();
        result
    });
    drop(guard);
    drop(term);
    // Blocking file work cannot be cancelled; give it a moment, never hang on exit.
    rt.shutdown_timeout(std::time::Duration::from_millis(300));
    match result {
        Ok(model) => match model.fatal {
            Some(fatal) => Err(CliError::new(fatal)),
            None => Ok(Exit::Ok),
        },
        Err(e) => Err(CliError::new(e)),
    }
}
