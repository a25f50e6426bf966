//! The request headers a credential produces (docs/codex-formats.md §5), and their output formats.
//!
//! One function, [`header_set`], decides the headers for every mode, so the `header` command,
//! the TUI's copy menu and its masked Headers preview always agree on exactly what would be
//! sent. Header values are [`Secret`]s: the preview uses [`HeaderSet::masked_lines`]; only the
//! explicit print/copy paths call [`HeaderSet::format`].
//!
//! The header types and their output formats live in `output`; this module is the one table of
//! which headers each mode produces.

use chrono::{DateTime, Utc};

use super::credential::{Analysis, AuthMode, Material};
use crate::secret::Secret;

mod output;

pub use output::{Header, HeaderFormat, HeaderSet};
use output::{MaskStyle, header};

/// Why no headers can be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("the credential is not usable: {0}")]
    Invalid(String),
    #[error(
        "no registered task for this Agent Identity, so no AgentAssertion can be signed; run `authdeck register` first"
    )]
    NoTask,
    #[error("authdeck cannot build headers for auth mode \"{0}\"")]
    Unsupported(String),
}

fn workspace_headers(out: &mut Vec<Header>, account_id: Option<&str>, fedramp: bool) {
    if let Some(id) = account_id.filter(|s| !s.is_empty()) {
        out.push(header("ChatGPT-Account-ID", None, id, MaskStyle::Plain));
    }
    if fedramp {
        out.push(header("X-OpenAI-Fedramp", None, "true", MaskStyle::Plain));
    }
}

/// An Agent Identity's headers: a fresh AgentAssertion for its task (the registered one, or
/// the one stored with the identity) and the workspace headers.
fn agent_headers(
    headers: &mut Vec<Header>,
    m: &Material,
    task_id: Option<&Secret>,
    now: DateTime<Utc>,
) -> Result<(), HeaderError> {
    let agent = m
        .agent_ok()
        .ok_or(HeaderError::Invalid("no agent identity".into()))?;
    let signer = agent
        .signer(task_id)
        .map_err(|e| HeaderError::Invalid(e.to_string()))?
        .ok_or(HeaderError::NoTask)?;
    headers.push(header(
        "Authorization",
        Some("AgentAssertion"),
        signer.token(now).expose(),
        MaskStyle::Token,
    ));
    workspace_headers(
        headers,
        signer.facts.account_id.as_deref(),
        signer.facts.fedramp,
    );
    Ok(())
}

/// The headers of the mode in force. `task_id` is the registered task (Agent Identity); `now`
/// stamps a fresh AgentAssertion.
pub fn header_set(
    analysis: &Analysis,
    task_id: Option<&Secret>,
    now: DateTime<Utc>,
) -> Result<HeaderSet, HeaderError> {
    if let Some(problem) = &analysis.problem {
        return Err(HeaderError::Invalid(problem.clone()));
    }
    let m = &analysis.material;
    let mut headers = Vec::new();
    match &analysis.mode {
        AuthMode::ApiKey => {
            let key = m
                .api_key
                .as_ref()
                .ok_or(HeaderError::Invalid("no API key".into()))?;
            headers.push(header(
                "Authorization",
                Some("Bearer"),
                key.expose(),
                MaskStyle::ApiKey,
            ));
        }
        AuthMode::Chatgpt => {
            let c = m
                .chatgpt_ok()
                .ok_or(HeaderError::Invalid("no ChatGPT tokens".into()))?;
            headers.push(header(
                "Authorization",
                Some("Bearer"),
                c.access_token.expose(),
                MaskStyle::Token,
            ));
            workspace_headers(&mut headers, c.account_id.as_deref(), c.claims.fedramp);
        }
        AuthMode::AgentIdentity => agent_headers(&mut headers, m, task_id, now)?,
        AuthMode::PersonalAccessToken => {
            let pat = m
                .personal_access_token
                .as_ref()
                .ok_or(HeaderError::Invalid("no personal access token".into()))?;
            headers.push(header(
                "Authorization",
                Some("Bearer"),
                pat.expose(),
                MaskStyle::Token,
            ));
        }
        other => return Err(HeaderError::Unsupported(other.as_str().to_string())),
    }
    // The values are printed raw by `header` (that is its job), so one carrying terminal
    // controls would reach the terminal unescaped — and no HTTP server accepts them anyway.
    if let Some(h) = headers
        .iter()
        .find(|h| crate::sanitize::has_unsafe(h.value.expose()))
    {
        return Err(HeaderError::Invalid(format!(
            "the {} value would contain control characters, which no server accepts",
            h.name
        )));
    }
    Ok(HeaderSet { headers })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::codex::auth_file::AuthDoc;
    use crate::codex::fixtures::{self, ChatgptSpec};

    fn at_vector_time() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 23, 0, 0, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn api_key_headers_and_formats() {
        let a = Analysis::of_doc(&fixtures::api_key_doc("sk-proj-1234567890ABCDE"));
        let set = header_set(&a, None, at_vector_time()).expect("headers");
        assert_eq!(
            set.format(HeaderFormat::Value).expose(),
            "Bearer sk-proj-1234567890ABCDE"
        );
        assert_eq!(
            set.format(HeaderFormat::Http).expose(),
            "Authorization: Bearer sk-proj-1234567890ABCDE"
        );
        assert_eq!(
            set.format(HeaderFormat::Curl).expose(),
            "-H 'Authorization: Bearer sk-proj-1234567890ABCDE'"
        );
        assert_eq!(
            set.format(HeaderFormat::Json).expose(),
            r#"{"Authorization":"Bearer sk-proj-1234567890ABCDE"}"#
        );
        assert_eq!(
            set.masked_lines(),
            vec!["Authorization: Bearer sk-proj-***ABCDE"]
        );
    }

    #[test]
    fn chatgpt_headers_carry_workspace_and_fedramp() {
        let a = Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec {
            fedramp: true,
            ..ChatgptSpec::default()
        }));
        let set = header_set(&a, None, at_vector_time()).expect("headers");
        let names: Vec<_> = set.headers.iter().map(|h| h.name).collect();
        assert_eq!(
            names,
            ["Authorization", "ChatGPT-Account-ID", "X-OpenAI-Fedramp"]
        );
        let http = set.format(HeaderFormat::Http);
        assert!(http.expose().contains("ChatGPT-Account-ID: account-123"));
        assert!(http.expose().contains("X-OpenAI-Fedramp: true"));
        let masked = set.masked_lines().join("\n");
        assert!(
            masked.starts_with("Authorization: Bearer eyJh…"),
            "{masked}"
        );
        assert!(!masked.contains(&a.material.chatgpt_ok().expect("c").access_token.expose()[10..]));
    }

    #[test]
    fn agent_assertion_matches_the_vector() {
        let doc = AuthDoc::from_members(&[
            ("auth_mode", json!("agentIdentity")),
            (
                "agent_identity",
                json!({"agent_runtime_id": "agent-123", "agent_private_key": fixtures::TEST_KEY_V2, "account_id": "acct-1",
                    "chatgpt_user_id": "u", "plan_type": "pro", "chatgpt_account_is_fedramp": false}),
            ),
        ]);
        let a = Analysis::of_doc(&doc);
        assert_eq!(
            header_set(&a, None, at_vector_time()),
            Err(HeaderError::NoTask)
        );
        let set =
            header_set(&a, Some(&Secret::new("task-123")), at_vector_time()).expect("headers");
        assert_eq!(
            set.format(HeaderFormat::Value).expose(),
            "AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoiYWdlbnQtMTIzIiwic2lnbmF0dXJlIjoiK0dsck9LUi9GSHh4aGttT2hnNWhqMTkrNU83aE0yTWd4TnJnVGZSZ0lYOENZbjEzQUpFU3Y1eVhrd3dVQzlqRGQ4Y3ZRUk11MWY4UHliZjYvTEJnRHc9PSIsInRhc2tfaWQiOiJ0YXNrLTEyMyIsInRpbWVzdGFtcCI6IjIwMjYtMDQtMjNUMDA6MDA6MDBaIn0"
        );
        assert!(
            set.format(HeaderFormat::Http)
                .expose()
                .contains("ChatGPT-Account-ID: acct-1")
        );
    }

    #[test]
    fn invalid_and_unsupported() {
        let a = Analysis::of_doc(&AuthDoc::parse(br#"{"auth_mode":"apikey"}"#).expect("parses"));
        assert!(matches!(
            header_set(&a, None, at_vector_time()),
            Err(HeaderError::Invalid(_))
        ));
        let b = Analysis::of_doc(
            &AuthDoc::parse(
                br#"{"auth_mode":"bedrockApiKey","bedrock_api_key":{"api_key":"x","region":"r"}}"#,
            )
            .expect("parses"),
        );
        assert_eq!(
            header_set(&b, None, at_vector_time()),
            Err(HeaderError::Unsupported("bedrockApiKey".into()))
        );
    }
}
