//! Secrets: a thin layer over [`secrecy`] and [`zeroize`] that keeps authdeck's masks.
//!
//! Every token, API key, private key, seed, JWT and task id that authdeck holds travels as a
//! [`Secret`], which is a [`secrecy::SecretString`] underneath:
//!
//! * `Debug` and `Display` print a mask, so a stray `{:?}` in a log line, an error message or a
//!   snapshot can never print the value. Only the explicit reveal, copy and `header` paths call
//!   [`Secret::expose`] (or [`ExposeSecret::expose_secret`], the same thing).
//! * The bytes are overwritten with zeros when the value is dropped (`secrecy` boxes the string
//!   and wipes it in `Drop`). [`Secret::new`] takes care that no unwiped copy is left behind
//!   when it boxes a `String` with spare capacity (`String::into_boxed_str` would reallocate and
//!   free the old buffer as it is).
//!
//! Buffers that hold a secret only for a moment (stdin reads, a paste, clipboard text, an HTTP
//! body that carries a task id, the base64 of a key, a whole auth.json document) are
//! [`Zeroizing`] instead: they are wiped on drop too, but are not worth a type of their own.
//!
//! The process itself is hardened at start-up by [`harden_process`]: on Linux it is marked
//! non-dumpable (no core dump, no `ptrace` and no `/proc/<pid>/mem` for other processes of the
//! same user) and its core size limit is set to zero. README.md ("Secrets in memory") says what
//! this protects against and what it does not.
//!
//! # Deliberate exceptions
//!
//! A few strings that look like they hold key material stay plain `String`s, on purpose:
//!
//! * `tui::demo::DemoAgent::seed_hex` — the published demo seeds of `--demo` agents; they are
//!   public test material, printed in the demo's own file.
//! * `mock_backend::usage::UsageRequest::bearer` — what the embedded mock backend (tests,
//!   `--demo`) saw on the wire; only mock tokens ever reach it.
//! * The TUI add form's text field (`tui_input::Input`) — the editor owns its `String` and grows
//!   it keystroke by keystroke; authdeck wipes the value it takes out of it, but cannot wipe the
//!   editor's earlier reallocations.
//! * `env::Env`'s values (`CODEX_ACCESS_TOKEN`, `OPENAI_API_KEY`…) stay `String`s: the process's
//!   own environment block holds the same values for its whole life and cannot be wiped without
//!   `unsafe`. The snapshot is still wiped on drop and its `Debug` prints names only.
//! * Copies inside libraries: `serde_json` while parsing (the parsed values of an `AuthDoc` and
//!   a decoded JWT are wiped on drop, see `codex::auth_file::wipe_value`), `reqwest`/`hyper`
//!   (request headers, response chunks), `arboard` (the system clipboard), and the ratatui frame
//!   buffer that shows a revealed value (`v`).

use std::fmt;
use std::hash::{Hash, Hasher};

pub use secrecy::{ExposeSecret, SecretString};
pub use zeroize::{Zeroize, Zeroizing};

use crate::sanitize::clean;

/// A secret string. Formatting it prints a mask, never the value; dropping it wipes the bytes.
#[derive(Clone, Default)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let mut value: String = value.into();
        let boxed: Box<str> = if value.len() == value.capacity() {
            // Exact size: boxing hands the allocation over without copying it.
            value.into_boxed_str()
        } else {
            // Boxing would shrink (reallocate) and free the old buffer unwiped: copy, then wipe.
            let exact = Box::<str>::from(value.as_str());
            value.zeroize();
            exact
        };
        Self(SecretString::from(boxed))
    }

    /// A secret from a wiped-on-drop buffer, without leaving another copy behind.
    pub fn from_zeroizing(value: &Zeroizing<String>) -> Self {
        Self(SecretString::from(Box::<str>::from(value.as_str())))
    }

    /// The value itself. Call only where the user asked to see, copy or send it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }

    /// A short mask that keeps a few characters at each end (see [`mask_middle`]).
    pub fn masked(&self) -> String {
        mask_middle(self.expose())
    }
}

impl ExposeSecret<str> for Secret {
    fn expose_secret(&self) -> &str {
        self.expose()
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl Hash for Secret {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.expose().hash(state);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<SecretString> for Secret {
    fn from(value: SecretString) -> Self {
        Self(value)
    }
}

/// Marks the process non-dumpable and turns core dumps off. Called first thing in the binary's
/// `main` (never by the library or its tests, which must not change the test harness).
///
/// On Linux, `prctl(PR_SET_DUMPABLE, 0)`: no core dump is written, `/proc/<pid>/mem`, `environ`
/// and friends become root-only, and processes of the same user can no longer `ptrace` authdeck
/// (a debugger or a compromised sibling process reading tokens out of its memory). The core size
/// limit is also set to zero, for the kernels and core handlers that look only at that. Both go
/// through `rustix`'s safe wrappers. Elsewhere this does nothing.
///
/// Returns what could not be done, for a debug log line; failing to harden never stops authdeck.
pub fn harden_process() -> Result<(), String> {
    harden::apply()
}

/// Whether the process can be core-dumped or traced by its own user: `Some(false)` after
/// [`harden_process`] on Linux, `None` where the question has no answer (other systems).
pub fn process_is_dumpable() -> Option<bool> {
    harden::is_dumpable()
}

#[cfg(target_os = "linux")]
mod harden {
    use rustix::process::{DumpableBehavior, Resource, Rlimit, dumpable_behavior, setrlimit};

    pub fn apply() -> Result<(), String> {
        let dumpable = rustix::process::set_dumpable_behavior(DumpableBehavior::NotDumpable)
            .map_err(|e| format!("could not mark the process non-dumpable: {e}"));
        let core = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        )
        .map_err(|e| format!("could not turn core dumps off: {e}"));
        dumpable.and(core)
    }

    pub fn is_dumpable() -> Option<bool> {
        dumpable_behavior()
            .ok()
            .map(|b| !matches!(b, DumpableBehavior::NotDumpable))
    }
}

#[cfg(not(target_os = "linux"))]
mod harden {
    pub fn apply() -> Result<(), String> {
        Ok(())
    }

    pub fn is_dumpable() -> Option<bool> {
        None
    }
}

/// Masks an API key exactly as `codex login status` prints it: the first 8 characters, `***`,
/// the last 5; keys of 13 characters or fewer become `***`.
///
/// Like every mask here, the kept characters are passed through [`clean`]: they come from a file
/// or a server, and a mask that keeps `ESC c` would reset the user's terminal. Only the kept
/// characters are copied: the mask never makes an (unwiped) copy of the whole key.
pub fn mask_api_key(key: &str) -> String {
    let len = key.chars().count();
    if len <= 13 {
        return "***".to_string();
    }
    let head: String = key.chars().take(8).collect();
    let tail: String = key.chars().skip(len - 5).collect();
    format!("{}***{}", clean(&head), clean(&tail))
}

/// Masks any other secret (tokens, task ids): long values keep 4 characters at each end, short
/// ones keep at most 2 leading characters, so the mask never reveals more than a third. The kept
/// characters are escaped (see [`mask_api_key`]).
pub fn mask_middle(value: &str) -> String {
    match value.chars().count() {
        0 => String::new(),
        n if n >= 16 => {
            let head: String = value.chars().take(4).collect();
            let tail: String = value.chars().skip(n - 4).collect();
            format!("{}…{}", clean(&head), clean(&tail))
        }
        n if n >= 6 => {
            let head: String = value.chars().take(2).collect();
            format!("{}…", clean(&head))
        }
        _ => "…".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_mask_matches_codex_vectors() {
        assert_eq!(mask_api_key("sk-proj-1234567890ABCDE"), "sk-proj-***ABCDE");
        assert_eq!(mask_api_key("sk-test-1234567890abcdef"), "sk-test-***bcdef");
        assert_eq!(mask_api_key("sk-proj-12345"), "***");
        assert_eq!(mask_api_key(""), "***");
    }

    #[test]
    fn debug_and_display_never_print_the_value() {
        let s = Secret::new("super-secret-refresh-token-value");
        assert!(!format!("{s:?}").contains("secret-refresh"));
        assert!(!format!("{s}").contains("secret-refresh"));
        assert_eq!(s.expose(), "super-secret-refresh-token-value");
    }

    /// The secret type is `secrecy`'s, so it is wiped on drop; boxing a `String` with spare
    /// capacity keeps the value intact (it is copied, and the original wiped).
    #[test]
    fn secrets_are_secrecy_strings_and_keep_their_value() {
        fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>(_: &T) {}
        let mut spare = String::with_capacity(64);
        spare.push_str("task-0123456789abcdef");
        let s = Secret::new(spare);
        wiped_on_drop(&s.0);
        assert_eq!(s.expose(), "task-0123456789abcdef");
        assert_eq!(s.expose_secret(), "task-0123456789abcdef");
        assert_eq!(Secret::new(String::from("exact")).expose(), "exact");
        let from_buffer = Secret::from_zeroizing(&Zeroizing::new("sk-abc".to_string()));
        assert_eq!(from_buffer.expose(), "sk-abc");
        assert_eq!(s.clone(), s);
        assert_ne!(s, from_buffer);
        assert!(Secret::default().is_empty());
        assert_eq!(format!("{s:?}"), "Secret(task…cdef)");
        assert_eq!(s.to_string(), "task…cdef");
    }

    #[test]
    fn middle_mask_hides_most_of_the_value() {
        assert_eq!(mask_middle("task-123"), "ta…");
        assert_eq!(mask_middle("abcd"), "…");
        assert_eq!(mask_middle("0123456789abcdefXYZ"), "0123…fXYZ");
        assert_eq!(mask_middle("ééééééééééééééééé"), "éééé…éééé");
    }

    /// A mask keeps the first characters of a value that may come from a server or a file; an
    /// escape sequence there must come out visible, never raw.
    #[test]
    fn masks_escape_the_characters_they_keep() {
        let evil = "\u{1b}c\u{1b}[2Jtask-0123456789\u{9b}";
        for masked in [
            mask_middle(evil),
            mask_middle("\u{1b}c\u{1b}[2J"),
            mask_api_key(evil),
            Secret::new(evil).to_string(),
            format!("{:?}", Secret::new(evil)),
        ] {
            assert!(
                !masked.contains('\u{1b}') && !masked.contains('\u{9b}'),
                "{masked:?}"
            );
        }
        assert_eq!(mask_middle(evil), "\\u{1b}c\\u{1b}[…789\\u{9b}");
    }
}
