//! The account store through its public API: names, junk in the store, corrupt files, trash and
//! undo, path resolution and the live credential read. Temp dirs and an injected environment only.

use authdeck::codex::fixtures::{self, ChatgptSpec};
use authdeck::store::{
    self, ErrorKind, FileState, Paths, Source, Store, resolve, summaries, validate_name,
};

use authdeck::env::fixed as env_of;

#[test]
fn bad_names_are_rejected_everywhere_and_nothing_escapes_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let store = Store::new(&paths);
    let doc = fixtures::api_key_doc("sk-test-1234567890abcdef");
    let long = "n".repeat(65);
    for bad in [
        "a/b",
        "..",
        "../evil",
        ".hidden",
        "",
        long.as_str(),
        "a\0b",
        "x y",
    ] {
        let err = validate_name(bad).expect_err(bad);
        assert_eq!(err.kind(), ErrorKind::InvalidName, "{bad}");
        assert_eq!(
            store.save(bad, &doc, true).expect_err(bad).kind(),
            ErrorKind::InvalidName
        );
        assert_eq!(
            store.read(bad).expect_err(bad).kind(),
            ErrorKind::InvalidName
        );
        assert_eq!(
            store.remove(bad).expect_err(bad).kind(),
            ErrorKind::InvalidName
        );
        assert_eq!(
            store::switch(&paths, bad, &env_of(&[]))
                .expect_err(bad)
                .kind(),
            ErrorKind::InvalidName
        );
    }
    assert!(!dir.path().join("evil.json").exists());
    assert!(!dir.path().join("accounts").join("a").exists());
    assert!(validate_name(&"n".repeat(64)).is_ok());
}

#[test]
fn junk_in_the_store_is_skipped_and_corrupt_accounts_are_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let store = Store::new(&paths);
    let good = fixtures::chatgpt_doc(&ChatgptSpec::default());
    store.save("good", &good, false).expect("save");
    let s = &paths.store;
    std::fs::write(s.join("README"), "notes").expect("write");
    std::fs::write(s.join("backup.json.bak"), "{}").expect("write");
    std::fs::write(s.join(".secret.json"), "{}").expect("write");
    std::fs::create_dir(s.join("folder.json")).expect("mkdir");
    std::fs::write(s.join("has space.json"), "{}").expect("write");
    std::fs::write(s.join("corrupt.json"), "{{{{").expect("write");
    std::fs::write(s.join("array.json"), "[1,2]").expect("write");
    std::fs::write(s.join("binary.json"), [0xff, 0xfe, 0x00]).expect("write");
    let list = store.list().expect("list");
    let names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["array", "binary", "corrupt", "good"]);
    assert!(
        list[0]
            .doc
            .as_ref()
            .is_err_and(|e| e.contains("not an object"))
    );
    assert!(list[1].doc.as_ref().is_err_and(|e| e.contains("UTF-8")));
    assert!(list[2].doc.as_ref().is_err_and(|e| e.contains("JSON")));
    let live = fixtures::chatgpt_doc(&ChatgptSpec {
        last_refresh: "2027-01-01T00:00:00Z",
        generation: 9,
        ..ChatgptSpec::default()
    });
    let rows = summaries(&store, Some(&live)).expect("summaries");
    assert!(rows[3].active && rows[3].stale);
    assert!(
        rows[..3]
            .iter()
            .all(|r| !r.active && r.mode.is_none() && r.problem.is_some())
    );
}

#[test]
fn remove_is_recoverable_and_undo_restores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let store = Store::new(&paths);
    let doc = fixtures::api_key_doc("sk-test-1234567890abcdef");
    store.save("work", &doc, false).expect("save");
    let trashed = store.remove("work").expect("remove");
    assert!(trashed.starts_with(paths.trash_dir()));
    assert_eq!(std::fs::read(&trashed).expect("read"), doc.as_bytes());
    assert!(store.list().expect("list").is_empty());
    store.restore_last_removed("work").expect("undo");
    assert_eq!(store.read("work").expect("read"), doc);
    assert!(!trashed.exists());
}

#[test]
fn paths_resolve_from_flags_and_injected_env_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    let env = env_of(&[("HOME", home.to_str().expect("utf8"))]);
    // ~/.codex may not exist yet: that is signed out, not an error.
    let paths = resolve(None, None, &env).expect("resolve");
    assert_eq!(paths.codex_home, home.join(".codex"));
    assert_eq!(paths.store, home.join(".codex/accounts"));
    let live = store::read_live(&paths, &env);
    assert_eq!(live.source, Source::None);
    assert_eq!(live.file, FileState::Missing);
    let missing = dir.path().join("missing");
    let env = env_of(&[("CODEX_HOME", missing.to_str().expect("utf8"))]);
    let err = resolve(None, None, &env).expect_err("must exist");
    assert_eq!(err.kind(), ErrorKind::CodexHome);
    assert!(err.to_string().contains("CODEX_HOME"));
    let env = env_of(&[
        ("CODEX_HOME", dir.path().to_str().expect("utf8")),
        ("AUTHDECK_STORE", "/elsewhere"),
    ]);
    let paths = resolve(None, None, &env).expect("resolve");
    assert_eq!(paths.store, std::path::PathBuf::from("/elsewhere"));
}

#[test]
fn save_live_keeps_the_document_verbatim() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let odd = "{\"auth_mode\":\"futureMode\",  \"OPENAI_API_KEY\":null,\n\"new_key\": {\"x\": [1, 2.50, \"\\u00e9\"]}}";
    std::fs::write(paths.auth_json(), odd).expect("write");
    let saved =
        store::save_live(&paths, "future", false, &store::Options::default()).expect("saved");
    assert_eq!(std::fs::read_to_string(saved.path).expect("read"), odd);
}
