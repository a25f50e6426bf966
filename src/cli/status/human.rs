//! The human `status` output: the aligned rows, the one-line summaries (`short_line`, the final
//! line of `register`) and relative times ("in 4 min", "expired 3 h ago"). Every string from the
//! credential passes through [`clean`].

use std::fmt::Write as _;

use chrono::Utc;

use crate::codex::agent_identity::AgentForm;
use crate::codex::credential::AuthMode;
use crate::report::StatusReport;
use crate::runtime::StateKind;
use crate::sanitize::clean;

pub(crate) fn final_line(r: &StatusReport) -> String {
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
        let _ = write!(
            line,
            ": {} ({}, {})",
            clean(&e.message),
            e.kind.as_str(),
            e.class.as_str()
        );
    }
    line
}

/// The one-line prompt/status-bar form: `alice@example.com · Pro · chatgpt`.
pub fn short_line(r: &StatusReport) -> String {
    match r.state {
        StateKind::SignedOut => return "signed out".to_string(),
        StateKind::Invalid => return "invalid credential".to_string(),
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
    let mut mode = r
        .auth_mode
        .as_ref()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    match r.state {
        StateKind::Ready if r.task.is_some() => mode.push_str(" ✓"),
        StateKind::RuntimeInitFailed => mode.push_str(" ✗"),
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
    state_rows(&mut out, r);
    account_rows(&mut out, r);
    agent_rows(&mut out, r);
    for n in &r.notices {
        row(&mut out, "Note", n);
    }
    out
}

/// State, what to do next, source and auth mode.
fn state_rows(out: &mut String, r: &StatusReport) {
    let mut state = r.state_label.to_string();
    if let Some(e) = &r.error
        && r.state != StateKind::SignedOut
    {
        let _ = write!(state, ": {}", e.message);
        if r.state == StateKind::RuntimeInitFailed {
            let _ = write!(state, " ({}, {})", e.kind.as_str(), e.class.as_str());
        }
    }
    row(out, "State", &state);
    if r.state == StateKind::SignedOut
        && let Some(e) = &r.error
    {
        row(out, "Next", &e.message);
    }
    let source = match &r.source {
        crate::report::SourceReport::File { path } => format!("auth.json ({path})"),
        crate::report::SourceReport::Env { var } => format!("from environment ({var})"),
        crate::report::SourceReport::Keyring { service, account } => {
            format!("OS keyring ({service} / {account})")
        }
        crate::report::SourceReport::None => "none".to_string(),
    };
    row(out, "Source", &source);
    if let Some(mode) = &r.auth_mode {
        let others: Vec<&str> = r
            .available_modes
            .iter()
            .filter(|m| *m != mode)
            .map(AuthMode::as_str)
            .collect();
        let mut text = mode.as_str().to_string();
        if !r.auth_mode_explicit {
            text.push_str(" (resolved; auth_mode not set)");
        }
        if !others.is_empty() {
            let _ = write!(text, "; also present: {}", others.join(", "));
        }
        row(out, "Auth mode", &text);
    }
}

/// Who the credential belongs to: account, plan, API key, tokens.
fn account_rows(out: &mut String, r: &StatusReport) {
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
        row(out, "Account", &parts.join(" · "));
    }
    if let Some(p) = &r.plan {
        let kind = if p.workspace {
            "workspace account"
        } else {
            "personal"
        };
        row(out, "Plan", &format!("{} ({}; {kind})", p.display, p.raw));
    }
    if let Some(k) = &r.api_key_masked {
        row(out, "API key", k);
    }
    if let Some(t) = &r.tokens {
        let exp = t.access_token_expires_at.as_deref().map_or_else(
            || "unknown".to_string(),
            |e| format!("{e}{}", relative(e, chrono::Utc::now())),
        );
        row(out, "Access token", &format!("expires {exp}"));
        row(
            out,
            "Refreshable",
            if t.refreshable {
                "yes (refresh token present)"
            } else {
                "no"
            },
        );
        if let Some(lr) = &t.last_refresh {
            row(out, "Last refresh", lr);
        }
    }
}

/// The Agent Identity and its task.
fn agent_rows(out: &mut String, r: &StatusReport) {
    if let Some(a) = &r.agent_identity {
        row(
            out,
            "Agent",
            &format!(
                "{} ({} form)",
                a.agent_runtime_id.as_deref().unwrap_or("-"),
                a.form.as_str()
            ),
        );
        if let Some(f) = &a.key_fingerprint {
            row(out, "Key", f);
        }
        if a.form == AgentForm::Jwt {
            let exp = a.jwt_expires_at.as_deref().map_or_else(
                || "no expiry".to_string(),
                |e| format!("{e}{}", relative(e, chrono::Utc::now())),
            );
            let v = if a.jwt_verified {
                "verified"
            } else {
                "unverified"
            };
            row(out, "JWT", &format!("{v}; expires {exp}"));
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
        row(out, "Task", &text);
    }
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
