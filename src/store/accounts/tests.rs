use std::os::unix::fs::PermissionsExt as _;

use proptest::prelude::*;

use super::*;
use crate::codex::fixtures::{self, ChatgptSpec};

fn store_in(dir: &Path) -> Store {
    Store::new(&Paths::in_codex_home(dir))
}

#[test]
fn names_follow_the_rules() {
    for ok in ["a", "work-pro", "A.b_c-9", &"x".repeat(64)] {
        assert!(validate_name(ok).is_ok(), "{ok}");
    }
    let cases: [(&str, &str); 8] = [
        ("", "empty"),
        ("a/b", "'/'"),
        ("..", "starts with '.'"),
        ("../etc", "starts with '.'"),
        (".hidden", "starts with '.'"),
        ("a b", "' '"),
        ("tab\there", "'\\t'"),
        ("café", "'é'"),
    ];
    for (bad, why) in cases {
        let err = validate_name(bad).expect_err(bad);
        assert_eq!(err.kind(), ErrorKind::InvalidName);
        assert!(err.message().contains(why), "{bad}: {err}");
        assert!(err.hint().is_some_and(|h| h.contains("1–64")));
    }
    let long = "x".repeat(65);
    let err = validate_name(&long).expect_err("65");
    assert!(err.message().contains("65 characters"), "{err}");
    let err = validate_name("a\x1b[2J").expect_err("escape");
    assert!(!err.to_string().contains('\x1b'));
}

#[test]
fn save_read_list_with_private_modes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    assert!(store.list().expect("empty store").is_empty());
    let doc = fixtures::api_key_doc("sk-test-1234567890abcdef");
    let saved = store.save("key", &doc, false).expect("saved");
    assert!(!saved.unchanged);
    assert_eq!(std::fs::read(&saved.path).expect("read"), doc.as_bytes());
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&saved.path), 0o600);
    assert_eq!(mode(store.dir()), 0o700);
    assert_eq!(store.read("key").expect("read"), doc);
    let list = store.list().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "key");
    assert!(list[0].modified.is_some());
    assert_eq!(list[0].doc.as_ref().ok(), Some(&doc));
}

#[test]
fn existing_account_needs_force_and_old_copy_goes_to_trash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    store.save("x", &a, false).expect("saved");
    let same = store
        .save("x", &a, false)
        .expect("same bytes need no force");
    assert!(same.unchanged);
    let err = store.save("x", &b, false).expect_err("exists");
    assert_eq!(err.kind(), ErrorKind::AccountExists);
    assert!(err.hint().is_some_and(|h| h.contains("--force")), "{err}");
    assert_eq!(store.read("x").expect("read"), a);
    let same = store.save("x", &a, true).expect("same bytes");
    assert!(same.unchanged && same.replaced_to.is_none());
    let saved = store.save("x", &b, true).expect("forced");
    let old = saved.replaced_to.expect("old copy kept");
    assert_eq!(std::fs::read(old).expect("read"), a.as_bytes());
    assert_eq!(store.read("x").expect("read"), b);
}

#[test]
fn junk_is_skipped_and_corrupt_files_are_listed_with_their_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let good = fixtures::chatgpt_doc(&ChatgptSpec::default());
    store.save("good", &good, false).expect("saved");
    let d = store.dir();
    std::fs::write(d.join("notes.txt"), "hello").expect("write");
    std::fs::write(d.join(".hidden.json"), "{}").expect("write");
    std::fs::write(d.join("bad name.json"), "{}").expect("write");
    std::fs::write(d.join(format!("{}.json", "y".repeat(65))), "{}").expect("write");
    std::fs::create_dir(d.join("dir.json")).expect("mkdir");
    std::fs::write(d.join(".good.json.tmp.1.2.3"), "partial").expect("write");
    std::fs::write(d.join("corrupt.json"), "{\"auth_mode\": ").expect("write");
    std::fs::write(d.join("empty.json"), "").expect("write");
    std::os::unix::fs::symlink(d.join("gone"), d.join("dangling.json")).expect("symlink");
    let list = store.list().expect("list never fails on junk");
    let names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["corrupt", "dangling", "empty", "good"]);
    assert!(
        list[0]
            .doc
            .as_ref()
            .is_err_and(|e| e.contains("not valid JSON"))
    );
    assert!(list[2].doc.as_ref().is_err_and(|e| e.contains("empty")));
    assert!(list[3].doc.is_ok());
    let err = store.read("corrupt").expect_err("corrupt");
    assert_eq!(err.kind(), ErrorKind::AccountCorrupt);
    assert!(err.message().contains("corrupt.json"), "{err}");
    let err = store.read("nope").expect_err("missing");
    assert_eq!(err.kind(), ErrorKind::AccountNotFound);
}

#[test]
fn rename_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    store.save("a", &a, false).expect("saved");
    store.save("b", &b, false).expect("saved");
    let err = store.rename("a", "b").expect_err("exists");
    assert_eq!(err.kind(), ErrorKind::AccountExists);
    assert_eq!(store.read("a").expect("a"), a);
    assert_eq!(store.read("b").expect("b"), b);
    let p = store.rename("a", "c").expect("renamed");
    assert!(p.ends_with("c.json"));
    assert_eq!(store.read("c").expect("c"), a);
    assert_eq!(
        store.read("a").expect_err("gone").kind(),
        ErrorKind::AccountNotFound
    );
    assert_eq!(
        store.rename("zz", "y").expect_err("missing").kind(),
        ErrorKind::AccountNotFound
    );
    assert_eq!(
        store.rename("c", "../x").expect_err("bad").kind(),
        ErrorKind::InvalidName
    );
}

#[test]
fn remove_goes_to_trash_and_undo_restores_the_newest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let v1 = fixtures::api_key_doc("sk-test-1111111111111111");
    let v2 = fixtures::api_key_doc("sk-test-2222222222222222");
    store.save("a", &v1, false).expect("saved");
    let t1 = store.remove("a").expect("removed");
    assert!(t1.starts_with(dir.path().join("accounts/.trash")));
    store.save("a", &v2, false).expect("saved");
    let t2 = store.remove("a").expect("removed again");
    assert_ne!(t1, t2);
    // Another account whose name starts like this one is never confused with it.
    store.save("a.b", &v1, false).expect("saved");
    store.remove("a.b").expect("removed");
    assert!(store.list().expect("list").is_empty());
    assert_eq!(
        store.remove("a").expect_err("gone").kind(),
        ErrorKind::AccountNotFound
    );
    store.restore_last_removed("a").expect("restored");
    assert_eq!(store.read("a").expect("read"), v2);
    store.save("x", &v1, false).expect("saved");
    store.restore_last_removed("a").expect_err("exists again");
    store.remove("a").expect("removed");
    store.restore_last_removed("a").expect("restored");
    assert_eq!(store.read("a").expect("read"), v2);
    std::fs::remove_file(store.account_path("a").expect("path")).expect("rm");
    store.restore_last_removed("a").expect("older copy");
    assert_eq!(store.read("a").expect("read"), v1);
    assert_eq!(
        store
            .restore_last_removed("never")
            .expect_err("none")
            .kind(),
        ErrorKind::NothingToRestore
    );
}

#[test]
fn failing_writer_leaves_the_store_as_it_was() {
    fn disk_full(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        crate::store::atomic::write_atomic_with(path, |f| {
            use std::io::Write as _;
            f.write_all(&bytes[..bytes.len() / 2])?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    Store::new(&paths).save("a", &a, false).expect("saved");
    let failing = Store::with_options(
        &paths,
        Options {
            write: disk_full,
            ..Options::default()
        },
    );
    let err = failing
        .save(
            "b",
            &fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb"),
            false,
        )
        .expect_err("disk full");
    assert!(err.to_string().contains("disk is full"), "{err}");
    let list = Store::new(&paths).list().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].doc.as_ref().ok(), Some(&a));
    let leftovers: Vec<_> = std::fs::read_dir(&paths.store)
        .expect("read_dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty());
}

/// `save --force` keeps the name present at every instant: when the new file is written, the
/// old account is still in place and its bytes are already in the trash. A writer that dies at
/// that moment (here: fails instead of renaming) leaves the old account listed, not a gap.
#[test]
fn forced_replace_keeps_the_old_file_in_place_until_the_new_one_lands() {
    fn crash_after_checking(path: &Path, _bytes: &[u8]) -> Result<(), StoreError> {
        let now = std::fs::read(path).map_err(|e| StoreError::io("read", path, &e))?;
        let trash = path.parent().map(|d| d.join(".trash")).unwrap_or_default();
        let kept: Vec<Vec<u8>> = std::fs::read_dir(&trash)
            .map_err(|e| StoreError::io("read", &trash, &e))?
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read(e.path()).ok())
            .collect();
        if kept != vec![now] {
            return Err(StoreError::new(
                ErrorKind::Io,
                "the trash does not hold exactly the old bytes yet",
            ));
        }
        Err(StoreError::new(
            ErrorKind::Io,
            "simulated crash before the rename",
        ))
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    let a = fixtures::api_key_doc("sk-test-aaaaaaaaaaaaaaaa");
    let b = fixtures::api_key_doc("sk-test-bbbbbbbbbbbbbbbb");
    Store::new(&paths).save("x", &a, false).expect("saved");
    let crashing = Store::with_options(
        &paths,
        Options {
            write: crash_after_checking,
            ..Options::default()
        },
    );
    let err = crashing.save("x", &b, true).expect_err("crashes");
    assert!(err.to_string().contains("simulated crash"), "{err}");
    assert_eq!(Store::new(&paths).read("x").expect("still there"), a);
    // Once the write goes through, the name holds the new bytes and the trash the old ones.
    let saved = Store::new(&paths).save("x", &b, true).expect("forced");
    assert_eq!(Store::new(&paths).read("x").expect("read"), b);
    let old = saved.replaced_to.expect("old copy kept");
    assert_eq!(std::fs::read(old).expect("read"), a.as_bytes());
}

/// A JSON value with random keys and odd shapes (nested, unicode, escapes).
fn arb_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        (-1.0e6..1.0e6f64).prop_map(|f| serde_json::json!(f)),
        ".{0,24}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-zA-Z_]{1,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Renders members in one of several whitespace styles, as hand-written files might be.
pub(crate) fn render_doc(members: &[(String, serde_json::Value)], style: u8) -> String {
    let (open, sep, comma, close) = match style % 4 {
        0 => ("{\n  ", ": ", ",\n  ", "\n}\n"),
        1 => ("{", ":", ",", "}"),
        2 => ("{ ", " : ", " ,\n\t", " }  \n\n"),
        _ => ("\r\n{\r\n    ", ":\t", ",\r\n    ", "\r\n}"),
    };
    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| {
            let key = serde_json::to_string(k).unwrap_or_default();
            let val = if style.is_multiple_of(2) {
                serde_json::to_string_pretty(v).unwrap_or_default()
            } else {
                serde_json::to_string(v).unwrap_or_default()
            };
            format!("{key}{sep}{val}")
        })
        .collect();
    if body.is_empty() {
        return "{}".to_string();
    }
    format!("{open}{}{close}", body.join(comma))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_document_saved_reads_back_byte_identical(
        members in prop::collection::vec(("[a-zA-Z_]{1,12}|auth_mode|tokens|agent_identity", arb_value()), 0..6),
        mode in prop::option::of("[a-zA-Z]{0,12}"),
        style in 0u8..4,
    ) {
        let mut members: Vec<(String, serde_json::Value)> = members;
        if let Some(m) = mode {
            members.insert(0, ("auth_mode".to_string(), serde_json::Value::String(m)));
        }
        // A document with a repeated key is refused (as Codex refuses it): keep the first.
        let mut seen = std::collections::HashSet::new();
        members.retain(|(k, _)| seen.insert(k.clone()));
        let text = render_doc(&members, style);
        let doc = AuthDoc::parse(text.as_bytes()).expect("generated JSON parses");
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store_in(dir.path());
        store.save("acct", &doc, false).expect("saved");
        let path = store.account_path("acct").expect("path");
        prop_assert_eq!(std::fs::read(&path).expect("read"), text.as_bytes());
        let back = store.read("acct").expect("read");
        prop_assert_eq!(back.as_bytes(), text.as_bytes());
    }
}

#[test]
fn stats_split_over_threads_keep_each_files_answer_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    std::fs::create_dir_all(&store.paths().store).expect("store");
    let d = &store.paths().store;
    for i in 0..9 {
        std::fs::write(d.join(format!("f{i}.json")), "x".repeat(i)).expect("write");
    }
    std::fs::create_dir(d.join("f3x.json")).expect("a directory named like an account");
    std::os::unix::fs::symlink(d.join("f8.json"), d.join("f8l.json")).expect("link");
    std::os::unix::fs::symlink(d.join("gone"), d.join("f9.json")).expect("dangling link");
    let files = store.scan().expect("scan");
    let shape = |r: &io::Result<std::fs::Metadata>| {
        r.as_ref()
            .map(|m| (m.is_file(), m.is_dir(), m.len()))
            .map_err(io::Error::kind)
    };
    let one: Vec<_> = files.iter().map(Scanned::metadata).collect();
    for per_thread in [1, 2, 3, 100] {
        let split = stat_all_with(&files, per_thread);
        assert_eq!(split.len(), files.len());
        for (a, b) in one.iter().zip(&split) {
            assert_eq!(shape(a), shape(b), "per_thread {per_thread}");
        }
    }
    // Links are followed: the link to f8 has f8's size; the dangling one is an error.
    let by_name = |n: &str| files.iter().position(|f| f.name == n).expect(n);
    assert_eq!(shape(&one[by_name("f8l")]), Ok((true, false, 8)));
    assert!(one[by_name("f9")].is_err());
    assert_eq!(shape(&one[by_name("f3x")]).map(|s| s.1), Ok(true));
}

#[test]
fn a_listing_sweeps_dead_writers_temps_only_when_the_lock_is_free() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let doc = fixtures::api_key_doc("sk-test-1234567890abcdef");
    store.save("key", &doc, false).expect("save");
    let dead = store.dir().join(".key.json.tmp.4000000000.1.ff");
    let ours = store
        .dir()
        .join(format!(".key.json.tmp.{}.1.ff", std::process::id()));
    for p in [&dead, &ours] {
        std::fs::write(p, b"half a document").expect("write");
    }
    // Someone holds the lock: a writer may be mid-write, so nothing is removed.
    let guard = crate::store::lock::lock(store.paths()).expect("lock");
    assert_eq!(store.list().expect("list").len(), 1);
    assert!(dead.exists() && ours.exists());
    drop(guard);
    // Taking the lock no longer reads the store; the next listing clears the dead writer's file.
    drop(crate::store::lock::lock(store.paths()).expect("lock"));
    assert!(dead.exists());
    assert_eq!(store.list().expect("list").len(), 1);
    assert!(!dead.exists(), "the dead writer's temp is gone");
    assert!(ours.exists(), "a live writer's temp stays");
    assert_eq!(store.read("key").expect("read"), doc);
}
