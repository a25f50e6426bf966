//! Fake credential documents for tests, benchmarks and the demo.
//!
//! Every token made here is *unsigned* (`alg: none`, signature `sig`) or carries obviously fake
//! values, so nothing produced by this module is a usable credential anywhere. Documents are
//! shaped exactly as Codex writes them (docs/codex-formats.md §2), pretty-printed with a 2-space indent.

use base64::Engine as _;
use serde_json::{Value, json};

use super::auth_file::AuthDoc;
use super::documents;

/// An unsigned JWT with the given payload (header `{"alg":"none","typ":"JWT"}`).
pub fn unsigned_jwt(payload: &Value) -> String {
    let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2ln",
        enc.encode(r#"{"alg":"none","typ":"JWT"}"#),
        enc.encode(payload.to_string())
    )
}

/// Describes a fake ChatGPT login.
#[derive(Debug, Clone)]
pub struct ChatgptSpec<'a> {
    pub email: &'a str,
    pub user_id: &'a str,
    pub account_id: &'a str,
    pub plan: &'a str,
    pub fedramp: bool,
    /// `exp` of the access token (seconds since the epoch).
    pub access_exp: i64,
    /// `last_refresh` (RFC 3339).
    pub last_refresh: &'a str,
    /// Distinguishes token generations of the same account.
    pub generation: u32,
}

impl Default for ChatgptSpec<'_> {
    fn default() -> Self {
        Self {
            email: "user@example.com",
            user_id: "user-12345",
            account_id: "account-123",
            plan: "pro",
            fedramp: false,
            access_exp: 4_102_444_800, // 2100-01-01
            last_refresh: "2026-11-01T10:00:00.123456Z",
            generation: 1,
        }
    }
}

/// The `tokens` object of a fake ChatGPT login.
pub fn chatgpt_tokens(spec: &ChatgptSpec<'_>) -> Value {
    let id_token = unsigned_jwt(&json!({
        "email": spec.email,
        "https://api.openai.com/auth": {
            "chatgpt_user_id": spec.user_id,
            "chatgpt_plan_type": spec.plan,
            "chatgpt_account_id": spec.account_id,
            "chatgpt_account_is_fedramp": spec.fedramp,
        }
    }));
    let access_token = unsigned_jwt(&json!({
        "exp": spec.access_exp,
        "gen": spec.generation,
        "https://api.openai.com/auth": {"chatgpt_account_id": spec.account_id},
    }));
    json!({
        "id_token": id_token,
        "access_token": access_token,
        "refresh_token": format!("rt_fake_{}_{}", spec.user_id, spec.generation),
        "account_id": spec.account_id,
    })
}

/// A ChatGPT login document as Codex writes it (built by [`documents`]; fixtures are small, so
/// the size limit never applies and the empty fallback is never seen).
pub fn chatgpt_doc(spec: &ChatgptSpec<'_>) -> AuthDoc {
    documents::chatgpt(chatgpt_tokens(spec), spec.last_refresh).unwrap_or_else(|_| empty())
}

/// An API-key document as `codex login --with-api-key` writes it.
pub fn api_key_doc(key: &str) -> AuthDoc {
    documents::api_key(key).unwrap_or_else(|_| empty())
}

/// An Agent Identity document (JWT form) as `codex login --with-access-token` writes it.
pub fn agent_jwt_doc(jwt: &str) -> AuthDoc {
    documents::agent_jwt(jwt).unwrap_or_else(|_| empty())
}

fn empty() -> AuthDoc {
    AuthDoc::from_members(&[])
}

/// The PKCS#8 v2 key of the test vectors (seed = 32 × 0x07). Test material, public on purpose.
pub const TEST_KEY_V2: &str = "MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=";

/// An Agent Identity JWT carrying the test key, shaped as Codex requires (RS256 header with a
/// `kid`, every required claim) but with a fake signature: it decodes and passes the offline
/// checks, and never verifies.
pub fn unsigned_agent_jwt(runtime_id: &str, exp: i64) -> String {
    let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = json!({
        "iss": "https://chatgpt.com/codex-backend/agent-identity",
        "aud": "codex-app-server",
        "iat": 1_767_225_600,
        "exp": exp,
        "agent_runtime_id": runtime_id,
        "agent_private_key": TEST_KEY_V2,
        "account_id": "account-agent",
        "chatgpt_user_id": "user-agent",
        "email": "agent@example.com",
        "plan_type": "business",
        "chatgpt_account_is_fedramp": false,
    });
    format!(
        "{}.{}.c2ln",
        enc.encode(r#"{"alg":"RS256","typ":"JWT","kid":"test-kid"}"#),
        enc.encode(payload.to_string())
    )
}
