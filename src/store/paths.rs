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
    let (store, what) = if let Some(flag) = store_flag {
        (flag.to_path_buf(), "--store")
    } else if let Some(var) = non_empty(env("AUTHDECK_STORE")) {
        (PathBuf::from(var), "AUTHDECK_STORE")
    } else {
        (codex_home.join("accounts"), "the default store")
    };
    refuse_live_files_in_store(&codex_home, &store, what)?;
    Ok(Paths { codex_home, store })
}

/// Whether two paths name the same existing file or directory (links followed).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Refuses a store that is the Codex home (by path, link or bind mount), or that holds the live
/// auth.json under an account name: every file in a store is an account, so the live
/// credential would be listed as the account `auth`, and `remove auth` would move it to the
/// trash — Codex signed out by a bookkeeping command.
fn refuse_live_files_in_store(
    codex_home: &Path,
    store: &Path,
    what: &str,
) -> Result<(), StoreError> {
    let is_home = store.components().eq(codex_home.components()) || same_file(store, codex_home);
    let live = codex_home.join("auth.json");
    let holds_live = !is_home && same_file(&store.join("auth.json"), &live);
    if !(is_home || holds_live) {
        return Ok(());
    }
    let why = if is_home {
        format!("{what} ({}) is the Codex home itself", show(store))
    } else {
        format!(
            "{what} ({}) holds the live credential ({} is {})",
            show(store),
            show(&store.join("auth.json")),
            show(&live)
        )
    };
    Err(StoreError::new(
        ErrorKind::StoreLocation,
        format!(
            "{why}: authdeck would list the live auth.json as an account and could move it to the trash"
        ),
    )
    .with_hint(format!(
        "point {what} at a directory of its own, e.g. {}",
        show(&codex_home.join("accounts"))
    )))
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

    /// A store that is the Codex home would list auth.json as the account `auth` (and `remove
    /// auth` would trash the live credential): refused, by path, through a link, or when the
    /// store holds the live file.
    #[test]
    fn a_store_holding_the_live_credential_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path().join("codex");
        std::fs::create_dir_all(&home).expect("mkdir");
        std::fs::write(home.join("auth.json"), "{}").expect("write");
        let env = env_of(&[("CODEX_HOME", home.to_str().expect("utf8"))]);
        let err = resolve(None, Some(&home), &env).expect_err("store = codex home");
        assert_eq!(err.kind(), ErrorKind::StoreLocation);
        assert!(err.message().contains("--store"), "{err}");
        assert!(err.message().contains("is the Codex home"), "{err}");
        assert!(err.hint().is_some_and(|h| h.contains("accounts")), "{err}");

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&home, &link).expect("symlink");
        let env_store = env_of(&[
            ("CODEX_HOME", home.to_str().expect("utf8")),
            ("AUTHDECK_STORE", link.to_str().expect("utf8")),
        ]);
        let err = resolve(None, None, &env_store).expect_err("store links to codex home");
        assert!(err.message().contains("AUTHDECK_STORE"), "{err}");
        let trailing = PathBuf::from(format!("{}/", home.display()));
        assert!(
            resolve(None, Some(&trailing), &env).is_err(),
            "trailing slash"
        );

        let store = dir.path().join("store");
        std::fs::create_dir_all(&store).expect("mkdir");
        std::os::unix::fs::symlink(home.join("auth.json"), store.join("auth.json"))
            .expect("symlink");
        let err = resolve(None, Some(&store), &env).expect_err("store holds auth.json");
        assert!(err.message().contains("holds the live credential"), "{err}");

        let ok = dir.path().join("elsewhere");
        assert_eq!(resolve(None, Some(&ok), &env).expect("fine").store, ok);
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
