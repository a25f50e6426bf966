//! Secrets as a newtype whose `Debug` and `Display` print a mask.
//!
//! Every token, key and task id that authdeck holds travels as a [`Secret`], so that a stray
//! `{:?}` in a log line, an error message or a snapshot can never print the value. Only the
//! explicit reveal, copy and `header` paths call [`Secret::expose`].

use std::fmt;

use crate::sanitize::clean;

/// A secret string. Formatting it prints a mask, never the value.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself. Call only where the user asked to see, copy or send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A short mask that keeps a few characters at each end (see [`mask_middle`]).
    pub fn masked(&self) -> String {
        mask_middle(&self.0)
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
        Self(value)
    }
}

/// Masks an API key exactly as `codex login status` prints it: the first 8 characters, `***`,
/// the last 5; keys of 13 characters or fewer become `***`.
///
/// Like every mask here, the kept characters are passed through [`clean`]: they come from a file
/// or a server, and a mask that keeps `ESC c` would reset the user's terminal.
pub fn mask_api_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 13 {
        return "***".to_string();
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 5..].iter().collect();
    format!("{}***{}", clean(&head), clean(&tail))
}

/// Masks any other secret (tokens, task ids): long values keep 4 characters at each end, short
/// ones keep at most 2 leading characters, so the mask never reveals more than a third. The kept
/// characters are escaped (see [`mask_api_key`]).
pub fn mask_middle(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n >= 16 => {
            let head: String = chars[..4].iter().collect();
            let tail: String = chars[n - 4..].iter().collect();
            format!("{}…{}", clean(&head), clean(&tail))
        }
        n if n >= 6 => {
            let head: String = chars[..2].iter().collect();
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
