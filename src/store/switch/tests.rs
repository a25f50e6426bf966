use super::*;
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::store::backups::list_backups;

use crate::env::fixed as env_of;

fn login(user: &str, generation: u32, last_refresh: &str) -> AuthDoc {
    fixtures::chatgpt_doc(&ChatgptSpec {
        user_id: user,
        email: "a@example.com",
        generation,
        last_refresh,
        ..ChatgptSpec::default()
    })
}

struct Setup {
    _dir: tempfile::TempDir,
    paths: Paths,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path().join("home"));
    std::fs::create_dir_all(&paths.codex_home).expect("mkdir");
    Setup { _dir: dir, paths }
}

#[test]
fn plan_is_a_pure_preview() {
    let s = setup();
    let a = login("user-a", 1, "2026-01-01T00:00:00Z");
    let b = fixtures::api_key_doc("sk-test-1234567890abcdef");
    let store = Store::new(&s.paths);
    store.save("a", &a, false).expect("save");
    store.save("b", &b, false).expect("save");
    let live = login("user-a", 2, "2026-02-01T00:00:00Z");
    std::fs::write(s.paths.auth_json(), live.as_bytes()).expect("write");
    let plan = plan_switch(&s.paths, "b", &env_of(&[])).expect("plan");
    assert_eq!(plan.from.as_deref(), Some("a"));
    assert!(plan.sync_back);
    assert!(!plan.already_active);
    assert_eq!(plan.target, b);
    assert!(plan.changes.iter().any(|c| c.key == "auth_mode"
        && c.before.as_deref() == Some("chatgpt")
        && c.after.as_deref() == Some("apikey")));
    // Nothing was written.
    assert_eq!(store.read("a").expect("a"), a);
    assert_eq!(
        std::fs::read(s.paths.auth_json()).expect("live"),
        live.as_bytes()
    );
    assert!(list_backups(&s.paths).is_empty());
}

#[test]
fn switching_back_to_the_live_account_keeps_its_newer_tokens() {
    let s = setup();
    let store = Store::new(&s.paths);
    let old = login("user-a", 1, "2026-01-01T00:00:00Z");
    store.save("a", &old, false).expect("save");
    let newer = login("user-a", 2, "2026-02-01T00:00:00Z");
    std::fs::write(s.paths.auth_json(), newer.as_bytes()).expect("write");
    let r = switch(&s.paths, "a", &env_of(&[])).expect("switch");
    assert!(r.synced_back && r.already_active);
    assert!(r.backup.is_none());
    assert_eq!(store.read("a").expect("a"), newer);
    assert_eq!(
        std::fs::read(s.paths.auth_json()).expect("live"),
        newer.as_bytes()
    );
}

#[test]
fn unsaved_live_credential_is_backed_up_and_warned_about() {
    let s = setup();
    let store = Store::new(&s.paths);
    store
        .save(
            "b",
            &fixtures::api_key_doc("sk-test-1234567890abcdef"),
            false,
        )
        .expect("save");
    let stranger = login("user-z", 1, "2026-01-01T00:00:00Z");
    std::fs::write(s.paths.auth_json(), stranger.as_bytes()).expect("write");
    let r = switch(&s.paths, "b", &env_of(&[])).expect("switch");
    assert_eq!(r.from, None);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("not saved as an account"))
    );
    let backup = r.backup.expect("backed up");
    assert_eq!(std::fs::read(backup).expect("read"), stranger.as_bytes());
}

#[test]
fn malformed_live_is_backed_up_and_replaced_missing_live_is_created() {
    let s = setup();
    let store = Store::new(&s.paths);
    let b = fixtures::api_key_doc("sk-test-1234567890abcdef");
    store.save("b", &b, false).expect("save");
    let r = switch(&s.paths, "b", &env_of(&[])).expect("switch from nothing");
    assert!(r.backup.is_none());
    assert_eq!(
        std::fs::read(s.paths.auth_json()).expect("live"),
        b.as_bytes()
    );
    std::fs::write(s.paths.auth_json(), "{ broken").expect("write");
    let r = switch(&s.paths, "b", &env_of(&[])).expect("switch from broken");
    assert!(r.warnings.iter().any(|w| w.contains("cannot be used")));
    assert_eq!(
        std::fs::read(r.backup.expect("backup")).expect("read"),
        b"{ broken"
    );
}

#[test]
fn corrupt_or_missing_target_changes_nothing() {
    let s = setup();
    let live = fixtures::api_key_doc("sk-test-1234567890abcdef");
    std::fs::write(s.paths.auth_json(), live.as_bytes()).expect("write");
    std::fs::create_dir_all(&s.paths.store).expect("mkdir");
    std::fs::write(s.paths.store.join("bad.json"), "[]").expect("write");
    let err = switch(&s.paths, "bad", &env_of(&[])).expect_err("corrupt");
    assert_eq!(err.kind(), ErrorKind::AccountCorrupt);
    let err = switch(&s.paths, "nope", &env_of(&[])).expect_err("missing");
    assert_eq!(err.kind(), ErrorKind::AccountNotFound);
    let err = switch(&s.paths, "../x", &env_of(&[])).expect_err("bad name");
    assert_eq!(err.kind(), ErrorKind::InvalidName);
    assert_eq!(
        std::fs::read(s.paths.auth_json()).expect("live"),
        live.as_bytes()
    );
    assert!(list_backups(&s.paths).is_empty());
}

#[test]
fn env_token_warns_but_switches() {
    let s = setup();
    let b = fixtures::api_key_doc("sk-test-1234567890abcdef");
    Store::new(&s.paths).save("b", &b, false).expect("save");
    let r = switch(&s.paths, "b", &env_of(&[("CODEX_ACCESS_TOKEN", "x.y.z")])).expect("switch");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("CODEX_ACCESS_TOKEN") && w.contains("no effect"))
    );
    assert_eq!(
        std::fs::read(s.paths.auth_json()).expect("live"),
        b.as_bytes()
    );
}

#[test]
fn non_file_stores_refuse() {
    let s = setup();
    let b = fixtures::api_key_doc("sk-test-1234567890abcdef");
    Store::new(&s.paths).save("b", &b, false).expect("save");
    for kind in ["keyring", "auto", "ephemeral"] {
        std::fs::write(
            s.paths.config_toml(),
            format!("cli_auth_credentials_store = \"{kind}\"\n"),
        )
        .expect("write");
        let err = switch(&s.paths, "b", &env_of(&[])).expect_err(kind);
        assert_eq!(err.kind(), ErrorKind::NotFileStore);
        assert!(err.message().contains(kind), "{err}");
        assert!(plan_switch(&s.paths, "b", &env_of(&[])).is_err());
        assert!(!s.paths.auth_json().exists());
    }
    // A config.toml Codex cannot load: Codex will not start, so the switch is refused unless
    // forced (and then the consequence is spelled out).
    for text in [
        "cli_auth_credentials_store = [[[\n",
        "cli_auth_credentials_store = \"vault\"\n",
    ] {
        std::fs::write(s.paths.config_toml(), text).expect("write");
        let err = switch(&s.paths, "b", &env_of(&[])).expect_err(text);
        assert_eq!(err.kind(), ErrorKind::CodexWouldRefuse, "{err}");
        assert!(!s.paths.auth_json().exists());
    }
    let forced = Options {
        allow_refused: true,
        ..Options::default()
    };
    let r = switch_with(&s.paths, "b", &env_of(&[]), &forced).expect("forced");
    assert!(
        r.warnings.iter().any(|w| w.starts_with("forced:")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn the_guard_refuses_what_config_toml_makes_codex_delete() {
    let s = setup();
    Store::new(&s.paths)
        .save(
            "key",
            &fixtures::api_key_doc("sk-test-1234567890abcdef"),
            false,
        )
        .expect("save");
    std::fs::write(s.paths.config_toml(), "forced_login_method = \"chatgpt\"\n").expect("write");
    let err = switch(&s.paths, "key", &env_of(&[])).expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::CodexWouldRefuse);
    assert!(err.message().contains("forced_login_method"), "{err}");
    assert!(!s.paths.auth_json().exists(), "nothing was written");
    let plan = plan_switch(&s.paths, "key", &env_of(&[])).expect("plan");
    assert!(plan.refusal.is_some());
}
