//! Reading Codex's own keyring entry, for `cli_auth_credentials_store = "keyring" | "auto"`.
//!
//! Codex keeps the same JSON document it would write to auth.json under the service
//! `Codex Auth`, account `cli|` + the first 16 hex digits of SHA-256 of the canonical Codex
//! home path. authdeck reads that entry (never writes it) with the same `keyring` crate and
//! backends Codex uses, so its verdict covers keyring-stored credentials too. Where no keyring is
//! reachable (a server without a Secret Service), it says exactly that.
//!
//! The OS call runs on its own thread with a bounded wait: a keyring daemon that never answers
//! must not freeze a command or the TUI.

use std::path::Path;
use std::time::Duration;

use sha2::{Digest as _, Sha256};

/// The keyring service Codex stores its credentials under.
pub const KEYRING_SERVICE: &str = "Codex Auth";

/// How long authdeck waits for the OS keyring.
pub const KEYRING_WAIT: Duration = Duration::from_secs(5);

/// What the keyring holds for an account. `Debug` shows the size of a stored document, never
/// its bytes.
#[derive(Clone, PartialEq, Eq)]
pub enum KeyringRead {
    /// The stored document (bytes as Codex wrote them), wiped on drop.
    Found(zeroize::Zeroizing<Vec<u8>>),
    /// The keyring answered: no such entry.
    Missing,
    /// No keyring could be reached (or it failed): the reason, escaped.
    Unreachable(String),
}

impl std::fmt::Debug for KeyringRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Found(bytes) => write!(f, "Found({} bytes)", bytes.len()),
            Self::Missing => f.write_str("Missing"),
            Self::Unreachable(why) => f.debug_tuple("Unreachable").field(why).finish(),
        }
    }
}

/// Looks up `(service, account)` in a keyring. Injected so tests never touch a real keyring.
pub type KeyringFn<'a> = &'a (dyn Fn(&str, &str) -> KeyringRead + Sync);

/// The keyring account for a Codex home: `cli|` + 16 hex digits of SHA-256 of its canonical path.
pub fn keyring_account(codex_home: &Path) -> String {
    let canonical = std::fs::canonicalize(codex_home).unwrap_or_else(|_| codex_home.to_path_buf());
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    format!("cli|{}", hex::encode(&digest[..8]))
}

/// Reads an entry from the OS keyring, waiting at most [`KEYRING_WAIT`].
pub fn read_os_keyring(service: &str, account: &str) -> KeyringRead {
    let (tx, rx) = std::sync::mpsc::channel();
    let (service, account) = (service.to_string(), account.to_string());
    let spawned = std::thread::Builder::new()
        .name("keyring".into())
        .spawn(move || {
            // The Secret Service backend runs on tokio; give it a runtime of its own.
            let result = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => {
                    let _entered = rt.enter();
                    lookup(&service, &account)
                }
                Err(e) => KeyringRead::Unreachable(e.to_string()),
            };
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return KeyringRead::Unreachable(crate::sanitize::clean(&e.to_string()).into_owned());
    }
    rx.recv_timeout(KEYRING_WAIT).unwrap_or_else(|_| {
        KeyringRead::Unreachable(format!(
            "the OS keyring did not answer within {} s",
            KEYRING_WAIT.as_secs()
        ))
    })
}

fn lookup(service: &str, account: &str) -> KeyringRead {
    let clean = |e: &::keyring::Error| crate::sanitize::clean(&e.to_string()).into_owned();
    match ::keyring::Entry::new(service, account).and_then(|e| e.get_secret()) {
        Ok(bytes) => KeyringRead::Found(zeroize::Zeroizing::new(bytes)),
        Err(::keyring::Error::NoEntry) => KeyringRead::Missing,
        Err(e) => KeyringRead::Unreachable(clean(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_stored_document() {
        let read = KeyringRead::Found(zeroize::Zeroizing::new(
            br#"{"OPENAI_API_KEY":"sk-LEAKCANARY"}"#.to_vec(),
        ));
        assert_eq!(format!("{read:?}"), "Found(34 bytes)");
    }

    #[test]
    fn account_is_cli_and_16_hex_of_the_canonical_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = keyring_account(dir.path());
        assert!(a.starts_with("cli|"));
        assert_eq!(a.len(), 4 + 16);
        assert!(a[4..].chars().all(|c| c.is_ascii_hexdigit()));
        // A path with `..` names the same home, so the same entry.
        let sub = dir.path().join("x");
        std::fs::create_dir(&sub).expect("mkdir");
        assert_eq!(keyring_account(&sub.join("..")), a);
        let canonical = std::fs::canonicalize(dir.path()).expect("canonical");
        let want = Sha256::digest(canonical.to_string_lossy().as_bytes());
        assert_eq!(&a[4..6], format!("{:02x}", want[0]));
    }
}
