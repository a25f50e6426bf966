//! The environment authdeck reads, captured once into a value.
//!
//! Every command, the store and the TUI see an explicit [`Env`] snapshot instead of reading
//! process globals, so tests inject exactly the variables they mean (and never the developer's
//! real `CODEX_HOME` or tokens), and the demo can point the URL overrides at its mock backend
//! without touching the process environment.

use std::collections::HashMap;

/// A snapshot of the environment variables authdeck reads.
///
/// Some of them are credentials (`CODEX_ACCESS_TOKEN`, `OPENAI_API_KEY`…): `Debug` prints only
/// the names, and the snapshot's values are wiped when it is dropped. (The process's own
/// environment block keeps its copy for the life of the process; see `src/secret.rs`.)
#[derive(Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort();
        f.debug_struct("Env").field("names", &names).finish()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for value in self.vars.values_mut() {
            zeroize::Zeroize::zeroize(value);
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The snapshot holds credentials: `{:?}` (a stray log line) shows the names, never a value.
    #[test]
    fn debug_prints_names_not_values() {
        let env = Env::from_pairs([
            ("OPENAI_API_KEY", "sk-LEAKCANARY0123456789"),
            ("HOME", "/h"),
        ]);
        let shown = format!("{env:?}");
        assert!(
            shown.contains("OPENAI_API_KEY") && shown.contains("HOME"),
            "{shown}"
        );
        assert!(
            !shown.contains("LEAKCANARY") && !shown.contains("/h"),
            "{shown}"
        );
        assert_eq!(
            env.var("OPENAI_API_KEY").as_deref(),
            Some("sk-LEAKCANARY0123456789")
        );
    }
}
