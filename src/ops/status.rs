//! `status`, `register` and the credential both `header` and `provision` start from: the live
//! credential (or a stored account) through the runtime state machine.
//!
//! Every caller runs the same [`evaluate`]: load → analyse → (Agent Identity, online) run the
//! driver, folding every event into one [`RuntimeModel`]. `register` is the same call with a
//! sink that streams each event as it happens; `status` ignores the events. The result is data
//! (the loaded credential and the state it reached): the CLI serialises its
//! [`StatusReport`](crate::runtime::report::StatusReport) and maps the state to an exit code
//! (docs/json.md), the TUI renders it.
//!
//! Naming an account is two steps, [`subject`] then [`evaluate`], so a face can tell the user
//! which account a prefix stood for before anything slow happens.

use std::sync::Mutex;

use chrono::Utc;

use std::path::PathBuf;

use super::{Ctx, Env, Failure, OpError};
use crate::runtime::driver::{RetryPolicy, backend_for_home, fail_now, init_agent};
use crate::runtime::load::Loaded;
use crate::runtime::report::StatusReport;
use crate::runtime::{Event, RuntimeModel};
use crate::store::{
    self, CodexConfig, CredentialStoreKind, FileState, Live, Paths, Resolved, Source,
};

/// Whose credential an operation reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The live credential (environment token, auth.json or keyring).
    Live,
    /// A stored account, resolved from what the user typed.
    Account(Resolved),
}

impl Subject {
    /// The resolution, when an account was named (for a face's "`ali` matches alice" note).
    pub fn resolved(&self) -> Option<&Resolved> {
        match self {
            Self::Live => None,
            Self::Account(r) => Some(r),
        }
    }

    /// Whether the live credential is meant.
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Live)
    }
}

/// Resolves `--account NAME` (exact, unique prefix, did-you-mean); `None` is the live credential.
pub fn subject(ctx: &Ctx, account: Option<&str>) -> Result<Subject, OpError> {
    let Some(typed) = account else {
        return Ok(Subject::Live);
    };
    let paths = ctx.paths()?;
    Ok(Subject::Account(store::resolve_account(&paths, typed)?))
}

/// A credential and the state its runtime reached.
#[derive(Debug)]
pub struct Evaluated {
    pub loaded: Loaded,
    pub model: RuntimeModel,
}

impl Evaluated {
    /// The typed status view (`status --json` serialises it).
    pub fn report(&self) -> StatusReport {
        self.loaded.report(&self.model)
    }
}

/// Reads the subject's credential. A named account whose file has gone is an error.
pub fn load(ctx: &Ctx, subject: &Subject) -> Result<Loaded, OpError> {
    let paths = ctx.paths()?;
    let Subject::Account(resolved) = subject else {
        return Ok(Loaded::from_live(&store::read_live(
            &paths,
            &ctx.env.as_fn(),
        )));
    };
    let name = resolved.name.as_str();
    let path = paths.store.join(format!("{name}.json"));
    let file = store::read_doc_file(&path);
    if !file.exists() {
        return Err(OpError::new(format!(
            "no account named \"{}\" in {}",
            crate::sanitize::clean(name),
            paths.store.display()
        ))
        .with_hint("`authdeck list` shows the saved accounts"));
    }
    // Only config.toml matters for an account: no environment token, keyring or auth.json read.
    let config = store::read_codex_config(&paths.config_toml());
    let mut live = account_as_live(path, file, config);
    // The store config.toml names is kept (not `file`, as for a preview): `status --account`
    // reports what Codex would do with this account live under the current config.
    live.store_kind = live.config.store.clone();
    Ok(Loaded::from_live(&live))
}

/// The live credential as Codex would find it now (environment token, auth.json, keyring,
/// config.toml), for a face that holds resolved paths (the TUI).
pub fn live_at(paths: &Paths, env: &Env) -> Live {
    store::read_live(paths, &env.as_fn())
}

/// Reads and analyses the saved account `name` without making it live (the TUI's preview of
/// the selected row). Unlike [`load`], a missing or misnamed file is not an error but the
/// state shown for it.
pub fn peek_at(paths: &Paths, name: &str) -> Loaded {
    let config = store::read_codex_config(&paths.config_toml());
    let path = paths.store.join(format!("{name}.json"));
    let file = match store::validate_name(name) {
        Ok(()) => store::read_doc_file(&path),
        Err(e) => FileState::Unreadable {
            path: path.clone(),
            message: e.to_string(),
        },
    };
    let store = config.store.clone();
    let mut loaded = Loaded::from_live(&account_as_live(path, file, config));
    // The account's own content is judged as a file; but when Codex keeps its credentials
    // elsewhere, writing auth.json would change nothing, and `switch` refuses. Say so beside
    // the verdict rather than let "Enter switches" promise it.
    if !store.is_file() {
        loaded.notices.push(format!(
            "{}; a switch to this account would have no effect, so authdeck refuses it",
            store.notice().unwrap_or_default()
        ));
    }
    loaded
}

/// The classification input for a saved account: its file as if it were auth.json, under the
/// live config.toml (the rules Codex applies after a switch). The store kind is `file` so the
/// account's own content is judged, whatever store config.toml names.
pub fn account_as_live(path: PathBuf, file: FileState, config: CodexConfig) -> Live {
    Live {
        source: Source::File { path },
        env_token: None,
        file,
        store_kind: CredentialStoreKind::File,
        config,
        keyring: None,
        exec_api_key: false,
    }
}

/// Loads and runs the runtime init (unless offline), reporting each event to `on_event`.
pub fn evaluate(
    ctx: &Ctx,
    subject: &Subject,
    on_event: &(dyn Fn(&Event) + Send + Sync),
) -> Result<Evaluated, OpError> {
    let loaded = load(ctx, subject)?;
    let model = loaded.initial_model(ctx.offline, Utc::now(), None);
    let Some(identity) = loaded.agent_to_init().filter(|_| model.busy()).cloned() else {
        return Ok(Evaluated { loaded, model });
    };
    let model = Mutex::new(model);
    let sink = |ev: Event| {
        on_event(&ev);
        if let Ok(mut m) = model.lock() {
            m.apply(&ev);
        }
    };
    match backend_for_home(&ctx.env.as_fn(), ctx.config_toml().as_deref(), ctx.timeout) {
        Ok(backend) => {
            let rt = super::tokio_runtime()?;
            rt.block_on(init_agent(
                &identity,
                &backend,
                &RetryPolicy::default(),
                &sink,
            ));
        }
        Err(e) => {
            fail_now(&sink, e);
        }
    }
    let model = model
        .into_inner()
        .map_err(|_| OpError::new("internal error: the runtime state was poisoned"))?;
    Ok(Evaluated { loaded, model })
}

/// `status`: the live credential and the state it reached (events are not reported).
pub fn status(ctx: &Ctx) -> Result<Evaluated, OpError> {
    evaluate(ctx, &Subject::Live, &|_| {})
}

/// `register`: the runtime init run now, each event streamed to `on_event`. It needs the
/// network: offline is a usage error.
pub fn register(
    ctx: &Ctx,
    subject: &Subject,
    on_event: &(dyn Fn(&Event) + Send + Sync),
) -> Result<Evaluated, OpError> {
    register_allowed(ctx)?;
    evaluate(ctx, subject, on_event)
}

/// `register` needs the network: offline it is a usage error. A face checks this before it
/// resolves an account name, so an offline `register --account typo` says the one thing wrong.
pub fn register_allowed(ctx: &Ctx) -> Result<(), OpError> {
    if ctx.offline {
        return Err(
            OpError::new("register needs the network, but --offline was given")
                .failure(Failure::Usage),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{ctx_in, ctx_with_keys};
    use crate::runtime::{State, StateKind};

    #[test]
    fn an_empty_home_is_signed_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        let ev = status(&ctx).expect("evaluates");
        assert_eq!(ev.model.state, State::SignedOut);
        assert_eq!(ev.report().state, StateKind::SignedOut);
    }

    #[test]
    fn an_api_key_is_ready_offline_and_accounts_resolve() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (ctx, _) = ctx_with_keys(dir.path(), &[("work", "sk-test-1")]);
        let subj = subject(&ctx, Some("wo")).expect("prefix");
        assert_eq!(subj.resolved().map(|r| r.name.as_str()), Some("work"));
        let ev = evaluate(&ctx, &subj, &|_| {}).expect("evaluates");
        assert!(matches!(ev.model.state, State::Ready | State::Offline));
        let err = subject(&ctx, Some("nobody")).expect_err("unknown");
        assert_eq!(err.failure, Failure::Error);
    }

    #[test]
    fn a_peeked_account_is_judged_as_if_it_were_live_and_never_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (ctx, paths) = ctx_with_keys(dir.path(), &[("work", "sk-test-peek")]);
        let before = std::fs::read(paths.store.join("work.json")).expect("read");

        let peeked = peek_at(&paths, "work");
        let report = peeked.report(&peeked.initial_model(true, Utc::now(), None));
        assert_eq!(
            report.auth_mode,
            Some(crate::codex::credential::AuthMode::ApiKey)
        );
        assert_eq!(
            std::fs::read(paths.store.join("work.json")).expect("read"),
            before
        );
        // Nothing live was created by looking.
        assert!(!paths.auth_json().exists());

        // A name that breaks the rules, or names no file, is a state to show, not an error.
        // (`live_at` below: looking created no live file.)
        let bad = peek_at(&paths, "../escape");
        assert!(matches!(live_at(&paths, &ctx.env).file, FileState::Missing));
        assert_eq!(
            bad.report(&bad.initial_model(true, Utc::now(), None)).state,
            StateKind::Invalid
        );
        assert!(peeked.notices.is_empty(), "{:?}", peeked.notices);
        // Under a keyring store a switch would change nothing: the preview says so.
        std::fs::write(
            paths.config_toml(),
            "cli_auth_credentials_store = \"keyring\"\n",
        )
        .expect("config");
        let keyring = peek_at(&paths, "work");
        assert!(
            keyring
                .notices
                .iter()
                .any(|n| n.contains("OS keyring") && n.contains("authdeck refuses it")),
            "{:?}",
            keyring.notices
        );
        let gone = peek_at(&paths, "nobody");
        assert_eq!(
            gone.report(&gone.initial_model(true, Utc::now(), None))
                .state,
            StateKind::SignedOut
        );
    }

    #[test]
    fn register_offline_is_a_usage_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = ctx_in(dir.path(), true);
        let err = register(&ctx, &Subject::Live, &|_| {}).expect_err("refused");
        assert_eq!(err.failure, Failure::Usage);
    }
}
