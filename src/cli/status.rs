//! `authdeck status` and `authdeck register`: the live credential (or an account) through the
//! runtime state machine.
//!
//! Both commands are [`crate::ops::status`] operations: load → analyse → (Agent Identity, online)
//! run the driver, folding every event into one runtime model. This file words the result:
//! `status` prints the report; `register` also streams each event as it happens (JSON lines
//! with `--json`). Exit codes report the state: 0 ready/offline, 3 signed out, 4 runtime init
//! failed, 5 invalid.

use crate::cli::out::{out, outln};
use std::io::Write as _;

use chrono::Local;
use serde_json::{Value, json};

use super::{CliError, CliResult, Ctx, Exit, print_json, print_json_pretty};
use crate::ops::{self, status::Subject};
use crate::runtime::{Event, EventKind, State, StateKind};
use crate::sanitize::clean;

mod human;

pub(super) use human::final_line;
pub use human::{human, short_line};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  authdeck status\n  authdeck status --json | jq .state\n  authdeck status --offline --format short   # for shell prompts"
)]
pub struct StatusArgs {
    /// Output style: `full` (default) or `short` (one line for prompts and status bars)
    #[arg(long, value_enum, default_value_t = StatusFormat::Full)]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusFormat {
    Full,
    Short,
}

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  authdeck register\n  authdeck register --account agent1 --json"
)]
pub struct RegisterArgs {
    /// Register the stored account NAME instead of the live credential
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
}

pub use crate::ops::status::Evaluated;

/// The exit code for a state.
pub fn exit_for(state: &State) -> Exit {
    match state {
        State::Ready | State::Offline | State::Loading { .. } => Exit::Ok,
        State::SignedOut => Exit::SignedOut,
        State::RuntimeInitFailed(_) => Exit::RuntimeInitFailed,
        State::Invalid { .. } => Exit::Invalid,
    }
}

/// Resolves `--account NAME` and, when it was not typed exactly, says which account was meant
/// (on stderr: the stdout of `header` and `register` is data).
pub fn subject(ctx: &Ctx, account: Option<&str>) -> Result<Subject, CliError> {
    let subject = ops::status::subject(ctx, account)?;
    if let Some(resolved) = subject.resolved() {
        super::pick::note_always(resolved);
    }
    Ok(subject)
}

/// `authdeck status`.
pub fn status(ctx: &Ctx, args: &StatusArgs) -> CliResult {
    let ev = ops::status::status(ctx)?;
    let report = ev.report();
    if ctx.json {
        print_json_pretty(&report);
    } else if args.format == StatusFormat::Short {
        outln!("{}", short_line(&report));
    } else {
        out!("{}", human(&report));
    }
    Ok(exit_for(&ev.model.state))
}

/// `authdeck register`.
pub fn register(ctx: &Ctx, args: &RegisterArgs) -> CliResult {
    let json = ctx.json;
    let print_event = |ev: &Event| {
        if json {
            print_json(&event_json(ev));
        } else if let Some(line) = event_line(ev) {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    };
    ops::status::register_allowed(ctx)?;
    let subject = subject(ctx, args.account.as_deref())?;
    let ev = ops::status::register(ctx, &subject, &print_event)?;
    let report = ev.report();
    if json {
        let mut v = serde_json::to_value(&report).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("type".into(), json!("result"));
        }
        print_json(&v);
    } else {
        if ev.loaded.agent_to_init().is_none() && report.state == StateKind::Ready {
            outln!(
                "nothing to register: auth mode {} needs no runtime init",
                clean(report.auth_mode.as_ref().map_or("-", |m| m.as_str()))
            );
        }
        outln!("{}", final_line(&report));
    }
    Ok(exit_for(&ev.model.state))
}

fn millis(d: std::time::Duration) -> u128 {
    d.as_millis()
}

/// One JSON line per event (`register --json`).
pub fn event_json(ev: &Event) -> Value {
    let at = ev.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut v = match &ev.kind {
        EventKind::Started { step } => json!({"event": "started", "step": step}),
        EventKind::Attempt { step, attempt, of } => {
            json!({"event": "attempt", "step": step, "attempt": attempt, "of": of})
        }
        EventKind::AttemptFailed {
            step,
            attempt,
            of,
            status,
            latency,
            class,
            message,
            retry_in,
        } => json!({
            "event": "attempt_failed", "step": step, "attempt": attempt, "of": of, "status": status,
            "latency_ms": millis(*latency), "class": class, "message": message,
            "retry_in_ms": retry_in.map(millis),
        }),
        EventKind::Finished {
            step,
            status,
            latency,
        } => json!({
            "event": "finished", "step": step, "status": status, "latency_ms": millis(*latency),
        }),
        EventKind::TaskReused => json!({"event": "task_reused"}),
        EventKind::Done(_) => json!({"event": "done"}),
    };
    if let Value::Object(m) = &mut v {
        m.insert("schema_version".into(), json!(1));
        m.insert("type".into(), json!("event"));
        m.insert("at".into(), json!(at));
    }
    v
}

/// One human line per event (`register`).
pub fn event_line(ev: &Event) -> Option<String> {
    let t = ev.at.with_timezone(&Local).format("%H:%M:%S%.3f");
    let line = match &ev.kind {
        EventKind::Started { .. } | EventKind::Done(_) => return None,
        EventKind::Attempt { step, attempt, of } => {
            format!("{t}  {:<14} attempt {attempt}/{of}", step.label())
        }
        EventKind::AttemptFailed {
            step,
            status,
            latency,
            class,
            message,
            retry_in,
            ..
        } => {
            let status = status.map(|s| format!("HTTP {s}  ")).unwrap_or_default();
            let retry = retry_in
                .map(|d| format!(", retrying in {:.1} s", d.as_secs_f64()))
                .unwrap_or_default();
            format!(
                "{t}  {:<14} failed  {status}{} ms  {}{retry}: {}",
                step.label(),
                millis(*latency),
                class.as_str(),
                clean(message)
            )
        }
        EventKind::Finished {
            step,
            status,
            latency,
        } => {
            let status = status.map(|s| format!("HTTP {s}  ")).unwrap_or_default();
            format!(
                "{t}  {:<14} ok      {status}{} ms",
                step.label(),
                millis(*latency)
            )
        }
        EventKind::TaskReused => format!(
            "{t}  {:<14} reusing the task id stored with the identity",
            "register task"
        ),
    };
    Some(line)
}
