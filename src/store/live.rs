//! The live credential: what Codex would use right now.
//!
//! Codex checks `CODEX_ACCESS_TOKEN` (an Agent Identity JWT, or a personal access token when it
//! starts with `at-`) before its credential store. (`CODEX_AGENT_IDENTITY` exists in neither
//! Codex 0.169 nor 0.171, so it is ignored; `CODEX_API_KEY` is read only by `codex exec`, so it is
//! shown as a notice, never as the live credential.) The store is auth.json, or — as config.toml
//! says — the OS keyring (`keyring`; `auto` falls back to the file), or nothing (`ephemeral`).
//! authdeck always reads auth.json as well, so it can say "switching has no effect while the
//! environment token is set" and still show the file.
//!
//! Files are read with a size cap ([`MAX_DOC_BYTES`] + 1 bytes through `take`), so a huge or
//! endless file (a FIFO, `/dev/zero` behind a symlink) never loads fully or blocks: anything that
//! is not a regular file is reported as unreadable without being opened for reading.

use std::fs::File;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use crate::codex::auth_file::{AuthDoc, DocError, MAX_DOC_BYTES};
use crate::sanitize::clean;
use crate::secret::{Secret, Zeroizing};

use super::config::{CodexConfig, CredentialStoreKind, read_codex_config};
use super::error::{ErrorKind, StoreError, show};
use super::keyring::{KEYRING_SERVICE, KeyringFn, KeyringRead, keyring_account, read_os_keyring};
use super::paths::{EnvFn, Paths};

/// The environment variables Codex reads a credential from, in its order.
pub const ENV_TOKEN_VARS: [&str; 1] = ["CODEX_ACCESS_TOKEN"];

/// The API-key variable only `codex exec` reads.
pub const EXEC_API_KEY_VAR: &str = "CODEX_API_KEY";

/// Where the live credential comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An environment token (wins over auth.json).
    Env { var: &'static str },
    /// `<codex home>/auth.json` exists (usable or not).
    File { path: PathBuf },
    /// Codex's entry in the OS keyring (found, or unreachable).
    Keyring { account: String },
    /// No credential anywhere: signed out.
    None,
}

/// What is at a credential file's path.
#[derive(Debug, Clone, PartialEq)]
pub enum FileState {
    Missing,
    /// Exists but cannot be read (permissions, a directory, a FIFO…).
    Unreadable {
        path: PathBuf,
        message: String,
    },
    /// Read but not a JSON object document.
    Malformed {
        path: PathBuf,
        error: DocError,
    },
    Doc {
        path: PathBuf,
        doc: AuthDoc,
    },
}

impl FileState {
    /// The document, when there is a usable one.
    pub fn doc(&self) -> Option<&AuthDoc> {
        match self {
            Self::Doc { doc, .. } => Some(doc),
            _ => None,
        }
    }

    /// Whether something exists at the path.
    pub fn exists(&self) -> bool {
        !matches!(self, Self::Missing)
    }

    /// The document, or a clear error for a missing or unusable file at `path`.
    pub fn require_doc(&self, path: &Path) -> Result<&AuthDoc, StoreError> {
        match self {
            Self::Doc { doc, .. } => Ok(doc),
            Self::Missing => Err(StoreError::new(
                ErrorKind::LiveMissing,
                format!("there is no live credential: {} does not exist", show(path)),
            )
            .with_hint("sign in with `codex login` first, or switch to a saved account")),
            other => Err(StoreError::new(
                ErrorKind::LiveInvalid,
                format!(
                    "the live credential file {} cannot be used: {}",
                    show(path),
                    other.problem().unwrap_or_default()
                ),
            )
            .with_hint("fix or replace it (e.g. `codex login`, or `authdeck switch <name>`)")),
        }
    }

    /// Why the file cannot be used, when it exists but is not a document.
    pub fn problem(&self) -> Option<String> {
        match self {
            Self::Unreadable { message, .. } => Some(message.clone()),
            Self::Malformed { error, .. } => Some(error.to_string()),
            Self::Missing | Self::Doc { .. } => None,
        }
    }
}

/// The live credential as Codex would see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub source: Source,
    /// The environment token, when one is set (it wins over the file).
    pub env_token: Option<Secret>,
    /// auth.json, read even when an environment token wins.
    pub file: FileState,
    pub store_kind: CredentialStoreKind,
    /// Everything config.toml says about credentials (`store_kind` is `config.store`).
    pub config: CodexConfig,
    /// Codex's keyring entry, when the store is `keyring` or `auto`.
    pub keyring: Option<KeyringLive>,
    /// `CODEX_API_KEY` is set (only `codex exec` uses it).
    pub exec_api_key: bool,
}

/// Codex's keyring entry as read.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyringLive {
    pub account: String,
    pub state: KeyringState,
}

/// What the keyring entry holds.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyringState {
    Doc(AuthDoc),
    Malformed(DocError),
    Missing,
    Unreachable(String),
}

impl Live {
    /// The env variable whose token is live, if any.
    pub fn env_var(&self) -> Option<&'static str> {
        match self.source {
            Source::Env { var } => Some(var),
            _ => None,
        }
    }

    /// The notice to show when an environment token makes auth.json irrelevant.
    pub fn env_notice(&self) -> Option<String> {
        self.env_var().map(|var| {
            format!("{var} is set: Codex uses it instead of auth.json, so switching has no effect while it is set")
        })
    }

    /// The notice for `CODEX_API_KEY`, which only `codex exec` reads.
    pub fn exec_api_key_notice(&self) -> Option<String> {
        self.exec_api_key.then(|| {
            format!(
                "{EXEC_API_KEY_VAR} is set: only `codex exec` uses it (instead of this credential); \
                 `codex login status` and interactive Codex ignore it"
            )
        })
    }
}

/// Reads the live credential: the environment first, then the store config.toml names (the OS
/// keyring through [`read_os_keyring`]).
pub fn read_live(paths: &Paths, env: EnvFn<'_>) -> Live {
    read_live_with(paths, env, &read_os_keyring)
}

/// The first environment variable that holds a (non-blank) token, with the token: it is the
/// live credential instead of auth.json.
fn env_token(env: EnvFn<'_>) -> Option<(&'static str, Secret)> {
    ENV_TOKEN_VARS.iter().find_map(|var| {
        env(var).map(Zeroizing::new).and_then(|v| {
            let token = v.trim();
            (!token.is_empty()).then(|| (*var, Secret::new(token)))
        })
    })
}

/// The environment variable that is the live credential instead of auth.json, if one is set —
/// [`Live::env_var`] without reading config.toml, auth.json or the keyring.
pub fn env_token_var(env: EnvFn<'_>) -> Option<&'static str> {
    env_token(env).map(|(var, _)| var)
}

/// [`read_live`] with the keyring lookup injected (tests never touch a real keyring).
pub fn read_live_with(paths: &Paths, env: EnvFn<'_>, keyring: KeyringFn<'_>) -> Live {
    let env_hit = env_token(env);
    let config = read_codex_config(&paths.config_toml());
    let keyring = matches!(
        config.store,
        CredentialStoreKind::Keyring | CredentialStoreKind::Auto
    )
    .then(|| {
        let account = keyring_account(&paths.codex_home);
        let state = match keyring(KEYRING_SERVICE, &account) {
            KeyringRead::Found(bytes) => match AuthDoc::parse(&bytes) {
                Ok(doc) => KeyringState::Doc(doc),
                Err(e) => KeyringState::Malformed(e),
            },
            KeyringRead::Missing => KeyringState::Missing,
            KeyringRead::Unreachable(m) => KeyringState::Unreachable(m),
        };
        KeyringLive { account, state }
    });
    let path = paths.auth_json();
    let file = read_doc_file(&path);
    let from_keyring = keyring.as_ref().is_some_and(|k| match k.state {
        KeyringState::Doc(_) | KeyringState::Malformed(_) => true,
        // `keyring` has no fallback; `auto` falls back to auth.json.
        KeyringState::Missing | KeyringState::Unreachable(_) => {
            config.store == CredentialStoreKind::Keyring
        }
    });
    let source = match (&env_hit, &file) {
        (Some((var, _)), _) => Source::Env { var },
        _ if config.store == CredentialStoreKind::Ephemeral => Source::None,
        _ if from_keyring => match keyring.as_ref().map(|k| &k.state) {
            Some(KeyringState::Missing) => Source::None,
            _ => Source::Keyring {
                account: keyring
                    .as_ref()
                    .map(|k| k.account.clone())
                    .unwrap_or_default(),
            },
        },
        (None, FileState::Missing) => Source::None,
        (None, _) => Source::File { path },
    };
    Live {
        source,
        env_token: env_hit.map(|(_, t)| t),
        file,
        store_kind: config.store.clone(),
        config,
        keyring,
        exec_api_key: env(EXEC_API_KEY_VAR)
            .map(Zeroizing::new)
            .is_some_and(|v| !v.trim().is_empty()),
    }
}

/// Reads at most `MAX_DOC_BYTES + 1` bytes of a regular file. `Ok(None)` = missing.
///
/// The bytes are a credential document: the buffer is sized from the file's length up front (so
/// reading does not reallocate and leave unwiped copies behind) and wiped on drop.
pub(crate) fn read_capped(path: &Path) -> io::Result<Option<Zeroizing<Vec<u8>>>> {
    // Check the kind before opening: opening a FIFO for reading would block.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A dangling symlink is "something there", not "missing".
            return if std::fs::symlink_metadata(path).is_ok() {
                Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    "it is a symbolic link to a file that does not exist",
                ))
            } else {
                Ok(None)
            };
        }
        Err(e) => return Err(e),
    };
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "it is a directory, not a file"
        } else {
            "it is not a regular file"
        };
        return Err(io::Error::other(what));
    }
    let file = File::open(path)?;
    let cap = usize::try_from(meta.len()).map_or(MAX_DOC_BYTES, |n| n.min(MAX_DOC_BYTES)) + 1;
    let mut bytes = Zeroizing::new(Vec::with_capacity(cap));
    file.take(MAX_DOC_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Reads and parses a credential file (auth.json or an account) into a [`FileState`].
pub fn read_doc_file(path: &Path) -> FileState {
    match read_capped(path) {
        Ok(None) => FileState::Missing,
        Err(e) => FileState::Unreadable {
            path: path.to_path_buf(),
            message: clean(&e.to_string()).into_owned(),
        },
        Ok(Some(bytes)) => match AuthDoc::parse(&bytes) {
            Ok(doc) => FileState::Doc {
                path: path.to_path_buf(),
                doc,
            },
            Err(DocError::TooLarge { max, .. }) => FileState::Malformed {
                path: path.to_path_buf(),
                error: DocError::TooLarge {
                    size: std::fs::metadata(path)
                        .ok()
                        .and_then(|m| usize::try_from(m.len()).ok())
                        .unwrap_or(bytes.len()),
                    max,
                },
            },
            Err(error) => FileState::Malformed {
                path: path.to_path_buf(),
                error,
            },
        },
    }
}

#[cfg(test)]
mod tests;
