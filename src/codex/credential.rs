//! What a credential document *means*: the auth mode in force, the material present for each
//! mode, why the document cannot be used (an *invalid* credential, never "signed out"), who it
//! belongs to, and how fresh its tokens are.
//!
//! [`Analysis`] is computed once from an [`AuthDoc`] (or an environment token) and is plain
//! data: the store uses its identity and freshness to find the active account and decide on
//! sync-back, the runtime uses its material, and the report turns it into what users see.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::agent_identity::{AgentError, AgentIdentity};
use super::auth_file::AuthDoc;
use super::claims::{IdTokenClaims, Plan};
use super::loader::refusal;
use crate::secret::Secret;
use crate::secret::mask_api_key;

/// The prefix that marks a personal access token (in `CODEX_ACCESS_TOKEN` or on disk).
pub const PAT_PREFIX: &str = "at-";

mod mode;
pub use mode::AuthMode;

/// A ChatGPT OAuth login (`tokens`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChatgptLogin {
    pub id_token: Secret,
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// `tokens.account_id`: the workspace id sent as `ChatGPT-Account-ID`.
    pub account_id: Option<String>,
    pub claims: IdTokenClaims,
    /// `exp` of the access token, seconds since the epoch.
    pub access_expires_at: Option<i64>,
}

impl ChatgptLogin {
    pub fn refreshable(&self) -> bool {
        self.refresh_token.as_ref().is_some_and(|t| !t.is_empty())
    }
}

/// Everything usable that a document holds, per mode. A malformed piece is kept as its error so
/// that it only makes the credential invalid when its mode is the one in force.
// Each flag is an independent "this member is present" fact Codex resolves the mode by.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Material {
    /// The API key, when it is a non-blank string.
    pub api_key: Option<Secret>,
    /// `OPENAI_API_KEY` is present and not null (an empty string counts: Codex resolves the
    /// mode by presence).
    pub api_key_present: bool,
    pub chatgpt: Option<Result<ChatgptLogin, String>>,
    pub agent: Option<Result<AgentIdentity, AgentError>>,
    pub personal_access_token: Option<Secret>,
    /// `personal_access_token` is present and not null (even empty).
    pub personal_access_token_present: bool,
    pub bedrock_api_key: bool,
    pub bedrock_access_keys: bool,
    pub last_refresh: Option<DateTime<Utc>>,
}

/// Who a credential belongs to, for "is this the same account?" (never byte equality).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identity {
    /// ChatGPT workspace + user.
    Chatgpt {
        account_id: Option<String>,
        user_id: String,
    },
    Agent {
        runtime_id: String,
    },
    /// The key itself (compared, never shown).
    ApiKey(Secret),
    PersonalAccessToken(Secret),
}

/// Who a credential belongs to and on which plan, as the mode in force tells it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountFacts {
    pub email: Option<String>,
    pub chatgpt_user_id: Option<String>,
    pub account_id: Option<String>,
    pub fedramp: bool,
    pub plan: Option<Plan>,
}

/// The meaning of one credential document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The mode in force (explicit or resolved).
    pub mode: AuthMode,
    /// Whether `auth_mode` was present in the document.
    pub mode_explicit: bool,
    /// Modes whose material is present, in a stable order.
    pub available: Vec<AuthMode>,
    pub material: Material,
    /// Why the credential in force cannot be used, if it cannot.
    pub problem: Option<String>,
}

impl Analysis {
    /// Analyses a document from disk, judging time-bound facts (an Agent Identity JWT's expiry)
    /// at the current time.
    pub fn of_doc(doc: &AuthDoc) -> Self {
        Self::of_doc_at(doc, Utc::now().timestamp())
    }

    /// Analyses a document from disk as of `now_unix` (seconds since the epoch).
    pub fn of_doc_at(doc: &AuthDoc, now_unix: i64) -> Self {
        let (material, type_errors) = Material::read(doc);
        let (mode, mode_explicit, mode_error) = match doc.get("auth_mode") {
            Some(Value::String(s)) => (AuthMode::parse(s), true, None),
            None | Some(Value::Null) => {
                // Codex's order, by presence (as observed: docs/codex-parity.md).
                let resolved = if material.personal_access_token_present {
                    AuthMode::PersonalAccessToken
                } else if material.bedrock_api_key {
                    AuthMode::BedrockApiKey
                } else if material.bedrock_access_keys {
                    AuthMode::BedrockAccessKeys
                } else if material.api_key_present {
                    AuthMode::ApiKey
                } else {
                    AuthMode::Chatgpt
                };
                (resolved, false, None)
            }
            Some(other) => (
                AuthMode::Chatgpt,
                true,
                Some(format!(
                    "`auth_mode` must be a string, found {}",
                    kind_of(other)
                )),
            ),
        };
        // Codex refuses the whole file first; then the mode in force needs its material.
        let problem = mode_error
            .or_else(|| refusal(doc).map(|r| format!("Codex refuses this file: {r}")))
            .or_else(|| type_errors.into_iter().next())
            .or_else(|| problem_for(&mode, &material, now_unix));
        Self {
            available: material.available_modes(),
            mode,
            mode_explicit,
            material,
            problem,
        }
    }

    /// Analyses the token in `CODEX_ACCESS_TOKEN`: an Agent Identity JWT, or a personal access
    /// token when it starts with `at-` (as Codex tells them apart).
    pub fn of_env_token(token: &str) -> Self {
        Self::of_env_token_at(token, Utc::now().timestamp())
    }

    /// [`Analysis::of_env_token`] as of `now_unix`.
    pub fn of_env_token_at(token: &str, now_unix: i64) -> Self {
        if token.starts_with(PAT_PREFIX) {
            let material = Material {
                personal_access_token: Some(Secret::new(token)),
                personal_access_token_present: true,
                ..Material::default()
            };
            return Self {
                available: vec![AuthMode::PersonalAccessToken],
                problem: None,
                mode: AuthMode::PersonalAccessToken,
                mode_explicit: true,
                material,
            };
        }
        let mut value = Value::String(token.to_string());
        let material = Material {
            agent: Some(AgentIdentity::from_value(&value)),
            ..Material::default()
        };
        super::auth_file::wipe_value(&mut value);
        let mode = AuthMode::AgentIdentity;
        Self {
            available: vec![AuthMode::AgentIdentity],
            problem: problem_for(&mode, &material, now_unix),
            mode,
            mode_explicit: true,
            material,
        }
    }

    /// Who this credential belongs to, by the material of the mode in force, falling back to
    /// any identity the document holds.
    pub fn identity(&self) -> Option<Identity> {
        let m = &self.material;
        let chatgpt = || {
            m.chatgpt_ok().and_then(|c| {
                Some(Identity::Chatgpt {
                    account_id: c.account_id.clone().or_else(|| c.claims.account_id.clone()),
                    user_id: c.claims.chatgpt_user_id.clone()?,
                })
            })
        };
        let agent = || {
            m.agent_ok()
                .and_then(AgentIdentity::facts)
                .map(|f| Identity::Agent {
                    runtime_id: f.runtime_id.clone(),
                })
        };
        let api = || m.api_key.clone().map(Identity::ApiKey);
        let pat = || {
            m.personal_access_token
                .clone()
                .map(Identity::PersonalAccessToken)
        };
        match self.mode {
            AuthMode::ApiKey => api().or_else(chatgpt).or_else(agent),
            AuthMode::AgentIdentity => agent().or_else(chatgpt).or_else(api),
            AuthMode::PersonalAccessToken => pat().or_else(chatgpt),
            _ => chatgpt().or_else(agent).or_else(api).or_else(pat),
        }
    }

    /// Whether two credentials belong to the same account: any shared identity counts, so an
    /// account whose document holds both a key and a login is recognised in either mode.
    pub fn same_account(&self, other: &Analysis) -> bool {
        shares_identity(&self.identities(), &other.identities())
    }

    /// Every identity the document holds (see [`Analysis::same_account`]).
    pub fn identities(&self) -> Vec<Identity> {
        let m = &self.material;
        let mut out = Vec::new();
        if let Some(c) = m.chatgpt_ok()
            && let Some(user) = &c.claims.chatgpt_user_id
        {
            out.push(Identity::Chatgpt {
                account_id: c.account_id.clone().or_else(|| c.claims.account_id.clone()),
                user_id: user.clone(),
            });
        }
        if let Some(f) = m.agent_ok().and_then(AgentIdentity::facts) {
            out.push(Identity::Agent {
                runtime_id: f.runtime_id.clone(),
            });
        }
        if let Some(k) = &m.api_key {
            out.push(Identity::ApiKey(k.clone()));
        }
        if let Some(k) = &m.personal_access_token {
            out.push(Identity::PersonalAccessToken(k.clone()));
        }
        out
    }

    /// The account facts of the mode in force: an Agent Identity's claims in agent mode, else the
    /// ChatGPT id_token's, each falling back to the other. Key-based modes keep the email (it says
    /// whose document this is) but have no plan: a ChatGPT plan does not apply to a key.
    pub fn account(&self) -> Option<AccountFacts> {
        let m = &self.material;
        let from_agent = || {
            m.agent_ok()
                .and_then(AgentIdentity::facts)
                .map(|f| AccountFacts {
                    email: f.email.clone(),
                    chatgpt_user_id: f.chatgpt_user_id.clone(),
                    account_id: f.account_id.clone(),
                    fedramp: f.fedramp,
                    plan: f.plan.clone(),
                })
        };
        let from_chatgpt = || {
            m.chatgpt_ok().map(|c| AccountFacts {
                email: c.claims.email.clone(),
                chatgpt_user_id: c.claims.chatgpt_user_id.clone(),
                account_id: c.account_id.clone().or_else(|| c.claims.account_id.clone()),
                fedramp: c.claims.fedramp,
                plan: c.claims.plan.clone(),
            })
        };
        match self.mode {
            AuthMode::AgentIdentity => from_agent().or_else(from_chatgpt),
            AuthMode::ApiKey | AuthMode::PersonalAccessToken | AuthMode::BedrockApiKey => {
                from_chatgpt()
                    .or_else(from_agent)
                    .map(|f| AccountFacts { plan: None, ..f })
            }
            _ => from_chatgpt().or_else(from_agent),
        }
    }

    /// A one-line "who": the email, else the agent runtime id, else the masked API key.
    pub fn who(&self) -> Option<String> {
        let m = &self.material;
        self.account()
            .and_then(|a| a.email)
            .or_else(|| {
                m.agent_ok()
                    .and_then(AgentIdentity::facts)
                    .map(|f| f.runtime_id.clone())
            })
            .or_else(|| m.api_key.as_ref().map(|k| mask_api_key(k.expose())))
    }

    /// How fresh the tokens are: `(last_refresh, access-token expiry)`, compared in order.
    pub fn freshness(&self) -> (Option<DateTime<Utc>>, Option<i64>) {
        (
            self.material.last_refresh,
            self.material.chatgpt_ok().and_then(|c| c.access_expires_at),
        )
    }
}

/// Whether two identity lists name the same account.
pub fn shares_identity(a: &[Identity], b: &[Identity]) -> bool {
    a.iter().any(|i| b.contains(i))
}

mod material;
mod problem;
use material::kind_of;
use problem::problem_for;

#[cfg(test)]
mod tests;
