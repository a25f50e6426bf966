//! The environment authdeck reads, captured once into a value.
//!
//! Every command, the store and the TUI see an explicit [`Env`] snapshot instead of reading
//! process globals, so tests inject exactly the variables they mean (and never the developer's
//! real `CODEX_HOME` or tokens), and the demo can point the URL overrides at its mock backend
//! without touching the process environment.

use std::collections::HashMap;

/// A snapshot of the environment variables authdeck reads.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// Captures the process environment.
    pub fn capture() -> Self {
        Self {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// An environment with exactly these variables (tests).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// A variable, `None` when unset or empty.
    pub fn var(&self, key: &str) -> Option<String> {
        self.vars.get(key).filter(|v| !v.is_empty()).cloned()
    }

    /// The lookup as a closure, for the store and URL modules.
    pub fn as_fn(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |k| self.var(k)
    }

    /// Sets a variable (the demo points the URL overrides at its mock backend).
    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.insert(key.to_string(), value.to_string());
    }

    /// Unsets a variable (the demo hides the user's own credential variables).
    pub fn remove(&mut self, key: &str) {
        self.vars.remove(key);
    }
}

/// A fixed lookup that owns its variables (tests): unset and empty variables both read as `None`,
/// exactly as [`Env::var`] does.
pub fn fixed(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let env = Env::from_pairs(pairs.iter().copied());
    move |k| env.var(k)
}
