//! Credential material from the user — a pasted API key, an Agent Identity JWT, an
//! auth.json-shaped file — checked and turned into the document Codex itself would write.
//!
//! Both faces use exactly these rules (`authdeck add` on stdin or a file, the TUI's add form on a
//! paste), so they can never disagree on what is accepted: the same size cap, the same trimming,
//! the same checks and the same words. 0.1.0 had the rules in the CLI only; the TUI accepted a
//! 500 KB "key", and a 1 MiB paste produced an empty `{}` document that was saved as "added".
//! Here a builder either returns a document holding the material or an error — never a document
//! without it.

use std::path::Path;

use serde_json::{Value, json};

use crate::codex::agent_identity::{AgentIdentity, AgentJwt};
use crate::codex::auth_file::{AuthDoc, wipe_value};
use crate::codex::credential::{Analysis, AuthMode};
use crate::sanitize::clean;
use crate::store::{self, FileState};

/// The largest pasted or piped key / JWT: real ones are a few KiB at most.
pub const MAX_MATERIAL_BYTES: usize = 64 * 1024;

/// What kind of problem the material has; the faces map it to an exit code or a form error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing was given (empty or blank input): a usage slip, not a bad credential.
    Empty,
    /// The file named does not exist.
    NotFound,
    /// The material is there but is not a credential Codex could use.
    Invalid,
}

/// Why material was refused: one line saying what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct MaterialError {
    pub problem: Problem,
    pub message: String,
    pub hint: Option<String>,
}

impl MaterialError {
    fn invalid(message: impl Into<String>) -> Self {
        Self {
            problem: Problem::Invalid,
            message: message.into(),
            hint: Some("nothing was written".to_string()),
        }
    }

    /// The message followed by the hint, for one-line displays (the TUI form).
    pub fn one_line(&self) -> String {
        match &self.hint {
            Some(h) => format!("{} ({h})", self.message),
            None => self.message.clone(),
        }
    }
}

/// Checks raw material (`what` = "API key" / "JWT" / "credential") against the size cap and
/// returns it trimmed; refuses more than [`MAX_MATERIAL_BYTES`], non-UTF-8 and blank input.
pub fn checked_text<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, MaterialError> {
    if bytes.len() > MAX_MATERIAL_BYTES {
        return Err(MaterialError::invalid(format!(
            "the input holds more than {} KiB, which is not {}",
            MAX_MATERIAL_BYTES / 1024,
            with_article(what)
        )));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| MaterialError::invalid(format!("the {what} is not UTF-8 text")))?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(MaterialError {
            problem: Problem::Empty,
            message: format!("the input is empty: expected {}", with_article(what)),
            hint: None,
        });
    }
    Ok(trimmed)
}

/// `an API key`, `a JWT`.
pub fn with_article(what: &str) -> String {
    let vowel_sound = what.starts_with(['A', 'E', 'I', 'O', 'a', 'e', 'i', 'o']);
    format!("{} {what}", if vowel_sound { "an" } else { "a" })
}

/// Builds a document from members that must all be in it (never an empty fallback). The
/// members hold the material: they are wiped once the document has its own copy.
fn document(members: &mut [(&str, Value)]) -> Result<AuthDoc, MaterialError> {
    let doc = AuthDoc::try_from_members(members);
    for (_, value) in members.iter_mut() {
        wipe_value(value);
    }
    doc.map_err(|e| {
        MaterialError::invalid(format!(
            "the credential cannot be stored: {}",
            clean(&e.to_string())
        ))
    })
}

/// The document `codex login --with-api-key` writes.
pub fn api_key_document(key: &str) -> Result<AuthDoc, MaterialError> {
    let key = checked_text(key.as_bytes(), "API key")?;
    if key
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return Err(MaterialError::invalid(
            "the API key contains spaces, line breaks or non-ASCII characters; expected one key such as sk-…",
        ));
    }
    if key.len() < 8 {
        return Err(MaterialError::invalid(
            "the API key is too short to be an OpenAI API key",
        ));
    }
    document(&mut [
        ("auth_mode", json!("apikey")),
        ("OPENAI_API_KEY", json!(key)),
    ])
}

/// The document `codex login --with-access-token` writes, after checking the JWT decodes and
/// carries usable key material (not a signature check: the faces verify against the JWKS).
pub fn agent_jwt_document(token: &str) -> Result<AuthDoc, MaterialError> {
    let token = checked_text(token.as_bytes(), "JWT")?;
    let unusable = |e: &dyn std::fmt::Display| {
        MaterialError::invalid(format!(
            "not a usable Agent Identity JWT: {}",
            clean(&e.to_string())
        ))
    };
    let jwt = AgentJwt::decode(token).map_err(|e| unusable(&e))?;
    AgentIdentity::Jwt(jwt).key().map_err(|e| unusable(&e))?;
    document(&mut [
        ("auth_mode", json!("agentIdentity")),
        ("OPENAI_API_KEY", Value::Null),
        ("agent_identity", json!(token)),
    ])
}

/// An auth.json-shaped file, kept verbatim. Rejects files Codex could not use; keeps unknown
/// modes and unrecognised agent identity shapes (with a warning) rather than refuse a newer
/// format.
pub fn document_from_file(path: &Path) -> Result<(AuthDoc, Vec<String>), MaterialError> {
    let shown = clean(&path.display().to_string()).into_owned();
    let doc = match store::read_doc_file(path) {
        FileState::Doc { doc, .. } => doc,
        FileState::Missing => {
            return Err(MaterialError {
                problem: Problem::NotFound,
                message: format!("{shown} does not exist"),
                hint: Some("pass the path of an auth.json-shaped file".to_string()),
            });
        }
        other => {
            return Err(MaterialError::invalid(format!(
                "{shown} is not a usable credential document: {}",
                clean(&other.problem().unwrap_or_default())
            )));
        }
    };
    let a = Analysis::of_doc(&doc);
    let mut warnings = Vec::new();
    if let Some(problem) = &a.problem {
        let unknown_shape = matches!(a.mode, AuthMode::Other(_))
            || matches!(
                (&a.mode, &a.material.agent),
                (
                    AuthMode::AgentIdentity,
                    Some(Ok(AgentIdentity::Unrecognised))
                )
            );
        if !unknown_shape {
            return Err(MaterialError::invalid(format!(
                "{shown} holds a credential Codex cannot use: {}",
                clean(problem)
            )));
        }
        warnings.push(format!("kept as is: {}", clean(problem)));
    }
    Ok((doc, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_document_is_what_codex_writes() {
        let doc = api_key_document("  sk-test-1234567890abcdef\n").expect("valid");
        assert_eq!(
            doc.text(),
            "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test-1234567890abcdef\"\n}\n"
        );
        assert!(api_key_document("sk-test 123456").is_err());
        assert!(api_key_document("sk-1").is_err());
        assert!(api_key_document("sk-test-12345\u{1b}[2J").is_err());
        let e = api_key_document(" \n").expect_err("blank");
        assert_eq!(e.problem, Problem::Empty);
        assert_eq!(e.message, "the input is empty: expected an API key");
    }

    /// 0.1.0's TUI accepted keys of any size, and a 1 MiB one became an empty `{}` document.
    /// Every builder refuses material over the cap, with the CLI's words.
    #[test]
    fn oversized_material_is_refused_and_never_becomes_an_empty_document() {
        for size in [MAX_MATERIAL_BYTES + 1, 70 * 1024, 500 * 1024, 1024 * 1024] {
            let key = format!("sk-{}", "a".repeat(size));
            let e = api_key_document(&key).expect_err("too big");
            assert_eq!(e.problem, Problem::Invalid);
            assert!(e.message.contains("more than 64 KiB"), "{}", e.message);
            assert!(
                e.message.ends_with("which is not an API key"),
                "{}",
                e.message
            );
            let e = agent_jwt_document(&format!("a.{}.c", "b".repeat(size))).expect_err("big");
            assert!(e.message.contains("which is not a JWT"), "{}", e.message);
        }
        let largest = format!("sk-{}", "a".repeat(MAX_MATERIAL_BYTES - 3));
        let doc = api_key_document(&largest).expect("at the cap");
        assert!(doc.text().contains(&largest));
    }

    #[test]
    fn jwt_document_is_what_codex_writes_and_bad_jwts_are_refused() {
        let jwt = crate::codex::fixtures::unsigned_agent_jwt("agent-1", 4_102_444_800);
        let doc = agent_jwt_document(&jwt).expect("valid");
        assert_eq!(
            doc.text(),
            format!(
                "{{\n  \"auth_mode\": \"agentIdentity\",\n  \"OPENAI_API_KEY\": null,\n  \"agent_identity\": \"{jwt}\"\n}}\n"
            )
        );
        let e = agent_jwt_document("not.a.jwt").expect_err("bad");
        assert_eq!(e.problem, Problem::Invalid);
        let no_key = crate::codex::fixtures::unsigned_jwt(&json!({"agent_runtime_id": "r"}));
        assert!(agent_jwt_document(&no_key).is_err());
    }

    #[test]
    fn input_is_capped_trimmed_and_utf8() {
        assert_eq!(
            checked_text(b"  sk-abc\n", "API key").expect("ok"),
            "sk-abc"
        );
        assert!(checked_text(b"\xff\xfe", "JWT").is_err());
        assert_eq!(with_article("API key"), "an API key");
        assert_eq!(with_article("JWT"), "a JWT");
        assert_eq!(with_article("credential"), "a credential");
    }

    #[test]
    fn file_material_must_be_usable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.json");
        let e = document_from_file(&p).expect_err("missing");
        assert_eq!(e.problem, Problem::NotFound);
        std::fs::write(&p, br#"{"auth_mode":"apikey"}"#).expect("write");
        assert!(document_from_file(&p).is_err_and(|e| e.message.contains("cannot use")));
        std::fs::write(
            &p,
            br#"{"auth_mode":"apikey","OPENAI_API_KEY":"sk-test-FAKE1234567890"}"#,
        )
        .expect("write");
        assert!(document_from_file(&p).is_ok());
    }
}
