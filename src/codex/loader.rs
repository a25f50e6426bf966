//! Codex's own loader, as rules: what makes Codex 0.169/0.171 refuse an `auth.json` it reads.
//!
//! Codex deserialises the document with serde into typed structs. A member of the wrong type, a
//! missing required field, a malformed timestamp or an id_token it cannot decode rejects the
//! *whole file*, whatever mode is in force, and Codex then acts as if signed out. authdeck's
//! verdict must be the truth about what Codex does, so these rules run before anything else and
//! turn such a document into an *invalid* credential with the first reason found.
//!
//! The rules were observed against the real binaries with the corpus in `tests/parity/` (see
//! `docs/codex-parity.md`); each one is pinned there by a case.

use base64::Engine as _;
use chrono::DateTime;
use serde_json::{Map, Value};

use super::auth_file::AuthDoc;

/// The `auth_mode` strings Codex's enum accepts (anything else rejects the file).
pub const KNOWN_AUTH_MODES: [&str; 7] = [
    "apikey",
    "chatgpt",
    "chatgptAuthTokens",
    "agentIdentity",
    "personalAccessToken",
    "bedrockApiKey",
    "bedrockAccessKeys",
];

/// The JWT algorithms Codex can parse in a header (anything else fails to decode).
const KNOWN_JWT_ALGS: [&str; 12] = [
    "HS256", "HS384", "HS512", "ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "PS384",
    "PS512", "EdDSA",
];

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What a field must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// A string; absent or null is an error.
    Str,
    /// A string, null or absent.
    OptStr,
    /// A boolean; absent or null is an error.
    Bool,
    /// A boolean, null or absent.
    OptBool,
    /// An integer; absent or null is an error.
    Int,
}

fn check(map: &Map<String, Value>, at: &str, key: &str, want: Want) -> Result<(), String> {
    let v = map.get(key);
    let ok = match (want, v) {
        (Want::OptStr | Want::OptBool, None | Some(Value::Null))
        | (Want::Str | Want::OptStr, Some(Value::String(_)))
        | (Want::Bool | Want::OptBool, Some(Value::Bool(_))) => true,
        (Want::Int, Some(Value::Number(n))) => n.is_i64() || n.is_u64(),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let what = match want {
        Want::Str | Want::OptStr => "a string",
        Want::Bool | Want::OptBool => "true or false",
        Want::Int => "a whole number",
    };
    Err(match v {
        None => format!("`{at}{key}` is missing"),
        Some(other) => format!("`{at}{key}` must be {what}, found {}", kind(other)),
    })
}

fn fields(map: &Map<String, Value>, at: &str, list: &[(&str, Want)]) -> Result<(), String> {
    list.iter().try_for_each(|(k, w)| check(map, at, k, *w))
}

/// Why Codex refuses this document, if it does (the first reason found).
pub fn refusal(doc: &AuthDoc) -> Option<String> {
    refusal_of(doc.root()).err()
}

fn refusal_of(root: &Map<String, Value>) -> Result<(), String> {
    match root.get("auth_mode") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if KNOWN_AUTH_MODES.contains(&s.as_str()) => {}
        Some(Value::String(s)) => {
            return Err(format!(
                "unknown auth_mode \"{}\" (Codex knows {})",
                crate::sanitize::clean(s),
                KNOWN_AUTH_MODES.join(", ")
            ));
        }
        Some(other) => {
            return Err(format!(
                "`auth_mode` must be a string, found {}",
                kind(other)
            ));
        }
    }
    fields(
        root,
        "",
        &[
            ("OPENAI_API_KEY", Want::OptStr),
            ("personal_access_token", Want::OptStr),
        ],
    )?;
    match root.get("last_refresh") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if DateTime::parse_from_rfc3339(s).is_ok() => {}
        Some(Value::String(_)) => {
            return Err("`last_refresh` is not an RFC 3339 timestamp with a time zone".into());
        }
        Some(other) => {
            return Err(format!(
                "`last_refresh` must be a string, found {}",
                kind(other)
            ));
        }
    }
    match root.get("tokens") {
        None | Some(Value::Null) => {}
        Some(Value::Object(t)) => tokens(t)?,
        Some(other) => return Err(format!("`tokens` must be an object, found {}", kind(other))),
    }
    match root.get("agent_identity") {
        None | Some(Value::Null | Value::String(_)) => {}
        Some(Value::Object(r)) => record(r)?,
        Some(other) => {
            return Err(format!(
                "`agent_identity` must be a JWT string or a record object, found {}",
                kind(other)
            ));
        }
    }
    bedrock(root)
}

fn tokens(t: &Map<String, Value>) -> Result<(), String> {
    fields(
        t,
        "tokens.",
        &[
            ("id_token", Want::Str),
            ("access_token", Want::Str),
            ("refresh_token", Want::Str),
            ("account_id", Want::OptStr),
        ],
    )?;
    let id_token = t
        .get("id_token")
        .and_then(Value::as_str)
        .unwrap_or_default();
    id_token_claims(id_token).map_err(|e| format!("`tokens.id_token`: {e}"))
}

/// Codex decodes the id_token payload strictly: unpadded base64url, a JSON object, typed claims.
fn id_token_claims(token: &str) -> Result<(), String> {
    let mut parts = token.split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a JWT (three parts separated by '.')".into());
    };
    if payload.contains('=') {
        return Err("the payload is base64 with padding, which Codex does not decode".into());
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| "the payload is not base64url".to_string())?;
    let Ok(Value::Object(claims)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err("the payload is not a JSON object".into());
    };
    check(&claims, "", "email", Want::OptStr)?;
    if let Some(Value::Object(p)) = claims.get("https://api.openai.com/profile") {
        check(p, "profile.", "email", Want::OptStr)?;
    }
    if let Some(Value::Object(a)) = claims.get("https://api.openai.com/auth") {
        fields(
            a,
            "auth.",
            &[
                ("chatgpt_plan_type", Want::OptStr),
                ("chatgpt_user_id", Want::OptStr),
                ("user_id", Want::OptStr),
                ("chatgpt_account_id", Want::OptStr),
                ("chatgpt_account_is_fedramp", Want::OptBool),
            ],
        )?;
    }
    Ok(())
}

/// The record form of `agent_identity` (§2.3 b): Codex requires every identity field, whether
/// or not Agent Identity is the mode in force.
fn record(r: &Map<String, Value>) -> Result<(), String> {
    fields(
        r,
        "agent_identity.",
        &[
            ("agent_runtime_id", Want::Str),
            ("agent_private_key", Want::Str),
            ("account_id", Want::Str),
            ("chatgpt_user_id", Want::Str),
            ("plan_type", Want::Str),
            ("chatgpt_account_is_fedramp", Want::Bool),
            ("email", Want::OptStr),
            ("task_id", Want::OptStr),
        ],
    )
}

fn bedrock(root: &Map<String, Value>) -> Result<(), String> {
    object(
        root,
        "bedrock_api_key",
        &[("api_key", Want::Str), ("region", Want::Str)],
    )?;
    object(
        root,
        "bedrock_access_keys",
        &[
            ("access_key_id", Want::Str),
            ("secret_access_key", Want::Str),
            ("session_token", Want::OptStr),
        ],
    )
}

/// An optional object member with typed fields (unknown members are tolerated).
fn object(root: &Map<String, Value>, key: &str, list: &[(&str, Want)]) -> Result<(), String> {
    match root.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(m)) => fields(m, &format!("{key}."), list),
        Some(other) => Err(format!("`{key}` must be an object, found {}", kind(other))),
    }
}

/// Why Codex cannot use an Agent Identity JWT, judged from its header and payload alone: the
/// shape and required claims (what Codex's decoder demands) and a `kid` to look the key up by.
pub fn agent_jwt_shape(
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
) -> Option<String> {
    match header.get("alg").and_then(Value::as_str) {
        Some(alg) if KNOWN_JWT_ALGS.contains(&alg) => {}
        _ => return Some("the header's `alg` is not a signing algorithm Codex knows".into()),
    }
    if let Err(e) = fields(
        payload,
        "",
        &[
            ("iss", Want::Str),
            ("aud", Want::Str),
            ("iat", Want::Int),
            ("exp", Want::Int),
            ("agent_runtime_id", Want::Str),
            ("agent_private_key", Want::Str),
            ("account_id", Want::Str),
            ("chatgpt_user_id", Want::Str),
            ("plan_type", Want::Str),
            ("chatgpt_account_is_fedramp", Want::Bool),
            ("email", Want::OptStr),
        ],
    ) {
        return Some(format!("claim {e}"));
    }
    match header.get("kid") {
        Some(Value::String(k)) if !k.is_empty() => None,
        _ => Some("the header has no `kid`, so its signing key cannot be found".into()),
    }
}

#[cfg(test)]
mod tests;
