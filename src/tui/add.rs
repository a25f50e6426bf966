//! The add form's work: turn pasted material (an API key, an Agent Identity JWT) or a file
//! path into a credential document, verify it the way the CLI does, and save it.
//!
//! Documents are built by the shared rules in [`crate::ops::material`] — the same size cap,
//! checks and error words as `authdeck add` — so an account added in the TUI is byte-for-byte
//! what `authdeck add` would write, and material the CLI refuses is refused here too. An Agent
//! Identity JWT (pasted, or in the file) is verified by [`crate::ops::add`], the one path
//! `authdeck add` uses too, unless `--offline`; a failed verification saves nothing. This
//! module only words the outcome and logs each HTTP attempt.

use std::sync::Mutex;

use super::msg::{Op, OpDone};
use super::runner::Shared;
use crate::codex::auth_file::AuthDoc;
use crate::ops::add::{Verification, verify_for_add};
use crate::ops::material::{Kind, MaterialError, document_for, kind_of};
use crate::runtime::{Event, EventKind};
use crate::sanitize::clean;
use crate::secret::Secret;
use crate::store::Store;

/// Runs the one verification of [`crate::ops::add`] with the session's backend; each HTTP
/// attempt goes to the event log. Returns the words for the status line.
async fn verify(
    shared: &Shared,
    name: &str,
    doc: &AuthDoc,
    log: &mut Vec<String>,
) -> Result<&'static str, String> {
    let lines = Mutex::new(Vec::new());
    let sink = |ev: Event| {
        let line = match ev.kind {
            EventKind::Finished {
                step,
                status: Some(status),
                latency,
            } => format!(
                "{} — {status} in {} ms (add {name})",
                step.log_name(),
                latency.as_millis()
            ),
            EventKind::AttemptFailed { step, message, .. } => {
                format!(
                    "{} — failed (add {name}): {}",
                    step.log_name(),
                    clean(&message)
                )
            }
            _ => return,
        };
        if let Ok(mut l) = lines.lock() {
            l.push(line);
        }
    };
    let result = verify_for_add(doc, shared.offline, shared.backend().as_ref(), &sink).await;
    log.extend(lines.into_inner().unwrap_or_default());
    match result {
        Ok(Verification::Verified) => Ok(", JWT verified"),
        Ok(Verification::Skipped) => Ok(", JWT not verified (offline)"),
        Ok(Verification::NoJwt) => Ok(""),
        Err(e) => Err(format!("{e}; nothing was added")),
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
    let value = material.expose();
    let (doc, _warnings) = document_for(value, shared.env.var("HOME")).map_err(|e| {
        // A file's problem is said without the "nothing was written" hint, as before.
        if kind_of(value) == Kind::File {
            e.message
        } else {
            MaterialError::one_line(&e)
        }
    })?;
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
