//! A masked, top-level diff between two credential documents: what a switch or a mode change
//! will change, safe to show on screen and in JSON.
//!
//! Values are masked by meaning: API keys as `codex login status` masks them, any other string
//! (tokens, JWTs, unknown keys that may be secrets) with [`mask_middle`], plain settings
//! (`auth_mode`, `last_refresh`, numbers, booleans, null) shown as they are, and objects
//! summarised (`tokens` by the account they log in, an agent record by its runtime id). Members
//! are compared by value, so two different tokens that happen to mask alike still show up.

use serde::Serialize;
use serde_json::Value;

use crate::codex::auth_file::AuthDoc;
use crate::codex::claims::IdTokenClaims;
use crate::sanitize::clean;
use crate::secret::{mask_api_key, mask_middle};

/// One top-level member that differs. `None` = absent on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The members that differ between `before` (the live document, if any) and `after`, in the
/// order of `after` followed by members only `before` has.
pub fn diff(before: Option<&AuthDoc>, after: &AuthDoc) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let b = before.map_or(&empty, AuthDoc::root);
    let a = after.root();
    let mut out = Vec::new();
    for (k, av) in a {
        let bv = b.get(k);
        if bv != Some(av) {
            out.push(FieldChange {
                key: clean(k).into_owned(),
                before: bv.map(|v| mask_value(k, v)),
                after: Some(mask_value(k, av)),
            });
        }
    }
    for (k, bv) in b {
        if !a.contains_key(k) {
            out.push(FieldChange {
                key: clean(k).into_owned(),
                before: Some(mask_value(k, bv)),
                after: None,
            });
        }
    }
    out
}

/// A member's value as it may be shown.
pub fn mask_value(key: &str, value: &Value) -> String {
    let shown = match (key, value) {
        (_, Value::Null) => "null".to_string(),
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Number(n)) => n.to_string(),
        ("auth_mode" | "last_refresh", Value::String(s)) => s.clone(),
        ("OPENAI_API_KEY", Value::String(s)) => mask_api_key(s),
        (_, Value::String(s)) => mask_middle(s),
        ("tokens", Value::Object(t)) => summarise_tokens(t),
        ("agent_identity", Value::Object(r)) => match r.get("agent_runtime_id") {
            Some(Value::String(id)) => format!("agent identity record (runtime {id})"),
            _ => format!("unrecognised agent identity object ({} keys)", r.len()),
        },
        (_, Value::Object(o)) => format!("{{…}} ({} keys)", o.len()),
        (_, Value::Array(a)) => format!("[…] ({} items)", a.len()),
    };
    clean(&shown).into_owned()
}

fn summarise_tokens(t: &serde_json::Map<String, Value>) -> String {
    let claims = t
        .get("id_token")
        .and_then(Value::as_str)
        .and_then(|id| IdTokenClaims::from_id_token(id).ok());
    let who = claims.as_ref().and_then(|c| c.email.clone());
    let plan = claims
        .as_ref()
        .and_then(|c| c.plan.as_ref())
        .map(|p| p.display().to_string());
    match (who, plan) {
        (Some(w), Some(p)) => format!("ChatGPT tokens for {w} ({p})"),
        (Some(w), None) => format!("ChatGPT tokens for {w}"),
        _ => format!("ChatGPT tokens ({} keys)", t.len()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::codex::fixtures::{self, ChatgptSpec};

    #[test]
    fn switching_key_to_login_shows_masked_changes() {
        let key = fixtures::api_key_doc("sk-test-1234567890abcdef");
        let login = fixtures::chatgpt_doc(&ChatgptSpec::default());
        let d = diff(Some(&key), &login);
        let get = |k: &str| d.iter().find(|c| c.key == k).cloned();
        assert_eq!(
            get("auth_mode"),
            Some(FieldChange {
                key: "auth_mode".into(),
                before: Some("apikey".into()),
                after: Some("chatgpt".into()),
            })
        );
        let api = get("OPENAI_API_KEY").expect("changed");
        assert_eq!(api.before.as_deref(), Some("sk-test-***bcdef"));
        assert_eq!(api.after.as_deref(), Some("null"));
        let tokens = get("tokens").expect("added");
        assert_eq!(tokens.before, None);
        assert_eq!(
            tokens.after.as_deref(),
            Some("ChatGPT tokens for user@example.com (Pro)")
        );
        assert!(get("last_refresh").is_some());
        let text = serde_json::to_string(&d).expect("json");
        assert!(!text.contains("1234567890"), "{text}");
        assert!(!text.contains("rt_fake"), "{text}");
    }

    #[test]
    fn identical_documents_have_no_changes_and_removed_keys_show() {
        let key = fixtures::api_key_doc("sk-test-1234567890abcdef");
        assert!(diff(Some(&key), &key).is_empty());
        let plain = AuthDoc::parse(br#"{"auth_mode":"apikey","OPENAI_API_KEY":"sk-test-1234567890abcdef","x":"\u001b[2Jsecret-ish-value"}"#)
            .expect("parses");
        let d = diff(Some(&plain), &key);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key, "x");
        assert_eq!(d[0].after, None);
        let shown = d[0].before.clone().unwrap_or_default();
        assert!(
            !shown.contains('\x1b') && !shown.contains("secret-ish"),
            "{shown}"
        );
    }

    #[test]
    fn values_are_masked_by_meaning() {
        assert_eq!(
            mask_value("agent_identity", &json!("eyJhbGciOi.payload.signature")),
            "eyJh…ture"
        );
        assert_eq!(
            mask_value(
                "agent_identity",
                &json!({"agent_runtime_id": "rt-1", "agent_private_key": "k"})
            ),
            "agent identity record (runtime rt-1)"
        );
        assert_eq!(mask_value("extra", &json!([1, 2])), "[…] (2 items)");
        assert_eq!(mask_value("n", &json!(3)), "3");
        assert_eq!(
            mask_value("last_refresh", &json!("2026-01-01T00:00:00Z")),
            "2026-01-01T00:00:00Z"
        );
    }
}
