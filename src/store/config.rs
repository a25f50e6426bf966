//! What `<codex home>/config.toml` makes Codex do with credentials.
//!
//! Codex can keep the auth document in the OS keyring (or only in memory) instead of
//! `auth.json`, can insist on one login method (`forced_login_method`) or workspace
//! (`forced_chatgpt_workspace_id`) — and then logs out, deleting auth.json, when the login does
//! not match — and refuses to start at all when config.toml does not parse or holds a value it
//! does not know. authdeck's verdict must follow all of that, so this module reads those settings
//! as Codex would and says when Codex cannot load the file.
//!
//! The file is read only when it is a regular file, opened without blocking (a FIFO planted as
//! config.toml must not hang every command) and capped in size.

use std::io::Read as _;
use std::path::Path;

use crate::sanitize::clean;

/// The most authdeck reads of a config.toml.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The statement shown whenever Codex keeps credentials outside auth.json.
pub const KEYRING_NOTICE: &str =
    "credentials are in the OS keyring; authdeck manages file-based auth.json only";

/// The value of `cli_auth_credentials_store`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialStoreKind {
    /// `file` (the default): `<codex home>/auth.json`.
    File,
    Keyring,
    Auto,
    Ephemeral,
    /// A value authdeck does not know (kept as written).
    Other(String),
    /// config.toml could not be read or parsed (Codex refuses to start; see
    /// [`CodexConfig::error`]). Treated as `file` for where the credential lives.
    Unparseable {
        message: String,
    },
}

impl CredentialStoreKind {
    /// Whether Codex reads auth.json (so authdeck may switch and set modes).
    pub fn is_file(&self) -> bool {
        matches!(self, Self::File | Self::Unparseable { .. })
    }

    /// The value as written in config.toml (`file` for the default or an unreadable config).
    pub fn as_str(&self) -> &str {
        match self {
            Self::File | Self::Unparseable { .. } => "file",
            Self::Keyring => "keyring",
            Self::Auto => "auto",
            Self::Ephemeral => "ephemeral",
            Self::Other(s) => s,
        }
    }

    /// A plain statement for status lines and the TUI, when there is something to say.
    pub fn notice(&self) -> Option<String> {
        match self {
            Self::File => None,
            Self::Keyring | Self::Auto => Some(KEYRING_NOTICE.to_string()),
            Self::Ephemeral => Some(
                "credentials are kept in memory only (cli_auth_credentials_store = \"ephemeral\"); \
                 authdeck manages file-based auth.json only"
                    .to_string(),
            ),
            Self::Other(s) => Some(format!(
                "config.toml sets cli_auth_credentials_store = \"{}\", which authdeck does not \
                 know; authdeck manages file-based auth.json only",
                clean(s)
            )),
            Self::Unparseable { message } => Some(format!(
                "Codex cannot load config.toml ({message}), so it will not start"
            )),
        }
    }
}

/// The login method `forced_login_method` demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum ForcedLogin {
    /// `"chatgpt"`: API keys are refused.
    Chatgpt,
    /// `"api"`: only an API key is accepted.
    Api,
}

impl ForcedLogin {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What config.toml tells Codex about credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodexConfig {
    pub store: CredentialStoreKind,
    pub forced_login_method: Option<ForcedLogin>,
    /// `forced_chatgpt_workspace_id` (blank values are ignored, as Codex does).
    pub forced_workspace_ids: Vec<String>,
    /// Codex cannot load config.toml and refuses to start: why (already escaped).
    pub error: Option<String>,
}

impl Default for CodexConfig {
    fn default() -> Self {
        Self {
            store: CredentialStoreKind::File,
            forced_login_method: None,
            forced_workspace_ids: Vec::new(),
            error: None,
        }
    }
}

impl CodexConfig {
    fn broken(message: String) -> Self {
        Self {
            store: CredentialStoreKind::Unparseable {
                message: message.clone(),
            },
            error: Some(message),
            ..Self::default()
        }
    }
}

/// Reads `cli_auth_credentials_store` from `<codex home>/config.toml`.
pub fn read_store_kind(config_toml: &Path) -> CredentialStoreKind {
    read_codex_config(config_toml).store
}

/// Reads the credential settings of `<codex home>/config.toml` as Codex does.
pub fn read_codex_config(config_toml: &Path) -> CodexConfig {
    let text = match read_capped(config_toml) {
        Ok(None) => return CodexConfig::default(),
        Ok(Some(t)) => t,
        Err(message) => return CodexConfig::broken(message),
    };
    let table = match text.parse::<toml::Table>() {
        Ok(t) => t,
        Err(e) => {
            let first_line = e.to_string().lines().next().unwrap_or("").to_string();
            return CodexConfig::broken(format!("not valid TOML: {}", clean(&first_line)));
        }
    };
    parse_table(&table).unwrap_or_else(CodexConfig::broken)
}

fn parse_table(table: &toml::Table) -> Result<CodexConfig, String> {
    let store = match table.get("cli_auth_credentials_store") {
        None => CredentialStoreKind::File,
        Some(toml::Value::String(s)) => match s.as_str() {
            "file" => CredentialStoreKind::File,
            "keyring" => CredentialStoreKind::Keyring,
            "auto" => CredentialStoreKind::Auto,
            "ephemeral" => CredentialStoreKind::Ephemeral,
            other => {
                return Err(format!(
                    "cli_auth_credentials_store = \"{}\" is not one of file, keyring, auto, ephemeral",
                    clean(other)
                ));
            }
        },
        Some(other) => {
            return Err(format!(
                "cli_auth_credentials_store must be a string, found a {}",
                other.type_str()
            ));
        }
    };
    let forced_login_method = match table.get("forced_login_method") {
        None => None,
        Some(toml::Value::String(s)) if s == "chatgpt" => Some(ForcedLogin::Chatgpt),
        Some(toml::Value::String(s)) if s == "api" => Some(ForcedLogin::Api),
        Some(toml::Value::String(s)) => {
            return Err(format!(
                "forced_login_method = \"{}\" is not chatgpt or api",
                clean(s)
            ));
        }
        Some(other) => {
            return Err(format!(
                "forced_login_method must be a string, found a {}",
                other.type_str()
            ));
        }
    };
    let forced_workspace_ids = match table.get("forced_chatgpt_workspace_id") {
        None => Vec::new(),
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or("forced_chatgpt_workspace_id must hold strings")?,
        Some(other) => {
            return Err(format!(
                "forced_chatgpt_workspace_id must be a string, found a {}",
                other.type_str()
            ));
        }
    };
    Ok(CodexConfig {
        store,
        forced_login_method,
        forced_workspace_ids: forced_workspace_ids
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
        error: None,
    })
}

/// Opens a file for reading without ever blocking on it (a FIFO opened normally waits for a
/// writer).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn read_capped(path: &Path) -> Result<Option<String>, String> {
    // Look before opening: only a regular file (after symlinks) is read at all.
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(clean(&e.to_string()).into_owned()),
        Ok(m) if !m.is_file() => return Err("config.toml is not a regular file".to_string()),
        Ok(_) => {}
    }
    let file = match open_nonblocking(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(clean(&e.to_string()).into_owned()),
    };
    // It may have been swapped between the look and the open: check what was opened.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("config.toml is not a regular file".to_string());
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| clean(&e.to_string()).into_owned())?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(format!("larger than {MAX_CONFIG_BYTES} bytes"));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "not UTF-8 text".to_string())
}

// ---------------------------------------------------------------------------------------------
// chatgpt_base_url (usage endpoint, JWKS default)

/// `chatgpt_base_url` from `<codex home>/config.toml` (top-level key; blank counts as unset).
///
/// `Ok(None)` when the file or key is absent; `Err` (one line, for a notice) when config.toml
/// cannot be read or parsed or the key is not a string — callers then use Codex's default. The
/// value is returned as written: the https-or-loopback rule is checked by the caller.
pub fn read_chatgpt_base_url(config_toml: &Path) -> Result<Option<String>, String> {
    let Some(text) = read_capped(config_toml)? else {
        return Ok(None);
    };
    let table = text.parse::<toml::Table>().map_err(|e| {
        let first_line = e.to_string().lines().next().unwrap_or("").to_string();
        format!("config.toml is not valid TOML: {}", clean(&first_line))
    })?;
    match table.get("chatgpt_base_url") {
        None => Ok(None),
        Some(toml::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(format!(
            "chatgpt_base_url in config.toml must be a string, found a {}",
            other.type_str()
        )),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod codex_config_tests;

#[cfg(test)]
mod chatgpt_base_tests;
