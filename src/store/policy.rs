//! Would Codex refuse this credential under the current config.toml? One face-neutral answer for
//! the verdict (`status`, `list`, the TUI) and for the switching guard (`switch`, `switch
//! --best`, `mode`, the TUI switch), so that they never disagree.
//!
//! Codex refuses to start when config.toml cannot be loaded; with `forced_login_method` it logs
//! out — deleting auth.json — a login of the other kind; with `forced_chatgpt_workspace_id` it
//! does the same to a ChatGPT login or Agent Identity of another workspace.

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::{Analysis, AuthMode};
use crate::sanitize::clean;

use super::config::{CodexConfig, ForcedLogin};
use super::error::{ErrorKind, StoreError};

/// Why Codex would refuse (or delete) a credential with this analysis under `config`, if it
/// would. The credential's own problems come first.
pub fn codex_refusal(config: &CodexConfig, analysis: &Analysis) -> Option<String> {
    if let Some(e) = &config.error {
        return Some(format!(
            "Codex cannot load config.toml ({e}), so it will not start with any credential"
        ));
    }
    if let Some(p) = &analysis.problem {
        return Some(p.clone());
    }
    policy_refusal(config, analysis)
}

/// The switching guard: `Ok(None)` when Codex would use `doc`; the refusal as an error when it
/// would not and `allow` is false; `Ok(Some(warning))` spelling out the consequence when the
/// user forces it. `what` names the credential ("account \"work\"", "auth_mode \"apikey\"").
pub fn guard(
    config: &CodexConfig,
    doc: &AuthDoc,
    what: &str,
    allow: bool,
) -> Result<Option<String>, StoreError> {
    let Some(reason) = codex_refusal(config, &Analysis::of_doc(doc)) else {
        return Ok(None);
    };
    let reason = clean(&reason).into_owned();
    if allow {
        return Ok(Some(format!(
            "forced: Codex will not use {what} ({reason}); it acts signed out until another \
             credential is put in place, and may delete auth.json"
        )));
    }
    Err(StoreError::new(
        ErrorKind::CodexWouldRefuse,
        format!("Codex would refuse {what}: {reason}"),
    )
    .with_hint("nothing was changed; pass --force to put it in place anyway"))
}

/// The config.toml restrictions alone (the credential itself being usable).
pub fn policy_refusal(config: &CodexConfig, analysis: &Analysis) -> Option<String> {
    let mode = &analysis.mode;
    if let Some(forced) = config.forced_login_method {
        let violates = match forced {
            ForcedLogin::Chatgpt => *mode == AuthMode::ApiKey,
            ForcedLogin::Api => *mode != AuthMode::ApiKey,
        };
        if violates {
            return Some(format!(
                "config.toml sets forced_login_method = \"{}\": Codex refuses this {} and deletes \
                 auth.json when it starts",
                forced.as_str(),
                mode.describe()
            ));
        }
    }
    let allowed = &config.forced_workspace_ids;
    let restricted = matches!(
        mode,
        AuthMode::Chatgpt | AuthMode::ChatgptAuthTokens | AuthMode::AgentIdentity
    );
    if !allowed.is_empty() && restricted {
        let workspace = analysis.account().and_then(|a| a.account_id);
        if !workspace.as_ref().is_some_and(|w| allowed.contains(w)) {
            return Some(format!(
                "config.toml restricts logins to workspace {} and this credential belongs to {}: \
                 Codex refuses it and deletes auth.json when it starts",
                crate::sanitize::clean(&allowed.join(", ")),
                crate::sanitize::clean(workspace.as_deref().unwrap_or("no workspace"))
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codex::fixtures::{self, ChatgptSpec};

    fn chatgpt() -> Analysis {
        Analysis::of_doc(&fixtures::chatgpt_doc(&ChatgptSpec::default()))
    }

    fn api() -> Analysis {
        Analysis::of_doc(&fixtures::api_key_doc("sk-test-1234567890abcdef"))
    }

    #[test]
    fn forced_login_method_refuses_the_other_kind() {
        let api_only = CodexConfig {
            forced_login_method: Some(ForcedLogin::Api),
            ..CodexConfig::default()
        };
        assert!(codex_refusal(&api_only, &chatgpt()).is_some_and(|r| r.contains("deletes")));
        assert_eq!(codex_refusal(&api_only, &api()), None);
        let chatgpt_only = CodexConfig {
            forced_login_method: Some(ForcedLogin::Chatgpt),
            ..CodexConfig::default()
        };
        assert!(codex_refusal(&chatgpt_only, &api()).is_some());
        assert_eq!(codex_refusal(&chatgpt_only, &chatgpt()), None);
    }

    #[test]
    fn workspace_restriction_applies_to_logins_not_keys() {
        let only = |ws: &str| CodexConfig {
            forced_workspace_ids: vec![ws.to_string()],
            ..CodexConfig::default()
        };
        assert_eq!(codex_refusal(&only("account-123"), &chatgpt()), None);
        assert!(codex_refusal(&only("account-other"), &chatgpt()).is_some());
        assert_eq!(codex_refusal(&only("account-other"), &api()), None);
    }

    #[test]
    fn a_broken_config_refuses_everything() {
        let broken = CodexConfig {
            error: Some("not valid TOML".into()),
            ..CodexConfig::default()
        };
        assert!(codex_refusal(&broken, &api()).is_some_and(|r| r.contains("will not start")));
    }
}
