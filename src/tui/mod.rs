//! The full-screen TUI (README "The TUI"): a pure core inside a thin async shell.
//!
//! * [`msg`] — what can happen ([`msg::Msg`]) and what may be asked for ([`msg::Effect`]);
//!   [`outcome`] — what the runner's tasks report: data and typed errors, never sentences.
//! * [`model`] — the whole state, plain data; [`update`] — `update(&mut Model, Msg) ->
//!   Vec<Effect>`, pure, and the one place that words outcomes; [`ui`] — `render(&Model,
//!   &mut Frame)`, pure; [`keymap`] — the one key table behind the footer, the `?` help and
//!   every key hint on screen; [`contexts`] and [`layout`] — the key contexts in force and the
//!   geometry, asked by both `update` and `ui` so those two never import each other.
//! * [`app`] — the loop (one inbox, drain the burst, draw once if dirty, tick only while
//!   busy); [`runner`] — the one executor of effects: one task per waiting effect, reporting
//!   back only by message, with generation ids; copy, clipboard and quit too
//!   ([`msg::Effect::Quit`] is the one way to stop); [`preview`] — the detail panes follow the
//!   Accounts cursor (browse before you switch); [`watch`] — the debounced file watcher;
//!   [`terminal`] — enter/restore, including on panics. Copying goes through the neutral
//!   [`crate::copy`].
//! * [`run`] returns an [`eyre::Result`]: an expected failure (no terminal, a bad Codex home) is
//!   an [`OpError`] inside it, which `main.rs` words as the CLI does; anything else is a
//!   report with its cause chain.
//!
//! The shape follows `docs/architecture.md`; every module says why it is the way
//! it is.

pub mod app;
pub mod contexts;
pub mod demo;
pub mod keymap;
pub mod layout;
pub mod model;
pub mod msg;
pub mod outcome;
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

use color_eyre::eyre::{self, WrapErr as _};

use crate::copy;
use crate::ops::{Ctx, OpError, TuiArgs};
use model::{CopyTo, Model, Settings};

/// `authdeck` / `authdeck tui`.
pub fn run(ctx: &Ctx, args: &TuiArgs) -> eyre::Result<()> {
    run_with(ctx, args, None)
}

/// What the demo changes in a session.
#[derive(Debug)]
pub struct DemoSession {
    /// Shown in the title bar: it is a demo, and where its mock and home are.
    pub banner: String,
}

/// The TUI; for the demo, with its banner, and every account's usage asked at the start.
pub fn run_with(ctx: &Ctx, args: &TuiArgs, demo: Option<DemoSession>) -> eyre::Result<()> {
    let paths = ctx.paths()?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(OpError::new("the TUI needs a terminal (stdin and stdout)")
            .with_hint("for scripts use `authdeck status --json` or `authdeck list --json`")
            .into());
    }
    let settings = Settings {
        offline: ctx.offline,
        mouse: !args.no_mouse,
        no_color: ctx.env.var("NO_COLOR").is_some(),
        clear_clipboard: args.clear_clipboard.filter(|s| *s > 0),
        copy_to: if args.no_system_clipboard {
            CopyTo::TerminalOnly
        } else {
            CopyTo::TerminalAndSystem
        },
        usage_at_start: if demo.is_some() {
            usage::Scope::All
        } else {
            usage::Scope::Live
        },
    };
    // The store and the live file now; account files from the first listing's own `stat`s
    // (`Msg::OpenAccountFiles`), so 10,000 files are not stat'd twice before the first frame.
    let permissions = crate::ops::permission_warnings(ctx, false);
    let rt = crate::ops::tokio_runtime()?;
    let shared = Arc::new(runner::Shared::new(
        paths,
        ctx.env.clone(),
        ctx.offline,
        ctx.timeout,
    ));
    let clipboard = match settings.copy_to {
        CopyTo::TerminalOnly => {
            copy::Clipboard::terminal_only("turned off with --no-system-clipboard")
        }
        CopyTo::TerminalAndSystem => copy::Clipboard::default(),
    };
    let mut term = terminal::enter(settings.mouse).wrap_err("could not set up the terminal")?;
    let guard = terminal::Guard;
    let result = rt.block_on(async {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let signals = tokio::spawn(app::forward_signals(tx.clone()));
        let mut model = Model::new(Utc::now(), (0, 0), settings);
        model.banner = demo.map(|d| d.banner);
        for line in permissions {
            model.log_line(format!("warning: {line}"));
        }
        let app = app::App {
            terminal: &mut term,
            model,
            runner: runner::Runner::new(tx.clone(), shared, clipboard),
            tx,
            rx,
            osc: std::io::stdout(),
            real_terminal: true,
        };
        let result = app.run(EventStream::new()).await;
        signals.abort();
        result
    });
    drop(guard);
    terminal::release(term);
    // Blocking file work cannot be cancelled; give it a moment, never hang on exit.
    rt.shutdown_timeout(std::time::Duration::from_millis(300));
    match result {
        Ok(model) => match model.fatal {
            Some(fatal) => Err(OpError::new(fatal).into()),
            None => Ok(()),
        },
        Err(e) => Err(eyre::eyre!(e).wrap_err("the TUI stopped")),
    }
}
