//! The sentences the TUI says about finished file operations: the status line and the event
//! log. The runner reports data ([`crate::tui::outcome`]); these pure functions word it, so
//! every user-facing sentence of a file operation is in this one file.

use crate::ops::add::Verification;
use crate::ops::material::MaterialError;
use crate::sanitize::clean;
use crate::tui::msg::Closed;
use crate::tui::outcome::{Call, Done, Failure, Op};

/// The one-line summary for the status line.
pub fn summary(done: &Done) -> String {
    match done {
        Done::Switched {
            name, processes, ..
        } => {
            let procs = if *processes == 0 {
                String::new()
            } else {
                format!(
                    "; {processes} running Codex process(es) keep the old credential until restarted"
                )
            };
            format!("switched to {name}{procs}")
        }
        Done::ModeSet { mode, .. } => format!("auth mode set to {mode}"),
        Done::Saved { name, wrote: None } => format!("{name} already holds the live credential"),
        Done::Saved { name, .. } => format!("saved the live credential as {name}"),
        Done::Renamed { from, to, .. } => format!("renamed {from} to {to}"),
        Done::Removed { name, .. } => format!("moved {name} to the trash — u undoes"),
        Done::Restored { name, .. } => format!("restored {name}"),
        Done::Added {
            name, wrote: None, ..
        } => format!("{name} already holds exactly this credential"),
        Done::Added {
            name, verification, ..
        } => {
            let verified = match verification {
                Verification::Verified => ", JWT verified",
                Verification::Skipped => ", JWT not verified (offline)",
                Verification::NoJwt => "",
            };
            format!("added {name}{verified}")
        }
    }
}

/// The event-log lines: the files written (never a secret).
pub fn log(done: &Done) -> Vec<String> {
    let backup = |b: &Option<std::path::PathBuf>| {
        b.as_ref()
            .map(|b| format!("backed up the live file to {}", b.display()))
    };
    match done {
        Done::Switched {
            name,
            synced_back_into,
            backup: b,
            wrote,
            ..
        } => synced_back_into
            .as_ref()
            .map(|from| format!("wrote the live tokens back into account {from}"))
            .into_iter()
            .chain(backup(b))
            .chain([format!("wrote {} (account {name})", wrote.display())])
            .collect(),
        Done::ModeSet {
            mode,
            backup: b,
            wrote,
        } => backup(b)
            .into_iter()
            .chain([format!("wrote {} (auth_mode {mode})", wrote.display())])
            .collect(),
        Done::Saved { wrote, .. } | Done::Added { wrote, .. } => wrote
            .iter()
            .map(|p| format!("wrote {}", p.display()))
            .collect(),
        Done::Renamed { from, path, .. } => {
            vec![format!("renamed account {from} to {}", path.display())]
        }
        Done::Removed { name, trash } => {
            vec![format!("moved account {name} to {}", trash.display())]
        }
        Done::Restored { path, .. } => vec![format!("restored {} from the trash", path.display())],
    }
}

/// Why the app stopped when its input ended.
pub fn closed(why: &Closed) -> String {
    match why {
        Closed::ReadFailed(error) => format!("could not read the terminal: {error}"),
        Closed::Ended => "the terminal closed its input".to_string(),
        Closed::Signal(name) => format!("stopped by {name}"),
    }
}

/// Why an operation failed, in one line (the status line, and the form or prompt that asked).
pub fn failure(failure: &Failure) -> String {
    match failure {
        Failure::Store(e) => e.to_string(),
        // A file's problem is said without the "nothing was written" hint.
        Failure::Material { error, file: true } => error.message.clone(),
        Failure::Material { error, file: false } => MaterialError::one_line(error),
        Failure::NotVerified(e) => format!("{e}; nothing was added"),
        Failure::Task(e) => format!("the save task failed: {e}"),
    }
}

/// One call an operation made, for the event log (`HTTP fetch JWKS — 200 in 12 ms (add x)`).
pub fn call(op: &Op, call: &Call) -> String {
    let what = match op {
        Op::Add { name } => format!("add {name}"),
        _ => "file operation".to_string(),
    };
    match call {
        Call::Finished {
            step,
            status,
            latency,
        } => format!(
            "{} — {status} in {} ms ({what})",
            step.log_name(),
            latency.as_millis()
        ),
        Call::Failed { step, message } => {
            format!("{} — failed ({what}): {}", step.log_name(), clean(message))
        }
    }
}
