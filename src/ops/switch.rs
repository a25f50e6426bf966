//! `switch NAME | -`, `switch --best` and `mode`: putting an account (or an auth mode) in place.
//!
//! The switch itself is the store's one transaction (sync-back of newer tokens, backup, lock,
//! atomic write, the Codex processes that keep the old credential); `--best` picks the account
//! from [`crate::usage`] first and then runs that very same switch. Results are the store's
//! reports, unworded; each face says them its own way.

use super::{Ctx, Env, OpError};
use crate::codex::credential::AuthMode;
use crate::store::{
    self, CodexProcess, ModeReport, Options, Paths, Resolved, StoreError, SwitchPlan, SwitchReport,
};
use crate::usage::gather::{Policy, Selection};
use crate::usage::{AccountUsage, BestPick, Candidate, Skip, Status, pick_best};

/// Resolves what the user typed to the account to switch to: a name, a unique prefix, or `-`
/// for the account live before the last switch.
pub fn resolve_target(ctx: &Ctx, typed: &str) -> Result<Resolved, OpError> {
    Ok(store::resolve_switch_target(&ctx.paths()?, typed)?)
}

/// `switch NAME`: makes the resolved account live. `force` puts it in place even though Codex
/// would refuse or delete it under the current config.toml.
pub fn switch(ctx: &Ctx, target: &Resolved, force: bool) -> Result<SwitchReport, OpError> {
    Ok(switch_at(&ctx.paths()?, &ctx.env, &target.name, force)?)
}

/// [`switch`] for a face that holds resolved paths (the TUI), with the store's own error.
pub fn switch_at(
    paths: &Paths,
    env: &Env,
    name: &str,
    force: bool,
) -> Result<SwitchReport, StoreError> {
    store::switch_with(paths, name, &env.as_fn(), &forced(force))
}

/// What a switch to an account would do, before it is confirmed.
#[derive(Debug)]
pub struct Planned {
    /// The store's plan: the target, the account being left, the fields that change.
    pub plan: SwitchPlan,
    /// Codex processes running now, which keep the credential they started with.
    pub codex_running: Vec<CodexProcess>,
}

/// The preview of `switch NAME` (the TUI's confirm shows it): reads, never writes.
pub fn plan_at(paths: &Paths, env: &Env, name: &str) -> Result<Planned, StoreError> {
    let plan = store::plan_switch(paths, name, &env.as_fn())?;
    Ok(Planned {
        plan,
        codex_running: store::codex_processes(),
    })
}

/// The store's options, putting in place what Codex would refuse when `force` is given.
fn forced(force: bool) -> Options {
    Options {
        allow_refused: force,
        ..Options::default()
    }
}

/// Parses a mode argument: exact wire strings, case-insensitive, plus the app-server's
/// `apiKey`; anything else is kept as an unknown mode (which the store then refuses or keeps).
pub fn parse_mode(s: &str) -> AuthMode {
    AuthMode::KNOWN
        .iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
        .cloned()
        .unwrap_or_else(|| AuthMode::parse(s.trim()))
}

/// `mode MODE`: sets `auth_mode` of the live document (with a backup and a masked diff).
pub fn set_mode(ctx: &Ctx, mode: &AuthMode, force: bool) -> Result<ModeReport, OpError> {
    Ok(set_mode_at(&ctx.paths()?, &ctx.env, mode, force)?)
}

/// [`set_mode`] for a face that holds resolved paths (the TUI), with the store's own error.
pub fn set_mode_at(
    paths: &Paths,
    env: &Env,
    mode: &AuthMode,
    force: bool,
) -> Result<ModeReport, StoreError> {
    store::set_mode_with(paths, mode, &env.as_fn(), &forced(force))
}

/// Cached figures younger than this are reused by `switch --best`.
pub const REUSE_SECS: i64 = 60;

/// What `switch --best` found and did.
#[derive(Debug)]
pub struct Best {
    /// Every saved account, with its headroom or why it was skipped.
    pub candidates: Vec<Candidate>,
    /// The index of the pick in `candidates`, when an account has room.
    pub picked: Option<usize>,
    /// With no room anywhere: the account that resets first, and when (Unix seconds).
    pub next_reset: Option<(String, i64)>,
    /// The switch, when one ran (not for a dry run, not when the pick is already live).
    pub report: Option<SwitchReport>,
}

impl Best {
    /// The picked candidate.
    pub fn pick(&self) -> Option<&Candidate> {
        self.picked.and_then(|i| self.candidates.get(i))
    }

    /// Whether the live credential changed.
    pub fn switched(&self) -> bool {
        self.report.as_ref().is_some_and(|r| !r.already_active)
    }
}

/// Why an account cannot be picked by `switch --best` (`None` when it can).
pub fn skip_of(row: &AccountUsage) -> Option<Skip> {
    match row.status {
        Status::NotApplicable => Some(Skip::NotApplicable(row.note.clone())),
        Status::Error => Some(Skip::Failed(row.error.clone())),
        _ if row.snapshot.is_none() => Some(Skip::NoFigures),
        _ => None,
    }
}

/// The candidates: every saved account (a live credential without a name cannot be switched to).
pub fn candidates(rows: &[AccountUsage]) -> Vec<Candidate> {
    rows.iter()
        .filter_map(|r| {
            let name = r.name.as_deref()?;
            Some(match (skip_of(r), &r.snapshot) {
                (None, Some(s)) => Candidate::from_snapshot(name, s).live(r.active),
                (why, _) => Candidate::skipped(name, why.unwrap_or(Skip::NoFigures)),
            })
        })
        .collect()
}

/// `switch --best [--dry-run]`: reads usage (a cache entry younger than [`REUSE_SECS`] is
/// reused; offline uses the cache only), picks the account with the most headroom and, unless
/// `dry_run` or it is already live, switches to it. No room anywhere is not an error here: the
/// result says so (`picked` is `None`) and the live file is untouched.
pub fn best(ctx: &Ctx, dry_run: bool) -> Result<Best, OpError> {
    let policy = if ctx.offline {
        Policy::Offline
    } else {
        Policy::ReuseYoungerThan(REUSE_SECS)
    };
    let rows = super::usage::read(ctx, &Selection::All, policy)?;
    let candidates = candidates(&rows);
    let (picked, next_reset) = match pick_best(&candidates) {
        BestPick::Picked(i) => (Some(i), None),
        BestPick::NoRoom { soonest } => (None, soonest),
        BestPick::NoCandidates => (None, None),
    };
    let mut best = Best {
        candidates,
        picked,
        next_reset,
        report: None,
    };
    // The live account needs no switch (not even a sync-back or a backup).
    let to_switch = best
        .pick()
        .filter(|c| !dry_run && !c.active)
        .map(|c| c.name.clone());
    if let Some(name) = to_switch {
        let paths = ctx.paths()?;
        best.report = Some(store::switch(&paths, &name, &ctx.env.as_fn())?);
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Failure;
    use crate::ops::testing::{ctx_in, ctx_with_keys};

    #[test]
    fn switch_and_mode_return_the_store_reports() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (ctx, _) = ctx_with_keys(
            dir.path(),
            &[("one", "sk-test-one"), ("two", "sk-test-two")],
        );
        let t = resolve_target(&ctx, "tw").expect("prefix");
        let r = switch(&ctx, &t, false).expect("switched");
        assert_eq!(r.to, "two");
        assert!(!r.already_active);
        let again = switch(&ctx, &t, false).expect("again");
        assert!(again.already_active);

        let m = set_mode(&ctx, &parse_mode(" APIKEY "), false).expect("mode");
        assert_eq!(m.to, AuthMode::ApiKey);
        assert!(!m.changed || m.from != m.to);
        assert_eq!(
            resolve_target(&ctx, "zzz").expect_err("unknown").failure,
            Failure::Error
        );
    }

    #[test]
    fn a_planned_switch_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (ctx, paths) = ctx_with_keys(dir.path(), &[("two", "sk-test-two")]);
        let planned = plan_at(&paths, &ctx.env, "two").expect("planned");
        assert_eq!(planned.plan.to, "two");
        assert!(!paths.auth_json().exists(), "a plan is not a switch");
        assert_eq!(
            plan_at(&paths, &ctx.env, "nobody")
                .expect_err("unknown")
                .kind(),
            store::ErrorKind::AccountNotFound
        );
    }

    #[test]
    fn skips_are_facts_the_faces_word() {
        use crate::usage::{ErrorKind as UsageKind, UsageError};
        let row = |status, error: Option<UsageError>, note: Option<&str>| AccountUsage {
            name: Some("a".into()),
            active: false,
            auth_mode: None,
            email: None,
            plan: None,
            status,
            fetched_at: None,
            snapshot: None,
            error,
            note: note.map(str::to_string),
        };
        assert_eq!(
            skip_of(&row(Status::NotApplicable, None, Some("API key"))),
            Some(Skip::NotApplicable(Some("API key".into())))
        );
        let e = UsageError::new(UsageKind::Unauthorized, "401");
        assert_eq!(
            skip_of(&row(Status::Error, Some(e.clone()), None)),
            Some(Skip::Failed(Some(e)))
        );
        assert_eq!(skip_of(&row(Status::Ok, None, None)), Some(Skip::NoFigures));
    }

    #[test]
    fn best_with_no_accounts_picks_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        let b = best(&ctx, false).expect("best");
        assert!(b.candidates.is_empty());
        assert!(b.pick().is_none());
        assert!(!b.switched());
    }

    #[test]
    fn parse_mode_accepts_any_case() {
        assert_eq!(parse_mode("chatgpt"), AuthMode::Chatgpt);
        assert_eq!(parse_mode("AgentIdentity"), AuthMode::AgentIdentity);
    }
}
