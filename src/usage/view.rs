//! The JSON shape of usage figures (`usage --json`, `docs/json.md`), shared by the faces.
//!
//! Times are RFC 3339 in UTC with whole seconds. Strings that came from the server or a
//! credential are passed as they are: the printer escapes them for the terminal.

use chrono::{DateTime, SecondsFormat};
use serde_json::{Value, json};

use super::figures::{remaining, window_label};
use super::{AccountUsage, Snapshot, UsageError, Window};

/// `2026-12-02T17:30:00Z`, or null for an unrepresentable time.
pub fn rfc3339(secs: i64) -> Value {
    DateTime::from_timestamp(secs, 0).map_or(Value::Null, |t| {
        Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true))
    })
}

fn opt_time(secs: Option<i64>) -> Value {
    secs.map_or(Value::Null, rfc3339)
}

/// One decimal place, so 63.49999 prints as 63.5.
fn tidy(f: f64) -> f64 {
    (f * 10.0).round() / 10.0
}

pub fn window(w: &Window) -> Value {
    json!({
        "source": w.source,
        "label": window_label(w.window_seconds),
        "window_seconds": w.window_seconds,
        "used_percent": tidy(w.used_percent),
        "remaining_percent": tidy(remaining(w)),
        "resets_at": opt_time(w.resets_at),
    })
}

pub fn error(e: &UsageError) -> Value {
    json!({
        "kind": e.kind.as_str(),
        "http_status": e.http_status,
        "message": e.message,
        "retry_after_seconds": e.retry_after_seconds,
    })
}

/// One account's entry of `usage --json`.
pub fn account(u: &AccountUsage) -> Value {
    let s: Option<&Snapshot> = u.snapshot.as_ref();
    json!({
        "name": u.name,
        "active": u.active,
        "auth_mode": u.auth_mode,
        "email": u.email,
        "plan": u.plan,
        "status": u.status.as_str(),
        "fetched_at": opt_time(u.fetched_at),
        "allowed": s.map(|s| s.allowed),
        "limit_reached": s.map(|s| s.limit_reached),
        "reached_kind": s.and_then(|s| s.reached_kind.clone()),
        "headroom_percent": u.headroom().map(tidy),
        "windows": s.map(|s| s.windows.iter().map(window).collect::<Vec<_>>()).unwrap_or_default(),
        "credits": s.and_then(|s| s.credits.as_ref()).map(|c| json!({
            "has_credits": c.has_credits,
            "unlimited": c.unlimited,
            "balance": c.balance,
        })),
        "error": u.error.as_ref().map(error),
        "note": u.note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_seconds() {
        assert_eq!(rfc3339(0), json!("1970-01-01T00:00:00Z"));
        assert_eq!(opt_time(None), Value::Null);
        assert!((tidy(63.499_999) - 63.5).abs() < 1e-9);
    }
}
