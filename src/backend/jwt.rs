//! Verifying an Agent Identity JWT against a JWKS (docs/codex-formats.md §4.1).
//!
//! The algorithm is checked by hand, from the raw header, before any key is touched: only RS256
//! is acceptable. Letting a library pick the verifier from the token's own `alg` is how the
//! classic confusions happen (`none`, or HS256 "signed" with the RSA public key as the HMAC
//! secret). The expiry is checked against the caller's clock (`now_unix`) rather than the
//! library's, so the check is testable and consistent with the rest of the pure core.
//!
//! Every failure is `Verification`/`Permanent`: the same token against the same keys gives the
//! same answer. Messages name what was wrong, never the token or its claims' secret values.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use serde_json::Value;

use super::{BackendError, FailureClass, FailureKind};

pub use crate::codex::agent_identity::{AGENT_JWT_AUDIENCE, AGENT_JWT_ISSUER, EXP_LEEWAY_SECS};

fn fail(message: impl Into<String>) -> BackendError {
    BackendError::new(
        FailureKind::Verification,
        FailureClass::Permanent,
        message,
        None,
    )
}

/// Short, printable form of an attacker-controlled header value for a message.
fn shown(value: &str) -> String {
    let clipped: String = value.chars().take(40).collect();
    format!("{clipped:?}")
}

/// Verifies signature (RS256 with the JWKS key named by `kid`), issuer, audience and expiry;
/// returns the claims.
pub fn verify_agent_jwt(jwt: &str, jwks: &JwkSet, now_unix: i64) -> Result<Value, BackendError> {
    let jwt = jwt.trim();
    let parts: Vec<&str> = jwt.split('.').collect();
    // An empty signature is left to the algorithm check, so `alg: none` is named as such.
    if parts.len() != 3 || parts[0].is_empty() || parts[1].is_empty() {
        return Err(fail(
            "agent JWT is malformed (expected three dot-separated parts)",
        ));
    }
    let header: Value = URL_SAFE_NO_PAD
        .decode(parts[0].trim_end_matches('='))
        .ok()
        .and_then(|raw| serde_json::from_slice(&raw).ok())
        .filter(Value::is_object)
        .ok_or_else(|| fail("agent JWT header is not base64url JSON"))?;

    match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => {}
        Some(other) => {
            return Err(fail(format!(
                "agent JWT uses algorithm {}; only RS256 is accepted",
                shown(other)
            )));
        }
        None => {
            return Err(fail(
                "agent JWT header has no algorithm; only RS256 is accepted",
            ));
        }
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or_else(|| fail("agent JWT header has no key id (kid)"))?;
    let jwk = jwks.find(kid).ok_or_else(|| {
        fail(format!(
            "agent JWT key id {} is not in the JWKS",
            shown(kid)
        ))
    })?;
    if !matches!(jwk.algorithm, AlgorithmParameters::RSA(_))
        || jwk
            .common
            .key_algorithm
            .is_some_and(|alg| alg != KeyAlgorithm::RS256)
    {
        return Err(fail(format!("JWKS key {} is not an RS256 key", shown(kid))));
    }
    let key = DecodingKey::from_jwk(jwk)
        .map_err(|_| fail(format!("JWKS key {} is not a usable RSA key", shown(kid))))?;

    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false; // checked below against the caller's clock
    validation.set_required_spec_claims(&["exp", "iss", "aud"]);
    validation.set_issuer(&[AGENT_JWT_ISSUER]);
    validation.set_audience(&[AGENT_JWT_AUDIENCE]);

    let claims = decode::<Value>(jwt, &key, &validation)
        .map_err(|e| fail(describe(e.kind(), kid)))?
        .claims;

    #[allow(clippy::cast_possible_truncation)] // a fractional exp is floored, as jsonwebtoken does
    let exp = claims
        .get("exp")
        .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f.floor() as i64)))
        .ok_or_else(|| fail("agent JWT exp claim is not a number"))?;
    if exp.saturating_add(EXP_LEEWAY_SECS) < now_unix {
        let when = chrono::DateTime::from_timestamp(exp, 0)
            .map_or_else(|| exp.to_string(), |t| t.to_rfc3339());
        return Err(fail(format!("agent JWT expired at {when}")));
    }
    Ok(claims)
}

fn describe(kind: &ErrorKind, kid: &str) -> String {
    match kind {
        ErrorKind::InvalidSignature => format!(
            "agent JWT signature does not verify with JWKS key {}",
            shown(kid)
        ),
        ErrorKind::InvalidIssuer => format!("agent JWT issuer is not {AGENT_JWT_ISSUER}"),
        ErrorKind::InvalidAudience => format!("agent JWT audience is not {AGENT_JWT_AUDIENCE}"),
        ErrorKind::MissingRequiredClaim(claim) => {
            format!("agent JWT has no {} claim", shown(claim))
        }
        ErrorKind::InvalidClaimFormat(claim) => {
            format!("agent JWT {} claim has the wrong type", shown(claim))
        }
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => {
            "agent JWT algorithm is not RS256".to_string()
        }
        ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => {
            format!("JWKS key {} is not a usable RSA key", shown(kid))
        }
        ErrorKind::Base64(_) | ErrorKind::Json(_) | ErrorKind::Utf8(_) => {
            "agent JWT is malformed (payload or signature is not valid base64url JSON)".to_string()
        }
        _ => "agent JWT could not be verified".to_string(),
    }
}
