//! Fake live credentials and stored account files (every secret fake).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::codex::auth_file::{AuthDoc, DocError};
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::secret::Secret;
use crate::store::{CredentialStoreKind, FileState, Live, Source};

use super::FAKE_KEY;

/// Where the fakes' auth.json lives.
fn auth_json() -> PathBuf {
    PathBuf::from("/home/user/.codex/auth.json")
}

/// The one builder behind every fake live credential: they differ only in where the credential
/// comes from, the environment token, what auth.json holds and the store config.toml names.
fn live(
    store: CredentialStoreKind,
    source: Source,
    env_token: Option<Secret>,
    file: FileState,
) -> Live {
    Live {
        source,
        env_token,
        file,
        store_kind: store.clone(),
        config: crate::store::CodexConfig {
            store,
            ..crate::store::CodexConfig::default()
        },
        keyring: None,
        exec_api_key: false,
    }
}

/// A credential read from auth.json (in the state `file`), under the `store` config.toml names.
fn from_auth_json(store: CredentialStoreKind, file: FileState) -> Live {
    let path = auth_json();
    live(store, Source::File { path }, None, file)
}

pub fn file_live(doc: AuthDoc) -> Live {
    let path = auth_json();
    from_auth_json(CredentialStoreKind::File, FileState::Doc { path, doc })
}

pub fn api_key_live() -> Live {
    file_live(fixtures::api_key_doc(FAKE_KEY))
}

pub fn chatgpt_live() -> Live {
    file_live(fixtures::chatgpt_doc(&ChatgptSpec::default()))
}

/// A ChatGPT login that also holds an API key (two modes present).
pub fn multi_mode_live() -> Live {
    file_live(AuthDoc::from_members(&[
        ("auth_mode", json!("chatgpt")),
        ("OPENAI_API_KEY", json!(FAKE_KEY)),
        ("tokens", fixtures::chatgpt_tokens(&ChatgptSpec::default())),
        ("last_refresh", json!("2026-04-30T10:00:00Z")),
    ]))
}

pub fn agent_live() -> Live {
    file_live(fixtures::agent_jwt_doc(&fixtures::unsigned_agent_jwt(
        "agent-runtime-1",
        4_102_444_800,
    )))
}

pub fn pat_live() -> Live {
    file_live(AuthDoc::from_members(&[
        ("auth_mode", json!("personalAccessToken")),
        ("OPENAI_API_KEY", Value::Null),
        ("personal_access_token", json!("at-FAKEFAKEFAKEFAKE0000")),
    ]))
}

pub fn env_agent_live() -> Live {
    let token = fixtures::unsigned_agent_jwt("agent-env-1", 4_102_444_800);
    let source = Source::Env {
        var: "CODEX_ACCESS_TOKEN",
    };
    live(
        CredentialStoreKind::File,
        source,
        Some(Secret::new(token)),
        FileState::Missing,
    )
}

pub fn keyring_live() -> Live {
    let (path, doc) = (auth_json(), fixtures::chatgpt_doc(&ChatgptSpec::default()));
    from_auth_json(CredentialStoreKind::Keyring, FileState::Doc { path, doc })
}

pub fn signed_out_live() -> Live {
    live(
        CredentialStoreKind::File,
        Source::None,
        None,
        FileState::Missing,
    )
}

pub fn invalid_live() -> Live {
    file_live(
        AuthDoc::parse(br#"{"auth_mode":"apikey"}"#).unwrap_or_else(|_| AuthDoc::from_members(&[])),
    )
}

pub fn malformed_live() -> Live {
    let (path, error) = (auth_json(), DocError::Empty);
    from_auth_json(
        CredentialStoreKind::File,
        FileState::Malformed { path, error },
    )
}

/// A stored account's file as the preview reads it.
pub fn account_live(name: &str, file: FileState) -> Live {
    crate::ops::status::account_as_live(
        PathBuf::from(format!("/home/user/.authdeck/accounts/{name}.json")),
        file,
        crate::store::CodexConfig::default(),
    )
}

/// A stored account document as a readable file.
pub fn account_doc(name: &str, doc: AuthDoc) -> Live {
    let path = PathBuf::from(format!("/home/user/.authdeck/accounts/{name}.json"));
    account_live(name, FileState::Doc { path, doc })
}
