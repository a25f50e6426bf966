//! Credential material from the user — a pasted API key, an Agent Identity JWT, an
//! auth.json-shaped file — turned into the document Codex itself would write, with the same
//! checks for `authdeck add` and the TUI's add form (so the two faces can never disagree).
//!
//! Keys and JWTs are read from stdin with a size cap and trimmed; a value Codex could not use is
//! refused with a clear message and nothing is written. A JWT is verified against the backend's
//! JWKS before it is stored, unless `--no-verify` or `--offline`.

use std::io::{self, Read as _};
use std::path::Path;

use serde_json::{Value, json};

use super::{CliError, Ctx, Exit};
use crate::codex::agent_identity::{AgentIdentity, AgentJwt};
use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::{Analysis, AuthMode};
use crate::sanitize::clean;
use crate::store::{self, FileState};

/// The most `--api-key-stdin` / `--jwt-stdin` read: keys and JWTs are a few KiB at most.
const MAX_STDIN_BYTES: u64 = 64 * 1024;

/// A path as shown to the user (control characters made visible).
pub(super) fn show(p: &Path) -> String {
    clean(&p.display().to_string()).into_owned()
}

fn invalid(msg: impl Into<String>) -> CliError {
    CliError::new(msg)
        .exit(Exit::Invalid)
        .with_hint("nothing was written")
}

/// Reads stdin (capped), trimmed.
pub(super) fn read_stdin(what: &str) -> Result<String, CliError> {
    read_capped_input(io::stdin().lock(), what)
}

fn read_capped_input(input: impl io::Read, what: &str) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::new(format!("could not read the {what} from stdin: {e}")))?;
    if bytes.len() as u64 > MAX_STDIN_BYTES {
        return Err(invalid(format!(
            "stdin holds more than {} KiB, which is not a {what}",
            MAX_STDIN_BYTES / 1024
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| invalid(format!("the {what} on stdin is not UTF-8 text")))?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(
            invalid(format!("stdin is empty: expected a {what}")).with_hint(format!(
                "pipe it in, e.g. `pbpaste | authdeck add NAME --{}-stdin`",
                if what == "JWT" { "jwt" } else { "api-key" }
            )),
        );
    }
    Ok(trimmed.to_string())
}

/// The document `codex login --with-api-key` writes.
pub fn api_key_document(key: &str) -> Result<AuthDoc, CliError> {
    if key
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return Err(invalid(
            "the API key contains spaces, line breaks or non-ASCII characters; expected one key such as sk-…",
        ));
    }
    if key.len() < 8 {
        return Err(invalid("the API key is too short to be an OpenAI API key"));
    }
    Ok(AuthDoc::from_members(&[
        ("auth_mode", json!("apikey")),
        ("OPENAI_API_KEY", json!(key)),
    ]))
}

/// The document `codex login --with-access-token` writes, after checking the JWT decodes and
/// carries usable key material (not a signature check: see [`verify_before_add`]).
pub fn agent_jwt_document(token: &str) -> Result<AuthDoc, CliError> {
    let jwt = AgentJwt::decode(token).map_err(|e| {
        invalid(format!(
            "not a usable Agent Identity JWT: {}",
            clean(&e.to_string())
        ))
    })?;
    AgentIdentity::Jwt(jwt).key().map_err(|e| {
        invalid(format!(
            "not a usable Agent Identity JWT: {}",
            clean(&e.to_string())
        ))
    })?;
    Ok(AuthDoc::from_members(&[
        ("auth_mode", json!("agentIdentity")),
        ("OPENAI_API_KEY", Value::Null),
        ("agent_identity", json!(token)),
    ]))
}

/// An auth.json-shaped file, kept verbatim. Rejects files Codex could not use; keeps unknown
/// modes and unrecognised agent identity shapes (with a warning) rather than refuse a newer
/// format.
pub fn document_from_file(path: &Path) -> Result<(AuthDoc, Vec<String>), CliError> {
    let doc = match store::read_doc_file(path) {
        FileState::Doc { doc, .. } => doc,
        FileState::Missing => {
            return Err(CliError::new(format!("{} does not exist", show(path)))
                .with_hint("pass the path of an auth.json-shaped file"));
        }
        other => {
            return Err(invalid(format!(
                "{} is not a usable credential document: {}",
                show(path),
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
            return Err(invalid(format!(
                "{} holds a credential Codex cannot use: {}",
                show(path),
                clean(problem)
            )));
        }
        warnings.push(format!("kept as is: {}", clean(problem)));
    }
    Ok((doc, warnings))
}

/// The check run before an account is added: an Agent Identity JWT is verified against the
/// backend's JWKS (RS256, kid, issuer, audience, expiry) exactly as the runtime does, unless
/// `--no-verify` or `--offline`. Returns whether the credential was verified; a token that does
/// not verify is refused and nothing is written.
pub fn verify_before_add(ctx: &Ctx, doc: &AuthDoc, no_verify: bool) -> Result<bool, CliError> {
    if ctx.offline || no_verify {
        return Ok(false);
    }
    let analysis = Analysis::of_doc(doc);
    let Some(identity @ AgentIdentity::Jwt(_)) = analysis.material.agent_ok() else {
        return Ok(false);
    };
    let refuse = |message: String| {
        CliError::new(format!(
            "the Agent Identity JWT did not verify: {}",
            clean(&message)
        ))
        .with_hint("nothing was added; pass --no-verify to add it unverified")
    };
    let backend = crate::runtime::driver::backend_for_home(
        &ctx.env.as_fn(),
        ctx.config_toml().as_deref(),
        ctx.timeout,
    )
    .map_err(|e| refuse(e.message))?;
    let rt = super::tokio_runtime()?;
    let policy = crate::runtime::driver::RetryPolicy::default();
    rt.block_on(crate::runtime::driver::verify(
        identity,
        &backend,
        &policy,
        &|_| {},
    ))
    .map_err(|e| refuse(e.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_document_is_what_codex_writes() {
        let doc = api_key_document("sk-test-1234567890abcdef").expect("valid");
        assert_eq!(
            doc.text(),
            "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test-1234567890abcdef\"\n}\n"
        );
        assert!(api_key_document("sk-test 123456").is_err());
        assert!(api_key_document("sk-1").is_err());
        assert!(api_key_document("sk-test-12345\u{1b}[2J").is_err());
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
        assert_eq!(e.exit, Exit::Invalid);
        let no_key = crate::codex::fixtures::unsigned_jwt(&json!({"agent_runtime_id": "r"}));
        assert!(agent_jwt_document(&no_key).is_err());
    }

    #[test]
    fn stdin_is_capped_and_trimmed() {
        assert_eq!(
            read_capped_input(&b"  sk-abc\n"[..], "API key").expect("ok"),
            "sk-abc"
        );
        assert!(read_capped_input(&b" \n"[..], "API key").is_err());
        let big = vec![b'a'; 70 * 1024];
        let e = read_capped_input(&big[..], "JWT").expect_err("too big");
        assert!(e.message.contains("64 KiB"), "{}", e.message);
        assert!(read_capped_input(&b"\xff\xfe"[..], "JWT").is_err());
    }
}
