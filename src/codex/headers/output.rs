//! The header types and how a set is shown: masked, for previews, or in full in one of the
//! output formats `header` prints (the Authorization value, HTTP lines, curl flags, JSON).
//!
//! Apart from the parent, which decides which headers a credential produces: this is what a
//! caller can see of a set — the masked preview, and the full values only through
//! [`HeaderSet::format`], which wipes every buffer that held one on the way.

use crate::secret::{Secret, Zeroizing, mask_api_key, mask_middle};

use super::super::auth_file::wipe_value;

/// How `header` prints the set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum HeaderFormat {
    /// The Authorization value alone
    #[default]
    Value,
    /// One `Name: value` line per header
    Http,
    /// `-H 'Name: value'` flags for curl
    Curl,
    /// A JSON object of headers
    Json,
}

/// How the Authorization value is masked in previews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MaskStyle {
    ApiKey,
    Token,
    Plain,
}

/// One header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: &'static str,
    /// The scheme shown unmasked (`Bearer`, `AgentAssertion`), if any.
    scheme: Option<&'static str>,
    pub(super) value: Secret,
    mask: MaskStyle,
}

impl Header {
    /// The full value, as sent.
    pub fn value(&self) -> Secret {
        match self.scheme {
            Some(s) => {
                let secret = self.value.expose();
                let mut full = String::with_capacity(s.len() + 1 + secret.len());
                full.push_str(s);
                full.push(' ');
                full.push_str(secret);
                Secret::new(full)
            }
            None => self.value.clone(),
        }
    }

    /// The value with its secret part masked.
    pub fn masked_value(&self) -> String {
        let masked = match self.mask {
            MaskStyle::ApiKey => mask_api_key(self.value.expose()),
            MaskStyle::Token => mask_middle(self.value.expose()),
            MaskStyle::Plain => crate::sanitize::clean(self.value.expose()).into_owned(),
        };
        match self.scheme {
            Some(s) => format!("{s} {masked}"),
            None => masked,
        }
    }
}

/// The headers for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderSet {
    pub headers: Vec<Header>,
}

fn shell_quote(s: &str) -> Zeroizing<String> {
    let escaped = Zeroizing::new(s.replace('\'', "'\\''"));
    let mut quoted = Zeroizing::new(String::with_capacity(escaped.len() + 2));
    quoted.push('\'');
    quoted.push_str(&escaped);
    quoted.push('\'');
    quoted
}

impl HeaderSet {
    /// `Name: masked value` lines for previews.
    pub fn masked_lines(&self) -> Vec<String> {
        self.headers
            .iter()
            .map(|h| format!("{}: {}", h.name, h.masked_value()))
            .collect()
    }

    /// The set in an output format. This is the only way to see the values. Every buffer that
    /// held a value on the way is wiped.
    pub fn format(&self, format: HeaderFormat) -> Secret {
        let mut text = Zeroizing::new(String::new());
        match format {
            HeaderFormat::Value => {
                return self
                    .headers
                    .iter()
                    .find(|h| h.name == "Authorization")
                    .map(Header::value)
                    .unwrap_or_default();
            }
            HeaderFormat::Http => {
                for (i, h) in self.headers.iter().enumerate() {
                    if i > 0 {
                        text.push('\n');
                    }
                    text.push_str(h.name);
                    text.push_str(": ");
                    text.push_str(h.value().expose());
                }
            }
            HeaderFormat::Curl => {
                for (i, h) in self.headers.iter().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    let mut line = Zeroizing::new(String::from(h.name));
                    line.push_str(": ");
                    line.push_str(h.value().expose());
                    text.push_str("-H ");
                    text.push_str(&shell_quote(&line));
                }
            }
            HeaderFormat::Json => {
                let map: serde_json::Map<String, serde_json::Value> = self
                    .headers
                    .iter()
                    .map(|h| {
                        let value = serde_json::Value::String(h.value().expose().to_string());
                        (h.name.to_string(), value)
                    })
                    .collect();
                let mut object = serde_json::Value::Object(map);
                text.push_str(&object.to_string());
                wipe_value(&mut object);
            }
        }
        Secret::from_zeroizing(&text)
    }
}

/// One header; the parent builds every header through this.
pub(super) fn header(
    name: &'static str,
    scheme: Option<&'static str>,
    value: &str,
    mask: MaskStyle,
) -> Header {
    Header {
        name,
        scheme,
        value: Secret::new(value),
        mask,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_quotes_are_escaped() {
        assert_eq!(shell_quote("a'b").as_str(), "'a'\\''b'");
    }
}
