//! The index file itself, whatever happens to it: corrupt, from another version or release,
//! written by two listings at once, impossible to write, and never holding key material. The
//! listing must still equal the oracle; the fixtures and the oracle are in `tests.rs`.

use std::os::unix::fs::PermissionsExt as _;

use super::tests::{email_doc, fixture, index_path, indexed, list_settled, oracle, poison};
use super::*;
use crate::codex::auth_file::AuthDoc;
use crate::codex::fixtures;

#[test]
fn a_corrupt_index_is_ignored_and_rebuilt() {
    let a = email_doc("a@example.com");
    let f = fixture(&[("a", a.as_bytes()), ("b", b"not json")]);
    list_settled(&f.store, None);
    for junk in [&b"{\"format\": "[..], b"", b"[1,2,3]", &[0xff, 0xfe, 0x00]] {
        std::fs::write(index_path(&f.paths), junk).expect("write");
        assert_eq!(list_settled(&f.store, Some(&a)), oracle(&f.store, Some(&a)));
        assert_eq!(indexed(&f.paths).len(), 2, "rebuilt");
    }
}

#[test]
fn an_index_from_another_version_is_ignored() {
    let a = email_doc("a@example.com");
    let f = fixture(&[("a", a.as_bytes())]);
    list_settled(&f.store, None);
    poison(&f.paths, SUMMARY_LOGIC_VERSION + 1);
    assert_eq!(list_settled(&f.store, None), oracle(&f.store, None));
    assert_eq!(read_index(&index_path(&f.paths)).map(|e| e.len()), Some(1));
    // Another authdeck release, same logic version: ignored too.
    poison(&f.paths, SUMMARY_LOGIC_VERSION);
    let text = std::fs::read_to_string(index_path(&f.paths)).expect("index");
    let other = text.replace(env!("CARGO_PKG_VERSION"), "0.0.0-older");
    std::fs::write(index_path(&f.paths), other).expect("write");
    assert_eq!(list_settled(&f.store, None), oracle(&f.store, None));
}

#[test]
fn two_writers_at_once_leave_a_valid_index() {
    let docs: Vec<AuthDoc> = (0..40)
        .map(|i| email_doc(&format!("user{i:02}@example.com")))
        .collect();
    let files: Vec<(String, &[u8])> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("acct-{i:02}"), d.as_bytes()))
        .collect();
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let f = fixture(&named);
    // Edits change the size, so they are told apart even within one clock tick.
    let edits: Vec<AuthDoc> = (0..10)
        .map(|i| email_doc(&format!("changed-{i:02}@example.org")))
        .collect();
    std::thread::scope(|s| {
        for t in 0..4 {
            let (store, docs, edits) = (&f.store, &docs, &edits);
            s.spawn(move || {
                for round in 0..10 {
                    let live = &docs[(t + round) % docs.len()];
                    list_settled(store, Some(live));
                    if t == 0 {
                        // Meanwhile, accounts change under the writers.
                        let path = store.dir().join(format!("acct-{round:02}.json"));
                        std::fs::write(path, edits[round].as_bytes()).expect("write");
                    }
                }
            });
        }
    });
    assert!(read_index(&index_path(&f.paths)).is_some(), "whole, valid");
    let leftovers = std::fs::read_dir(f.paths.meta_dir())
        .expect("meta dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != INDEX_FILE)
        .count();
    assert_eq!(leftovers, 0, "no temporary files left");
    for live in [&docs[0], &docs[39], &edits[3]] {
        assert_eq!(
            list_settled(&f.store, Some(live)),
            oracle(&f.store, Some(live))
        );
    }
}

#[test]
fn a_store_where_the_index_cannot_be_written_still_lists() {
    let a = email_doc("a@example.com");
    let f = fixture(&[("a", a.as_bytes()), ("b", b"{")]);
    // `.authdeck` is a file: no index can be created (holds even for root).
    std::fs::write(f.paths.meta_dir(), b"in the way").expect("write");
    assert_eq!(list_settled(&f.store, Some(&a)), oracle(&f.store, Some(&a)));
    assert!(f.paths.meta_dir().is_file());
    std::fs::remove_file(f.paths.meta_dir()).expect("remove");
    // A read-only store directory (not enforced for a privileged user, who may write anyway).
    std::fs::set_permissions(&f.paths.store, std::fs::Permissions::from_mode(0o500))
        .expect("chmod");
    let rows = list_settled(&f.store, Some(&a));
    let enforced = std::fs::create_dir(f.paths.store.join("probe")).is_err();
    std::fs::set_permissions(&f.paths.store, std::fs::Permissions::from_mode(0o700))
        .expect("chmod");
    assert_eq!(rows, oracle(&f.store, Some(&a)));
    if enforced {
        assert!(!f.paths.meta_dir().exists(), "nothing written");
    }
}

#[test]
fn the_index_holds_no_key_material() {
    let secret = "sk-proj-SECRETabcdefghijklmnop12345";
    let key = fixtures::api_key_doc(secret);
    let f = fixture(&[("key", key.as_bytes())]);
    let rows = list_settled(&f.store, Some(&key));
    assert!(rows[0].6, "active by the key's fingerprint");
    let text = std::fs::read_to_string(index_path(&f.paths)).expect("index");
    for part in [secret, "SECRET", "mnop12345", "***", "sk-proj"] {
        assert!(!text.contains(part), "{part} in {text}");
    }
    let entry = &indexed(&f.paths)["key"];
    assert!(entry.facts.who.is_none() && entry.facts.who_from_file);
}
