//! The add form's work: turn pasted material (an API key, an Agent Identity JWT) or a file
//! path into a credential document, verify it the way the CLI does, and save it.
//!
//! Documents are built by the shared builders in [`crate::material`] — the same size cap, checks
//! and error words as `authdeck add` — so an account added in the TUI is byte-for-byte what
//! `authdeck add` would write, and material the CLI refuses is refused here too. An Agent Identity JWT (pasted, or in
//! the file) is verified against the JWKS with the runtime's own `verify`, as `authdeck add`
//! does, unless `--offline`; a failed verification saves nothing.

use std::path::PathBuf;

use std::sync::Mutex;

use super::msg::{Op, OpDone};
use super::runner::Shared;
use crate::codex::agent_identity::AgentIdentity;
use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;
use crate::material::{MaterialError, agent_jwt_document, api_key_document, document_from_file};
use crate::runtime::driver::{self, RetryPolicy};
use crate::runtime::{Event, EventKind};
use crate::sanitize::clean;
use crate::secret::Secret;
use crate::store::Store;

/// What the material field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ApiKey,
    Jwt,
    File,
}

/// Guesses the kind: `sk-…` is a key, three dot-separated parts a JWT, anything else a path.
pub fn kind_of(material: &str) -> Kind {
    let v = material.trim();
    if v.starts_with("sk-") {
        Kind::ApiKey
    } else if v.split('.').count() == 3 && !v.contains(['/', ' ']) {
        Kind::Jwt
    } else {
        Kind::File
    }
}

fn expand_home(path: &str, home: Option<String>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// An auth.json-shaped file, kept verbatim, with exactly the CLI's rules (`authdeck add
/// --from-file`): refused when Codex could not use it; unknown modes and agent identity shapes
/// are kept as they are.
fn from_file(path: &std::path::Path) -> Result<AuthDoc, String> {
    document_from_file(path)
        .map(|(doc, _warnings)| doc)
        .map_err(|e| e.message)
}

/// Verifies an Agent Identity JWT in the document (from a paste or a file) the way `authdeck
/// add` does — the runtime's own JWKS fetch + RS256 check, with its retries — unless offline.
/// Each HTTP attempt goes to the event log. Returns the words for the status line.
async fn verify(
    shared: &Shared,
    name: &str,
    doc: &AuthDoc,
    log: &mut Vec<String>,
) -> Result<&'static str, String> {
    let analysis = Analysis::of_doc(doc);
    let Some(identity @ AgentIdentity::Jwt(_)) = analysis.material.agent_ok() else {
        return Ok("");
    };
    if shared.offline {
        return Ok(", JWT not verified (offline)");
    }
    let refuse = |message: &str| {
        format!("the Agent Identity JWT did not verify: {message}; nothing was added")
    };
    let backend = shared.backend().as_ref().map_err(|e| refuse(&e.message))?;
    let lines = Mutex::new(Vec::new());
    let sink = |ev: Event| {
        let line = match ev.kind {
            EventKind::Finished {
                step,
                status: Some(status),
                latency,
            } => format!(
                "HTTP {} — {status} in {} ms (add {name})",
                step.label(),
                latency.as_millis()
            ),
            EventKind::AttemptFailed { step, message, .. } => {
                format!(
                    "HTTP {} — failed (add {name}): {}",
                    step.label(),
                    clean(&message)
                )
            }
            _ => return,
        };
        if let Ok(mut l) = lines.lock() {
            l.push(line);
        }
    };
    let result = driver::verify(identity, backend, &RetryPolicy::default(), &sink).await;
    log.extend(lines.into_inner().unwrap_or_default());
    match result {
        Ok(true) => Ok(", JWT verified"),
        Ok(false) => Ok(""),
        Err(e) => Err(refuse(&e.message)),
    }
}

/// Builds, verifies and saves; reports like every other file operation.
pub async fn run(shared: &Shared, name: String, material: Secret) -> OpDone {
    let mut log = Vec::new();
    let result = add(shared, &name, &material, &mut log).await;
    OpDone {
        op: Op::Add { name },
        result,
        log,
    }
}

async fn add(
    shared: &Shared,
    name: &str,
    material: &Secret,
    log: &mut Vec<String>,
) -> Result<String, String> {
    let value = material.expose().trim();
    let kind = kind_of(value);
    let doc = match kind {
        Kind::ApiKey => api_key_document(value).map_err(|e| MaterialError::one_line(&e))?,
        Kind::Jwt => agent_jwt_document(value).map_err(|e| MaterialError::one_line(&e))?,
        Kind::File => from_file(&expand_home(value, shared.env.var("HOME")))?,
    };
    let verified = verify(shared, name, &doc, log).await?;
    let paths = shared.paths.clone();
    let owned = name.to_string();
    let saved = tokio::task::spawn_blocking(move || Store::new(&paths).save(&owned, &doc, false))
        .await
        .map_err(|e| format!("the save task failed: {e}"))?
        .map_err(|e| e.to_string())?;
    if saved.unchanged {
        return Ok(format!("{name} already holds exactly this credential"));
    }
    log.push(format!("wrote {}", saved.path.display()));
    Ok(format!("added {name}{verified}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn material_kinds() {
        assert_eq!(kind_of("sk-test-abc"), Kind::ApiKey);
        assert_eq!(kind_of(" aaa.bbb.ccc \n"), Kind::Jwt);
        assert_eq!(kind_of("/tmp/a.b.json"), Kind::File);
        assert_eq!(kind_of("~/work.json"), Kind::File);
        assert_eq!(
            expand_home("~/x.json", Some("/h".into())),
            PathBuf::from("/h/x.json")
        );
        assert_eq!(expand_home("x.json", None), PathBuf::from("x.json"));
    }

    #[test]
    fn file_material_must_be_usable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.json");
        assert!(from_file(&p).is_err_and(|e| e.contains("does not exist")));
        std::fs::write(&p, br#"{"auth_mode":"apikey"}"#).expect("write");
        assert!(from_file(&p).is_err_and(|e| e.contains("cannot use")));
        std::fs::write(
            &p,
            br#"{"auth_mode":"apikey","OPENAI_API_KEY":"sk-test-FAKE1234567890"}"#,
        )
        .expect("write");
        assert!(from_file(&p).is_ok());
    }
}
