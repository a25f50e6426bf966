//! The account a switch leaves, found through the index (`store::leaving`): the shortcut must
//! agree with reading every file, vouch only while the accounts it names are unchanged, and
//! check the permissions of exactly the files a switch touches. The fixtures and the oracle
//! are in `tests.rs`.

use std::os::unix::fs::PermissionsExt as _;

use super::tests::{
    Fixture, edit_in_place, email_doc, fixture, index_path, indexed, list_settled, oracle,
};
use crate::codex::auth_file::AuthDoc;
use crate::codex::fixtures::{self, ChatgptSpec};

#[test]
fn the_account_being_left_agrees_with_reading_every_file() {
    use crate::store::leaving::{LiveMarks, account_being_left, by_index, index_bytes};
    let generation = |g: u32, at: &str| {
        fixtures::chatgpt_doc(&ChatgptSpec {
            generation: g,
            last_refresh: at,
            ..ChatgptSpec::default()
        })
    };
    let old = generation(1, "2026-01-01T00:00:00Z");
    let new = generation(2, "2026-02-01T00:00:00Z");
    let key = fixtures::api_key_doc("sk-test-1234567890abcdef");
    let other = email_doc("a@example.com");
    let f = fixture(&[
        ("a-old", old.as_bytes()),
        ("b-copy", old.as_bytes()),
        ("c-new", new.as_bytes()),
        ("d-key", key.as_bytes()),
        ("e-other", other.as_bytes()),
        ("f-broken", b"{"),
    ]);
    let active = |live: &AuthDoc| {
        oracle(&f.store, Some(live))
            .into_iter()
            .find(|r| r.6)
            .map(|r| r.0)
    };
    let shortcut = |live: &AuthDoc| {
        let marks = LiveMarks::of(Some(live));
        by_index(&f.store, &marks, index_bytes(&f.store, &marks).as_deref()).is_some()
    };
    let newest = generation(3, "2026-03-01T00:00:00Z");
    let stranger = email_doc("z@example.com");
    let lives = [&old, &new, &key, &newest, &other, &stranger];
    // No index yet: every file is read, and the answer is the listing's.
    for live in lives {
        assert!(!shortcut(live));
        let left = account_being_left(&f.store, live).expect("left");
        assert_eq!(left, active(live));
    }
    list_settled(&f.store, None);
    assert_eq!(indexed(&f.paths).len(), 6);
    for live in lives {
        let left = account_being_left(&f.store, live).expect("left");
        assert_eq!(left, active(live));
        // The index vouches whenever an indexed account holds the live identity.
        assert_eq!(shortcut(live), *live != stranger, "{left:?}");
    }
    assert_eq!(
        account_being_left(&f.store, &new).expect("left").as_deref(),
        Some("c-new")
    );
    // Edited behind the index's back: e-other now holds the newest tokens of the account that
    // a-old, b-copy and c-new hold. Its entry no longer matches, so a live file that matched
    // its old identity is found by reading every file...
    edit_in_place(&f.paths.store.join("e-other.json"), newest.as_bytes());
    assert!(!shortcut(&other));
    assert_eq!(account_being_left(&f.store, &other).expect("left"), None);
    assert_eq!(active(&other), None);
    for live in [&old, &new, &key, &stranger] {
        let left = account_being_left(&f.store, live).expect("left");
        assert_eq!(left, active(live));
    }
    // ...while for its new identity the index still vouches for c-new, an unchanged holder of
    // the same account: the one case where the switch leaves another copy than the one `list`
    // marks (the byte-equal, edited file). The live tokens are synced into c-new; none is lost.
    assert!(shortcut(&newest));
    assert_eq!(
        account_being_left(&f.store, &newest)
            .expect("left")
            .as_deref(),
        Some("c-new")
    );
    assert_eq!(active(&newest).as_deref(), Some("e-other"));
}

/// Accounts `a`, `b` and `c`, each another person's login.
fn three_people() -> (Fixture, [AuthDoc; 3]) {
    let docs = ["a", "b", "c"].map(|n| email_doc(&format!("{n}@example.com")));
    let f = fixture(&[
        ("a", docs[0].as_bytes()),
        ("b", docs[1].as_bytes()),
        ("c", docs[2].as_bytes()),
    ]);
    (f, docs)
}

#[test]
fn the_index_vouches_only_while_the_accounts_it_names_are_unchanged() {
    use crate::store::leaving::{LiveMarks, account_being_left, by_index, index_bytes};
    let (f, [alice, bob, carol]) = three_people();
    let shortcut = |live: &AuthDoc| {
        let marks = LiveMarks::of(Some(live));
        by_index(&f.store, &marks, index_bytes(&f.store, &marks).as_deref()).is_some()
    };
    let left = |live: &AuthDoc| account_being_left(&f.store, live).expect("left");
    list_settled(&f.store, None);
    assert!(shortcut(&alice) && shortcut(&bob) && shortcut(&carol));

    // Deleted: the index would name a file that is gone.
    std::fs::remove_file(f.paths.store.join("a.json")).expect("rm");
    assert!(!shortcut(&alice));
    assert_eq!(left(&alice), None);

    // Renamed: the entry's name no longer exists, the new name is not indexed.
    std::fs::rename(f.paths.store.join("b.json"), f.paths.store.join("b2.json")).expect("mv");
    assert!(!shortcut(&bob));
    assert_eq!(left(&bob).as_deref(), Some("b2"));

    // Replaced by another file under the same name (another inode), same size and bytes.
    let tmp = f.paths.store.join("c.tmp");
    std::fs::write(&tmp, carol.as_bytes()).expect("write");
    std::fs::rename(&tmp, f.paths.store.join("c.json")).expect("replace");
    assert!(!shortcut(&carol));
    assert_eq!(left(&carol).as_deref(), Some("c"));

    // A file added by hand that is the only holder of the live identity.
    let dave = email_doc("d@example.com");
    std::fs::write(f.paths.store.join("d.json"), dave.as_bytes()).expect("write");
    assert!(!shortcut(&dave));
    assert_eq!(left(&dave).as_deref(), Some("d"));

    // A corrupt index vouches for nothing; the answer is still right.
    list_settled(&f.store, None);
    assert!(shortcut(&dave));
    std::fs::write(index_path(&f.paths), b"{\"format\": 1").expect("corrupt");
    assert!(!shortcut(&dave));
    assert_eq!(left(&dave).as_deref(), Some("d"));
}

#[test]
fn the_shortcut_checks_the_permissions_of_the_files_a_switch_touches() {
    use crate::store::leaving::leaving;
    let (f, [alice, ..]) = three_people();
    let open = |name: &str| {
        let path = f.paths.store.join(format!("{name}.json"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        path
    };
    let (pa, pb, _pc) = (open("a"), open("b"), open("c"));
    list_settled(&f.store, None);
    let found = leaving(&f.store, Some(&alice), Some("b")).expect("leaving");
    assert_eq!(found.from.as_deref(), Some("a"));
    let mut files: Vec<_> = found.open_files.into_iter().map(|(p, _)| p).collect();
    files.sort();
    assert_eq!(
        files,
        vec![pa.clone(), pb],
        "the account left and the target, not c"
    );
    // Without a live identity nothing is looked up: only the target is checked.
    let found = leaving(&f.store, None, Some("a")).expect("leaving");
    assert_eq!(found.from, None);
    assert_eq!(found.open_files, vec![(pa, 0o644)]);
}
