//! Switching through the public store API: sync-back, backups, symlinks, failures midway,
//! read-only homes and non-file credential stores. Everything runs in temp dirs with an injected
//! environment.

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use authdeck::codex::auth_file::AuthDoc;
use authdeck::codex::credential::AuthMode;
use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::store::{
    self, ErrorKind, Options, Paths, Store, StoreError, list_backups, switch, switch_with,
    write_atomic, write_atomic_with,
};

use authdeck::env::fixed as env_of;

fn no_env() -> impl Fn(&str) -> Option<String> {
    env_of(&[])
}

fn login(user: &str, generation: u32, last_refresh: &str) -> AuthDoc {
    fixtures::chatgpt_doc(&ChatgptSpec {
        user_id: user,
        last_refresh,
        generation,
        ..ChatgptSpec::default()
    })
}

struct Home {
    dir: tempfile::TempDir,
    paths: Paths,
}

impl Home {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path().join("codex"));
        std::fs::create_dir_all(&paths.codex_home).expect("mkdir");
        Self { dir, paths }
    }

    fn store(&self) -> Store {
        Store::new(&self.paths)
    }

    fn live(&self) -> Vec<u8> {
        std::fs::read(self.paths.auth_json()).expect("read auth.json")
    }

    fn set_live(&self, doc: &AuthDoc) {
        std::fs::write(self.paths.auth_json(), doc.as_bytes()).expect("write auth.json");
    }

    fn account(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.paths.store.join(format!("{name}.json"))).expect("read account")
    }
}

#[test]
fn newer_live_tokens_are_synced_back_before_leaving() {
    let h = Home::new();
    let a1 = login("user-a", 1, "2026-01-01T00:00:00Z");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("a", &a1, false).expect("save a");
    h.store().save("b", &b, false).expect("save b");
    // Codex refreshed: the live file holds a newer generation of account a.
    let a2 = login("user-a", 2, "2026-01-02T00:00:00Z");
    h.set_live(&a2);
    let r = switch(&h.paths, "b", &no_env()).expect("switch");
    assert_eq!(r.from.as_deref(), Some("a"));
    assert!(r.synced_back);
    assert_eq!(
        h.account("a"),
        a2.as_bytes(),
        "the account got the live bytes"
    );
    assert_eq!(h.live(), b.as_bytes());
    let backup = r.backup.expect("backup");
    assert_eq!(std::fs::read(backup).expect("backup"), a2.as_bytes());
    assert!(r.changes.iter().any(|c| c.key == "auth_mode"));
    // And back: the account now restores the newest tokens, not the used refresh token.
    let r = switch(&h.paths, "a", &no_env()).expect("switch back");
    assert_eq!(r.from.as_deref(), Some("b"));
    assert!(!r.synced_back);
    assert_eq!(h.live(), a2.as_bytes());
}

#[test]
fn older_live_tokens_are_not_synced_back() {
    let h = Home::new();
    let a2 = login("user-a", 2, "2026-01-02T00:00:00Z");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("a", &a2, false).expect("save a");
    h.store().save("b", &b, false).expect("save b");
    let a1 = login("user-a", 1, "2026-01-01T00:00:00Z");
    h.set_live(&a1);
    let r = switch(&h.paths, "b", &no_env()).expect("switch");
    assert_eq!(r.from.as_deref(), Some("a"));
    assert!(!r.synced_back);
    assert_eq!(h.account("a"), a2.as_bytes(), "the newer snapshot is kept");
    assert_eq!(h.live(), b.as_bytes());
    // The older live file is still recoverable from the backup.
    assert_eq!(
        std::fs::read(r.backup.expect("backup")).expect("read"),
        a1.as_bytes()
    );
}

#[test]
fn same_freshness_but_different_bytes_is_synced_back() {
    let h = Home::new();
    let mut both = login("user-a", 1, "2026-01-01T00:00:00Z");
    both.set(
        "OPENAI_API_KEY",
        &serde_json::json!("sk-test-aaaaaaaaaaaaaaaa"),
    );
    h.store().save("a", &both, false).expect("save");
    h.store()
        .save(
            "b",
            &fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb"),
            false,
        )
        .expect("save");
    h.set_live(&both);
    store::set_mode(&h.paths, &AuthMode::ApiKey, &no_env()).expect("mode");
    let live_after_mode = h.live();
    let r = switch(&h.paths, "b", &no_env()).expect("switch");
    assert!(r.synced_back);
    assert_eq!(h.account("a"), live_after_mode);
}

#[test]
fn backups_are_private_and_pruned_to_twenty() {
    let h = Home::new();
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("a", &a, false).expect("save");
    h.store().save("b", &b, false).expect("save");
    h.set_live(&a);
    let mut last = None;
    for i in 0..25 {
        let name = if i % 2 == 0 { "b" } else { "a" };
        let before = h.live();
        let r = switch(&h.paths, name, &no_env()).expect("switch");
        let backup = r.backup.expect("backup each time");
        assert_eq!(std::fs::read(&backup).expect("read"), before);
        last = Some(backup);
    }
    let backups = list_backups(&h.paths);
    assert_eq!(backups.len(), 20);
    assert_eq!(backups.last(), last.as_ref(), "the newest is kept");
    for b in &backups {
        let mode = std::fs::metadata(b).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Other files in .backups are never pruned.
    std::fs::write(h.paths.backups_dir().join("keep-me.txt"), "x").expect("write");
    switch(&h.paths, "b", &no_env()).expect("switch");
    assert!(h.paths.backups_dir().join("keep-me.txt").exists());
    let kept = Options {
        keep_backups: 3,
        ..Options::default()
    };
    switch_with(&h.paths, "a", &no_env(), &kept).expect("switch");
    assert_eq!(list_backups(&h.paths).len(), 3);
}

#[test]
fn symlinked_auth_json_is_replaced_as_a_link_and_its_target_untouched() {
    let h = Home::new();
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("a", &a, false).expect("save");
    h.store().save("b", &b, false).expect("save");
    let elsewhere = h.dir.path().join("dotfiles");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let target = elsewhere.join("real-auth.json");
    std::fs::write(&target, a.as_bytes()).expect("write");
    std::os::unix::fs::symlink(&target, h.paths.auth_json()).expect("symlink");
    let r = switch(&h.paths, "b", &no_env()).expect("switch");
    assert_eq!(r.from.as_deref(), Some("a"), "the link's content was read");
    assert_eq!(std::fs::read(&target).expect("target"), a.as_bytes());
    let meta = std::fs::symlink_metadata(h.paths.auth_json()).expect("meta");
    assert!(meta.file_type().is_file(), "the link became a regular file");
    assert_eq!(h.live(), b.as_bytes());
    assert_eq!(
        std::fs::read(r.backup.expect("backup")).expect("read"),
        a.as_bytes()
    );
}

fn half_then_disk_full(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_with(path, |f| {
        f.write_all(&bytes[..bytes.len() / 2])?;
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
    })
}

/// Fails only the write of auth.json.
fn fail_live(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if path.ends_with("auth.json") {
        half_then_disk_full(path, bytes)
    } else {
        write_atomic(path, bytes)
    }
}

/// Fails every account-file write (the sync-back).
fn fail_accounts(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if path.ends_with("auth.json") {
        write_atomic(path, bytes)
    } else {
        half_then_disk_full(path, bytes)
    }
}

fn temp_leftovers(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".tmp."))
        .collect()
}

#[test]
fn a_write_failing_midway_leaves_live_and_accounts_as_they_were() {
    let h = Home::new();
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("a", &a, false).expect("save");
    h.store().save("b", &b, false).expect("save");
    h.set_live(&a);
    let failing = Options {
        write: fail_live,
        ..Options::default()
    };
    let err = switch_with(&h.paths, "b", &no_env(), &failing).expect_err("disk full");
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert!(err.to_string().contains("auth.json"), "{err}");
    assert_eq!(h.live(), a.as_bytes());
    assert_eq!(h.account("a"), a.as_bytes());
    assert_eq!(h.account("b"), b.as_bytes());
    assert!(temp_leftovers(&h.paths.codex_home).is_empty());
    // And the store still works afterwards.
    switch(&h.paths, "b", &no_env()).expect("switch");
    assert_eq!(h.live(), b.as_bytes());
}

#[test]
fn a_failing_sync_back_stops_the_switch_before_auth_json() {
    let h = Home::new();
    let a1 = login("user-a", 1, "2026-01-01T00:00:00Z");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("a", &a1, false).expect("save");
    h.store().save("b", &b, false).expect("save");
    let a2 = login("user-a", 2, "2026-01-02T00:00:00Z");
    h.set_live(&a2);
    let failing = Options {
        write: fail_accounts,
        ..Options::default()
    };
    let err = switch_with(&h.paths, "b", &no_env(), &failing).expect_err("fails");
    assert!(err.message().contains("sync"), "{err}");
    assert!(
        err.hint()
            .is_some_and(|h| h.contains("auth.json was not changed")),
        "{err}"
    );
    assert_eq!(h.live(), a2.as_bytes());
    assert_eq!(h.account("a"), a1.as_bytes());
    assert_eq!(h.account("b"), b.as_bytes());
    assert!(temp_leftovers(&h.paths.store).is_empty());
}

#[test]
fn a_failing_live_write_after_sync_back_loses_nothing() {
    let h = Home::new();
    let a1 = login("user-a", 1, "2026-01-01T00:00:00Z");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("a", &a1, false).expect("save");
    h.store().save("b", &b, false).expect("save");
    let a2 = login("user-a", 2, "2026-01-02T00:00:00Z");
    h.set_live(&a2);
    let failing = Options {
        write: fail_live,
        ..Options::default()
    };
    let err = switch_with(&h.paths, "b", &no_env(), &failing).expect_err("fails");
    assert!(
        err.hint()
            .is_some_and(|h| h.contains("now also holds the live tokens")),
        "{err}"
    );
    // auth.json is as it was; the account holds a copy of it (the newer tokens), never less.
    assert_eq!(h.live(), a2.as_bytes());
    assert_eq!(h.account("a"), a2.as_bytes());
    assert_eq!(h.account("b"), b.as_bytes());
}

/// Makes a directory unwritable, even for root when `chattr` is available; undone on drop.
struct ReadOnly<'a>(&'a Path, bool);

impl<'a> ReadOnly<'a> {
    fn new(dir: &'a Path) -> Option<Self> {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
        if !writable(dir) {
            return Some(Self(dir, false));
        }
        // Root ignores permissions: try the immutable attribute instead.
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let guard = Self(dir, ok);
        (!writable(dir)).then_some(guard)
    }
}

impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt as _;
        if self.1 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(self.0)
                .status();
        }
        let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(0o755));
    }
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let ok = std::fs::write(&probe, "x").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

#[test]
fn read_only_codex_home_is_a_clear_error_and_nothing_changes() {
    let h = Home::new();
    let store_dir = h.dir.path().join("store");
    let paths = Paths {
        codex_home: h.paths.codex_home.clone(),
        store: store_dir,
    };
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    Store::new(&paths).save("a", &a, false).expect("save");
    Store::new(&paths).save("b", &b, false).expect("save");
    std::fs::write(paths.auth_json(), a.as_bytes()).expect("write");
    let Some(_ro) = ReadOnly::new(&paths.codex_home) else {
        eprintln!("skipped: cannot make a directory read-only here");
        return;
    };
    let err = switch(&paths, "b", &no_env()).expect_err("read-only");
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(
        err.message()
            .contains(&paths.codex_home.display().to_string()),
        "{err}"
    );
    assert!(
        err.hint()
            .is_some_and(|h| h.contains("nothing was changed")),
        "{err}"
    );
    assert_eq!(
        std::fs::read(paths.auth_json()).expect("read"),
        a.as_bytes()
    );
    assert_eq!(
        std::fs::read(paths.store.join("a.json")).expect("read"),
        a.as_bytes()
    );
    assert_eq!(
        std::fs::read(paths.store.join("b.json")).expect("read"),
        b.as_bytes()
    );
    // "nothing was changed" holds for the backups too (0.1.0 left one behind).
    assert_eq!(
        authdeck::store::list_backups(&paths),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn auth_json_that_is_a_directory_is_refused_untouched() {
    let h = Home::new();
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("b", &b, false).expect("save");
    std::fs::create_dir(h.paths.auth_json()).expect("mkdir");
    std::fs::write(h.paths.auth_json().join("inside"), "keep").expect("write");
    let err = switch(&h.paths, "b", &no_env()).expect_err("a directory");
    assert!(err.message().contains("auth.json"), "{err}");
    assert_eq!(
        std::fs::read(h.paths.auth_json().join("inside")).expect("read"),
        b"keep"
    );
    assert_eq!(h.account("b"), b.as_bytes());
}

#[test]
fn keyring_config_refuses_switch_and_mode() {
    let h = Home::new();
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("b", &b, false).expect("save");
    h.set_live(&a);
    std::fs::write(
        h.paths.config_toml(),
        "model = \"o3\"\ncli_auth_credentials_store = \"keyring\"\n",
    )
    .expect("write");
    let err = switch(&h.paths, "b", &no_env()).expect_err("keyring");
    assert_eq!(err.kind(), ErrorKind::NotFileStore);
    assert!(
        err.message().contains(
            "credentials are in the OS keyring; authdeck manages file-based auth.json only"
        ),
        "{err}"
    );
    let err = store::set_mode(&h.paths, &AuthMode::ApiKey, &no_env()).expect_err("keyring");
    assert_eq!(err.kind(), ErrorKind::NotFileStore);
    assert_eq!(h.live(), a.as_bytes());
    assert!(list_backups(&h.paths).is_empty());
    let live = store::read_live(&h.paths, &no_env());
    assert!(live.store_kind.notice().is_some());
}

#[test]
fn env_token_switch_warns_that_it_has_no_effect() {
    let h = Home::new();
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    h.store().save("b", &b, false).expect("save");
    // CODEX_AGENT_IDENTITY exists in no Codex version: no warning for it.
    let ignored = env_of(&[("CODEX_AGENT_IDENTITY", "a.b.c")]);
    let plan = store::plan_switch(&h.paths, "b", &ignored).expect("plan");
    assert!(!plan.warnings.iter().any(|w| w.contains("no effect")));
    let env = env_of(&[("CODEX_ACCESS_TOKEN", "a.b.c")]);
    let plan = store::plan_switch(&h.paths, "b", &env).expect("plan");
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("CODEX_ACCESS_TOKEN"))
    );
    let r = switch(&h.paths, "b", &env).expect("switch");
    assert!(r.warnings.iter().any(|w| w.contains("no effect")));
    assert_eq!(h.live(), b.as_bytes());
}

#[test]
fn written_documents_are_what_codex_reads() {
    let h = Home::new();
    let key = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    let agent = fixtures::agent_jwt_doc(&fixtures::unsigned_agent_jwt("agent-1", 4_102_444_800));
    h.store().save("key", &key, false).expect("save");
    h.store().save("agent", &agent, false).expect("save");
    switch(&h.paths, "agent", &no_env()).expect("switch");
    let text = String::from_utf8(h.live()).expect("utf8");
    assert!(text.starts_with("{\n  \"auth_mode\": \"agentIdentity\",\n  \"OPENAI_API_KEY\": null,\n  \"agent_identity\": \""));
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v.as_object().map(serde_json::Map::len), Some(3));
    switch(&h.paths, "key", &no_env()).expect("switch");
    assert_eq!(
        String::from_utf8(h.live()).expect("utf8"),
        "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test-bbbbbbbbbbbbbbbb\"\n}\n"
    );
}
