//! The add form's work: turn pasted material (an API key, an Agent Identity JWT) or a file
//! path into a credential document, verify it the way the CLI does, and save it.
//!
//! Documents are built by the shared rules in [`crate::ops::material`] — the same size cap,
//! checks and error words as `authdeck add` — so an account added in the TUI is byte-for-byte
//! what `authdeck add` would write, and material the CLI refuses is refused here too. An Agent
//! Identity JWT (pasted, or in the file) is verified by [`crate::ops::add`], the one path
//! `authdeck add` uses too, unless `--offline`; a failed verification saves nothing. This
//! module reports what happened as data (each call made, the verification, the file written);
//! `update` words it.

use std::sync::Mutex;

use super::Shared;
use crate::codex::auth_file::AuthDoc;
use crate::ops::accounts::store_added_at;
use crate::ops::add::{Verification, verify_for_add};
use crate::ops::material::{Kind, document_for, kind_of};
use crate::runtime::{Event, EventKind};
use crate::secret::Secret;
use crate::tui::outcome::{Call, Done, Failure, Op, OpDone};

/// Runs the one verification of [`crate::ops::add`] with the session's backend; each call
/// it makes is recorded in `calls`.
async fn verify(
    shared: &Shared,
    doc: &AuthDoc,
    calls: &mut Vec<Call>,
) -> Result<Verification, Failure> {
    let seen = Mutex::new(Vec::new());
    let sink = |ev: Event| {
        let call = match ev.kind {
            EventKind::Finished {
                step,
                status: Some(status),
                latency,
            } => Call::Finished {
                step,
                status,
                latency,
            },
            EventKind::AttemptFailed { step, message, .. } => Call::Failed { step, message },
            _ => return,
        };
        if let Ok(mut l) = seen.lock() {
            l.push(call);
        }
    };
    let result = verify_for_add(doc, shared.offline, shared.backend().as_ref(), &sink).await;
    calls.extend(seen.into_inner().unwrap_or_default());
    result.map_err(Failure::NotVerified)
}

/// Builds, verifies and saves; reports like every other file operation.
pub async fn run(shared: &Shared, name: String, material: Secret) -> OpDone {
    let mut calls = Vec::new();
    let result = add(shared, &name, &material, &mut calls).await;
    OpDone {
        op: Op::Add { name },
        result,
        calls,
    }
}

async fn add(
    shared: &Shared,
    name: &str,
    material: &Secret,
    calls: &mut Vec<Call>,
) -> Result<Done, Failure> {
    let value = material.expose();
    let (doc, _warnings) =
        document_for(value, shared.env.var("HOME")).map_err(|error| Failure::Material {
            error,
            file: kind_of(value) == Kind::File,
        })?;
    let verification = verify(shared, &doc, calls).await?;
    let paths = shared.paths.clone();
    let owned = name.to_string();
    let saved = tokio::task::spawn_blocking(move || store_added_at(&paths, &owned, &doc, false))
        .await
        .map_err(|e| Failure::Task(e.to_string()))?
        .map_err(Failure::Store)?;
    Ok(Done::Added {
        name: name.to_string(),
        wrote: (!saved.unchanged).then_some(saved.path),
        verification,
    })
}
