//! The two things an Agent Identity signs (docs/codex-formats.md §4.2 and §4.5).
//!
//! * Task registration: `{"timestamp","signature"}` where the signature covers
//!   `"<agent_runtime_id>:<timestamp>"`.
//! * The `AgentAssertion` header: base64url (no padding) of compact JSON with exactly the keys
//!   `agent_runtime_id`, `signature`, `task_id`, `timestamp` in that order, the signature covering
//!   `"<agent_runtime_id>:<task_id>:<timestamp>"`.
//!
//! The server compares bytes, so key order and formatting matter; both are pinned by the
//! byte-exact vectors in the tests. The assertion is built for every outgoing request, so it is
//! written straight into one preallocated buffer (`serde_json` is used only to escape strings):
//! a header costs little more than the Ed25519 signature itself. The clock is a parameter, so
//! everything here is pure.
//!
//! The signed payload and the envelope carry the task id, so both are wiped on drop; the header
//! is sized exactly, so it becomes a [`Secret`] without another copy.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};

use super::agent_key::AgentKey;
use crate::secret::{Secret, Zeroizing};

/// RFC 3339 in UTC with whole seconds and `Z`: `2026-04-23T00:00:00Z`.
pub fn format_timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The task-registration request body. Serialises as `{"timestamp":…,"signature":…}`.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct RegistrationBody {
    pub timestamp: String,
    pub signature: String,
}

/// Signs `"<runtime_id>:<timestamp>"` for `POST …/v1/agent/<id>/task/register`.
pub fn registration_body(runtime_id: &str, key: &AgentKey, now: DateTime<Utc>) -> RegistrationBody {
    let timestamp = format_timestamp(now);
    let signature = key.sign_base64(format!("{runtime_id}:{timestamp}").as_bytes());
    RegistrationBody {
        timestamp,
        signature,
    }
}

/// The `AgentAssertion` token: base64url without padding of the compact envelope JSON.
pub fn assertion_token(
    runtime_id: &str,
    task_id: &str,
    key: &AgentKey,
    now: DateTime<Utc>,
) -> Secret {
    Secret::new(URL_SAFE_NO_PAD.encode(envelope_json(runtime_id, task_id, key, now).as_slice()))
}

/// `AgentAssertion <token>`, the full `Authorization` value.
pub fn assertion_header_value(
    runtime_id: &str,
    task_id: &str,
    key: &AgentKey,
    now: DateTime<Utc>,
) -> Secret {
    let json = envelope_json(runtime_id, task_id, key, now);
    let prefix = "AgentAssertion ";
    let encoded = base64::encoded_len(json.len(), false).unwrap_or(json.len().div_ceil(3) * 4);
    let mut out = String::with_capacity(prefix.len() + encoded);
    out.push_str(prefix);
    URL_SAFE_NO_PAD.encode_string(json.as_slice(), &mut out);
    Secret::new(out)
}

/// `{"agent_runtime_id":…,"signature":…,"task_id":…,"timestamp":…}`, compact, in that order.
fn envelope_json(
    runtime_id: &str,
    task_id: &str,
    key: &AgentKey,
    now: DateTime<Utc>,
) -> Zeroizing<Vec<u8>> {
    let timestamp = format_timestamp(now);
    let mut payload = Zeroizing::new(String::with_capacity(
        runtime_id.len() + task_id.len() + timestamp.len() + 2,
    ));
    payload.push_str(runtime_id);
    payload.push(':');
    payload.push_str(task_id);
    payload.push(':');
    payload.push_str(&timestamp);
    let signature = key.sign_base64(payload.as_bytes());

    let mut json = Zeroizing::new(Vec::with_capacity(payload.len() + signature.len() + 80));
    json.extend_from_slice(b"{\"agent_runtime_id\":");
    push_json_string(&mut json, runtime_id);
    json.extend_from_slice(b",\"signature\":");
    push_json_string(&mut json, &signature);
    json.extend_from_slice(b",\"task_id\":");
    push_json_string(&mut json, task_id);
    json.extend_from_slice(b",\"timestamp\":");
    push_json_string(&mut json, &timestamp);
    json.push(b'}');
    json
}

/// Appends `s` as a JSON string literal. Plain ASCII (the usual case) is copied as is; anything
/// that might need escaping goes through `serde_json`, which cannot fail for a `&str`.
fn push_json_string(out: &mut Vec<u8>, s: &str) {
    let plain = s
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    if plain {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else if serde_json::to_writer(&mut *out, s).is_err() {
        // Unreachable for strings; keep the output valid JSON regardless.
        out.extend_from_slice(b"\"\"");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use chrono::TimeZone as _;

    const REG_SIG: &str =
        "3HXOrVnOX7USh8WvXXCZnUyrvwUdaWFME6ZQv+foYCmk7QXzPpNPLR/Qe26X9XkHB2SGAZjnOifmm39FXjdACA==";
    const ASSERT_SIG: &str =
        "+GlrOKR/FHxxhkmOhg5hj19+5O7hM2MgxNrgTfRgIX8CYn13AJESv5yXkwwUC9jDd8cvQRMu1f8Pybf6/LBgDw==";
    const HEADER: &str = "AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoiYWdlbnQtMTIzIiwic2lnbmF0dXJlIjoiK0dsck9LUi9GSHh4aGttT2hnNWhqMTkrNU83aE0yTWd4TnJnVGZSZ0lYOENZbjEzQUpFU3Y1eVhrd3dVQzlqRGQ4Y3ZRUk11MWY4UHliZjYvTEJnRHc9PSIsInRhc2tfaWQiOiJ0YXNrLTEyMyIsInRpbWVzdGFtcCI6IjIwMjYtMDQtMjNUMDA6MDA6MDBaIn0";

    fn key7() -> AgentKey {
        AgentKey::from_seed([7u8; 32])
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 23, 0, 0, 0).unwrap()
    }

    #[test]
    fn timestamp_is_whole_seconds_with_z() {
        assert_eq!(format_timestamp(t0()), "2026-04-23T00:00:00Z");
        let with_nanos = t0() + chrono::Duration::nanoseconds(987_654_321);
        assert_eq!(format_timestamp(with_nanos), "2026-04-23T00:00:00Z");
    }

    #[test]
    fn registration_vector() {
        let body = registration_body("agent-123", &key7(), t0());
        assert_eq!(body.signature, REG_SIG);
        assert_eq!(
            key7().sign_base64(b"agent-123:2026-04-23T00:00:00Z"),
            REG_SIG
        );
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            format!(r#"{{"timestamp":"2026-04-23T00:00:00Z","signature":"{REG_SIG}"}}"#)
        );
    }

    #[test]
    fn assertion_vector() {
        let envelope = envelope_json("agent-123", "task-123", &key7(), t0());
        assert_eq!(
            String::from_utf8(envelope.to_vec()).unwrap(),
            format!(
                r#"{{"agent_runtime_id":"agent-123","signature":"{ASSERT_SIG}","task_id":"task-123","timestamp":"2026-04-23T00:00:00Z"}}"#
            )
        );
        let header = assertion_header_value("agent-123", "task-123", &key7(), t0());
        assert_eq!(header.expose(), HEADER);
        let token = assertion_token("agent-123", "task-123", &key7(), t0());
        assert_eq!(format!("AgentAssertion {}", token.expose()), HEADER);
        assert!(!format!("{token:?}").contains("eyJhZ2Vu"));
    }

    #[test]
    fn awkward_ids_still_produce_valid_json_with_a_matching_signature() {
        let runtime = "agent \"quoted\" \\ back\nslash é \u{1}";
        let task = "task/\"x\"";
        let token = assertion_token(runtime, task, &key7(), t0());
        let json = URL_SAFE_NO_PAD.decode(token.expose()).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["agent_runtime_id"], runtime);
        assert_eq!(value["task_id"], task);
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["agent_runtime_id", "signature", "task_id", "timestamp"]
        );
        let sig = value["signature"].as_str().unwrap();
        assert_eq!(STANDARD.decode(sig).unwrap().len(), 64);
        let payload = format!("{runtime}:{task}:2026-04-23T00:00:00Z");
        assert!(crate::codex::agent_key::verify_signature_base64(
            &key7().public_key_bytes(),
            payload.as_bytes(),
            sig
        ));
    }
}
