//! JWT payload decoding, ChatGPT id_token claims, and plans.
//!
//! Codex reads ChatGPT claims from the id_token payload *without* verifying its signature (the
//! token came from the OAuth server over TLS and is only used for display and routing), so this
//! module only decodes. Agent Identity JWTs are verified elsewhere (`backend`), against JWKS;
//! until then their decoded claims are shown as unverified.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::auth_file::wipe_value;

/// base64url that accepts the payload with or without padding (Codex writes none; being lenient
/// on read costs nothing and never changes what is written back).
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a string is not a decodable JWT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("invalid token format: expected three non-empty parts separated by '.'")]
    Format,
    #[error("invalid token: the {0} is not base64url")]
    Base64(&'static str),
    #[error("invalid token: the {0} is not a JSON object")]
    NotJson(&'static str),
}

/// A JWT split and decoded, not verified. An Agent Identity JWT's payload carries the private
/// key, so the decoded strings are wiped on drop, like the bytes they were decoded from.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJwt {
    pub header: Map<String, Value>,
    pub payload: Map<String, Value>,
}

impl Drop for DecodedJwt {
    fn drop(&mut self) {
        for value in self.header.values_mut().chain(self.payload.values_mut()) {
            wipe_value(value);
        }
    }
}

fn decode_part(part: &str, name: &'static str) -> Result<Map<String, Value>, JwtError> {
    let bytes = Zeroizing::new(B64URL.decode(part).map_err(|_| JwtError::Base64(name))?);
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(mut other) => {
            wipe_value(&mut other);
            Err(JwtError::NotJson(name))
        }
        Err(_) => Err(JwtError::NotJson(name)),
    }
}

/// Splits a compact JWT and decodes its header and payload.
pub fn decode_jwt(token: &str) -> Result<DecodedJwt, JwtError> {
    let mut parts = token.trim().split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Format);
    };
    if h.is_empty() || p.is_empty() || s.is_empty() {
        return Err(JwtError::Format);
    }
    Ok(DecodedJwt {
        header: decode_part(h, "header")?,
        payload: decode_part(p, "payload")?,
    })
}

/// A plan as the backend names it: the raw wire string and, when known, its canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The string as found in the token.
    pub raw: String,
    /// The canonical wire string (after aliases) when it is a plan authdeck knows.
    pub known: Option<&'static str>,
}

/// Known plan wire strings with their display names. Order is the spec's.
const PLANS: &[(&str, &str)] = &[
    ("free", "Free"),
    ("go", "Go"),
    ("plus", "Plus"),
    ("pro", "Pro"),
    ("prolite", "Pro Lite"),
    ("team", "Team"),
    (
        "self_serve_business_usage_based",
        "Self Serve Business Usage Based",
    ),
    ("self_serve_business_prolite", "Self Serve Business ProLite"),
    ("business", "Business"),
    ("ent26", "Enterprise"),
    ("enterprise_cbp_automation", "Enterprise CBP Automation"),
    ("enterprise_cbp_usage_based", "Enterprise CBP Usage Based"),
    ("enterprise", "Enterprise"),
    ("edu", "Edu"),
    ("edu_plus", "Edu Plus"),
    ("edu_pro", "Edu Pro"),
    ("promax", "Pro Max"),
    ("sci", "Sci"),
    ("sci_plus", "Sci Plus"),
    ("unknown", "Unknown"),
];

impl Plan {
    /// Parses a plan claim. Aliases (`hc` → enterprise, `education` → edu) and case are
    /// folded; an unknown string is kept as itself.
    pub fn parse(raw: &str) -> Self {
        let lower = raw.trim().to_ascii_lowercase();
        let canonical = match lower.as_str() {
            "hc" => "enterprise",
            "education" => "edu",
            other => other,
        };
        let known = PLANS
            .iter()
            .find(|(wire, _)| *wire == canonical)
            .map(|(wire, _)| *wire);
        Self {
            raw: raw.to_string(),
            known,
        }
    }

    /// The display name (`Pro`, `Enterprise`, …), or the raw string for an unknown plan.
    pub fn display(&self) -> &str {
        self.known
            .and_then(|k| PLANS.iter().find(|(w, _)| *w == k))
            .map_or(self.raw.as_str(), |(_, d)| d)
    }

    /// Team, business, enterprise and edu families are workspace accounts.
    pub fn is_workspace(&self) -> bool {
        self.known.is_some_and(|k| {
            k == "team" || k.contains("business") || k.starts_with("ent") || k.starts_with("edu")
        })
    }
}

/// The claims authdeck shows from a ChatGPT id_token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdTokenClaims {
    pub email: Option<String>,
    pub chatgpt_user_id: Option<String>,
    pub account_id: Option<String>,
    pub plan: Option<Plan>,
    pub fedramp: bool,
}

fn str_at<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

impl IdTokenClaims {
    /// Reads the claims from a decoded id_token payload.
    pub fn from_payload(payload: &Map<String, Value>) -> Self {
        let profile = payload
            .get("https://api.openai.com/profile")
            .and_then(Value::as_object);
        let auth = payload
            .get("https://api.openai.com/auth")
            .and_then(Value::as_object);
        let email = str_at(payload, "email")
            .or_else(|| profile.and_then(|p| str_at(p, "email")))
            .map(str::to_string);
        let (user, account, plan, fedramp) = match auth {
            Some(a) => (
                str_at(a, "chatgpt_user_id").or_else(|| str_at(a, "user_id")),
                str_at(a, "chatgpt_account_id"),
                str_at(a, "chatgpt_plan_type"),
                a.get("chatgpt_account_is_fedramp")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            ),
            None => (None, None, None, false),
        };
        Self {
            email,
            chatgpt_user_id: user.map(str::to_string),
            account_id: account.map(str::to_string),
            plan: plan.map(Plan::parse),
            fedramp,
        }
    }

    /// Decodes an id_token and reads its claims.
    pub fn from_id_token(token: &str) -> Result<Self, JwtError> {
        Ok(Self::from_payload(&decode_jwt(token)?.payload))
    }
}

/// `exp` (seconds since the epoch) of a JWT, if the token decodes and carries one.
pub fn jwt_expiry(token: &str) -> Option<i64> {
    decode_jwt(token).ok()?.payload.get("exp")?.as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.c2ln",
            enc.encode(r#"{"alg":"none","typ":"JWT"}"#),
            enc.encode(payload)
        )
    }

    #[test]
    fn vector_id_token_claims() {
        let t = jwt(
            r#"{"email":"user@example.com","https://api.openai.com/auth":{"chatgpt_user_id":"user-12345","chatgpt_plan_type":"pro","chatgpt_account_id":"account-123"}}"#,
        );
        let c = IdTokenClaims::from_id_token(&t).expect("decodes");
        assert_eq!(c.email.as_deref(), Some("user@example.com"));
        assert_eq!(c.chatgpt_user_id.as_deref(), Some("user-12345"));
        assert_eq!(c.account_id.as_deref(), Some("account-123"));
        let plan = c.plan.expect("plan");
        assert_eq!(plan.display(), "Pro");
        assert!(!plan.is_workspace());
        assert!(!c.fedramp);
    }

    #[test]
    fn vector_sub_only_and_not_a_jwt() {
        let c = IdTokenClaims::from_id_token(&jwt(r#"{"sub":"123"}"#)).expect("decodes");
        assert_eq!(c.email, None);
        assert_eq!(c.plan, None);
        let err = IdTokenClaims::from_id_token("not-a-jwt").expect_err("bad");
        assert!(err.to_string().contains("invalid token format"));
    }

    #[test]
    fn email_falls_back_to_profile_and_user_id_to_user_id() {
        let c = IdTokenClaims::from_id_token(&jwt(
            r#"{"https://api.openai.com/profile":{"email":"p@x.io"},"https://api.openai.com/auth":{"user_id":"u-1","chatgpt_account_is_fedramp":true}}"#,
        ))
        .expect("decodes");
        assert_eq!(c.email.as_deref(), Some("p@x.io"));
        assert_eq!(c.chatgpt_user_id.as_deref(), Some("u-1"));
        assert!(c.fedramp);
    }

    #[test]
    fn plan_aliases_and_unknowns() {
        let hc = Plan::parse("hc");
        assert_eq!(hc.display(), "Enterprise");
        assert!(hc.is_workspace());
        assert_eq!(Plan::parse("Education").display(), "Edu");
        let m = Plan::parse("mystery-tier");
        assert_eq!(m.display(), "mystery-tier");
        assert!(!m.is_workspace());
        assert_eq!(Plan::parse("prolite").display(), "Pro Lite");
        assert_eq!(Plan::parse("promax").display(), "Pro Max");
        assert_eq!(Plan::parse("sci").display(), "Sci");
        assert_eq!(Plan::parse("sci_plus").display(), "Sci Plus");
        assert!(!Plan::parse("sci_plus").is_workspace());
        assert!(Plan::parse("self_serve_business_prolite").is_workspace());
        assert!(Plan::parse("team").is_workspace());
        assert!(!Plan::parse("plus").is_workspace());
        for (wire, display) in PLANS {
            assert_eq!(Plan::parse(wire).display(), *display);
        }
    }

    #[test]
    fn malformed_tokens_never_panic() {
        for bad in ["", "a.b", "a..c", "a.b.c.d", "!!.@@.##", "e30.e30", "..."] {
            assert!(decode_jwt(bad).is_err(), "{bad}");
        }
        assert_eq!(
            decode_jwt("e30.bm90anNvbg.c2ln"),
            Err(JwtError::NotJson("payload"))
        );
        assert_eq!(decode_jwt("e30.*.c2ln"), Err(JwtError::Base64("payload")));
        assert_eq!(decode_jwt("e30.e30.c2ln").map(|d| d.payload.len()), Ok(0));
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000}"#)),
            Some(1_700_000_000)
        );
    }
}
