//! A lenient reading of the usage answer.
//!
//! The backend's answer is read field by field from a `serde_json::Value` rather than through a
//! strict serde struct: every field may be absent or null, numbers arrive as integers or floats
//! (and, from some proxies, as numeric strings), and `balance` is a string or a number. A field
//! of the wrong type is treated as absent. Only a body that is not a JSON object at all is a
//! bad response: an object without `rate_limit` simply has no windows.

use serde_json::{Map, Value};

use super::{Credits, Snapshot, Window};

/// The figures of one answer. `now` (Unix seconds) turns `reset_after_seconds` into a time when
/// `reset_at` is missing.
pub fn decode(body: &[u8], now: i64) -> Result<Snapshot, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "the answer is not JSON".to_string())?;
    let Value::Object(root) = value else {
        return Err("the answer is not a JSON object".to_string());
    };
    let mut snap = Snapshot {
        plan_type: string(root.get("plan_type")),
        reached_kind: root
            .get("rate_limit_reached_type")
            .and_then(Value::as_object)
            .and_then(|o| string(o.get("kind"))),
        credits: root.get("credits").and_then(Value::as_object).map(credits),
        ..Snapshot::default()
    };
    if let Some(rl) = root.get("rate_limit").and_then(Value::as_object) {
        snap.allowed = rl.get("allowed").and_then(Value::as_bool).unwrap_or(true);
        snap.limit_reached = rl
            .get("limit_reached")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        push_windows(&mut snap.windows, rl, None, now);
    }
    if let Some(extra) = root.get("additional_rate_limits").and_then(Value::as_array) {
        for (i, limit) in extra.iter().filter_map(Value::as_object).enumerate() {
            let name = string(limit.get("limit_name"))
                .or_else(|| string(limit.get("metered_feature")))
                .unwrap_or_else(|| format!("additional-{}", i + 1));
            if let Some(rl) = limit.get("rate_limit").and_then(Value::as_object) {
                push_windows(&mut snap.windows, rl, Some(&name), now);
            }
        }
    }
    Ok(snap)
}

fn push_windows(out: &mut Vec<Window>, rl: &Map<String, Value>, name: Option<&str>, now: i64) {
    for slot in ["primary", "secondary"] {
        let Some(w) = rl.get(&format!("{slot}_window")).and_then(Value::as_object) else {
            continue;
        };
        let resets_at = integer(w.get("reset_at")).or_else(|| {
            integer(w.get("reset_after_seconds")).map(|after| now.saturating_add(after.max(0)))
        });
        out.push(Window {
            source: name.map_or_else(|| slot.to_string(), str::to_string),
            main: name.is_none(),
            window_seconds: integer(w.get("limit_window_seconds")).filter(|s| *s > 0),
            used_percent: number(w.get("used_percent")).unwrap_or(0.0),
            resets_at,
        });
    }
}

fn credits(o: &Map<String, Value>) -> Credits {
    Credits {
        has_credits: o
            .get("has_credits")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        unlimited: o.get("unlimited").and_then(Value::as_bool).unwrap_or(false),
        balance: match o.get("balance") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        },
    }
}

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A finite number from a JSON number or a numeric string.
fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

/// An integer from a JSON integer, a float (truncated) or a numeric string.
fn integer(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 9.0e15)
                .map(|f| {
                    #[allow(clippy::cast_possible_truncation)]
                    let i = f.trunc() as i64;
                    i
                })
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dec(v: &Value) -> Snapshot {
        decode(v.to_string().as_bytes(), 1_000).unwrap()
    }

    #[test]
    fn full_answer() {
        let s = dec(&json!({
            "plan_type": "pro",
            "rate_limit": {
                "allowed": true, "limit_reached": false,
                "primary_window": {"used_percent": 42, "limit_window_seconds": 18000,
                                   "reset_after_seconds": 6000, "reset_at": 1_796_233_655},
                "secondary_window": {"used_percent": 63.5, "limit_window_seconds": 604_800,
                                     "reset_after_seconds": 201_600}
            },
            "credits": {"has_credits": true, "unlimited": false, "balance": "12.50"},
            "additional_rate_limits": [
                {"limit_name": "codex-other", "metered_feature": "x",
                 "rate_limit": {"primary_window": {"used_percent": 10, "limit_window_seconds": 3600}, "secondary_window": null}}
            ],
            "rate_limit_reached_type": {"kind": "rate_limit_reached"}
        }));
        assert_eq!(s.plan_type.as_deref(), Some("pro"));
        assert_eq!(s.reached_kind.as_deref(), Some("rate_limit_reached"));
        assert_eq!(s.windows.len(), 3);
        assert_eq!(s.windows[0].source, "primary");
        assert_eq!(s.windows[0].used_percent, 42.0);
        assert_eq!(s.windows[0].resets_at, Some(1_796_233_655));
        assert_eq!(s.windows[1].used_percent, 63.5);
        assert_eq!(s.windows[1].resets_at, Some(1_000 + 201_600));
        assert!(!s.windows[2].main);
        assert_eq!(s.windows[2].source, "codex-other");
        assert_eq!(s.windows[2].resets_at, None);
        let c = s.credits.unwrap();
        assert!(c.has_credits && !c.unlimited);
        assert_eq!(c.balance.as_deref(), Some("12.50"));
    }

    #[test]
    fn everything_may_be_absent_or_null() {
        let s = dec(&json!({}));
        assert_eq!(s, Snapshot::default());
        let s = dec(
            &json!({"plan_type": null, "rate_limit": null, "credits": null,
                            "additional_rate_limits": null, "rate_limit_reached_type": null}),
        );
        assert_eq!(s, Snapshot::default());
        let s = dec(&json!({"rate_limit": {"primary_window": {}, "secondary_window": null}}));
        assert_eq!(s.windows.len(), 1);
        assert_eq!(s.windows[0].used_percent, 0.0);
        assert_eq!(s.windows[0].window_seconds, None);
        assert!(s.allowed && !s.limit_reached);
    }

    #[test]
    fn numbers_in_any_form_and_wrong_types_ignored() {
        let s = dec(&json!({
            "rate_limit": {"allowed": "yes", "primary_window":
                {"used_percent": "17.5", "limit_window_seconds": 18000.0, "reset_at": "77"}},
            "credits": {"balance": 3.25, "has_credits": 1}
        }));
        assert!(s.allowed, "a non-boolean allowed is treated as absent");
        assert_eq!(s.windows[0].used_percent, 17.5);
        assert_eq!(s.windows[0].window_seconds, Some(18000));
        assert_eq!(s.windows[0].resets_at, Some(77));
        let c = s.credits.unwrap();
        assert_eq!(c.balance.as_deref(), Some("3.25"));
        assert!(!c.has_credits);
    }

    #[test]
    fn non_objects_are_bad_responses() {
        assert!(decode(b"<html>502</html>", 0).is_err());
        assert!(decode(b"[1,2]", 0).is_err());
        assert!(decode(b"", 0).is_err());
    }
}
