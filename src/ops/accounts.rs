//! The account operations: `list`, the choices `switch` offers without a name, `save`, `add`,
//! `rename`, `remove`.
//!
//! Each is one call into [`crate::store`] plus what the faces need beside its answer (the live
//! credential's notices, the warning about open account files), returned as data. Naming an
//! account is a separate step ([`resolve`]) so a face can say which account a prefix stood for
//! before the operation runs — and still say it when the operation then fails.

use std::path::PathBuf;

use super::add::{AddError, Verification, verify_for_add_blocking};
use super::{Ctx, Env, OpError};
use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::{Analysis, AuthMode};
use crate::store::{
    self, AccountSummary, Live, Options, Paths, Resolved, Saved, Store, StoreError,
};

/// Checks a new account name against the naming rules (a usage error when it breaks them).
pub fn check_name(name: &str) -> Result<(), OpError> {
    Ok(store::validate_name(name)?)
}

/// Resolves what the user typed to a saved account (exact, unique prefix, did-you-mean).
pub fn resolve(ctx: &Ctx, typed: &str) -> Result<Resolved, OpError> {
    Ok(store::resolve_account(&ctx.paths()?, typed)?)
}

/// The saved accounts, with what a face says around them.
#[derive(Debug)]
pub struct Listing {
    /// One row per account (brief: no secret, no token freshness beyond what `list` shows).
    pub accounts: Vec<AccountSummary>,
    /// The live credential the rows were compared with.
    pub live: Live,
    /// The store directory (for "no saved accounts in …").
    pub store_dir: PathBuf,
    /// Account files open to other users, in one line (from the rows' own `stat`s).
    pub files_warning: Option<String>,
}

impl Listing {
    /// The name of the account that is live, if any.
    pub fn active(&self) -> Option<&str> {
        self.accounts
            .iter()
            .find(|a| a.active)
            .map(|a| a.name.as_str())
    }
}

/// `list`.
pub fn list(ctx: &Ctx) -> Result<Listing, OpError> {
    let paths = ctx.paths()?;
    let live = store::read_live(&paths, &ctx.env.as_fn());
    let accounts = store::summaries_brief(&Store::new(&paths), live.file.doc())?;
    let files_warning = store::account_files_warning_in(&paths.store, &accounts);
    Ok(Listing {
        accounts,
        live,
        store_dir: paths.store,
        files_warning,
    })
}

/// [`list`] for a screen, with the store's own error: the live credential is read, then the
/// first `first` rows (those on screen) are completed and `stage` gets every row — names for
/// the rest, marked pending — before the remaining files are read. `stage` is not called when
/// the first rows are all there is. Rows are full summaries (the TUI shows more than `list`).
pub fn list_staged_at(
    paths: &Paths,
    env: &Env,
    first: usize,
    stage: impl FnOnce(Vec<AccountSummary>),
) -> Result<Listing, StoreError> {
    let live = store::read_live(paths, &env.as_fn());
    let accounts = store::summaries_staged(&Store::new(paths), live.file.doc(), first, stage)?;
    let files_warning = store::account_files_warning_in(&paths.store, &accounts);
    Ok(Listing {
        accounts,
        live,
        store_dir: paths.store.clone(),
        files_warning,
    })
}

/// What `switch` without a name offers: every account (full summaries) and the previous one.
#[derive(Debug)]
pub struct Choices {
    pub accounts: Vec<AccountSummary>,
    /// The account live before the last switch (`switch -`).
    pub previous: Option<String>,
}

/// `switch` without a name, as data.
pub fn choices(ctx: &Ctx) -> Result<Choices, OpError> {
    let paths = ctx.paths()?;
    let previous = store::previous_account(&paths);
    let live = store::read_live(&paths, &ctx.env.as_fn());
    let accounts = store::summaries(&Store::new(&paths), live.file.doc())?;
    Ok(Choices { accounts, previous })
}

/// The account that was live before the last switch, if it is known.
pub fn previous(ctx: &Ctx) -> Result<Option<String>, OpError> {
    Ok(store::previous_account(&ctx.paths()?))
}

/// [`previous`] for a face that holds resolved paths (the TUI).
pub fn previous_at(paths: &Paths) -> Option<String> {
    store::previous_account(paths)
}

/// The saved accounts' names, sorted (reads only the directory).
pub fn names(ctx: &Ctx) -> Result<Vec<String>, OpError> {
    Ok(store::account_names(&ctx.paths()?)?)
}

/// What `save` did.
#[derive(Debug)]
pub struct SavedLive {
    pub saved: Saved,
    /// The environment variable that is the live credential instead of auth.json, if one is
    /// set: then the saved file is not what Codex uses.
    pub env_var: Option<&'static str>,
}

/// `save NAME [--force]`: the live auth.json becomes (or, with `force`, replaces) an account.
pub fn save(ctx: &Ctx, name: &str, force: bool) -> Result<SavedLive, OpError> {
    Ok(save_at(&ctx.paths()?, &ctx.env, name, force)?)
}

/// [`save`] for a face that holds resolved paths (the TUI), with the store's own error.
pub fn save_at(paths: &Paths, env: &Env, name: &str, force: bool) -> Result<SavedLive, StoreError> {
    store::validate_name(name)?;
    let saved = store::save_live(paths, name, force, &Options::default())?;
    Ok(SavedLive {
        saved,
        env_var: store::env_token_var(&env.as_fn()),
    })
}

/// What `add` did.
#[derive(Debug)]
pub struct Added {
    pub saved: Saved,
    /// The document's auth mode.
    pub mode: AuthMode,
    /// Whether (and how) an Agent Identity JWT was checked.
    pub verification: Verification,
}

/// `add`: stores a document built from material ([`super::material`]) as account `name`,
/// verifying an Agent Identity JWT first unless `skip_verify` (or offline). The name must have
/// been checked with [`check_name`] before the material was read.
pub fn add(
    ctx: &Ctx,
    name: &str,
    doc: &AuthDoc,
    skip_verify: bool,
    force: bool,
) -> Result<Added, AddError> {
    let paths = ctx.paths()?;
    let verification = verify_for_add_blocking(ctx, doc, skip_verify)?;
    let mode = Analysis::of_doc(doc).mode;
    let saved = store_added_at(&paths, name, doc, force).map_err(OpError::from)?;
    Ok(Added {
        saved,
        mode,
        verification,
    })
}

/// The last step of an add, for a face that verified the document itself (the TUI, on its
/// own runtime, with [`super::add::verify_for_add`]): stores `doc` as account `name`.
pub fn store_added_at(
    paths: &Paths,
    name: &str,
    doc: &AuthDoc,
    force: bool,
) -> Result<Saved, StoreError> {
    Store::new(paths).save(name, doc, force)
}

/// `rename OLD NEW`: the resolved account gets the new name; returns its new path.
pub fn rename(ctx: &Ctx, old: &Resolved, new: &str) -> Result<PathBuf, OpError> {
    Ok(rename_at(&ctx.paths()?, &old.name, new)?)
}

/// [`rename`] for a face that holds resolved paths (the TUI), with the store's own error.
pub fn rename_at(paths: &Paths, old: &str, new: &str) -> Result<PathBuf, StoreError> {
    store::validate_name(new)?;
    Store::new(paths).rename(old, new)
}

/// `remove NAME`: the resolved account goes to the store's trash; returns where.
pub fn remove(ctx: &Ctx, target: &Resolved) -> Result<PathBuf, OpError> {
    Ok(remove_at(&ctx.paths()?, &target.name)?)
}

/// [`remove`] for a face that holds resolved paths (the TUI), with the store's own error.
pub fn remove_at(paths: &Paths, name: &str) -> Result<PathBuf, StoreError> {
    Store::new(paths).remove(name)
}

/// Undoes the latest `remove` of `name` (the TUI's undo): the account comes back from the
/// trash; returns its path.
pub fn restore_at(paths: &Paths, name: &str) -> Result<PathBuf, StoreError> {
    Store::new(paths).restore_last_removed(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::fixtures;
    use crate::ops::Failure;
    use crate::ops::testing::ctx_in;

    fn live(ctx: &Ctx, doc: &AuthDoc) {
        let paths = ctx.paths().expect("paths");
        store::write_atomic(&paths.auth_json(), doc.as_bytes()).expect("live");
    }

    #[test]
    fn save_list_rename_remove_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        live(&ctx, &fixtures::api_key_doc("sk-test-one"));
        let s = save(&ctx, "work", false).expect("saved");
        assert!(!s.saved.unchanged);
        assert_eq!(s.env_var, None);
        let again = save(&ctx, "work", false).expect("same credential");
        assert!(again.saved.unchanged);

        let l = list(&ctx).expect("list");
        assert_eq!(l.accounts.len(), 1);
        assert_eq!(l.active(), Some("work"));
        assert_eq!(names(&ctx).expect("names"), ["work"]);

        let old = resolve(&ctx, "wo").expect("prefix");
        let path = rename(&ctx, &old, "job").expect("renamed");
        assert!(path.ends_with("job.json"));
        let c = choices(&ctx).expect("choices");
        assert_eq!(c.accounts.len(), 1);

        let job = resolve(&ctx, "job").expect("exact");
        let trash = remove(&ctx, &job).expect("removed");
        assert!(trash.exists());
        assert!(names(&ctx).expect("names").is_empty());
    }

    #[test]
    fn the_staged_listing_shows_the_first_rows_then_agrees_with_list() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        let paths = ctx.paths().expect("paths");
        for i in 0..5 {
            let doc = fixtures::api_key_doc(&format!("sk-test-{i}"));
            store_added_at(&paths, &format!("acct{i}"), &doc, false).expect("stored");
        }
        live(&ctx, &fixtures::api_key_doc("sk-test-3"));

        let mut staged = Vec::new();
        let full = list_staged_at(&paths, &ctx.env, 2, |rows| staged = rows).expect("listing");
        assert_eq!(staged.len(), 5, "every name is staged");
        assert_eq!(staged.iter().filter(|r| r.pending).count(), 3);
        assert_eq!(full.active(), Some("acct3"));
        assert!(full.accounts.iter().all(|r| !r.pending));
        let names: Vec<_> = full.accounts.iter().map(|a| a.name.clone()).collect();
        assert_eq!(names, super::names(&ctx).expect("names"));
        assert_eq!(list(&ctx).expect("list").active(), full.active());

        // When the first rows are all there is, nothing is staged.
        let mut called = false;
        list_staged_at(&paths, &ctx.env, 100, |_| called = true).expect("listing");
        assert!(!called);
    }

    #[test]
    fn typed_errors_carry_their_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        assert_eq!(
            check_name("bad/name").expect_err("invalid").failure,
            Failure::Usage
        );
        assert_eq!(
            save(&ctx, "work", false).expect_err("no live").failure,
            Failure::SignedOut
        );
    }

    #[test]
    fn add_stores_an_api_key_without_a_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        let doc = fixtures::api_key_doc("sk-test-two");
        let a = add(&ctx, "api", &doc, false, false).expect("added");
        assert_eq!(a.verification, Verification::NoJwt);
        assert_eq!(a.mode, AuthMode::ApiKey);
        assert!(a.saved.path.exists());
    }
}
