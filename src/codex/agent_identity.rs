//! Agent Identity material as it appears in `auth.json` or the environment.
//!
//! Two shapes are current (docs/codex-formats.md §2.3): a signed JWT string whose claims carry the
//! private key, and a record object written when a ChatGPT login is provisioned as an agent.
//! Both give the same facts, so callers use [`AgentIdentity`]'s accessors and never care which
//! form they hold. Any other shape (older objects, numbers…) is [`AgentIdentity::Unrecognised`]:
//! shown as such and never rewritten.
//!
//! Decoding a JWT here does *not* verify it; [`AgentJwt::verified`] stays false until the
//! runtime checks it against JWKS.

use serde_json::{Map, Value};

use super::agent_key::{AgentKey, KeyError};
use super::claims::{JwtError, Plan, decode_jwt};
use super::loader::agent_jwt_shape;
use crate::secret::Secret;

/// The issuer every Agent Identity JWT must carry (a Codex rule, so it lives in `codex`; the
/// backend's signature check uses it too).
pub const AGENT_JWT_ISSUER: &str = "https://chatgpt.com/codex-backend/agent-identity";
/// The audience every Agent Identity JWT must carry.
pub const AGENT_JWT_AUDIENCE: &str = "codex-app-server";
/// Clock skew tolerated on `exp`.
pub const EXP_LEEWAY_SECS: i64 = 60;

/// Facts common to both forms.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentFacts {
    pub runtime_id: String,
    pub private_key: Secret,
    pub account_id: Option<String>,
    pub chatgpt_user_id: Option<String>,
    pub email: Option<String>,
    pub plan: Option<Plan>,
    pub fedramp: bool,
}

/// The JWT form.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentJwt {
    pub token: Secret,
    pub facts: AgentFacts,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub issued_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub kid: Option<String>,
    pub alg: Option<String>,
    /// Why Codex's decoder refuses this JWT's header or claims (shape, types, `kid`), if it does.
    pub shape_problem: Option<String>,
}

/// The record form, possibly with a persisted task id.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentRecord {
    pub facts: AgentFacts,
    pub task_id: Option<Secret>,
}

/// Agent Identity material in any shape.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentIdentity {
    Jwt(AgentJwt),
    Record(AgentRecord),
    /// A shape authdeck does not know; kept as is.
    Unrecognised,
}

/// Which known shape an [`AgentIdentity`] has: the `agent_identity.form` word of `status --json`
/// (docs/json.md). Its wire word comes from the derives, so there is one spelling.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, strum::IntoStaticStr, strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AgentForm {
    Jwt,
    Record,
}

impl AgentForm {
    /// The wire word (as serialised): `jwt` or `record`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Why agent identity material cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgentError {
    #[error("agent identity JWT: {0}")]
    Jwt(#[from] JwtError),
    #[error("agent identity is missing `{0}`")]
    Missing(&'static str),
    #[error("agent identity key: {0}")]
    Key(#[from] KeyError),
}

fn opt_str(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

fn facts_from(map: &Map<String, Value>) -> Result<AgentFacts, AgentError> {
    let runtime_id =
        opt_str(map, "agent_runtime_id").ok_or(AgentError::Missing("agent_runtime_id"))?;
    let private_key =
        opt_str(map, "agent_private_key").ok_or(AgentError::Missing("agent_private_key"))?;
    Ok(AgentFacts {
        runtime_id,
        private_key: Secret::new(private_key),
        account_id: opt_str(map, "account_id"),
        chatgpt_user_id: opt_str(map, "chatgpt_user_id"),
        email: opt_str(map, "email"),
        plan: opt_str(map, "plan_type").map(|p| Plan::parse(&p)),
        fedramp: map
            .get("chatgpt_account_is_fedramp")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

impl AgentJwt {
    /// Decodes (does not verify) an Agent Identity JWT.
    pub fn decode(token: &str) -> Result<Self, AgentError> {
        let jwt = decode_jwt(token)?;
        let p = &jwt.payload;
        let audience = match p.get("aud") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(a)) => a.iter().find_map(Value::as_str).map(str::to_string),
            _ => None,
        };
        Ok(Self {
            token: Secret::new(token.trim()),
            facts: facts_from(p)?,
            issuer: opt_str(p, "iss"),
            audience,
            issued_at: p.get("iat").and_then(Value::as_i64),
            expires_at: p.get("exp").and_then(Value::as_i64),
            kid: opt_str(&jwt.header, "kid"),
            alg: opt_str(&jwt.header, "alg"),
            shape_problem: agent_jwt_shape(&jwt.header, p),
        })
    }

    /// Why this JWT is a bad credential, judged without the JWKS: its shape (see
    /// [`AgentJwt::shape_problem`]), then algorithm, issuer, audience and expiry at `now_unix`.
    /// Only the signature is left for the network.
    pub fn offline_problem(&self, now_unix: i64) -> Option<String> {
        if let Some(p) = &self.shape_problem {
            return Some(format!("agent identity JWT: {p}"));
        }
        if self.alg.as_deref() != Some("RS256") {
            return Some("agent identity JWT: the algorithm is not RS256".into());
        }
        if self.issuer.as_deref() != Some(AGENT_JWT_ISSUER) {
            return Some(format!(
                "agent identity JWT: the issuer is not {AGENT_JWT_ISSUER}"
            ));
        }
        if self.audience.as_deref() != Some(AGENT_JWT_AUDIENCE) {
            return Some(format!(
                "agent identity JWT: the audience is not {AGENT_JWT_AUDIENCE}"
            ));
        }
        match self.expires_at {
            Some(exp) if exp + EXP_LEEWAY_SECS > now_unix => None,
            Some(exp) => Some(format!(
                "agent identity JWT expired at {}",
                chrono::DateTime::from_timestamp(exp, 0)
                    .map_or_else(|| exp.to_string(), |t| t.to_rfc3339())
            )),
            None => Some("agent identity JWT has no expiry".into()),
        }
    }
}

impl AgentIdentity {
    /// Reads the `agent_identity` member (or an environment token).
    pub fn from_value(value: &Value) -> Result<Self, AgentError> {
        match value {
            Value::String(s) => AgentJwt::decode(s).map(Self::Jwt),
            Value::Object(map)
                if map.contains_key("agent_runtime_id")
                    && map.contains_key("agent_private_key") =>
            {
                Ok(Self::Record(AgentRecord {
                    facts: facts_from(map)?,
                    task_id: opt_str(map, "task_id").map(Secret::new),
                }))
            }
            _ => Ok(Self::Unrecognised),
        }
    }

    pub fn facts(&self) -> Option<&AgentFacts> {
        match self {
            Self::Jwt(j) => Some(&j.facts),
            Self::Record(r) => Some(&r.facts),
            Self::Unrecognised => None,
        }
    }

    /// The known form, `None` for [`AgentIdentity::Unrecognised`].
    pub fn form(&self) -> Option<AgentForm> {
        match self {
            Self::Jwt(_) => Some(AgentForm::Jwt),
            Self::Record(_) => Some(AgentForm::Record),
            Self::Unrecognised => None,
        }
    }

    /// The task id persisted in a record, reused instead of registering.
    pub fn persisted_task_id(&self) -> Option<&Secret> {
        match self {
            Self::Record(r) => r.task_id.as_ref(),
            _ => None,
        }
    }

    /// Loads the Ed25519 key (checks PKCS#8 shape and the v2 public key).
    pub fn key(&self) -> Result<AgentKey, AgentError> {
        let facts = self
            .facts()
            .ok_or(AgentError::Missing("agent_runtime_id"))?;
        Ok(AgentKey::from_pkcs8_base64(facts.private_key.expose())?)
    }
    /// What signs an AgentAssertion for this identity: its facts, the task — `registered` (the
    /// session's), else the one stored in a record — and its key. `Ok(None)` when there is no
    /// task: an assertion needs one, and nothing here registers it. The `header` output and
    /// the usage read both sign through this.
    pub fn signer<'a>(
        &'a self,
        registered: Option<&'a Secret>,
    ) -> Result<Option<AssertionSigner<'a>>, AgentError> {
        let facts = self
            .facts()
            .ok_or(AgentError::Missing("agent_runtime_id"))?;
        let Some(task) = registered.or_else(|| self.persisted_task_id()) else {
            return Ok(None);
        };
        Ok(Some(AssertionSigner {
            facts,
            task,
            key: Box::new(self.key()?),
        }))
    }
}

/// An identity ready to sign AgentAssertions ([`AgentIdentity::signer`]).
#[derive(Debug)]
pub struct AssertionSigner<'a> {
    pub facts: &'a AgentFacts,
    pub task: &'a Secret,
    /// Boxed: the key material is large beside the references.
    pub key: Box<AgentKey>,
}

impl AssertionSigner<'_> {
    /// The AgentAssertion token signed at `now` (the `header` output's value).
    pub fn token(&self, now: chrono::DateTime<chrono::Utc>) -> Secret {
        super::assertion::assertion_token(
            &self.facts.runtime_id,
            self.task.expose(),
            &self.key,
            now,
        )
    }

    /// `AgentAssertion <token>` signed at `now`, the full `Authorization` value.
    pub fn header_value(&self, now: chrono::DateTime<chrono::Utc>) -> Secret {
        super::assertion::assertion_header_value(
            &self.facts.runtime_id,
            self.task.expose(),
            &self.key,
            now,
        )
    }
}

/// Builds the record object stored beside ChatGPT tokens after provisioning (§2.3 b).
pub fn record_value(facts: &AgentFacts, task_id: Option<&Secret>) -> Value {
    serde_json::json!({
        "agent_runtime_id": facts.runtime_id,
        "agent_private_key": facts.private_key.expose(),
        "account_id": facts.account_id.clone().unwrap_or_default(),
        "chatgpt_user_id": facts.chatgpt_user_id.clone().unwrap_or_default(),
        "email": facts.email.clone().unwrap_or_default(),
        "plan_type": facts.plan.as_ref().map(|p| p.raw.clone()).unwrap_or_default(),
        "chatgpt_account_is_fedramp": facts.fedramp,
        "task_id": task_id.map(|t| t.expose().to_string()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use serde_json::json;

    const V2: &str = "MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=";

    fn jwt(payload: &Value) -> String {
        let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.c2ln",
            enc.encode(r#"{"alg":"RS256","kid":"k1"}"#),
            enc.encode(payload.to_string())
        )
    }

    #[test]
    fn jwt_form_decodes_unverified() {
        let t = jwt(&json!({
            "iss": "https://chatgpt.com/codex-backend/agent-identity", "aud": "codex-app-server",
            "iat": 1, "exp": 2, "agent_runtime_id": "agent-123", "agent_private_key": V2,
            "account_id": "acct", "chatgpt_user_id": "u", "plan_type": "business",
            "chatgpt_account_is_fedramp": true
        }));
        let id = AgentIdentity::from_value(&Value::String(t)).expect("decodes");
        let AgentIdentity::Jwt(j) = &id else {
            panic!("jwt form")
        };
        assert_eq!(j.facts.runtime_id, "agent-123");
        assert_eq!(j.kid.as_deref(), Some("k1"));
        assert_eq!(j.expires_at, Some(2));
        assert_eq!(j.facts.email, None);
        assert!(j.facts.fedramp);
        assert_eq!(id.form(), Some(AgentForm::Jwt));
        assert!(id.key().is_ok());
        assert!(!format!("{id:?}").contains(V2));
    }

    #[test]
    fn record_form_with_and_without_task() {
        let v = json!({"agent_runtime_id": "r1", "agent_private_key": V2, "email": "", "task_id": "t-9"});
        let id = AgentIdentity::from_value(&v).expect("record");
        assert_eq!(id.form(), Some(AgentForm::Record));
        assert_eq!(id.persisted_task_id().map(Secret::expose), Some("t-9"));
        assert_eq!(id.facts().and_then(|f| f.email.clone()), None);
        let blank = json!({"agent_runtime_id": "r1", "agent_private_key": V2, "task_id": " "});
        assert!(
            AgentIdentity::from_value(&blank)
                .expect("record")
                .persisted_task_id()
                .is_none()
        );
    }

    #[test]
    fn other_shapes_are_unrecognised_not_errors() {
        for v in [
            json!({"workspace_id": "w", "background_task_id": "b"}),
            json!(5),
            json!(null),
        ] {
            assert_eq!(
                AgentIdentity::from_value(&v),
                Ok(AgentIdentity::Unrecognised)
            );
        }
    }

    #[test]
    fn broken_material_is_an_error() {
        assert!(matches!(
            AgentIdentity::from_value(&json!("not-a-jwt")),
            Err(AgentError::Jwt(JwtError::Format))
        ));
        let no_key = jwt(&json!({"agent_runtime_id": "r"}));
        assert_eq!(
            AgentIdentity::from_value(&Value::String(no_key)),
            Err(AgentError::Missing("agent_private_key"))
        );
        let bad_key = json!({"agent_runtime_id": "r", "agent_private_key": "@@@"});
        let id = AgentIdentity::from_value(&bad_key).expect("shape ok");
        assert!(matches!(id.key(), Err(AgentError::Key(_))));
    }

    #[test]
    fn record_value_round_trips() {
        let v = json!({"agent_runtime_id": "r1", "agent_private_key": V2, "plan_type": "pro"});
        let id = AgentIdentity::from_value(&v).expect("record");
        let facts = id.facts().expect("facts");
        let back = record_value(facts, Some(&Secret::new("t1")));
        let again = AgentIdentity::from_value(&back).expect("record");
        assert_eq!(again.facts(), Some(facts));
        assert_eq!(again.persisted_task_id().map(Secret::expose), Some("t1"));
    }
}
