//! Neutralising text that comes from credentials before it reaches a terminal.
//!
//! Emails, plan strings, account names and error messages can come from a token or a server,
//! which means an attacker can put escape sequences in them. Everything shown — CLI human output
//! and TUI cells alike — passes through [`clean`], which replaces control characters (C0, DEL,
//! C1) and the bidirectional-override characters with visible escapes, so the text is shown as
//! data and can never move the cursor, change colours or rewrite the screen.

use std::borrow::Cow;
use std::fmt::Write as _;

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Whether `s` holds a character that [`clean`] would escape.
pub fn has_unsafe(s: &str) -> bool {
    s.chars().any(is_unsafe)
}

/// Returns `s` with every control or bidi-override character replaced by a visible escape such
/// as `\u{1b}`. Borrows when nothing needs replacing (the common case).
pub fn clean(s: &str) -> Cow<'_, str> {
    if !has_unsafe(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Makes serialised JSON terminal-safe without changing what it means: `serde_json` already
/// escapes C0 controls, but leaves C1 controls (U+0080–U+009F, e.g. the 8-bit CSI) and bidi
/// overrides raw. Those can only occur inside JSON strings, so replacing them with `\uXXXX`
/// escapes yields an equivalent document that is safe to `cat`.
pub fn json_terminal_safe(json: &str) -> Cow<'_, str> {
    // ASCII controls are either structure (newlines, indentation of pretty output) or already
    // escaped by serde_json inside strings; only non-ASCII ones need escaping.
    let needs = |c: char| !c.is_ascii() && is_unsafe(c);
    if !json.chars().any(needs) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_stays_equivalent_but_loses_raw_c1() {
        let v = serde_json::json!({"plan": "pro\u{9b}31m", "e": "a\u{202e}b", "x": "\u{1b}"});
        let raw = serde_json::to_string(&v).expect("json");
        let safe = json_terminal_safe(&raw);
        assert!(!safe.contains('\u{9b}') && !safe.contains('\u{202e}'));
        assert!(safe.contains("\\u009b"));
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, v);
        assert!(matches!(json_terminal_safe("{}"), Cow::Borrowed(_)));
        let pretty = serde_json::to_string_pretty(&v).expect("json");
        let safe = json_terminal_safe(&pretty);
        assert!(safe.contains("\n  \""), "structure kept: {safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, v);
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("alice@example.com"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_and_controls_are_made_visible() {
        assert_eq!(clean("a\x1b[31mred"), "a\\u{1b}[31mred");
        assert_eq!(clean("x\ny\r\t"), "x\\u{a}y\\u{d}\\u{9}");
        assert_eq!(clean("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(clean("evil\u{202e}txt"), "evil\\u{202e}txt");
        assert!(!clean("\x07\x1b]52;c;AAAA\x07").contains('\x1b'));
    }
}
