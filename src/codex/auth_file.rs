//! The lossless `auth.json` document.
//!
//! Codex ignores unknown keys and drops them on its next write; switchers that pick fields by
//! hand have dropped `auth_mode` and newer keys. authdeck must never lose material it does not
//! understand, so an [`AuthDoc`] keeps the original text and edits it *surgically*: setting a key
//! replaces only the bytes of that key's value (or inserts one member, in the document's own
//! style), and everything else — unknown keys, odd `auth_mode` values, unrecognised
//! `agent_identity` shapes, whitespace and key order — stays byte-for-byte as it was.
//!
//! Parsing validates the whole text with `serde_json` (which also bounds nesting depth), then a
//! small scanner records where each top-level member's value starts and ends. The scanner only
//! ever runs on text `serde_json` accepted, and still never indexes out of bounds.
//!
//! An auth.json is nothing but secrets, so the document is one too: the text is a
//! [`Zeroizing`] buffer and every string value of the parsed tree is wiped when the document is
//! dropped (or replaced by an edit). Keys are not wiped (they are Codex's field names), nor are
//! the short-lived copies `serde_json` makes while parsing (see `src/secret.rs`).

use std::fmt;

use serde_json::{Map, Value};
use zeroize::{Zeroize as _, Zeroizing};

mod scan;
mod unique_keys;

use scan::scan_members;
use unique_keys::{DUPLICATE_PREFIX, UniqueKeys};

/// The largest auth.json authdeck reads. Real files are a few KiB; anything near this is not a
/// Codex credential, and refusing it keeps memory bounded.
pub const MAX_DOC_BYTES: usize = 1024 * 1024;

/// Why a file is not a usable JSON document. Messages say what is wrong and where; the caller
/// adds the file path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, larger than the {max} bytes an auth.json can be")]
    TooLarge { size: usize, max: usize },
    #[error("the file is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("the file is not valid JSON: {message} (line {line}, column {column})")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("the file holds a JSON {found}, not an object")]
    NotObject { found: &'static str },
    /// Codex's loader rejects a document that repeats a key (at any depth), so authdeck does too.
    #[error(
        "the key \"{key}\" appears twice (line {line}, column {column}); Codex refuses a file with duplicate keys"
    )]
    DuplicateKey {
        key: String,
        line: usize,
        column: usize,
    },
}

/// Where one top-level member sits in the text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    key: String,
    key_start: usize,
    value_start: usize,
    value_end: usize,
}

/// A parsed auth.json that remembers its exact text.
#[derive(Clone, PartialEq)]
pub struct AuthDoc {
    text: Zeroizing<String>,
    root: Map<String, Value>,
    members: Vec<Member>,
    open_brace: usize,
    close_brace: usize,
}

// The text and values are left out on purpose: they are full of secrets.
#[allow(clippy::missing_fields_in_debug)]
impl fmt::Debug for AuthDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the text: it is full of secrets.
        f.debug_struct("AuthDoc")
            .field(
                "keys",
                &self.members.iter().map(|m| &m.key).collect::<Vec<_>>(),
            )
            .field("bytes", &self.text.len())
            .finish()
    }
}

impl Drop for AuthDoc {
    fn drop(&mut self) {
        // `text` wipes itself; the parsed copy of every value is wiped here.
        for value in self.root.values_mut() {
            wipe_value(value);
        }
    }
}

/// Overwrites every string in a JSON value with zeros (numbers, booleans and keys are left).
pub fn wipe_value(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe_value),
        Value::Object(map) => map.values_mut().for_each(wipe_value),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl AuthDoc {
    /// Parses bytes read from an auth.json (or an account file).
    pub fn parse(bytes: &[u8]) -> Result<Self, DocError> {
        if bytes.len() > MAX_DOC_BYTES {
            return Err(DocError::TooLarge {
                size: bytes.len(),
                max: MAX_DOC_BYTES,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| DocError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        if text.trim().is_empty() {
            return Err(DocError::Empty);
        }
        let value: Value = serde_json::from_str(text).map_err(|e| DocError::Json {
            message: json_error_message(&e),
            line: e.line(),
            column: e.column(),
        })?;
        let Value::Object(root) = value else {
            return Err(DocError::NotObject {
                found: json_kind(&value),
            });
        };
        check_unique_keys(text)?;
        let (open_brace, close_brace, members) = scan_members(text).ok_or(DocError::Json {
            message: "unexpected structure".to_string(),
            line: 1,
            column: 1,
        })?;
        Ok(Self {
            text: Zeroizing::new(text.to_string()),
            root,
            members,
            open_brace,
            close_brace,
        })
    }

    /// Builds a new document from members, pretty-printed with a 2-space indent as Codex
    /// writes it. Fails only when the result would be larger than [`MAX_DOC_BYTES`]; a caller
    /// that stores user material must use this, never [`from_members`](Self::from_members).
    pub fn try_from_members(members: &[(&str, Value)]) -> Result<Self, DocError> {
        let mut map = Map::new();
        for (k, v) in members {
            map.insert((*k).to_string(), v.clone());
        }
        let mut object = Value::Object(map);
        let mut text = Zeroizing::new(serde_json::to_string_pretty(&object).unwrap_or_default());
        wipe_value(&mut object);
        text.push('\n');
        Self::parse(text.as_bytes())
    }

    /// Like [`try_from_members`](Self::try_from_members) for members known to be small
    /// (fixtures, tests): a document over the size limit comes out empty (`{}`).
    pub fn from_members(members: &[(&str, Value)]) -> Self {
        Self::try_from_members(members).unwrap_or_else(|_| Self::empty())
    }

    fn empty() -> Self {
        Self {
            text: Zeroizing::new("{}\n".to_string()),
            root: Map::new(),
            members: Vec::new(),
            open_brace: 0,
            close_brace: 1,
        }
    }

    /// The document exactly as it will be written.
    pub fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed top-level object.
    pub fn root(&self) -> &Map<String, Value> {
        &self.root
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.root.get(key)
    }

    /// A string member, if present and a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.root.get(key).and_then(Value::as_str)
    }

    /// Sets one top-level member, changing no other byte of the document.
    ///
    /// An existing member's value is replaced in place. A new member is added in the document's
    /// own indentation and separator style: `auth_mode` before the first member (where Codex
    /// writes it), anything else after the last.
    pub fn set(&mut self, key: &str, value: &Value) {
        let key_json = serde_json::to_string(key).unwrap_or_default();
        let new_text: Zeroizing<String> = Zeroizing::new(
            if let Some(m) = self.members.iter().rev().find(|m| m.key == key) {
                let indent = self.indent_of(m.key_start);
                format!(
                    "{}{}{}",
                    &self.text[..m.value_start],
                    render_value(value, &indent).as_str(),
                    &self.text[m.value_end..]
                )
            } else if let (Some(first), Some(last)) = (self.members.first(), self.members.last()) {
                let lead = &self.text[self.open_brace + 1..first.key_start];
                let sep = self.separator_of(first);
                let member = Zeroizing::new(format!(
                    "{key_json}{sep}{}",
                    render_value(value, &self.indent_of(first.key_start)).as_str()
                ));
                if key == "auth_mode" {
                    let at = first.key_start;
                    format!(
                        "{}{},{lead}{}",
                        &self.text[..at],
                        member.as_str(),
                        &self.text[at..]
                    )
                } else {
                    let at = last.value_end;
                    format!(
                        "{},{lead}{}{}",
                        &self.text[..at],
                        member.as_str(),
                        &self.text[at..]
                    )
                }
            } else {
                format!(
                    "{}{{\n  {key_json}: {}\n}}{}",
                    &self.text[..self.open_brace],
                    render_value(value, "  ").as_str(),
                    &self.text[self.close_brace + 1..]
                )
            },
        );
        if let Ok(doc) = Self::parse(new_text.as_bytes()) {
            *self = doc;
        }
    }

    /// Sets `auth_mode` and nothing else.
    pub fn set_auth_mode(&mut self, mode: &str) {
        self.set("auth_mode", &Value::String(mode.to_string()));
    }

    /// The whitespace between the start of the line and `pos` (the member's indentation).
    fn indent_of(&self, pos: usize) -> String {
        let line_start = self.text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let lead = &self.text[line_start..pos];
        if lead.chars().all(char::is_whitespace) {
            lead.to_string()
        } else {
            String::new()
        }
    }

    /// The text between a member's key and its value (`": "` or `":"`).
    fn separator_of(&self, m: &Member) -> String {
        let between = &self.text[m.key_start..m.value_start];
        // Skip the key string itself: the separator starts at the last ':' before the value.
        between
            .rfind(':')
            .map_or(": ".to_string(), |i| between[i..].to_string())
    }
}

/// Renders a value for insertion at a given member indentation. Scalars are compact; objects
/// and arrays are pretty-printed and re-indented so nested lines line up.
fn render_value(value: &Value, indent: &str) -> Zeroizing<String> {
    match value {
        Value::Object(_) | Value::Array(_) if !indent.is_empty() => {
            let pretty = Zeroizing::new(serde_json::to_string_pretty(value).unwrap_or_default());
            Zeroizing::new(pretty.replace('\n', &format!("\n{indent}")))
        }
        _ => Zeroizing::new(serde_json::to_string(value).unwrap_or_default()),
    }
}

/// Walks the document once more and fails on the first object that repeats a key
/// (`serde_json::Value` would silently keep the last one).
fn check_unique_keys(text: &str) -> Result<(), DocError> {
    serde_json::from_str::<UniqueKeys>(text)
        .map(|_| ())
        .map_err(|e| {
            let message = json_error_message(&e);
            let key = message
                .strip_prefix(DUPLICATE_PREFIX)
                .unwrap_or(&message)
                .to_string();
            DocError::DuplicateKey {
                key: crate::sanitize::clean(&key).into_owned(),
                line: e.line(),
                column: e.column(),
            }
        })
}

fn json_error_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    // serde_json appends " at line X column Y"; we report position separately.
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}

#[cfg(test)]
mod tests;
