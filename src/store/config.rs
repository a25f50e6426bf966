//! Which credential store Codex uses, from `<codex home>/config.toml`.
//!
//! Codex can keep the auth document in the OS keyring (or only in memory) instead of
//! `auth.json`. Writing `auth.json` then does nothing, so authdeck reads
//! `cli_auth_credentials_store` and refuses to switch rather than write a file Codex ignores.
//! A config.toml that cannot be read or parsed is reported as a notice and treated as the
//! default `file` store: refusing every command over a typo in an unrelated key would be worse.

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
    /// config.toml could not be read or parsed: treated as `file`, with this reason shown.
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
                "could not read config.toml ({message}); assuming credentials are in auth.json"
            )),
        }
    }
}

/// Reads `cli_auth_credentials_store` from `<codex home>/config.toml`.
pub fn read_store_kind(config_toml: &Path) -> CredentialStoreKind {
    let text = match read_capped(config_toml) {
        Ok(None) => return CredentialStoreKind::File,
        Ok(Some(t)) => t,
        Err(message) => return CredentialStoreKind::Unparseable { message },
    };
    let table = match text.parse::<toml::Table>() {
        Ok(t) => t,
        Err(e) => {
            let first_line = e.to_string().lines().next().unwrap_or("").to_string();
            return CredentialStoreKind::Unparseable {
                message: format!("not valid TOML: {}", clean(&first_line)),
            };
        }
    };
    match table.get("cli_auth_credentials_store") {
        None => CredentialStoreKind::File,
        Some(toml::Value::String(s)) => match s.as_str() {
            "file" => CredentialStoreKind::File,
            "keyring" => CredentialStoreKind::Keyring,
            "auto" => CredentialStoreKind::Auto,
            "ephemeral" => CredentialStoreKind::Ephemeral,
            other => CredentialStoreKind::Other(other.to_string()),
        },
        Some(other) => CredentialStoreKind::Unparseable {
            message: format!(
                "cli_auth_credentials_store must be a string, found a {}",
                other.type_str()
            ),
        },
    }
}

fn read_capped(path: &Path) -> Result<Option<String>, String> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(clean(&e.to_string()).into_owned()),
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("not a regular file".to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_for(text: &str) -> CredentialStoreKind {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("config.toml");
        std::fs::write(&p, text).expect("write");
        read_store_kind(&p)
    }

    #[test]
    fn values_are_recognised() {
        assert_eq!(kind_for(""), CredentialStoreKind::File);
        assert_eq!(kind_for("model = \"o3\"\n"), CredentialStoreKind::File);
        assert_eq!(
            kind_for("cli_auth_credentials_store = \"file\""),
            CredentialStoreKind::File
        );
        assert_eq!(
            kind_for("cli_auth_credentials_store = \"keyring\""),
            CredentialStoreKind::Keyring
        );
        assert_eq!(
            kind_for("cli_auth_credentials_store = \"auto\""),
            CredentialStoreKind::Auto
        );
        assert_eq!(
            kind_for("cli_auth_credentials_store = \"ephemeral\""),
            CredentialStoreKind::Ephemeral
        );
        assert_eq!(
            kind_for("cli_auth_credentials_store = \"vault\""),
            CredentialStoreKind::Other("vault".into())
        );
        // A key inside a table is not the top-level setting.
        assert_eq!(
            kind_for("[profiles.x]\ncli_auth_credentials_store = \"keyring\""),
            CredentialStoreKind::File
        );
    }

    #[test]
    fn missing_config_is_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            read_store_kind(&dir.path().join("config.toml")),
            CredentialStoreKind::File
        );
    }

    #[test]
    fn broken_config_is_a_notice_treated_as_file() {
        let k = kind_for("cli_auth_credentials_store = \n[[[");
        assert!(k.is_file());
        assert!(matches!(k, CredentialStoreKind::Unparseable { .. }));
        assert!(
            k.notice().is_some_and(|n| n.contains("not valid TOML")),
            "{k:?}"
        );
        let k = kind_for("cli_auth_credentials_store = 3");
        assert!(k.is_file());
        assert!(k.notice().is_some_and(|n| n.contains("must be a string")));
    }

    #[test]
    fn keyring_notice_is_the_plain_statement() {
        assert_eq!(
            CredentialStoreKind::Keyring.notice().as_deref(),
            Some(KEYRING_NOTICE)
        );
        assert!(!CredentialStoreKind::Keyring.is_file());
        assert!(!CredentialStoreKind::Auto.is_file());
        assert!(!CredentialStoreKind::Other("x".into()).is_file());
        assert_eq!(CredentialStoreKind::File.notice(), None);
    }
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
mod chatgpt_base_tests {
    use super::*;

    fn base_for(text: &str) -> Result<Option<String>, String> {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("config.toml");
        std::fs::write(&p, text).expect("write");
        read_chatgpt_base_url(&p)
    }

    #[test]
    fn chatgpt_base_url_is_read_from_the_top_level() {
        assert_eq!(base_for(""), Ok(None));
        assert_eq!(
            base_for("chatgpt_base_url = \" http://127.0.0.1:9/backend-api \"\n"),
            Ok(Some("http://127.0.0.1:9/backend-api".into()))
        );
        assert_eq!(base_for("[x]\nchatgpt_base_url = \"https://a\""), Ok(None));
        assert_eq!(base_for("chatgpt_base_url = \"\""), Ok(None));
        assert!(base_for("chatgpt_base_url = 3").is_err());
        assert!(base_for("[[[").is_err());
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            read_chatgpt_base_url(&dir.path().join("none.toml")),
            Ok(None)
        );
    }
}
