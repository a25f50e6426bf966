//! `authdeck status` and `authdeck register`: the live credential (or an account) through the
//! runtime state machine.
//!
//! Both commands run the same [`evaluate`]: load → analyse → (Agent Identity, online) run the
//! driver, folding every event into one [`RuntimeModel`]. `status` prints the resulting report;
//! `register` also streams each event as it happens (JSON lines with `--json`). Exit codes
//! report the state: 0 ready/offline, 3 signed out, 4 runtime init failed, 5 invalid.

use crate::cli::out::{out, outln};
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Mutex;

use chrono::{Local, Utc};
use serde_json::{Value, json};

use super::{CliError, CliResult, Ctx, Exit, print_json, print_json_pretty};
use crate::report::StatusReport;
use crate::runtime::driver::{RetryPolicy, backend_for_home, fail_now, init_agent};
use crate::runtime::load::Loaded;
use crate::runtime::{Event, EventKind, RuntimeModel, State};
use crate::sanitize::clean;
use crate::store::{self, Live, Source};

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

/// A credential and the state its runtime reached.
pub struct Evaluated {
    pub loaded: Loaded,
    pub model: RuntimeModel,
}

impl Evaluated {
    pub fn report(&self) -> StatusReport {
        self.loaded.report(&self.model)
    }
}

/// The exit code for a state.
pub fn exit_for(state: &State) -> Exit {
    match state {
        State::Ready | State::Offline | State::Loading { .. } => Exit::Ok,
        State::SignedOut => Exit::SignedOut,
        State::RuntimeInitFailed(_) => Exit::RuntimeInitFailed,
        State::Invalid { .. } => Exit::Invalid,
    }
}

/// Reads the live credential, or the stored account `name`.
pub fn load(ctx: &Ctx, account: Option<&str>) -> Result<Loaded, CliError> {
    let paths = ctx.paths()?;
    let live = store::read_live(&paths, &ctx.env.as_fn());
    let Some(typed) = account else {
        return Ok(Loaded::from_live(&live));
    };
    let resolved = store::resolve_account(&paths, typed)?;
    super::pick::note_always(&resolved);
    let name = resolved.name.as_str();
    let path = paths.store.join(format!("{name}.json"));
    let file = store::read_doc_file(&path);
    if !file.exists() {
        return Err(CliError::new(format!(
            "no account named \"{}\" in {}",
            clean(name),
            paths.store.display()
        ))
        .with_hint("`authdeck list` shows the saved accounts"));
    }
    Ok(Loaded::from_live(&Live {
        source: Source::File { path },
        env_token: None,
        file,
        store_kind: live.store_kind,
        config: live.config,
        keyring: None,
        exec_api_key: false,
    }))
}

/// Loads and runs the runtime init (unless offline), reporting each event to `on_event`.
pub fn evaluate(
    ctx: &Ctx,
    account: Option<&str>,
    on_event: &(dyn Fn(&Event) + Send + Sync),
) -> Result<Evaluated, CliError> {
    let loaded = load(ctx, account)?;
    let model = loaded.initial_model(ctx.offline, Utc::now(), None);
    let Some(identity) = loaded.agent_to_init().filter(|_| model.busy()).cloned() else {
        return Ok(Evaluated { loaded, model });
    };
    let model = Mutex::new(model);
    let sink = |ev: Event| {
        on_event(&ev);
        if let Ok(mut m) = model.lock() {
            m.apply(&ev);
        }
    };
    match backend_for_home(&ctx.env.as_fn(), ctx.config_toml().as_deref(), ctx.timeout) {
        Ok(backend) => {
            let rt = super::tokio_runtime()?;
            rt.block_on(init_agent(
                &identity,
                &backend,
                &RetryPolicy::default(),
                &sink,
            ));
        }
        Err(e) => {
            fail_now(&sink, e);
        }
    }
    let model = model
        .into_inner()
        .map_err(|_| CliError::new("internal error: the runtime state was poisoned"))?;
    Ok(Evaluated { loaded, model })
}

/// `authdeck status`.
pub fn status(ctx: &Ctx, args: &StatusArgs) -> CliResult {
    let ev = evaluate(ctx, None, &|_| {})?;
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
    if ctx.offline {
        return Err(
            CliError::new("register needs the network, but --offline was given")
                .exit(super::Exit::Usage),
        );
    }
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
    let ev = evaluate(ctx, args.account.as_deref(), &print_event)?;
    let report = ev.report();
    if json {
        let mut v = serde_json::to_value(&report).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("type".into(), json!("result"));
        }
        print_json(&v);
    } else {
        if ev.loaded.agent_to_init().is_none() && report.state == "ready" {
            outln!(
                "nothing to register: auth mode {} needs no runtime init",
                clean(report.auth_mode.as_deref().unwrap_or("-"))
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

fn final_line(r: &StatusReport) -> String {
    let mut line = r.state_label.to_string();
    if let Some(t) = &r.task
        && let Some(id) = &t.task_id_masked
    {
        let _ = write!(line, " — task {}", clean(id));
        if t.attempts > 0 {
            let _ = write!(line, " (attempt {}", t.attempts);
            if let Some(ms) = t.latency_ms {
                let _ = write!(line, ", {ms} ms");
            }
            line.push(')');
        }
    }
    if let Some(e) = &r.error {
        let _ = write!(line, ": {} ({}, {})", clean(&e.message), e.kind, e.class);
    }
    line
}

/// The one-line prompt/status-bar form: `alice@example.com · Pro · chatgpt`.
pub fn short_line(r: &StatusReport) -> String {
    match r.state {
        "signed_out" => return "signed out".to_string(),
        "invalid" => return "invalid credential".to_string(),
        _ => {}
    }
    let who = r
        .account
        .as_ref()
        .and_then(|a| a.email.clone())
        .or_else(|| {
            r.agent_identity
                .as_ref()
                .and_then(|a| a.agent_runtime_id.clone())
        })
        .or_else(|| r.api_key_masked.clone())
        .unwrap_or_else(|| "-".to_string());
    let mut parts = vec![clean(&who).into_owned()];
    if let Some(p) = &r.plan {
        parts.push(clean(&p.display).into_owned());
    }
    let mut mode = r.auth_mode.clone().unwrap_or_default();
    match r.state {
        "ready" if r.task.is_some() => mode.push_str(" ✓"),
        "runtime_init_failed" => mode.push_str(" ✗"),
        _ => {}
    }
    parts.push(clean(&mode).into_owned());
    parts.join(" · ")
}

fn row(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "{label:<13}{}", clean(value));
}

/// ` (in 4 min)` / ` (expired 3 h ago)` for an RFC 3339 time, or nothing if it does not parse.
fn relative(rfc3339: &str, now: chrono::DateTime<Utc>) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return String::new();
    };
    let secs = (t.with_timezone(&Utc) - now).num_seconds();
    let span = |s: i64| match s {
        s if s < 90 => format!("{s} s"),
        s if s < 90 * 60 => format!("{} min", s / 60),
        s if s < 48 * 3600 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    };
    if secs >= 0 {
        format!(" (in {})", span(secs))
    } else {
        format!(" (expired {} ago)", span(-secs))
    }
}

/// The full human status.
pub fn human(r: &StatusReport) -> String {
    let mut out = String::new();
    let mut state = r.state_label.to_string();
    if let Some(e) = &r.error
        && r.state != "signed_out"
    {
        let _ = write!(state, ": {}", e.message);
        if r.state == "runtime_init_failed" {
            let _ = write!(state, " ({}, {})", e.kind, e.class);
        }
    }
    row(&mut out, "State", &state);
    if r.state == "signed_out"
        && let Some(e) = &r.error
    {
        row(&mut out, "Next", &e.message);
    }
    let source = match &r.source {
        crate::report::SourceReport::File { path } => format!("auth.json ({path})"),
        crate::report::SourceReport::Env { var } => format!("from environment ({var})"),
        crate::report::SourceReport::Keyring { service, account } => {
            format!("OS keyring ({service} / {account})")
        }
        crate::report::SourceReport::None => "none".to_string(),
    };
    row(&mut out, "Source", &source);
    if let Some(mode) = &r.auth_mode {
        let others: Vec<&str> = r
            .available_modes
            .iter()
            .map(String::as_str)
            .filter(|m| m != mode)
            .collect();
        let mut text = mode.clone();
        if !r.auth_mode_explicit {
            text.push_str(" (resolved; auth_mode not set)");
        }
        if !others.is_empty() {
            let _ = write!(text, "; also present: {}", others.join(", "));
        }
        row(&mut out, "Auth mode", &text);
    }
    if let Some(a) = &r.account {
        let mut parts = Vec::new();
        parts.push(a.email.clone().unwrap_or_else(|| "(no email)".into()));
        if let Some(u) = &a.chatgpt_user_id {
            parts.push(format!("user {u}"));
        }
        if let Some(w) = &a.account_id {
            parts.push(format!("workspace {w}"));
        }
        if a.fedramp {
            parts.push("FedRAMP".into());
        }
        row(&mut out, "Account", &parts.join(" · "));
    }
    if let Some(p) = &r.plan {
        let kind = if p.workspace {
            "workspace account"
        } else {
            "personal"
        };
        row(
            &mut out,
            "Plan",
            &format!("{} ({}; {kind})", p.display, p.raw),
        );
    }
    if let Some(k) = &r.api_key_masked {
        row(&mut out, "API key", k);
    }
    if let Some(t) = &r.tokens {
        let exp = t.access_token_expires_at.as_deref().map_or_else(
            || "unknown".to_string(),
            |e| format!("{e}{}", relative(e, chrono::Utc::now())),
        );
        row(&mut out, "Access token", &format!("expires {exp}"));
        row(
            &mut out,
            "Refreshable",
            if t.refreshable {
                "yes (refresh token present)"
            } else {
                "no"
            },
        );
        if let Some(lr) = &t.last_refresh {
            row(&mut out, "Last refresh", lr);
        }
    }
    if let Some(a) = &r.agent_identity {
        row(
            &mut out,
            "Agent",
            &format!(
                "{} ({} form)",
                a.agent_runtime_id.as_deref().unwrap_or("-"),
                a.form
            ),
        );
        if let Some(f) = &a.key_fingerprint {
            row(&mut out, "Key", f);
        }
        if a.form == "jwt" {
            let exp = a
                .jwt_expires_at
                .clone()
                .unwrap_or_else(|| "no expiry".into());
            let v = if a.jwt_verified {
                "verified"
            } else {
                "unverified"
            };
            row(&mut out, "JWT", &format!("{v}; expires {exp}"));
        }
    }
    if let Some(t) = &r.task {
        let mut text = t.status.as_str().to_string();
        if let Some(id) = &t.task_id_masked {
            let _ = write!(text, " {id}");
        }
        if t.reused {
            text.push_str(" (stored with the identity)");
        } else if t.attempts > 0 {
            let _ = write!(text, " after {} attempt(s)", t.attempts);
            if let Some(ms) = t.latency_ms {
                let _ = write!(text, ", {ms} ms");
            }
        }
        row(&mut out, "Task", &text);
    }
    for n in &r.notices {
        row(&mut out, "Note", n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn relative_times_read_naturally() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
            .single()
            .expect("time");
        assert_eq!(relative("2026-11-21T12:04:00Z", now), " (in 4 min)");
        assert_eq!(relative("2026-11-21T09:00:00Z", now), " (expired 3 h ago)");
        assert_eq!(relative("2026-11-21T12:00:30Z", now), " (in 30 s)");
        assert_eq!(relative("2026-12-01T12:00:00Z", now), " (in 10 days)");
        assert_eq!(relative("not a time", now), "");
    }
}
