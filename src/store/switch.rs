//! Switching accounts without ever losing a token.
//!
//! The order of a switch, all under the store lock:
//!
//! 1. Read the live auth.json and the store, and find the account being left (the one the live
//!    file belongs to, by identity).
//! 2. **Sync back**: if the live file is that account, differs from its snapshot and is not
//!    older (`freshness` ≥), write the live bytes into the account first. Codex rotates the
//!    refresh token on every refresh; without this the snapshot would keep a used refresh token
//!    and restoring it later gets the whole token family revoked.
//! 3. Back up the live file to `<store>/.backups/` (whatever it is, even unparseable).
//! 4. Write the target account's bytes, verbatim, atomically over auth.json.
//! 5. Prune old backups and list running Codex processes (they keep the old credential until
//!    restarted).
//!
//! Each step either completes or leaves everything it touches as it was; a failure at step 4
//! after a sync-back leaves the left account holding the live bytes — a copy of what is still
//! live, so nothing is lost. [`plan_switch`] computes the same plan without writing anything, for
//! a confirmation screen with a masked diff.
//!
//! Switching is refused when Codex keeps credentials outside auth.json (keyring, memory): the
//! file would be ignored. It is also refused (unless forced) when Codex would refuse or delete
//! the target under the current config.toml ([`policy::guard`]). An environment token does not block a switch, but the report warns
//! that it has no effect while the token is set.

use std::path::PathBuf;

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;
use crate::sanitize::clean;

use super::accounts::{Store, validate_name};
use super::atomic::ensure_private_dir;
use super::backups::replace_live;
use super::config::{CredentialStoreKind, read_store_kind};
use super::diff::{FieldChange, diff};
use super::error::{ErrorKind, StoreError, quote, show};
use super::leaving::leaving;
use super::live::{FileState, Live, read_live};
use super::lock::lock_with;
use super::options::Options;
use super::paths::{EnvFn, Paths};
use super::perms::account_files_warning_for;
use super::policy::{self, codex_refusal};
use super::procs::{CodexProcess, codex_processes};

/// What a switch would do (computed without writing).
#[derive(Debug, Clone)]
pub struct SwitchPlan {
    /// The account being switched to.
    pub to: String,
    /// The document that will be written to auth.json.
    pub target: AuthDoc,
    /// The live document, when auth.json is a usable document.
    pub current: Option<AuthDoc>,
    /// Why the live file cannot be used, when it exists but is not a document.
    pub current_problem: Option<String>,
    /// The account the live file belongs to (being left).
    pub from: Option<String>,
    /// Whether the live file will first be written back into `from`.
    pub sync_back: bool,
    /// auth.json already holds exactly the target bytes: nothing will be written.
    pub already_active: bool,
    /// Masked top-level changes to auth.json.
    pub changes: Vec<FieldChange>,
    /// Things the user should know (env token, invalid target, unsaved live credential…).
    pub warnings: Vec<String>,
    /// Why Codex would refuse the target under the current config.toml (the switching guard).
    pub refusal: Option<String>,
    /// Account files open to other users (path, permission bits), found by the same `stat`s
    /// that found the account being left.
    pub open_files: Vec<(PathBuf, u32)>,
}

/// What a switch did.
#[derive(Debug, Clone)]
pub struct SwitchReport {
    pub to: String,
    pub from: Option<String>,
    /// The live file was written back into `from` first.
    pub synced_back: bool,
    /// Where the replaced live file was backed up.
    pub backup: Option<PathBuf>,
    pub already_active: bool,
    pub changes: Vec<FieldChange>,
    /// Codex processes that keep the old credential until restarted.
    pub processes: Vec<CodexProcess>,
    pub warnings: Vec<String>,
    /// The auth.json that was written.
    pub auth_path: PathBuf,
    /// The permission warning for account files open to other users (see `store::perms`), kept
    /// apart from `warnings`: it goes to stderr like every permission warning.
    pub open_files_warning: Option<String>,
}

/// The error for commands that would write auth.json while Codex does not read it.
pub(crate) fn refuse_non_file(paths: &Paths, kind: &CredentialStoreKind) -> StoreError {
    StoreError::new(
        ErrorKind::NotFileStore,
        format!(
            "{} sets cli_auth_credentials_store = \"{}\": {}",
            show(&paths.config_toml()),
            clean(kind.as_str()),
            kind.notice().unwrap_or_default()
        ),
    )
    .with_hint(
        "writing auth.json would have no effect, so nothing was changed; set \
         cli_auth_credentials_store = \"file\" to let authdeck switch accounts",
    )
}

pub(crate) fn require_file_store(paths: &Paths) -> Result<(), StoreError> {
    let kind = read_store_kind(&paths.config_toml());
    if kind.is_file() {
        Ok(())
    } else {
        Err(refuse_non_file(paths, &kind))
    }
}

/// Computes what `switch(name)` would do. Pure preview: writes nothing, takes no lock.
pub fn plan_switch(paths: &Paths, name: &str, env: EnvFn<'_>) -> Result<SwitchPlan, StoreError> {
    validate_name(name)?;
    require_file_store(paths)?;
    let live = read_live(paths, env);
    compute(&Store::new(paths), &live, name)
}

/// The plan. The account being left is found by [`leaving`] (the rule `list` shows;
/// unchanged files are only stat'd against the summary index), and only the two documents
/// involved are read whole.
fn compute(store: &Store, live: &Live, name: &str) -> Result<SwitchPlan, StoreError> {
    let target = store.read(name).map_err(|e| match e.kind() {
        ErrorKind::AccountCorrupt => StoreError::new(e.kind(), e.message())
            .with_hint("fix the file, or remove the account; auth.json was not changed"),
        _ => e,
    })?;
    let current = live.file.doc().cloned();
    let found = leaving(store, current.as_ref(), Some(name))?;
    let from = found.from;
    let sync_back = match (&current, &from) {
        (Some(cur), Some(f)) => store.read(f).is_ok_and(|snap| {
            snap.as_bytes() != cur.as_bytes()
                && Analysis::of_doc(cur).freshness() >= Analysis::of_doc(&snap).freshness()
        }),
        _ => false,
    };
    // Switching to the account being left, after syncing it back, writes the live bytes.
    let effective = match (&current, sync_back && from.as_deref() == Some(name)) {
        (Some(cur), true) => cur.clone(),
        _ => target,
    };
    let already_active = current
        .as_ref()
        .is_some_and(|c| c.as_bytes() == effective.as_bytes());
    let changes = diff(current.as_ref(), &effective);
    let mut warnings = Vec::new();
    if let Some(n) = live.env_notice() {
        warnings.push(n);
    }
    let refusal = codex_refusal(&live.config, &Analysis::of_doc(&effective));
    if let Some(problem) = &refusal {
        warnings.push(format!(
            "account {} holds a credential Codex would refuse: {}",
            quote(name),
            clean(problem)
        ));
    }
    let current_problem = live.file.problem();
    if let Some(p) = &current_problem {
        warnings.push(format!(
            "the live auth.json cannot be used ({p}); it is backed up before being replaced"
        ));
    }
    if current.is_some() && from.is_none() {
        warnings.push(
            "the live credential is not saved as an account; it is kept only in the backups \
             (save it with `authdeck save <name>` to keep it as an account)"
                .to_string(),
        );
    }
    Ok(SwitchPlan {
        to: name.to_string(),
        target: effective,
        current,
        current_problem,
        from,
        sync_back,
        already_active,
        changes,
        warnings,
        refusal,
        open_files: found.open_files,
    })
}

/// Makes an account live (see the module docs), with the default options.
pub fn switch(paths: &Paths, name: &str, env: EnvFn<'_>) -> Result<SwitchReport, StoreError> {
    switch_with(paths, name, env, &Options::default())
}

/// The first step of a switch: when the live file is a newer generation of the account being
/// left, its tokens go back into that account, so a rotated refresh token is never lost.
/// Returns whether it wrote. A failure stops the switch before auth.json is touched.
fn sync_back(store: &Store, plan: &SwitchPlan, opts: &Options) -> Result<bool, StoreError> {
    let (true, Some(from), Some(cur)) = (plan.sync_back, &plan.from, &plan.current) else {
        return Ok(false);
    };
    let from_path = store.account_path(from)?;
    (opts.write)(&from_path, cur.as_bytes()).map_err(|e| {
        let hint = format!(
            "{}; auth.json was not changed",
            e.hint().unwrap_or("fix the cause and try again")
        );
        StoreError::new(
            e.kind(),
            format!(
                "could not sync the live tokens back into account {}: {}",
                quote(from),
                e.message()
            ),
        )
        .with_hint(hint)
    })?;
    Ok(true)
}

/// The error of a switch whose sync-back was written but whose auth.json write failed: the
/// hint says the account left now also holds the live tokens (nothing is lost either way).
fn synced_but_not_switched(e: &StoreError, from: &str) -> StoreError {
    let hint = format!(
        "auth.json was not changed; account {} now also holds the live tokens; {}",
        quote(from),
        e.hint().unwrap_or("fix the cause and try again")
    );
    StoreError::new(e.kind(), e.message().to_string()).with_hint(hint)
}

/// [`switch`] with explicit options (lock wait, backups kept, writer).
pub fn switch_with(
    paths: &Paths,
    name: &str,
    env: EnvFn<'_>,
    opts: &Options,
) -> Result<SwitchReport, StoreError> {
    validate_name(name)?;
    require_file_store(paths)?;
    let guard = lock_with(paths, opts.lock_wait)?;
    let store = Store::with_options(paths, *opts);
    let live = read_live(paths, env);
    let plan = compute(&store, &live, name)?;
    let auth_path = paths.auth_json();
    let mut warnings = plan.warnings.clone();
    if !plan.already_active {
        let what = format!("account {}", quote(name));
        if let Some(w) = policy::guard(&live.config, &plan.target, &what, opts.allow_refused)? {
            warnings.retain(|x| !x.contains("Codex would refuse"));
            warnings.push(w);
        }
    }

    let synced_back = sync_back(&store, &plan, opts)?;

    let mut backup = None;
    if !plan.already_active {
        if matches!(live.file, FileState::Missing) {
            ensure_private_dir(&paths.codex_home)?;
        }
        let replaced = replace_live(&guard, paths, plan.target.as_bytes(), opts).map_err(|e| {
            if synced_back {
                synced_but_not_switched(&e, plan.from.as_deref().unwrap_or_default())
            } else {
                e
            }
        })?;
        backup = replaced.backup;
        warnings.extend(replaced.warning);
        // `switch -` comes back here (nothing to come back to when auth.json was missing);
        // failing to remember it must not fail the switch.
        if !matches!(live.file, FileState::Missing)
            && plan.from.as_deref() != Some(name)
            && let Err(e) = super::previous::remember_previous(paths, plan.from.as_deref())
        {
            warnings.push(format!("`switch -` will not know this switch: {e}"));
        }
    }
    drop(guard);
    Ok(SwitchReport {
        to: plan.to,
        from: plan.from,
        synced_back,
        backup,
        already_active: plan.already_active,
        changes: plan.changes,
        processes: if plan.already_active {
            Vec::new()
        } else {
            codex_processes()
        },
        warnings,
        auth_path,
        open_files_warning: account_files_warning_for(&paths.store, plan.open_files),
    })
}

#[cfg(test)]
mod tests;
