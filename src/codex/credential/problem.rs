//! Why the mode in force cannot be used: its material is missing, empty or refused.
//!
//! This runs after Codex's whole-document rules ([`crate::codex::loader`]); it is where authdeck
//! is deliberately stricter than `codex login status`, which reports a mode whose material is
//! missing or empty as configured (docs/codex-parity.md).

use super::{AgentIdentity, AuthMode, Material};

pub(super) fn problem_for(mode: &AuthMode, m: &Material, now_unix: i64) -> Option<String> {
    match mode {
        AuthMode::ApiKey if !m.api_key_present => {
            Some("auth_mode is \"apikey\" but OPENAI_API_KEY is missing".to_string())
        }
        // Codex reports an empty key as configured; no request can succeed with it, so authdeck
        // stays stricter here (docs/codex-parity.md, deliberate differences).
        AuthMode::ApiKey => m.api_key.is_none().then(|| {
            "OPENAI_API_KEY is empty: Codex shows it as configured, but no request can succeed"
                .to_string()
        }),
        // Codex loads host-supplied tokens from disk like a ChatGPT login.
        AuthMode::Chatgpt | AuthMode::ChatgptAuthTokens => match &m.chatgpt {
            None => Some("ChatGPT mode but `tokens` is missing".to_string()),
            Some(Err(e)) => Some(e.clone()),
            Some(Ok(_)) => None,
        },
        AuthMode::AgentIdentity => match &m.agent {
            None => {
                Some("auth_mode is \"agentIdentity\" but agent_identity is missing".to_string())
            }
            Some(Err(e)) => Some(e.to_string()),
            Some(Ok(AgentIdentity::Unrecognised)) => {
                Some("unrecognised agent identity (kept as is)".to_string())
            }
            Some(Ok(a)) => {
                let jwt = match a {
                    AgentIdentity::Jwt(j) => j.offline_problem(now_unix),
                    _ => None,
                };
                jwt.or_else(|| a.key().err().map(|e| e.to_string()))
            }
        },
        AuthMode::PersonalAccessToken if !m.personal_access_token_present => Some(
            "auth_mode is \"personalAccessToken\" but personal_access_token is missing".to_string(),
        ),
        AuthMode::PersonalAccessToken => m
            .personal_access_token
            .is_none()
            .then(|| "personal_access_token is empty: no request can succeed with it".to_string()),
        AuthMode::BedrockApiKey => (!m.bedrock_api_key)
            .then(|| "auth_mode is \"bedrockApiKey\" but bedrock_api_key is missing".to_string()),
        AuthMode::BedrockAccessKeys => (!m.bedrock_access_keys).then(|| {
            "auth_mode is \"bedrockAccessKeys\" but bedrock_access_keys is missing".to_string()
        }),
        AuthMode::Other(s) => Some(format!("unknown auth_mode \"{s}\" (kept as is)")),
    }
}
