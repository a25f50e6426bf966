use std::os::unix::fs::PermissionsExt as _;

use super::*;
use crate::codex::fixtures;
use crate::env::fixed as env_of;
use crate::store::{Store, switch};

struct Setup {
    _dir: tempfile::TempDir,
    paths: Paths,
}

/// A Codex home with accounts `a`, `b`, `c` (API keys) and `a` live.
fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path().join("home"));
    std::fs::create_dir_all(&paths.codex_home).expect("mkdir");
    let store = Store::new(&paths);
    for (name, key) in [
        ("a", "sk-test-aaaaaaaaaaaaaaaa"),
        ("b", "sk-test-bbbbbbbbbbbbbbbb"),
        ("c", "sk-test-cccccccccccccccc"),
    ] {
        store
            .save(name, &fixtures::api_key_doc(key), false)
            .expect("save");
    }
    std::fs::write(paths.auth_json(), store.read("a").expect("a").as_bytes()).expect("live");
    Setup { _dir: dir, paths }
}

fn live_is(paths: &Paths, name: &str) -> bool {
    std::fs::read(paths.auth_json()).expect("live")
        == Store::new(paths).read(name).expect("account").as_bytes()
}

#[test]
fn nothing_is_known_before_the_first_switch() {
    let s = setup();
    assert_eq!(read_previous(&s.paths), Previous::Unknown);
    let e = resolve_switch_target(&s.paths, "-").expect_err("no previous");
    assert_eq!(e.kind(), ErrorKind::NoPrevious);
    assert!(e.hint().is_some_and(|h| h.contains("switch NAME")), "{e}");
}

#[test]
fn a_switch_remembers_the_account_it_left_and_dash_goes_back() {
    let s = setup();
    switch(&s.paths, "b", &env_of(&[])).expect("switch b");
    assert_eq!(read_previous(&s.paths), Previous::Account("a".into()));
    let mode = std::fs::metadata(previous_file(&s.paths))
        .expect("record")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let back = resolve_switch_target(&s.paths, "-").expect("previous");
    assert_eq!(back.name, "a");
    assert_eq!(back.matched, Matched::Previous);
    assert_eq!(back.resolved_from(), Some("-"));
    switch(&s.paths, &back.name, &env_of(&[])).expect("switch back");
    assert!(live_is(&s.paths, "a"));
    // And `-` again toggles, like `cd -`.
    assert_eq!(previous_account(&s.paths).as_deref(), Some("b"));
}

#[test]
fn switching_to_the_live_account_changes_nothing() {
    let s = setup();
    switch(&s.paths, "b", &env_of(&[])).expect("switch b");
    switch(&s.paths, "b", &env_of(&[])).expect("already live");
    assert_eq!(previous_account(&s.paths).as_deref(), Some("a"));
}

#[test]
fn an_unsaved_live_credential_is_not_a_previous_account() {
    let s = setup();
    std::fs::write(
        s.paths.auth_json(),
        fixtures::api_key_doc("sk-test-unsaved000000000").as_bytes(),
    )
    .expect("live");
    switch(&s.paths, "b", &env_of(&[])).expect("switch b");
    assert_eq!(read_previous(&s.paths), Previous::Unsaved);
    let e = resolve_switch_target(&s.paths, "-").expect_err("unsaved");
    assert_eq!(e.kind(), ErrorKind::NoPrevious);
    assert!(e.message().contains("not saved"), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains(".backups")), "{e}");
}

#[test]
fn a_removed_previous_account_is_reported_and_nothing_changes() {
    let s = setup();
    switch(&s.paths, "b", &env_of(&[])).expect("switch b");
    Store::new(&s.paths).remove("a").expect("remove a");
    let e = resolve_switch_target(&s.paths, "-").expect_err("gone");
    assert_eq!(e.kind(), ErrorKind::AccountNotFound);
    assert!(e.message().contains("\"a\" no longer exists"), "{e}");
    assert!(live_is(&s.paths, "b"));
    // Undoing the removal makes `-` work again.
    Store::new(&s.paths)
        .restore_last_removed("a")
        .expect("restore");
    assert_eq!(
        resolve_switch_target(&s.paths, "-").expect("back").name,
        "a"
    );
}

#[test]
fn the_record_follows_a_rename_of_the_previous_account() {
    let s = setup();
    switch(&s.paths, "b", &env_of(&[])).expect("switch b");
    let store = Store::new(&s.paths);
    store.rename("c", "c2").expect("rename another");
    assert_eq!(previous_account(&s.paths).as_deref(), Some("a"));
    store.rename("a", "alpha").expect("rename previous");
    assert_eq!(previous_account(&s.paths).as_deref(), Some("alpha"));
    assert_eq!(
        resolve_switch_target(&s.paths, "-").expect("back").name,
        "alpha"
    );
}

#[test]
fn a_tampered_record_means_unknown() {
    let s = setup();
    std::fs::create_dir_all(s.paths.meta_dir()).expect("mkdir");
    for junk in [
        &b"not json"[..],
        br#"{"previous": "../../etc/passwd"}"#,
        br#"{"previous": 3}"#,
        b"[]",
    ] {
        std::fs::write(previous_file(&s.paths), junk).expect("write");
        assert_eq!(read_previous(&s.paths), Previous::Unknown);
    }
}

#[test]
fn other_names_resolve_as_usual() {
    let s = setup();
    let r = resolve_switch_target(&s.paths, "b").expect("b");
    assert_eq!(r, Resolved::exact("b"));
}

#[test]
fn switching_from_signed_out_keeps_the_record() {
    let s = setup();
    switch(&s.paths, "b", &env_of(&[])).expect("switch b");
    std::fs::remove_file(s.paths.auth_json()).expect("sign out");
    switch(&s.paths, "c", &env_of(&[])).expect("switch c");
    assert_eq!(previous_account(&s.paths).as_deref(), Some("a"));
}
