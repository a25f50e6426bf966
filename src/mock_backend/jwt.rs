//! Demo key material and Agent Identity JWT minting for the mock backend, demos and tests.
//!
//! The demo RSA key lives in `assets/demo/` (see its README): it is public, DEMO-ONLY, and only
//! the mock's JWKS contains it. Minting is exposed so that tests can make good tokens and,
//! with [`mint_jwt_with`] / [`mint_unsigned_jwt`], every kind of bad one.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, AlgorithmFamily, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::backend::{AGENT_JWT_AUDIENCE, AGENT_JWT_ISSUER};
use crate::codex::agent_key::AgentKey;

/// The key id of the demo RSA key.
pub const DEMO_KID: &str = "authdeck-demo-key-1";
/// The demo JWKS document, as served by the mock.
pub const DEMO_JWKS_JSON: &str = include_str!("../../assets/demo/demo-jwks.json");
const DEMO_RSA_PRIVATE_PEM: &str = include_str!("../../assets/demo/demo-rsa-private-key.pem");

/// The DEMO-ONLY RSA private key (PKCS#8 PEM).
pub fn demo_rsa_private_pem() -> &'static str {
    DEMO_RSA_PRIVATE_PEM
}

/// The demo JWKS (one RS256 key, kid [`DEMO_KID`]). The embedded document is checked by the
/// tests; were it unreadable, the set would be empty and every verification would fail closed.
pub fn demo_jwks() -> JwkSet {
    serde_json::from_str(DEMO_JWKS_JSON).unwrap_or(JwkSet { keys: Vec::new() })
}

/// What goes into an Agent Identity JWT (docs/codex-formats.md §2.3 a).
#[derive(Debug, Clone)]
pub struct AgentJwtSpec {
    pub runtime_id: String,
    pub key: AgentKey,
    pub account_id: String,
    pub chatgpt_user_id: String,
    pub email: Option<String>,
    pub plan_type: String,
    pub fedramp: bool,
    pub iat: i64,
    pub exp: i64,
}

impl AgentJwtSpec {
    /// A plausible demo identity valid from `now_unix` for 24 hours.
    pub fn demo(runtime_id: &str, key: AgentKey, now_unix: i64) -> Self {
        Self {
            runtime_id: runtime_id.to_string(),
            key,
            account_id: "account-demo".to_string(),
            chatgpt_user_id: "user-demo".to_string(),
            email: Some("demo@example.com".to_string()),
            plan_type: "pro".to_string(),
            fedramp: false,
            iat: now_unix,
            exp: now_unix + 24 * 3600,
        }
    }

    /// The claims object, in the order Codex's tokens carry them. `email` is omitted when `None`.
    pub fn claims(&self) -> Value {
        let mut claims = json!({
            "iss": AGENT_JWT_ISSUER,
            "aud": AGENT_JWT_AUDIENCE,
            "iat": self.iat,
            "exp": self.exp,
            "agent_runtime_id": self.runtime_id,
            "agent_private_key": self.key.to_pkcs8_v2_base64().expose(),
            "account_id": self.account_id,
            "chatgpt_user_id": self.chatgpt_user_id,
        });
        if let (Some(email), Some(map)) = (&self.email, claims.as_object_mut()) {
            map.insert("email".into(), Value::String(email.clone()));
        }
        if let Some(map) = claims.as_object_mut() {
            map.insert("plan_type".into(), Value::String(self.plan_type.clone()));
            map.insert(
                "chatgpt_account_is_fedramp".into(),
                Value::Bool(self.fedramp),
            );
        }
        claims
    }
}

/// An Agent Identity JWT signed RS256 with the demo key, header kid [`DEMO_KID`].
pub fn mint_agent_jwt(spec: &AgentJwtSpec) -> Result<String, jsonwebtoken::errors::Error> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(DEMO_KID.to_string());
    mint_jwt_with(header, &spec.claims(), DEMO_RSA_PRIVATE_PEM)
}

/// Signs `claims` under `header` with `key`: a PEM private key for RSA/EC/EdDSA algorithms, or,
/// for HS*, the raw bytes of `key` as the HMAC secret (which is how an alg-confusion token is
/// made: HS256 "signed" with the RSA public key).
#[allow(clippy::needless_pass_by_value)] // by value: callers build a header just for this call
pub fn mint_jwt_with(
    header: Header,
    claims: &Value,
    key: &str,
) -> Result<String, jsonwebtoken::errors::Error> {
    let encoding_key = match header.alg.family() {
        AlgorithmFamily::Hmac => EncodingKey::from_secret(key.as_bytes()),
        AlgorithmFamily::Rsa => EncodingKey::from_rsa_pem(key.as_bytes())?,
        AlgorithmFamily::Ec => EncodingKey::from_ec_pem(key.as_bytes())?,
        AlgorithmFamily::Ed => EncodingKey::from_ed_pem(key.as_bytes())?,
    };
    encode(&header, claims, &encoding_key)
}

/// An `alg: none` token (`<header>.<payload>.` with an empty signature), optionally with a kid.
/// Use `format!("{token}sig")` for a variant with a non-empty signature segment.
pub fn mint_unsigned_jwt(claims: &Value, kid: Option<&str>) -> String {
    let mut header = json!({"alg": "none", "typ": "JWT"});
    if let (Some(kid), Some(map)) = (kid, header.as_object_mut()) {
        map.insert("kid".into(), Value::String(kid.to_string()));
    }
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::backend::verify_agent_jwt;

    #[test]
    fn demo_jwks_holds_the_demo_key() {
        let set = demo_jwks();
        assert_eq!(set.keys.len(), 1);
        assert!(set.find(DEMO_KID).is_some());
        assert!(demo_rsa_private_pem().contains("BEGIN PRIVATE KEY"));
    }

    #[test]
    fn minted_token_verifies_and_carries_the_claims() {
        let now = 1_800_000_000;
        let spec = AgentJwtSpec::demo("agent-123", AgentKey::from_seed([7; 32]), now);
        let jwt = mint_agent_jwt(&spec).unwrap();
        let claims = verify_agent_jwt(&jwt, &demo_jwks(), now).unwrap();
        assert_eq!(claims["agent_runtime_id"], "agent-123");
        assert_eq!(
            claims["agent_private_key"],
            AgentKey::from_seed([7; 32]).to_pkcs8_v2_base64().expose()
        );
        assert_eq!(claims["email"], "demo@example.com");
        assert_eq!(claims["chatgpt_account_is_fedramp"], false);
        let keys: Vec<&String> = claims.as_object().unwrap().keys().collect();
        assert_eq!(keys[..4], ["iss", "aud", "iat", "exp"]);

        let no_email = AgentJwtSpec {
            email: None,
            ..spec
        };
        assert!(no_email.claims().get("email").is_none());
    }

    #[test]
    fn unsigned_tokens_have_alg_none() {
        let token = mint_unsigned_jwt(&json!({"a": 1}), Some(DEMO_KID));
        assert!(token.ends_with('.'));
        let header = URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap();
        let header: Value = serde_json::from_slice(&header).unwrap();
        assert_eq!(header["alg"], "none");
        assert_eq!(header["kid"], DEMO_KID);
    }
}
