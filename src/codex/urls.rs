//! Base-URL rules for the Agent Identity backend (docs/codex-formats.md §4.1–§4.2; README "Environment").
//!
//! Codex reads two overrides from the environment. authdeck follows the same path rules (so a
//! base that works for Codex works here), but refuses an override that would send signatures and
//! bearer tokens in clear text over the network: an override must be `https://`, or `http://` to
//! a loopback address (the embedded mock backend and local test servers). The environment is
//! passed in as a lookup function, so this module stays pure and testable.

use std::fmt::Write as _;
use std::net::IpAddr;

use reqwest::Url;

pub const DEFAULT_JWKS_BASE: &str = "https://chatgpt.com/backend-api";
pub const DEFAULT_AUTHAPI_BASE: &str = "https://auth.openai.com/api/accounts";
pub const JWKS_BASE_VAR: &str = "CODEX_AGENT_IDENTITY_JWKS_BASE_URL";
pub const AUTHAPI_BASE_VAR: &str = "CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL";

const ALLOWED: &str =
    "use https://, or http:// only to a loopback address (127.0.0.0/8, localhost, [::1])";

/// Where the backend lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The full JWKS URL.
    pub jwks_url: String,
    /// The `AuthAPI` base, without a trailing `/`.
    pub authapi_base: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self {
            jwks_url: jwks_url(DEFAULT_JWKS_BASE),
            authapi_base: DEFAULT_AUTHAPI_BASE.to_string(),
        }
    }
}

/// A refused base-URL override. Each message names the variable, the value and what is allowed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum UrlError {
    #[error("{var}={value:?} is not a URL; {ALLOWED}")]
    NotAUrl { var: String, value: String },
    #[error("{var}={value:?} uses {scheme}://, which is not allowed; {ALLOWED}")]
    UnsupportedScheme {
        var: String,
        value: String,
        scheme: String,
    },
    #[error("{var}={value:?} uses http:// to {host}, which is not a loopback address; {ALLOWED}")]
    NotLoopback {
        var: String,
        value: String,
        host: String,
    },
}

/// `<base>/wham/agent-identities/jwks` when the base contains `/backend-api`, else
/// `<base>/agent-identities/jwks` (trailing `/` of the base ignored).
pub fn jwks_url(base: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if base.contains("/backend-api") {
        format!("{base}/wham/agent-identities/jwks")
    } else {
        format!("{base}/agent-identities/jwks")
    }
}

/// `<base>/v1/agent/<id>/task/register`, the id percent-encoded as one path segment.
pub fn task_register_url(authapi_base: &str, runtime_id: &str) -> String {
    format!(
        "{}/v1/agent/{}/task/register",
        authapi_base.trim().trim_end_matches('/'),
        encode_path_segment(runtime_id)
    )
}

/// `<base>/v1/agent/register`.
pub fn agent_register_url(authapi_base: &str) -> String {
    format!(
        "{}/v1/agent/register",
        authapi_base.trim().trim_end_matches('/')
    )
}

/// Checks an override value; returns it with surrounding whitespace removed.
pub fn check_override(var: &str, value: &str) -> Result<String, UrlError> {
    let trimmed = value.trim();
    let not_a_url = || UrlError::NotAUrl {
        var: var.to_string(),
        value: trimmed.to_string(),
    };
    let url = Url::parse(trimmed).map_err(|_| not_a_url())?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(not_a_url)?;
    match url.scheme() {
        "https" => Ok(trimmed.to_string()),
        "http" if is_loopback_host(host) => Ok(trimmed.to_string()),
        "http" => Err(UrlError::NotLoopback {
            var: var.to_string(),
            value: trimmed.to_string(),
            host: host.to_string(),
        }),
        scheme => Err(UrlError::UnsupportedScheme {
            var: var.to_string(),
            value: trimmed.to_string(),
            scheme: scheme.to_string(),
        }),
    }
}

/// Whether a URL string points at a loopback host (used to decide, e.g., that no proxy applies).
pub fn is_loopback_url(url: &str) -> bool {
    Url::parse(url.trim())
        .ok()
        .is_some_and(|u| u.host_str().is_some_and(is_loopback_host))
}

/// `localhost`, or an IPv4/IPv6 loopback address (`host_str` keeps IPv6 in brackets).
fn is_loopback_host(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The endpoints from the two override variables (an empty or blank variable counts as unset).
pub fn endpoints_from_env(get: impl Fn(&str) -> Option<String>) -> Result<Endpoints, UrlError> {
    let read = |var: &str| -> Result<Option<String>, UrlError> {
        match get(var) {
            Some(value) if !value.trim().is_empty() => check_override(var, &value).map(Some),
            _ => Ok(None),
        }
    };
    let jwks_base = read(JWKS_BASE_VAR)?.unwrap_or_else(|| DEFAULT_JWKS_BASE.to_string());
    let authapi = read(AUTHAPI_BASE_VAR)?.unwrap_or_else(|| DEFAULT_AUTHAPI_BASE.to_string());
    Ok(Endpoints {
        jwks_url: jwks_url(&jwks_base),
        authapi_base: authapi.trim_end_matches('/').to_string(),
    })
}

/// Codex's default `chatgpt_base_url`.
pub const DEFAULT_CHATGPT_BASE: &str = "https://chatgpt.com/backend-api";
/// The config.toml key that moves the ChatGPT backend (usage, and the JWKS default).
pub const CHATGPT_BASE_KEY: &str = "chatgpt_base_url";

/// The usage URL for a `chatgpt_base_url` (trailing `/` ignored): `<origin>/backend-api/wham/usage`
/// when the base contains `/backend-api`, else `<base>/api/codex/usage` (Codex's rule for local
/// and staging backends).
pub fn usage_url(chatgpt_base: &str) -> String {
    let base = chatgpt_base.trim().trim_end_matches('/');
    if base.contains("/backend-api") {
        let origin = Url::parse(base)
            .ok()
            .map(|u| u.origin().ascii_serialization())
            .filter(|o| o != "null")
            .unwrap_or_else(|| base[..base.find("/backend-api").unwrap_or(0)].to_string());
        format!("{origin}/backend-api/wham/usage")
    } else {
        format!("{base}/api/codex/usage")
    }
}

/// The endpoints with the JWKS default following `chatgpt_base_url` (as Codex does): the
/// environment override still wins; `chatgpt_base` must already be checked.
pub fn endpoints_with_chatgpt_base(
    get: impl Fn(&str) -> Option<String>,
    chatgpt_base: Option<&str>,
) -> Result<Endpoints, UrlError> {
    let mut endpoints = endpoints_from_env(&get)?;
    let overridden = get(JWKS_BASE_VAR).is_some_and(|v| !v.trim().is_empty());
    if !overridden && let Some(base) = chatgpt_base.filter(|b| !b.trim().is_empty()) {
        endpoints.jwks_url = jwks_url(base);
    }
    Ok(endpoints)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn jwks_vectors() {
        let want = "https://chatgpt.com/backend-api/wham/agent-identities/jwks";
        assert_eq!(jwks_url("https://chatgpt.com/backend-api"), want);
        assert_eq!(jwks_url("https://chatgpt.com/backend-api/"), want);
        assert_eq!(
            jwks_url("http://127.0.0.1:8080/api/codex"),
            "http://127.0.0.1:8080/api/codex/agent-identities/jwks"
        );
        assert_eq!(Endpoints::default().jwks_url, want);
    }

    #[test]
    fn authapi_vectors() {
        assert_eq!(
            task_register_url("https://auth.openai.com/api/accounts/", "agent-runtime-id"),
            "https://auth.openai.com/api/accounts/v1/agent/agent-runtime-id/task/register"
        );
        assert_eq!(
            agent_register_url("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/v1/agent/register"
        );
        assert_eq!(
            task_register_url("http://h", "a/b c?d%é"),
            "http://h/v1/agent/a%2Fb%20c%3Fd%25%C3%A9/task/register"
        );
    }

    #[test]
    fn overrides_refused() {
        let err = check_override(AUTHAPI_BASE_VAR, "http://example.com").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(AUTHAPI_BASE_VAR) && msg.contains("http://example.com"));
        assert!(msg.contains("https://") && msg.contains("loopback"));
        assert!(matches!(err, UrlError::NotLoopback { .. }));
        assert!(matches!(
            check_override(JWKS_BASE_VAR, "http://10.0.0.1"),
            Err(UrlError::NotLoopback { .. })
        ));
        assert!(matches!(
            check_override(JWKS_BASE_VAR, "http://127.0.0.1.example.com"),
            Err(UrlError::NotLoopback { .. })
        ));
        assert!(matches!(
            check_override(JWKS_BASE_VAR, "ftp://127.0.0.1/x"),
            Err(UrlError::UnsupportedScheme { .. })
        ));
        for garbage in ["garbage", "", "https://", "127.0.0.1:8080"] {
            assert!(check_override(JWKS_BASE_VAR, garbage).is_err(), "{garbage}");
        }
    }

    #[test]
    fn overrides_accepted() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            "http://127.9.9.9/api",
            "https://auth.api.openai.org/api/accounts",
        ] {
            assert_eq!(
                check_override(JWKS_BASE_VAR, &format!(" {ok}\n")),
                Ok(ok.to_string())
            );
        }
        assert!(is_loopback_url("http://localhost:3/x"));
        assert!(!is_loopback_url("https://chatgpt.com"));
    }

    #[test]
    fn endpoints_from_env_applies_defaults_and_overrides() {
        assert_eq!(endpoints_from_env(|_| None), Ok(Endpoints::default()));
        assert_eq!(
            endpoints_from_env(|_| Some(" ".into())),
            Ok(Endpoints::default())
        );
        let env = |var: &str| match var {
            JWKS_BASE_VAR => Some("http://127.0.0.1:4567/backend-api/".to_string()),
            AUTHAPI_BASE_VAR => Some("http://127.0.0.1:4567/".to_string()),
            _ => None,
        };
        assert_eq!(
            endpoints_from_env(env),
            Ok(Endpoints {
                jwks_url: "http://127.0.0.1:4567/backend-api/wham/agent-identities/jwks".into(),
                authapi_base: "http://127.0.0.1:4567".into(),
            })
        );
        let bad = |var: &str| (var == AUTHAPI_BASE_VAR).then(|| "http://evil.example".to_string());
        assert!(endpoints_from_env(bad).is_err());
    }

    #[test]
    fn usage_url_vectors() {
        assert_eq!(
            usage_url(DEFAULT_CHATGPT_BASE),
            "https://chatgpt.com/backend-api/wham/usage"
        );
        assert_eq!(
            usage_url("https://chatgpt.com/backend-api/"),
            "https://chatgpt.com/backend-api/wham/usage"
        );
        assert_eq!(
            usage_url("http://127.0.0.1:9/prefix/backend-api/codex"),
            "http://127.0.0.1:9/backend-api/wham/usage"
        );
        assert_eq!(
            usage_url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/api/codex/usage"
        );
    }

    #[test]
    fn jwks_default_follows_chatgpt_base() {
        let none = |_: &str| None;
        let e = endpoints_with_chatgpt_base(none, Some("http://127.0.0.1:7/backend-api")).unwrap();
        assert_eq!(
            e.jwks_url,
            "http://127.0.0.1:7/backend-api/wham/agent-identities/jwks"
        );
        assert_eq!(
            endpoints_with_chatgpt_base(none, None).unwrap(),
            Endpoints::default()
        );
        let env = |var: &str| (var == JWKS_BASE_VAR).then(|| "https://j.example".to_string());
        let e = endpoints_with_chatgpt_base(env, Some("http://127.0.0.1:7/backend-api")).unwrap();
        assert_eq!(
            e.jwks_url, "https://j.example/agent-identities/jwks",
            "the variable wins"
        );
    }
}
