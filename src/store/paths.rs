//! Where things live: the Codex home, the live `auth.json`, the account store and authdeck's
//! own directories inside it.
//!
//! The environment is always passed in as a closure (`env`), never read from the process: the
//! CLI hands over its snapshot, and tests hand over a map, so no test can ever touch the real
//! `~/.codex`.

use std::path::{Path, PathBuf};

use super::error::{ErrorKind, StoreError, show};

/// The environment, injected: `env("CODEX_HOME")` → the value if set.
pub type EnvFn<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The resolved locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `--codex-home`, else `CODEX_HOME`, else `~/.codex` (which may not exist yet).
    pub codex_home: PathBuf,
    /// `--store`, else `AUTHDECK_STORE`, else `<codex home>/accounts`.
    pub store: PathBuf,
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

fn must_be_dir(path: &Path, what: &str) -> Result<(), StoreError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(StoreError::new(
            ErrorKind::CodexHome,
            format!("{what} points to {}, which is not a directory", show(path)),
        )
        .with_hint(format!("set {what} to an existing directory"))),
        Err(e) => Err(StoreError::new(
            ErrorKind::CodexHome,
            format!(
                "{what} points to {}, which does not exist or cannot be read ({e})",
                show(path)
            ),
        )
        .with_hint(format!(
            "create the directory or set {what} to an existing one (Codex requires it to exist)"
        ))),
    }
}

/// Resolves the Codex home and the store.
///
/// `CODEX_HOME` (set and non-empty) must be an existing directory, as Codex requires; so must
/// `--codex-home` (a typo there would otherwise look like "signed out"). The default
/// `~/.codex` may be missing: that simply means signed out.
pub fn resolve(
    codex_home_flag: Option<&Path>,
    store_flag: Option<&Path>,
    env: EnvFn<'_>,
) -> Result<Paths, StoreError> {
    let codex_home = if let Some(flag) = codex_home_flag {
        must_be_dir(flag, "--codex-home")?;
        flag.to_path_buf()
    } else if let Some(var) = non_empty(env("CODEX_HOME")) {
        let p = PathBuf::from(var);
        must_be_dir(&p, "CODEX_HOME")?;
        p
    } else if let Some(home) = non_empty(env("HOME")) {
        PathBuf::from(home).join(".codex")
    } else {
        return Err(StoreError::new(
            ErrorKind::CodexHome,
            "cannot find the Codex home: neither CODEX_HOME nor HOME is set",
        )
        .with_hint("set CODEX_HOME or pass --codex-home DIR"));
    };
    let store = if let Some(flag) = store_flag {
        flag.to_path_buf()
    } else if let Some(var) = non_empty(env("AUTHDECK_STORE")) {
        PathBuf::from(var)
    } else {
        codex_home.join("accounts")
    };
    Ok(Paths { codex_home, store })
}

impl Paths {
    /// Paths for a Codex home with the default store inside it (tests, the demo).
    pub fn in_codex_home(codex_home: impl Into<PathBuf>) -> Self {
        let codex_home = codex_home.into();
        Self {
            store: codex_home.join("accounts"),
            codex_home,
        }
    }

    /// `<codex home>/auth.json`, the live credential file.
    pub fn auth_json(&self) -> PathBuf {
        self.codex_home.join("auth.json")
    }

    /// `<codex home>/config.toml`.
    pub fn config_toml(&self) -> PathBuf {
        self.codex_home.join("config.toml")
    }

    /// `<store>/.authdeck`, authdeck's own metadata (the lock).
    pub fn meta_dir(&self) -> PathBuf {
        self.store.join(".authdeck")
    }

    /// `<store>/.authdeck/lock`.
    pub fn lock_file(&self) -> PathBuf {
        self.meta_dir().join("lock")
    }

    /// `<store>/.trash`, where removed accounts go.
    pub fn trash_dir(&self) -> PathBuf {
        self.store.join(".trash")
    }

    /// `<store>/.backups`, where replaced live files go.
    pub fn backups_dir(&self) -> PathBuf {
        self.store.join(".backups")
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    use crate::env::fixed as env_of;

    #[test]
    fn flag_beats_env_beats_home() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(&a).expect("mkdir");
        std::fs::create_dir_all(&b).expect("mkdir");
        let env = env_of(&[
            ("CODEX_HOME", b.to_str().expect("utf8")),
            ("HOME", "/nonexistent-home"),
        ]);
        let p = resolve(Some(&a), None, &env).expect("resolves");
        assert_eq!(p.codex_home, a);
        assert_eq!(p.store, a.join("accounts"));
        let p = resolve(None, None, &env).expect("resolves");
        assert_eq!(p.codex_home, b);
        let p = resolve(None, None, &env_of(&[("HOME", "/h"), ("CODEX_HOME", "")]))
            .expect("empty CODEX_HOME is ignored");
        assert_eq!(p.codex_home, PathBuf::from("/h/.codex"));
    }

    #[test]
    fn store_flag_beats_env_beats_default() {
        let env = env_of(&[("HOME", "/h"), ("AUTHDECK_STORE", "/s")]);
        let p = resolve(None, Some(Path::new("/f")), &env).expect("resolves");
        assert_eq!(p.store, PathBuf::from("/f"));
        let p = resolve(None, None, &env).expect("resolves");
        assert_eq!(p.store, PathBuf::from("/s"));
        assert_eq!(p.lock_file(), PathBuf::from("/s/.authdeck/lock"));
    }

    #[test]
    fn codex_home_must_exist_when_set() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("missing");
        let env = env_of(&[("CODEX_HOME", missing.to_str().expect("utf8"))]);
        let err = resolve(None, None, &env).expect_err("missing dir");
        assert_eq!(err.kind(), ErrorKind::CodexHome);
        assert!(err.message().contains("CODEX_HOME"), "{err}");
        assert!(err.message().contains("missing"), "{err}");
        let file = dir.path().join("file");
        std::fs::write(&file, "x").expect("write");
        let err = resolve(Some(&file), None, &env).expect_err("not a dir");
        assert!(err.message().contains("not a directory"), "{err}");
        let err = resolve(None, None, &env_of(&[])).expect_err("no HOME");
        assert!(err.hint().is_some_and(|h| h.contains("--codex-home")));
    }
}
