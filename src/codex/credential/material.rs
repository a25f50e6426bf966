//! Reading a document's material: each mode's members picked out of the document, a malformed
//! piece kept as its error (it only makes the credential invalid when its mode is in force).

use serde_json::Value;

use chrono::{DateTime, Utc};

use super::{AuthMode, ChatgptLogin, Material};
use crate::codex::agent_identity::AgentIdentity;
use crate::codex::auth_file::AuthDoc;
use crate::codex::claims::{IdTokenClaims, JwtError, jwt_expiry};
use crate::secret::Secret;

fn string_member(doc: &AuthDoc, key: &str) -> Result<Option<String>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "`{key}` must be a string, found {}",
            kind_of(other)
        )),
    }
}

pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn chatgpt_login(tokens: &Value) -> Result<ChatgptLogin, String> {
    let Value::Object(t) = tokens else {
        return Err(format!(
            "`tokens` must be an object, found {}",
            kind_of(tokens)
        ));
    };
    let get = |k: &str| -> Result<Option<String>, String> {
        match t.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "`tokens.{k}` must be a string, found {}",
                kind_of(other)
            )),
        }
    };
    let id_token = get("id_token")?.ok_or("`tokens.id_token` is missing")?;
    let access_token = get("access_token")?.ok_or("`tokens.access_token` is missing")?;
    let refresh_token = get("refresh_token")?;
    let account_id = get("account_id")?;
    let claims = IdTokenClaims::from_id_token(&id_token)
        .map_err(|e: JwtError| format!("`tokens.id_token`: {e}"))?;
    Ok(ChatgptLogin {
        access_expires_at: jwt_expiry(&access_token),
        id_token: Secret::new(id_token),
        access_token: Secret::new(access_token),
        refresh_token: refresh_token.map(Secret::new),
        account_id,
        claims,
    })
}

impl Material {
    pub(super) fn read(doc: &AuthDoc) -> (Self, Vec<String>) {
        let mut type_errors = Vec::new();
        let mut take = |key: &str| {
            string_member(doc, key).unwrap_or_else(|e| {
                type_errors.push(e);
                None
            })
        };
        let api_key = take("OPENAI_API_KEY").map(Secret::new);
        let personal_access_token = take("personal_access_token").map(Secret::new);
        let last_refresh = take("last_refresh").and_then(|s| {
            DateTime::parse_from_rfc3339(&s)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        });
        let present = |key: &str| doc.get(key).is_some_and(|v| !v.is_null());
        let material = Self {
            api_key,
            api_key_present: present("OPENAI_API_KEY"),
            personal_access_token_present: present("personal_access_token"),
            bedrock_access_keys: present("bedrock_access_keys"),
            chatgpt: doc
                .get("tokens")
                .filter(|v| !v.is_null())
                .map(chatgpt_login),
            agent: doc
                .get("agent_identity")
                .filter(|v| !v.is_null())
                .map(AgentIdentity::from_value),
            personal_access_token,
            bedrock_api_key: doc.get("bedrock_api_key").is_some_and(|v| !v.is_null()),
            last_refresh,
        };
        (material, type_errors)
    }

    /// Modes whose material is present (whether or not it is well formed).
    pub fn available_modes(&self) -> Vec<AuthMode> {
        let mut modes = Vec::new();
        if self.api_key_present {
            modes.push(AuthMode::ApiKey);
        }
        if self.chatgpt.is_some() {
            modes.push(AuthMode::Chatgpt);
        }
        if matches!(&self.agent, Some(a) if !matches!(a, Ok(AgentIdentity::Unrecognised))) {
            modes.push(AuthMode::AgentIdentity);
        }
        if self.personal_access_token_present {
            modes.push(AuthMode::PersonalAccessToken);
        }
        if self.bedrock_api_key {
            modes.push(AuthMode::BedrockApiKey);
        }
        if self.bedrock_access_keys {
            modes.push(AuthMode::BedrockAccessKeys);
        }
        modes
    }

    /// The usable ChatGPT login, if any.
    pub fn chatgpt_ok(&self) -> Option<&ChatgptLogin> {
        self.chatgpt.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// The usable agent identity, if any (recognised shapes only).
    pub fn agent_ok(&self) -> Option<&AgentIdentity> {
        self.agent
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .filter(|a| !matches!(a, AgentIdentity::Unrecognised))
    }
}
