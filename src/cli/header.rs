//! `authdeck header`: freshly signed auth headers for the live credential or an account.
//!
//! The one command that prints secrets, because printing them is what the user asked for. The
//! headers come from [`crate::ops::header`] (which runs the runtime init for an Agent Identity,
//! or reuses a stored task id; with `--offline` only the stored task id can be used); this file
//! words its errors and prints or copies the value. `--copy` writes the value to the clipboard
//! through OSC 52 — the terminal, not authdeck, owns the clipboard, which is why it works over
//! SSH and in tmux — and says so.

use crate::cli::out::{errln, outln};
use std::io::{IsTerminal as _, Write as _};

use super::status::exit_for;
use super::{CliError, CliResult, Ctx, Exit};
use crate::codex::headers::{HeaderError, HeaderFormat};
use crate::ops::{self, header::HeaderOpError};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  authdeck header                       # the Authorization value\n  authdeck header --format curl         # -H flags for curl\n  curl $(authdeck header --format curl) https://…\n  authdeck header --account work --copy"
)]
pub struct HeaderArgs {
    /// Use the stored account NAME instead of the live credential
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = HeaderFormat::Value)]
    pub format: HeaderFormat,
    /// Copy to the clipboard (OSC 52) instead of printing
    #[arg(long)]
    pub copy: bool,
}

/// `authdeck header`.
pub fn header(ctx: &Ctx, args: &HeaderArgs) -> CliResult {
    let subject = super::status::subject(ctx, args.account.as_deref())?;
    let set = ops::header::header(ctx, &subject).map_err(|e| match e {
        HeaderOpError::NotReady { state, why } => {
            CliError::new(format!("no headers: {} ({why})", state.label()))
                .with_hint("`authdeck status` shows the details")
                .exit(exit_for(&state))
        }
        HeaderOpError::NoCredential => CliError::new("no credential").exit(Exit::SignedOut),
        HeaderOpError::Header(e) => {
            let err = CliError::new(e.to_string());
            match e {
                HeaderError::NoTask if ctx.offline => {
                    err.with_hint("without --offline, authdeck registers a task first")
                }
                _ => err,
            }
        }
        HeaderOpError::Op(e) => e.into(),
    })?;
    let text = set.format(args.format);
    if args.copy {
        let mut out = std::io::stdout();
        if !out.is_terminal() {
            return Err(
                CliError::new("--copy needs a terminal on stdout (it uses OSC 52)")
                    .with_hint("drop --copy and pipe the printed header instead"),
            );
        }
        let _ = out.write_all(crate::copy::osc52_sequence(text.expose()).as_bytes());
        let _ = out.flush();
        errln!(
            "sent to terminal (OSC 52): {} — your terminal puts it on the clipboard if it allows OSC 52",
            set.masked_lines().first().cloned().unwrap_or_default()
        );
    } else {
        outln!("{}", text.expose());
    }
    Ok(Exit::Ok)
}
