//! The `auth_mode` wire strings (Codex's serde names are case-sensitive; unknown values are
//! kept verbatim so a document is never rewritten with a mode authdeck does not know).

use std::fmt;

/// An `auth_mode` value. Unknown values are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthMode {
    ApiKey,
    Chatgpt,
    ChatgptAuthTokens,
    AgentIdentity,
    PersonalAccessToken,
    BedrockApiKey,
    BedrockAccessKeys,
    Other(String),
}

impl AuthMode {
    pub const KNOWN: [AuthMode; 7] = [
        AuthMode::ApiKey,
        AuthMode::Chatgpt,
        AuthMode::ChatgptAuthTokens,
        AuthMode::AgentIdentity,
        AuthMode::PersonalAccessToken,
        AuthMode::BedrockApiKey,
        AuthMode::BedrockAccessKeys,
    ];

    /// Parses a wire string exactly (Codex's serde is case-sensitive).
    pub fn parse(s: &str) -> Self {
        Self::KNOWN
            .iter()
            .find(|m| m.as_str() == s)
            .cloned()
            .unwrap_or_else(|| Self::Other(s.to_string()))
    }

    /// The wire string written to `auth_mode`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::ApiKey => "apikey",
            Self::Chatgpt => "chatgpt",
            Self::ChatgptAuthTokens => "chatgptAuthTokens",
            Self::AgentIdentity => "agentIdentity",
            Self::PersonalAccessToken => "personalAccessToken",
            Self::BedrockApiKey => "bedrockApiKey",
            Self::BedrockAccessKeys => "bedrockAccessKeys",
            Self::Other(s) => s,
        }
    }

    /// A short human description.
    pub fn describe(&self) -> &str {
        match self {
            Self::ApiKey => "API key",
            Self::Chatgpt => "ChatGPT login",
            Self::ChatgptAuthTokens => "host-supplied ChatGPT tokens",
            Self::AgentIdentity => "Agent Identity",
            Self::PersonalAccessToken => "personal access token",
            Self::BedrockApiKey => "Bedrock API key",
            Self::BedrockAccessKeys => "Bedrock AWS access keys",
            Self::Other(_) => "unknown mode (kept as is)",
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for AuthMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
