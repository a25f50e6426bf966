//! `usage`: usage and limits per account, over [`crate::usage`].
//!
//! Which accounts, the cache policy and the requests are the usage core's; this operation picks
//! the per-request bound from the context, runs the gathering on a one-off runtime and returns
//! one [`AccountUsage`] per account. `switch --best` reads its figures through [`read`] too.

use std::time::Duration;

use super::{Ctx, Env, OpError};
use crate::store::{ErrorKind, Paths, StoreError};
use crate::usage::AccountUsage;
use crate::usage::fetch::USAGE_TIMEOUT;
use crate::usage::gather::{self, Policy, RegisteredTask, Selection, Settings};

/// The per-request bound: `--timeout` when given, else 10 s.
pub fn timeout(ctx: &Ctx) -> Duration {
    if ctx.timeout_given {
        ctx.timeout
    } else {
        USAGE_TIMEOUT
    }
}

/// Runs the gathering for `selection` under `policy` on a one-off runtime.
pub fn read(
    ctx: &Ctx,
    selection: &Selection,
    policy: Policy,
) -> Result<Vec<AccountUsage>, OpError> {
    let paths = ctx.paths()?;
    let rt = super::tokio_runtime()?;
    Ok(rt.block_on(read_at(
        paths,
        ctx.env.clone(),
        timeout(ctx),
        selection.clone(),
        policy,
        None,
    ))?)
}

/// [`read`] for a face that holds resolved paths and runs its own runtime (the TUI): which
/// accounts (read on the blocking pool), then the requests, each bounded by `timeout`.
/// `registered` is a task the face's session registered for the live Agent Identity: the live
/// account's usage is then read with an AgentAssertion for it (the CLI registers none).
pub async fn read_at(
    paths: Paths,
    env: Env,
    timeout: Duration,
    selection: Selection,
    policy: Policy,
    registered: Option<RegisteredTask>,
) -> Result<Vec<AccountUsage>, StoreError> {
    let settings = Settings::for_paths(&paths, timeout, policy);
    let targets =
        tokio::task::spawn_blocking(move || gather::targets(&paths, &env.as_fn(), &selection))
            .await
            .map_err(|e| {
                StoreError::new(
                    ErrorKind::Io,
                    format!("reading the store for usage stopped unexpectedly: {e}"),
                )
            })??;
    let targets = targets
        .into_iter()
        .map(|mut t| {
            if t.active {
                t.registered_task.clone_from(&registered);
            }
            t
        })
        .collect();
    let now = chrono::Utc::now().timestamp();
    Ok(gather::gather(targets, &settings, now).await)
}

/// `usage`: the figures for `selection` (fetched, or only the cache when offline). The face
/// resolves typed names first ([`super::accounts::resolve`]) so it can say what a prefix meant.
pub fn usage(ctx: &Ctx, selection: &Selection) -> Result<Vec<AccountUsage>, OpError> {
    let policy = if ctx.offline {
        Policy::Offline
    } else {
        Policy::Fetch
    };
    read(ctx, selection, policy)
}

/// Whether every account answered, was served from the cache or is not applicable.
pub fn all_answered(rows: &[AccountUsage]) -> bool {
    gather::all_answered(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::ctx_in;

    #[test]
    fn offline_usage_of_an_empty_store_reads_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        let rows = usage(&ctx, &Selection::All).expect("usage");
        assert!(rows.is_empty());
        assert!(all_answered(&rows));
        assert_eq!(timeout(&ctx), USAGE_TIMEOUT);
    }
}
