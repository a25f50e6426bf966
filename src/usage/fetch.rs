//! The usage request: one `GET` of the usage URL with **that** account's own credential — its
//! bearer token, or an AgentAssertion for an Agent Identity whose task is already registered —
//! workspace id and fedramp flag (see `docs/usage.md`).
//!
//! One attempt, no retry, no token refresh: a 401 means the parked account's access token has
//! expired or was rejected, and that is what gets reported (refreshing would rotate the refresh
//! token behind Codex's back). The body is read in chunks and capped; the whole exchange
//! (connect, headers, body) is bounded by the request timeout. Redirects are not followed (the
//! request carries a bearer token). Messages name the URL without user-info or query, never a
//! token.

use std::time::Duration;

use reqwest::Client;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use super::{ErrorKind, Snapshot, UsageError, decode};
use crate::backend::display_url;
use crate::codex::urls::is_loopback_url;
use crate::secret::Secret;

/// Default bound on one usage request.
pub const USAGE_TIMEOUT: Duration = Duration::from_secs(10);
/// The most authdeck reads of a usage answer.
pub const MAX_USAGE_BODY: usize = 512 * 1024;

const USER_AGENT: &str = concat!("authdeck/", env!("CARGO_PKG_VERSION"));

/// Who is asking: one account's material (only borrowed for the request).
#[derive(Debug, Clone, Copy)]
pub struct UsageAuth<'a> {
    /// The whole `Authorization` value: `Bearer <access token>` or `AgentAssertion <token>`.
    pub authorization: &'a Secret,
    /// `tokens.account_id`, sent as `ChatGPT-Account-Id`.
    pub account_id: Option<&'a str>,
    pub fedramp: bool,
    /// How a 401/403 is worded ([`super::REJECTED_TOKEN`] or [`super::REJECTED_ASSERTION`]).
    pub refused: &'static str,
}

/// The HTTP client for usage requests, built once and shared by every account's request.
#[derive(Debug, Clone)]
pub struct UsageClient {
    client: Client,
    timeout: Duration,
}

impl UsageClient {
    /// A client for `url` (the proxy is skipped for a loopback URL) with `timeout` per request.
    pub fn new(url: &str, timeout: Duration) -> Result<Self, UsageError> {
        let mut builder = Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none());
        if is_loopback_url(url) {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            UsageError::new(
                ErrorKind::Network,
                format!("could not set up the HTTP client: {}", root_cause(&e)),
            )
        })?;
        Ok(Self { client, timeout })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// One usage request. `now` (Unix seconds) dates relative reset times.
    pub async fn fetch(
        &self,
        url: &str,
        auth: UsageAuth<'_>,
        now: i64,
    ) -> Result<Snapshot, UsageError> {
        let shown = display_url(url);
        // Marked sensitive, as `bearer_auth` does, so reqwest never prints it in a debug dump.
        let mut authorization = HeaderValue::from_str(auth.authorization.expose()).map_err(|_| {
            UsageError::new(
                ErrorKind::InvalidCredential,
                "the credential holds characters no HTTP header can carry; no usage request was made",
            )
        })?;
        authorization.set_sensitive(true);
        let mut request = self
            .client
            .get(url)
            .timeout(self.timeout)
            .header(AUTHORIZATION, authorization)
            .header("Accept", "application/json");
        if let Some(id) = auth.account_id.filter(|id| !id.is_empty()) {
            request = request.header("ChatGPT-Account-Id", id);
        }
        if auth.fedramp {
            request = request.header("X-OpenAI-Fedramp", "true");
        }
        let fetch = async {
            let mut response = request
                .send()
                .await
                .map_err(|e| self.transport(&e, &shown))?;
            let status = response.status().as_u16();
            if !response.status().is_success() {
                return Err(refusal(status, response.headers(), &shown, auth.refused));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| self.transport(&e, &shown))?
            {
                if body.len() + chunk.len() > MAX_USAGE_BODY {
                    let mut e = UsageError::new(
                        ErrorKind::BadResponse,
                        format!(
                            "usage answer from {shown} is larger than {} KiB",
                            MAX_USAGE_BODY / 1024
                        ),
                    );
                    e.http_status = Some(status);
                    return Err(e);
                }
                body.extend_from_slice(&chunk);
            }
            decode(&body, now).map_err(|why| {
                let mut e = UsageError::new(ErrorKind::BadResponse, format!("{why} ({shown})"));
                e.http_status = Some(status);
                e
            })
        };
        // reqwest's timeout covers the body too; this outer bound is belt and braces.
        match tokio::time::timeout(self.timeout + Duration::from_millis(250), fetch).await {
            Ok(result) => result,
            Err(_) => Err(self.timed_out(&shown)),
        }
    }

    fn timed_out(&self, shown: &str) -> UsageError {
        UsageError::new(
            ErrorKind::Timeout,
            format!(
                "usage request timed out after {:.0}s ({shown})",
                self.timeout.as_secs_f64().ceil()
            ),
        )
    }

    fn transport(&self, e: &reqwest::Error, shown: &str) -> UsageError {
        if e.is_timeout() {
            return self.timed_out(shown);
        }
        let what = if e.is_connect() {
            "cannot connect to"
        } else {
            "network error talking to"
        };
        UsageError::new(
            ErrorKind::Network,
            format!("usage request failed: {what} {shown} ({})", root_cause(e)),
        )
    }
}

/// A non-2xx answer, classified.
fn refusal(status: u16, headers: &HeaderMap, shown: &str, refused: &'static str) -> UsageError {
    let (kind, what) = match status {
        401 | 403 => (ErrorKind::Unauthorized, refused),
        429 => (ErrorKind::RateLimited, "rate limited"),
        500..=599 => (ErrorKind::Network, "server error"),
        _ => (ErrorKind::BadResponse, "unexpected answer"),
    };
    let mut e = UsageError::new(kind, format!("{what}: HTTP {status} from {shown}"));
    e.http_status = Some(status);
    if kind == ErrorKind::RateLimited {
        e.retry_after_seconds = headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
    }
    e
}

/// `Retry-After`: delta-seconds, or an HTTP date (turned into seconds from now); capped at a day.
pub fn parse_retry_after(value: &str) -> Option<u64> {
    let v = value.trim();
    let secs = if let Ok(s) = v.parse::<u64>() {
        s
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
        u64::try_from((at.timestamp() - chrono::Utc::now().timestamp()).max(0)).ok()?
    };
    Some(secs.min(86_400))
}

fn root_cause(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    crate::sanitize::clean(&cause.to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("30"), Some(30));
        assert_eq!(parse_retry_after(" 7 "), Some(7));
        assert_eq!(parse_retry_after("999999"), Some(86_400));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("Mon, 01 Jan 2001 00:00:00 GMT"), Some(0));
    }

    #[test]
    fn refusals_are_classified() {
        use crate::usage::{REJECTED_ASSERTION, REJECTED_TOKEN};
        let h = HeaderMap::new();
        let kind = |status| refusal(status, &h, "u", REJECTED_TOKEN).kind;
        assert_eq!(kind(401), ErrorKind::Unauthorized);
        assert_eq!(kind(403), ErrorKind::Unauthorized);
        assert_eq!(kind(503), ErrorKind::Network);
        assert_eq!(kind(404), ErrorKind::BadResponse);
        // A 401 is worded by what was refused.
        let e = refusal(401, &h, "u", REJECTED_ASSERTION);
        assert_eq!(e.message, format!("{REJECTED_ASSERTION}: HTTP 401 from u"));
        let mut h = HeaderMap::new();
        h.insert("retry-after", "30".parse().expect("header"));
        let e = refusal(429, &h, "u", REJECTED_TOKEN);
        assert_eq!(
            (e.kind, e.retry_after_seconds),
            (ErrorKind::RateLimited, Some(30))
        );
        assert_eq!(e.http_status, Some(429));
    }
}
