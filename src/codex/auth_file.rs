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

mod unique_keys;
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

/// Finds the top-level object's braces and each member's key/value spans. Returns `None` if
/// the text is not shaped as expected (which cannot happen for text `serde_json` accepted as an
/// object, but is handled rather than assumed).
fn scan_members(text: &str) -> Option<(usize, usize, Vec<Member>)> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let open = i;
    i += 1;
    let mut members = Vec::new();
    loop {
        i = skip_ws(b, i);
        match b.get(i)? {
            b'}' => return Some((open, i, members)),
            b',' => {
                i += 1;
                continue;
            }
            b'"' => {}
            _ => return None,
        }
        let key_start = i;
        let key_end = skip_string(b, i)?;
        let key: String = serde_json::from_str(text.get(key_start..key_end)?).ok()?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, i + 1);
        let value_end = skip_value(b, value_start)?;
        members.push(Member {
            key,
            key_start,
            value_start,
            value_end,
        });
        i = value_end;
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// `i` points at an opening quote; returns the index just past the closing quote.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// `i` points at the first byte of a value; returns the index just past it.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while let Some(c) = b.get(j) {
                if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a dropped document runs over its parsed values: every string at any depth is
    /// overwritten (then emptied), other values are left.
    #[test]
    fn wipe_value_clears_every_string_at_any_depth() {
        let mut v = serde_json::json!({
            "tokens": {"refresh_token": "rt-SECRET", "list": ["a", {"deep": "sk-SECRET"}]},
            "n": 3,
            "b": true,
            "nothing": null
        });
        wipe_value(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "tokens": {"refresh_token": "", "list": ["", {"deep": ""}]},
                "n": 3,
                "b": true,
                "nothing": null
            })
        );
    }
    use serde_json::json;

    const CODEX_AGENT: &str = "{\n  \"auth_mode\": \"agentIdentity\",\n  \"OPENAI_API_KEY\": null,\n  \"agent_identity\": \"a.b.c\"\n}";

    #[test]
    fn unchanged_document_keeps_its_bytes() {
        let weird = "{ \"z\":1,\"tokens\" : {\"x\": [1,{\"y\":\"}\\\"\"}]} ,\n\"extra\":null }  \n";
        let doc = AuthDoc::parse(weird.as_bytes()).expect("parses");
        assert_eq!(doc.text(), weird);
        assert_eq!(doc.get("z"), Some(&json!(1)));
    }

    #[test]
    fn set_existing_member_changes_only_its_value() {
        let mut doc = AuthDoc::parse(CODEX_AGENT.as_bytes()).expect("parses");
        doc.set_auth_mode("apikey");
        assert_eq!(
            doc.text(),
            CODEX_AGENT.replace("\"agentIdentity\"", "\"apikey\"")
        );
    }

    #[test]
    fn missing_auth_mode_is_inserted_first_in_the_documents_style() {
        let pretty = "{\n  \"OPENAI_API_KEY\": \"sk-x\",\n  \"u\": 1\n}\n";
        let mut doc = AuthDoc::parse(pretty.as_bytes()).expect("parses");
        doc.set_auth_mode("apikey");
        assert_eq!(
            doc.text(),
            "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-x\",\n  \"u\": 1\n}\n"
        );
        let compact = "{\"a\":1}";
        let mut doc = AuthDoc::parse(compact.as_bytes()).expect("parses");
        doc.set_auth_mode("chatgpt");
        assert_eq!(doc.text(), "{\"auth_mode\":\"chatgpt\",\"a\":1}");
        let mut empty = AuthDoc::parse(b" {} ").expect("parses");
        empty.set_auth_mode("chatgpt");
        assert_eq!(empty.text(), " {\n  \"auth_mode\": \"chatgpt\"\n} ");
    }

    #[test]
    fn objects_are_replaced_with_matching_indentation() {
        let mut doc = AuthDoc::parse(CODEX_AGENT.as_bytes()).expect("parses");
        doc.set(
            "agent_identity",
            &json!({"agent_runtime_id": "r", "n": {"a": 1}}),
        );
        assert!(doc.text().contains(
            "\"agent_identity\": {\n    \"agent_runtime_id\": \"r\",\n    \"n\": {\n      \"a\": 1\n    }\n  }\n}"
        ));
        assert_eq!(doc.get("OPENAI_API_KEY"), Some(&Value::Null));
    }

    #[test]
    fn other_new_members_go_last() {
        let pretty = "{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {}\n}\n";
        let mut doc = AuthDoc::parse(pretty.as_bytes()).expect("parses");
        doc.set("agent_identity", &json!({"agent_runtime_id": "r"}));
        assert_eq!(
            doc.text(),
            "{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {},\n  \"agent_identity\": {\n    \"agent_runtime_id\": \"r\"\n  }\n}\n"
        );
        let mut compact = AuthDoc::parse(b"{\"a\":1}").expect("parses");
        compact.set("b", &json!([1]));
        assert_eq!(compact.text(), "{\"a\":1,\"b\":[1]}");
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        assert_eq!(AuthDoc::parse(b""), Err(DocError::Empty));
        assert_eq!(AuthDoc::parse(b"  \n"), Err(DocError::Empty));
        assert!(matches!(
            AuthDoc::parse(b"{\"a\": 1"),
            Err(DocError::Json { .. })
        ));
        assert_eq!(
            AuthDoc::parse(b"[1]"),
            Err(DocError::NotObject { found: "array" })
        );
        assert_eq!(
            AuthDoc::parse(b"{\"a\":\"\xff\"}"),
            Err(DocError::NotUtf8 { offset: 6 })
        );
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
        let err = AuthDoc::parse(deep.as_bytes()).expect_err("too deep");
        assert!(err.to_string().contains("recursion limit"), "{err}");
        let huge = vec![b' '; MAX_DOC_BYTES + 1];
        assert!(matches!(
            AuthDoc::parse(&huge),
            Err(DocError::TooLarge { .. })
        ));
        let msg = AuthDoc::parse(b"{\n  \"a\": 1,\n}")
            .expect_err("trailing comma")
            .to_string();
        assert!(msg.contains("line 3"), "{msg}");
    }

    #[test]
    fn debug_never_prints_contents() {
        let doc =
            AuthDoc::parse(b"{\"OPENAI_API_KEY\":\"sk-very-secret-key-123\"}").expect("parses");
        assert!(!format!("{doc:?}").contains("sk-very"));
    }
}
