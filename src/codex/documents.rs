//! The credential documents Codex itself writes, built from their material — the one place
//! that knows their shape (docs/codex-formats.md §2): `codex login --with-api-key` and
//! `codex login --with-access-token`.
//!
//! Pure: the builders neither check nor trim the material (that is [`crate::ops::material`]'s
//! job, shared by both faces) and never fall back to an empty document — a document too large
//! to be an auth.json is an error. Fixtures, the demo and `authdeck add` all build here, so a
//! stored account is byte-for-byte what Codex would have written.

use serde_json::{Value, json};

use super::auth_file::{AuthDoc, DocError, wipe_value};

/// The document `codex login --with-api-key` writes.
pub fn api_key(key: &str) -> Result<AuthDoc, DocError> {
    built(&mut [
        ("auth_mode", json!("apikey")),
        ("OPENAI_API_KEY", json!(key)),
    ])
}

/// The document `codex login --with-access-token` writes for an Agent Identity JWT.
pub fn agent_jwt(token: &str) -> Result<AuthDoc, DocError> {
    built(&mut [
        ("auth_mode", json!("agentIdentity")),
        ("OPENAI_API_KEY", Value::Null),
        ("agent_identity", json!(token)),
    ])
}

/// A ChatGPT login document: `tokens` as the login flow returns them, and `last_refresh`.
pub fn chatgpt(tokens: Value, last_refresh: &str) -> Result<AuthDoc, DocError> {
    built(&mut [
        ("auth_mode", json!("chatgpt")),
        ("OPENAI_API_KEY", Value::Null),
        ("tokens", tokens),
        ("last_refresh", json!(last_refresh)),
    ])
}

/// A document from members that hold the material: they are wiped once the document has its
/// own copy (which wipes itself on drop).
fn built(members: &mut [(&str, Value)]) -> Result<AuthDoc, DocError> {
    let doc = AuthDoc::try_from_members(members);
    for (_, value) in members.iter_mut() {
        wipe_value(value);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_shaped_as_codex_writes_them() {
        assert_eq!(
            api_key("sk-test-1").expect("small").text(),
            "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test-1\"\n}\n"
        );
        assert_eq!(
            agent_jwt("a.b.c").expect("small").text(),
            "{\n  \"auth_mode\": \"agentIdentity\",\n  \"OPENAI_API_KEY\": null,\n  \"agent_identity\": \"a.b.c\"\n}\n"
        );
        let doc = chatgpt(json!({"account_id": "acc"}), "2026-11-01T10:00:00Z").expect("small");
        assert!(doc.text().starts_with("{\n  \"auth_mode\": \"chatgpt\""));
    }

    #[test]
    fn an_oversized_document_is_an_error_never_an_empty_one() {
        let huge = "a".repeat(4 * 1024 * 1024);
        assert!(api_key(&huge).is_err());
        assert!(agent_jwt(&huge).is_err());
    }
}
