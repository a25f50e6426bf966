//! `authdeck provision`: turn a ChatGPT login into an Agent Identity, the way Codex does
//! (docs/codex-formats.md §4.6).
//!
//! The transaction (key → agent → task → a read-compare-replace under the store lock, nothing
//! written unless every step succeeded) is [`crate::ops::provision`]; this file prints its
//! progress lines and words its result and errors.
//!
//! With `--json` the progress lines are left out and one JSON object reports the result
//! (docs/json.md); errors stay on stderr.

use std::io::Write as _;

use serde_json::json;

use super::status::event_line;
use super::{CliError, CliResult, Ctx, Exit};
use crate::ops;
use crate::ops::provision::{Progress, ProvisionError};
use crate::sanitize::clean;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  authdeck provision                 # the live ChatGPT login\n  authdeck provision --account work\n  authdeck mode agentIdentity        # then use it"
)]
pub struct ProvisionArgs {
    /// Provision the stored account NAME instead of the live auth.json
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Replace an agent identity the document already holds
    #[arg(long)]
    pub force: bool,
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// `authdeck provision`.
pub fn provision(ctx: &Ctx, args: &ProvisionArgs) -> CliResult {
    ops::provision::allowed(ctx).map_err(worded)?;
    let subject = super::status::subject(ctx, args.account.as_deref())?;
    let human = !ctx.json;
    let progress = |p: Progress<'_>| {
        if !human {
            return;
        }
        match p {
            Progress::KeyGenerated { fingerprint } => {
                say(&format!("generated an Ed25519 key {fingerprint}"));
            }
            Progress::AgentRegistered { runtime_id } => {
                say(&format!("registered agent {}", clean(runtime_id)));
            }
            Progress::Task(ev) => {
                if let Some(line) = event_line(ev) {
                    say(&line);
                }
            }
        }
    };
    let done = ops::provision::provision(ctx, &subject, args.force, &progress).map_err(worded)?;
    if let Some(w) = &done.warning {
        crate::cli::out::errln!("warning: {}", clean(w));
    }
    if ctx.json {
        super::print_json(&json!({
            "schema_version": 1,
            "provisioned": done.path,
            "account": args.account,
            "agent_runtime_id": done.runtime_id,
            "key_fingerprint": done.key_fingerprint,
            "task_id_masked": done.task_id_masked,
            "auth_mode_changed": false,
        }));
        return Ok(Exit::Ok);
    }
    say(&format!(
        "stored the agent identity (task {}) beside the ChatGPT tokens in {}",
        done.task_id_masked,
        clean(&done.path.display().to_string())
    ));
    say("auth_mode is unchanged; run `authdeck mode agentIdentity` to use the agent identity");
    Ok(Exit::Ok)
}

/// The CLI's words and exit codes for a provisioning that stopped.
fn worded(e: ProvisionError) -> CliError {
    match e {
        ProvisionError::Offline => CliError::new(e.to_string()).exit(Exit::Usage),
        ProvisionError::NotAFile => CliError::new(
            "provision needs a ChatGPT login in auth.json or an account; the live credential is not a file",
        )
        .with_hint("use --account NAME to provision a stored account"),
        ProvisionError::NoCredential { problem } => {
            CliError::new(problem.unwrap_or_else(|| "no credential".into())).exit(Exit::Invalid)
        }
        ProvisionError::NoChatgptLogin { .. } => {
            CliError::new(e.to_string()).with_hint("sign in with `codex login` first")
        }
        ProvisionError::AlreadyProvisioned { .. } => {
            CliError::new(e.to_string()).with_hint("pass --force to replace it")
        }
        // The backend's messages already name the step ("agent registration failed: HTTP 401 …").
        ProvisionError::Agent(message) => CliError::new(message)
            .with_hint("nothing was written")
            .exit(Exit::RuntimeInitFailed),
        ProvisionError::Task {
            runtime_id,
            message,
        } => CliError::new(message)
            .with_hint(format!(
                "nothing was written; the agent {} exists but has no task — run provision again",
                clean(&runtime_id)
            ))
            .exit(Exit::RuntimeInitFailed),
        ProvisionError::Changed { .. } => {
            CliError::new(e.to_string()).with_hint("run provision again")
        }
        ProvisionError::Read { .. }
        | ProvisionError::Backend(_)
        | ProvisionError::Parse { .. }
        | ProvisionError::RecordUnreadable => CliError::new(e.to_string()),
        ProvisionError::Op(e) => e.into(),
    }
}
