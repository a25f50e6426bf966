//! Reading usage for many accounts at once: which accounts get a request, how the cache and a
//! pending `Retry-After` are honoured, and bounded concurrency.
//!
//! Every account is read independently (one failing or hung account never hides or holds up the
//! others beyond the request timeout), at most [`CONCURRENCY`] at a time, in the order given. An
//! account's request carries only that account's own access token, workspace id and fedramp
//! flag. Key-based accounts (API key, personal access token, Bedrock) have no plan limits: they
//! are *not applicable* and no request is made. An Agent Identity without a ChatGPT login beside
//! it asks with an `AgentAssertion` (as Codex authenticates every backend call) when its task is
//! already registered — by the caller's session ([`Target::registered_task`], the TUI's live
//! account) or stored in its record — and is *not applicable* otherwise: reading usage never
//! registers a task.
//! Nothing here refreshes a token or writes a credential: the only file written is the cache.

use std::path::PathBuf;
use std::time::Duration;

use futures::StreamExt as _;

pub use super::targets::{RegisteredTask, Selection, Target, targets};

use super::cache::{self, CacheEntry};
use super::fetch::{UsageAuth, UsageClient};
use super::{AccountUsage, ErrorKind, Snapshot, Status, UsageError};
use crate::codex::agent_identity::AssertionSigner;
use crate::codex::claims::Plan;
use crate::codex::credential::{Analysis, AuthMode};
use crate::codex::urls::{CHATGPT_BASE_KEY, DEFAULT_CHATGPT_BASE, check_override, usage_url};
use crate::secret::Secret;
use crate::store::{self, Paths};

/// At most this many usage requests in flight.
pub const CONCURRENCY: usize = 16;
/// After a 429 without `Retry-After`, wait this long before asking again.
pub const DEFAULT_RETRY_AFTER: u64 = 60;

/// How the cache is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Ask the backend (unless a Retry-After is pending).
    Fetch,
    /// Ask only when the cached figures are older than this many seconds.
    ReuseYoungerThan(i64),
    /// Never ask: serve the cache.
    Offline,
}

/// Where and how to ask.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The usage URL, or why it is refused (then no request is made).
    pub url: Result<String, UsageError>,
    pub timeout: Duration,
    pub cache_dir: PathBuf,
    pub policy: Policy,
}

impl Settings {
    /// The settings for a Codex home: `chatgpt_base_url` from its config.toml (default
    /// `https://chatgpt.com/backend-api`), checked against the https-or-loopback rule.
    pub fn for_paths(paths: &Paths, timeout: Duration, policy: Policy) -> Self {
        let base = store::config::read_chatgpt_base_url(&paths.config_toml())
            .ok()
            .flatten();
        let url = match base {
            None => Ok(usage_url(DEFAULT_CHATGPT_BASE)),
            Some(b) => check_override(CHATGPT_BASE_KEY, &b)
                .map(|b| usage_url(&b))
                .map_err(|e| {
                    UsageError::new(
                        ErrorKind::RefusedUrl,
                        format!("config.toml {e}; no usage request was made"),
                    )
                }),
        };
        Self {
            url,
            timeout,
            cache_dir: cache::dir(paths),
            policy,
        }
    }
}

/// What to do for one account before any request.
enum Prep<'a> {
    NotApplicable(String),
    Invalid(String),
    Ask {
        credential: Credential<'a>,
        account_id: Option<String>,
        fedramp: bool,
        key: Option<String>,
    },
}

/// How a usage request authenticates.
enum Credential<'a> {
    /// The account's ChatGPT access token, as `Bearer`.
    Bearer(&'a Secret),
    /// An AgentAssertion for a task that is already registered, signed just before the request
    /// (its timestamp must be fresh when the backend reads it).
    Agent(AssertionSigner<'a>),
}

impl Credential<'_> {
    /// How a refusal of this credential is worded.
    fn refused(&self) -> &'static str {
        match self {
            Self::Bearer(_) => super::REJECTED_TOKEN,
            Self::Agent(_) => super::REJECTED_ASSERTION,
        }
    }

    /// The whole `Authorization` value.
    fn authorization(&self) -> Secret {
        match self {
            Self::Bearer(token) => {
                // Sized up front, so no reallocation leaves an unwiped copy of the token behind.
                let mut value = String::with_capacity("Bearer ".len() + token.expose().len());
                value.push_str("Bearer ");
                value.push_str(token.expose());
                Secret::new(value)
            }
            Self::Agent(signer) => signer.header_value(chrono::Utc::now()),
        }
    }
}

/// Why an Agent Identity without a ChatGPT login gets no request.
const AGENT_WITHOUT_TASK: &str = "Agent Identity without a ChatGPT login or a registered task: \
     reading usage would need a task, and authdeck never registers one just to read usage";

fn plan_for<'a>(a: &'a Analysis, registered_task: Option<&'a RegisteredTask>) -> Prep<'a> {
    let key_based = matches!(
        a.mode,
        AuthMode::ApiKey | AuthMode::PersonalAccessToken | AuthMode::BedrockApiKey
    );
    if key_based {
        return Prep::NotApplicable(format!(
            "{} accounts have no plan limits",
            a.mode.describe()
        ));
    }
    match a.material.chatgpt_ok() {
        Some(login) if !login.access_token.is_empty() => Prep::Ask {
            credential: Credential::Bearer(&login.access_token),
            account_id: login
                .account_id
                .clone()
                .or_else(|| login.claims.account_id.clone()),
            fedramp: login.claims.fedramp,
            key: cache::key(
                login
                    .account_id
                    .as_deref()
                    .or(login.claims.account_id.as_deref()),
                login.claims.chatgpt_user_id.as_deref(),
            ),
        },
        _ if a.mode == AuthMode::AgentIdentity => agent_plan(a, registered_task),
        _ => Prep::Invalid(
            a.problem
                .clone()
                .unwrap_or_else(|| "no ChatGPT access token".to_string()),
        ),
    }
}

/// An Agent Identity asks with its registered task (the session's, for its runtime; else the
/// one stored in its record).
fn agent_plan<'a>(a: &'a Analysis, registered_task: Option<&'a RegisteredTask>) -> Prep<'a> {
    if let Some(problem) = &a.problem {
        return Prep::Invalid(problem.clone());
    }
    let Some(agent) = a.material.agent_ok() else {
        return Prep::Invalid("no agent identity".to_string());
    };
    let registered = registered_task
        .filter(|r| agent.facts().is_some_and(|f| f.runtime_id == r.runtime_id))
        .map(|r| &r.task_id);
    match agent.signer(registered) {
        Ok(Some(signer)) => Prep::Ask {
            account_id: signer.facts.account_id.clone(),
            fedramp: signer.facts.fedramp,
            key: cache::key(
                signer.facts.account_id.as_deref(),
                signer.facts.chatgpt_user_id.as_deref(),
            ),
            credential: Credential::Agent(signer),
        },
        Ok(None) => Prep::NotApplicable(AGENT_WITHOUT_TASK.to_string()),
        Err(e) => Prep::Invalid(e.to_string()),
    }
}

fn base_row(t: &Target) -> AccountUsage {
    let (mode, email, plan) = match &t.analysis {
        Ok(a) => {
            let facts = a.account().unwrap_or_default();
            (
                Some(a.mode.as_str().to_string()),
                facts.email,
                facts.plan.map(|p| p.display().to_string()),
            )
        }
        Err(_) => (None, None, None),
    };
    AccountUsage {
        name: t.name.clone(),
        active: t.active,
        auth_mode: mode,
        email,
        plan,
        status: Status::Error,
        fetched_at: None,
        snapshot: None,
        error: None,
        note: None,
    }
}

fn with_figures(
    mut row: AccountUsage,
    status: Status,
    at: Option<i64>,
    s: Snapshot,
) -> AccountUsage {
    if let Some(p) = &s.plan_type {
        row.plan = Some(Plan::parse(p).display().to_string());
    }
    row.status = status;
    row.fetched_at = at;
    row.snapshot = Some(s);
    row
}

fn failed(mut row: AccountUsage, e: UsageError) -> AccountUsage {
    row.status = Status::Error;
    row.error = Some(e);
    row
}

/// Serves the cache, or fails with `e` when there is nothing cached.
fn cached_or(row: AccountUsage, entry: Option<CacheEntry>, e: Option<UsageError>) -> AccountUsage {
    match entry.and_then(|c| c.snapshot.map(|s| (c.fetched_at, s))) {
        Some((at, s)) => {
            let mut row = with_figures(row, Status::Cached, at, s);
            row.error = e;
            row
        }
        None => match e {
            Some(e) => failed(row, e),
            None => AccountUsage {
                status: Status::Cached,
                ..row
            },
        },
    }
}

fn rate_limited(wait: u64) -> UsageError {
    let mut e = UsageError::new(
        ErrorKind::RateLimited,
        format!(
            "rate limited: the backend asked to wait {} before asking again",
            super::figures::compact_duration(wait)
        ),
    );
    e.http_status = Some(429);
    e.retry_after_seconds = Some(wait);
    e
}

/// The row of an account whose credential cannot be used.
fn invalid(row: AccountUsage, why: &str) -> AccountUsage {
    failed(
        row,
        UsageError::new(
            ErrorKind::InvalidCredential,
            format!("invalid credential: {why}"),
        ),
    )
}

/// Whether the cache answers under `policy`, without a request.
fn cache_serves(policy: Policy, entry: Option<&CacheEntry>, now: i64) -> bool {
    match policy {
        Policy::Offline => true,
        Policy::ReuseYoungerThan(max_age) => entry.is_some_and(|c| {
            c.snapshot.is_some()
                && c.fetched_at
                    .is_some_and(|at| now.saturating_sub(at) < max_age)
        }),
        Policy::Fetch => false,
    }
}

/// Records a 429's Retry-After in the account's cache entry, keeping the figures it holds.
fn remember_retry_after(s: &Settings, key: &str, entry: Option<&CacheEntry>, until: i64) {
    let mut updated = entry.cloned().unwrap_or(CacheEntry {
        schema_version: 1,
        fetched_at: None,
        snapshot: None,
        retry_after_until: None,
    });
    updated.retry_after_until = Some(until);
    if let Err(err) = cache::write(&s.cache_dir, key, &updated) {
        tracing::warn!(error = %err, "could not record Retry-After");
    }
}

async fn one(client: Option<&UsageClient>, s: &Settings, t: Target, now: i64) -> AccountUsage {
    let row = base_row(&t);
    let analysis = match &t.analysis {
        Ok(a) => a,
        Err(why) => return invalid(row, why),
    };
    let (credential, account_id, fedramp, key) =
        match plan_for(analysis, t.registered_task.as_ref()) {
            Prep::NotApplicable(why) => {
                return AccountUsage {
                    status: Status::NotApplicable,
                    note: Some(why),
                    ..row
                };
            }
            Prep::Invalid(why) => return invalid(row, &why),
            Prep::Ask {
                credential,
                account_id,
                fedramp,
                key,
            } => (credential, account_id, fedramp, key),
        };
    let entry = key.as_deref().and_then(|k| cache::read(&s.cache_dir, k));
    if cache_serves(s.policy, entry.as_ref(), now) {
        return cached_or(row, entry, None);
    }
    if let Some(wait) = entry.as_ref().and_then(|c| c.retry_pending(now)) {
        return cached_or(row, entry, Some(rate_limited(wait)));
    }
    let (url, client) = match (&s.url, client) {
        (Err(e), _) => return failed(row, e.clone()),
        (Ok(url), Some(c)) => (url, c),
        (Ok(_), None) => {
            return failed(
                row,
                UsageError::new(ErrorKind::Network, "could not set up the HTTP client"),
            );
        }
    };
    let authorization = credential.authorization();
    let auth = UsageAuth {
        authorization: &authorization,
        account_id: account_id.as_deref(),
        fedramp,
        refused: credential.refused(),
    };
    match client.fetch(url, auth, now).await {
        Ok(snap) => {
            if let Some(k) = &key
                && let Err(e) = cache::write(&s.cache_dir, k, &CacheEntry::fresh(snap.clone(), now))
            {
                tracing::warn!(error = %e, "could not write the usage cache");
            }
            with_figures(row, Status::Ok, Some(now), snap)
        }
        Err(mut e) if e.kind == ErrorKind::RateLimited => {
            let wait = e.retry_after_seconds.unwrap_or(DEFAULT_RETRY_AFTER);
            if let Some(k) = &key {
                remember_retry_after(s, k, entry.as_ref(), now.saturating_add_unsigned(wait));
            }
            e.retry_after_seconds = Some(wait);
            cached_or(row, entry, Some(e))
        }
        Err(e) => failed(row, e),
    }
}

/// Reads usage for every target, at most [`CONCURRENCY`] at a time, in the targets' order.
pub async fn gather(targets: Vec<Target>, settings: &Settings, now: i64) -> Vec<AccountUsage> {
    let client = settings
        .url
        .as_ref()
        .ok()
        .and_then(|url| UsageClient::new(url, settings.timeout).ok());
    futures::stream::iter(targets)
        .map(|t| one(client.as_ref(), settings, t, now))
        .buffered(CONCURRENCY)
        .collect()
        .await
}

/// Exit 0 when every account answered, is served from the cache, or is not applicable.
pub fn all_answered(rows: &[AccountUsage]) -> bool {
    rows.iter().all(|r| r.status != Status::Error)
}
