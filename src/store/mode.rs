//! Edits of the live auth.json other than switching: changing `auth_mode`, and saving the live
//! document as an account.
//!
//! A document may hold material for several modes (an API key *and* ChatGPT tokens). Changing
//! the mode rewrites only the bytes of the `auth_mode` value (or inserts that one member), so
//! every other key — including ones authdeck does not know — stays exactly as it was. Only a
//! mode whose material is present may be chosen, the live file is backed up first, and the
//! write is atomic and under the store lock, like a switch.

use std::path::PathBuf;

use crate::codex::credential::{Analysis, AuthMode};
use crate::sanitize::clean;

use super::accounts::{Saved, Store, validate_name};
use super::backups::{Replaced, replace_live};
use super::diff::{FieldChange, diff};
use super::error::{ErrorKind, StoreError};
use super::live::read_live;
use super::lock::lock_with;
use super::options::Options;
use super::paths::{EnvFn, Paths};
use super::policy;
use super::procs::{CodexProcess, codex_processes};
use super::switch::require_file_store;

/// What a mode change did.
#[derive(Debug, Clone)]
pub struct ModeReport {
    /// The auth.json that was changed.
    pub path: PathBuf,
    /// The mode in force before.
    pub from: AuthMode,
    pub to: AuthMode,
    /// Whether the file was written (false when the mode was already set).
    pub changed: bool,
    pub backup: Option<PathBuf>,
    pub changes: Vec<FieldChange>,
    pub processes: Vec<CodexProcess>,
    pub warnings: Vec<String>,
}

/// Sets `auth_mode` of the live document, with the default options.
pub fn set_mode(paths: &Paths, mode: &AuthMode, env: EnvFn<'_>) -> Result<ModeReport, StoreError> {
    set_mode_with(paths, mode, env, &Options::default())
}

/// [`set_mode`] with explicit options.
pub fn set_mode_with(
    paths: &Paths,
    mode: &AuthMode,
    env: EnvFn<'_>,
    opts: &Options,
) -> Result<ModeReport, StoreError> {
    require_file_store(paths)?;
    let guard = lock_with(paths, opts.lock_wait)?;
    let live = read_live(paths, env);
    let path = paths.auth_json();
    let doc = live.file.require_doc(&path)?;
    let analysis = Analysis::of_doc(doc);
    if !analysis.available.contains(mode) {
        let available: Vec<&str> = analysis.available.iter().map(AuthMode::as_str).collect();
        let listed = if available.is_empty() {
            "none".to_string()
        } else {
            available.join(", ")
        };
        return Err(StoreError::new(
            ErrorKind::ModeUnavailable,
            format!(
                "the live credential has no material for auth mode \"{}\" (available: {listed})",
                clean(mode.as_str())
            ),
        )
        .with_hint("choose one of the available modes; nothing was changed"));
    }
    let mut warnings: Vec<String> = live.env_notice().into_iter().collect();
    if analysis.mode_explicit && analysis.mode == *mode {
        return Ok(ModeReport {
            path,
            from: analysis.mode,
            to: mode.clone(),
            changed: false,
            backup: None,
            changes: Vec::new(),
            processes: Vec::new(),
            warnings,
        });
    }
    let mut updated = doc.clone();
    updated.set_auth_mode(mode.as_str());
    if updated.get_str("auth_mode") != Some(mode.as_str()) {
        return Err(StoreError::new(
            ErrorKind::LiveInvalid,
            format!("could not set auth_mode in {}", super::error::show(&path)),
        )
        .with_hint("nothing was changed; please report this"));
    }
    let what = format!("auth_mode \"{}\"", clean(mode.as_str()));
    if let Some(w) = policy::guard(&live.config, &updated, &what, opts.allow_refused)? {
        warnings.push(w);
    }
    let changes = diff(Some(doc), &updated);
    let Replaced { backup, warning } = replace_live(&guard, paths, updated.as_bytes(), opts)?;
    warnings.extend(warning);
    if let Some(problem) = Analysis::of_doc(&updated).problem {
        warnings.push(format!(
            "Codex cannot use the credential in this mode: {}",
            clean(&problem)
        ));
    }
    drop(guard);
    Ok(ModeReport {
        path,
        from: analysis.mode,
        to: mode.clone(),
        changed: true,
        backup,
        changes,
        processes: codex_processes(),
        warnings,
    })
}

/// Saves the live auth.json (verbatim) as account `name`, under the lock.
pub fn save_live(
    paths: &Paths,
    name: &str,
    force: bool,
    opts: &Options,
) -> Result<Saved, StoreError> {
    validate_name(name)?;
    let guard = lock_with(paths, opts.lock_wait)?;
    let path = paths.auth_json();
    let file = super::live::read_doc_file(&path);
    let doc = file.require_doc(&path)?;
    Store::with_options(paths, *opts).save_locked(&guard, name, doc.as_bytes(), force)
}

#[cfg(test)]
mod tests;
