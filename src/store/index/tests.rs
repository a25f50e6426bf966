//! The index is a cache: whatever happens to the files or to the index itself, a listing must
//! equal what reading every file gives (the oracle below). Each test first checks that the index
//! was really used (a poisoned entry shows through), so it can fail if the key check is wrong.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::format::IndexFile;
use super::*;
use crate::codex::auth_file::AuthDoc;
use crate::codex::fixtures::{self, ChatgptSpec};
use crate::store::active::{AccountSummary, mark, summarize};
use crate::store::listing::{Detail, Listing};
use crate::store::{Paths, Store, summaries, summaries_brief, summaries_staged};

type Row = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    bool,
);

fn shown(rows: &[AccountSummary]) -> Vec<Row> {
    rows.iter()
        .map(|r| {
            (
                r.name.clone(),
                r.mode.as_ref().map(|m| m.as_str().to_string()),
                r.email.clone(),
                r.who.clone(),
                r.plan.clone(),
                r.problem.clone(),
                r.active,
                r.stale,
            )
        })
        .collect()
}

/// Every file read whole, no index involved.
fn oracle(store: &Store, live: Option<&AuthDoc>) -> Vec<Row> {
    let mut rows: Vec<AccountSummary> = store
        .list()
        .expect("list")
        .into_iter()
        .map(summarize)
        .collect();
    mark(&mut rows, live);
    shown(&rows)
}

/// A listing that treats every existing file as settled (as if it ran a while later).
fn list_settled(store: &Store, live: Option<&AuthDoc>) -> Vec<Row> {
    let later = SystemTime::now() + RACY_MARGIN + Duration::from_secs(5);
    let rows = Listing::scan_at(store, later)
        .map(|l| l.finish(live, Detail::Full))
        .expect("listing");
    shown(&rows)
}

fn email_doc(email: &str) -> AuthDoc {
    fixtures::chatgpt_doc(&ChatgptSpec {
        email,
        user_id: email,
        ..ChatgptSpec::default()
    })
}

struct Fixture {
    _dir: tempfile::TempDir,
    paths: Paths,
    store: Store,
}

fn fixture(files: &[(&str, &[u8])]) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    std::fs::create_dir_all(&paths.store).expect("store");
    for (name, bytes) in files {
        std::fs::write(paths.store.join(format!("{name}.json")), bytes).expect("write");
    }
    let store = Store::new(&paths);
    Fixture {
        _dir: dir,
        paths,
        store,
    }
}

fn index_path(paths: &Paths) -> std::path::PathBuf {
    paths.meta_dir().join(INDEX_FILE)
}

fn indexed(paths: &Paths) -> HashMap<String, Cached> {
    read_index(&index_path(paths))
        .expect("a valid index")
        .into_iter()
        .collect()
}

/// Rewrites every indexed email to a marker, to see whether rows come from the index.
fn poison(paths: &Paths, version: u32) {
    let mut file: IndexFile =
        serde_json::from_slice(&std::fs::read(index_path(paths)).expect("index")).expect("json");
    for (_, cached) in &mut file.entries {
        cached.facts.email = Some("from-the-index@example.com".into());
    }
    file.version = version;
    std::fs::write(index_path(paths), serde_json::to_vec(&file).expect("json")).expect("write");
}

fn from_index(rows: &[Row], name: &str) -> bool {
    rows.iter()
        .any(|r| r.0 == name && r.2.as_deref() == Some("from-the-index@example.com"))
}

/// Changes a file in place until its ctime differs from before (two writes in one clock tick
/// would share it: that racy case is what the margin covers, not what this test checks).
fn edit_in_place(path: &Path, bytes: &[u8]) {
    let before = FileKey::of(&std::fs::metadata(path).expect("stat"));
    for _ in 0..200 {
        std::thread::sleep(Duration::from_millis(5));
        std::fs::write(path, bytes).expect("write");
        if FileKey::of(&std::fs::metadata(path).expect("stat")).ctime != before.ctime {
            return;
        }
    }
    panic!("the file system clock never moved");
}

#[test]
fn unchanged_files_come_from_the_index_and_match_the_files() {
    let work = email_doc("a@example.com");
    let key = fixtures::api_key_doc("sk-test-1234567890abcdef");
    let f = fixture(&[
        ("work", work.as_bytes()),
        ("key", key.as_bytes()),
        ("broken", b"{\"tokens\": "),
    ]);
    assert_eq!(
        list_settled(&f.store, Some(&work)),
        oracle(&f.store, Some(&work))
    );
    let entries = indexed(&f.paths);
    assert_eq!(entries.len(), 3, "every settled file is indexed");
    let mode = std::fs::metadata(index_path(&f.paths))
        .expect("index")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    poison(&f.paths, SUMMARY_LOGIC_VERSION);
    // Brief rows come wholly from the index, without the masked key (the index has none).
    let brief = summaries_brief(&f.store, Some(&work)).expect("brief");
    let key_row = brief.iter().find(|r| r.name == "key").expect("key row");
    assert!(key_row.pending && key_row.who.is_none());
    assert_eq!(key_row.email.as_deref(), Some("from-the-index@example.com"));
    assert!(
        brief
            .iter()
            .find(|r| r.name == "work")
            .is_some_and(|r| r.active)
    );
    // Full rows read the file of a row that shows a masked key, and only that one.
    let rows = list_settled(&f.store, Some(&work));
    assert!(
        from_index(&rows, "work") && from_index(&rows, "broken"),
        "{rows:?}"
    );
    let full = summaries(&f.store, Some(&work)).expect("full");
    let key_row = full.iter().find(|r| r.name == "key").expect("key row");
    assert_eq!(key_row.who.as_deref(), Some("sk-test-***bcdef"));
    assert!(
        !key_row.pending && key_row.email.is_none(),
        "read from its file"
    );
}

#[test]
fn recently_changed_files_are_not_indexed() {
    let f = fixture(&[("work", email_doc("a@example.com").as_bytes())]);
    let rows = summaries(&f.store, None).expect("list");
    assert_eq!(shown(&rows), oracle(&f.store, None));
    assert!(indexed(&f.paths).is_empty(), "written just now: racy");
}

#[test]
fn an_edit_keeping_the_size_is_read_again() {
    let a = email_doc("a@example.com");
    let b = email_doc("b@example.com");
    assert_eq!(a.as_bytes().len(), b.as_bytes().len(), "same size");
    let f = fixture(&[("work", a.as_bytes())]);
    list_settled(&f.store, Some(&a));
    poison(&f.paths, SUMMARY_LOGIC_VERSION);
    assert!(from_index(&list_settled(&f.store, Some(&a)), "work"));
    edit_in_place(&f.paths.store.join("work.json"), b.as_bytes());
    let rows = list_settled(&f.store, Some(&b));
    assert_eq!(rows, oracle(&f.store, Some(&b)));
    assert_eq!(rows[0].2.as_deref(), Some("b@example.com"));
    assert!(rows[0].6, "active again, by the new identity");
}

#[test]
fn a_file_replaced_within_the_same_second_is_read_again() {
    let a = email_doc("a@example.com");
    let b = email_doc("b@example.com");
    let f = fixture(&[("work", a.as_bytes())]);
    let path = f.paths.store.join("work.json");
    list_settled(&f.store, None);
    poison(&f.paths, SUMMARY_LOGIC_VERSION);
    assert!(from_index(&list_settled(&f.store, None), "work"));
    // Replaced by rename, with the old size and the old mtime to the nanosecond.
    let mtime = std::fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    let tmp = f.paths.store.join(".new");
    std::fs::write(&tmp, b.as_bytes()).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&tmp)
        .and_then(|file| file.set_modified(mtime))
        .expect("set mtime");
    std::fs::rename(&tmp, &path).expect("rename");
    let meta = std::fs::metadata(&path).expect("stat");
    assert_eq!(
        (meta.len(), meta.modified().ok()),
        (a.as_bytes().len() as u64, Some(mtime))
    );
    let rows = list_settled(&f.store, None);
    assert_eq!(rows, oracle(&f.store, None));
    assert_eq!(rows[0].2.as_deref(), Some("b@example.com"));
}

#[test]
fn deleted_and_renamed_files() {
    let a = email_doc("a@example.com");
    let b = email_doc("b@example.com");
    let c = email_doc("c@example.com");
    let f = fixture(&[
        ("a", a.as_bytes()),
        ("b", b.as_bytes()),
        ("c", c.as_bytes()),
    ]);
    let at = |n: &str| f.paths.store.join(format!("{n}.json"));
    list_settled(&f.store, Some(&a));
    poison(&f.paths, SUMMARY_LOGIC_VERSION);
    assert!(from_index(&list_settled(&f.store, Some(&a)), "c"));
    std::fs::remove_file(at("c")).expect("delete");
    // a and b swap names: same sizes, each name now holds another file.
    std::fs::rename(at("a"), at("tmp")).expect("rename");
    std::fs::rename(at("b"), at("a")).expect("rename");
    std::fs::rename(at("tmp"), at("b")).expect("rename");
    let rows = list_settled(&f.store, Some(&a));
    assert_eq!(rows, oracle(&f.store, Some(&a)));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].2.as_deref(), Some("b@example.com"));
    assert!(rows[1].6, "b now holds the live account");
    let entries = indexed(&f.paths);
    assert!(
        !entries.contains_key("c"),
        "a deleted file leaves the index"
    );
}

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

#[test]
fn a_staged_listing_shows_names_then_completes() {
    let docs: Vec<AuthDoc> = (0..6)
        .map(|i| email_doc(&format!("user{i}@example.com")))
        .collect();
    let files: Vec<(String, &[u8])> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("acct-{i}"), d.as_bytes()))
        .collect();
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let f = fixture(&named);
    let mut staged = None;
    let rows = summaries_staged(&f.store, Some(&docs[5]), 2, |s| staged = Some(s)).expect("staged");
    assert_eq!(shown(&rows), oracle(&f.store, Some(&docs[5])));
    let staged = staged.expect("a stage while files were unread");
    assert_eq!(staged.len(), 6);
    assert!(staged[..2].iter().all(|r| !r.pending && r.email.is_some()));
    assert!(staged[2..].iter().all(|r| r.pending && r.email.is_none()));
    assert!(
        staged.iter().all(|r| !r.active),
        "no marks before every row is known"
    );
    // A warm index: the first rows come from it after one directory read and two `stat`s;
    // the rest are names until they are stat'd.
    list_settled(&f.store, None);
    poison(&f.paths, SUMMARY_LOGIC_VERSION);
    let mut warm = None;
    let rows = summaries_staged(&f.store, None, 2, |s| warm = Some(s)).expect("staged");
    let warm = warm.expect("names first, even when the index knows every file");
    assert!(
        warm[..2]
            .iter()
            .all(|r| !r.pending && r.email.as_deref() == Some("from-the-index@example.com"))
    );
    assert!(warm[2..].iter().all(|r| r.pending && r.email.is_none()));
    assert!(
        from_index(&shown(&rows), "acct-5"),
        "the rest from the index too"
    );
    // No more rows than the screen holds: no stage at all.
    let mut again = false;
    summaries_staged(&f.store, None, 6, |_| again = true).expect("staged");
    assert!(!again);
}

#[test]
fn the_account_being_left_agrees_with_reading_every_file() {
    use crate::store::leaving::{LiveMarks, account_being_left, by_index};
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
    let shortcut = |live: &AuthDoc| by_index(&f.store, &LiveMarks::of(Some(live))).is_some();
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
    use crate::store::leaving::{LiveMarks, account_being_left, by_index};
    let (f, [alice, bob, carol]) = three_people();
    let shortcut = |live: &AuthDoc| by_index(&f.store, &LiveMarks::of(Some(live))).is_some();
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

#[test]
fn a_linked_account_file_follows_its_target() {
    // Regular files are stat'd relative to the store directory, links through their path: a
    // link's row must follow what it points at, also when only the target changes.
    let a = email_doc("a@example.com");
    let b = email_doc("b@example.com");
    let f = fixture(&[("plain", a.as_bytes())]);
    let outside = f.paths.codex_home.join("elsewhere.json");
    std::fs::write(&outside, a.as_bytes()).expect("write");
    std::os::unix::fs::symlink(&outside, f.paths.store.join("linked.json")).expect("symlink");
    assert_eq!(list_settled(&f.store, None), oracle(&f.store, None));
    assert_eq!(indexed(&f.paths).len(), 2);
    poison(&f.paths, SUMMARY_LOGIC_VERSION);
    let rows = list_settled(&f.store, None);
    assert!(from_index(&rows, "linked") && from_index(&rows, "plain"));
    // The target changes in place; the link itself does not.
    edit_in_place(&outside, b.as_bytes());
    let rows = list_settled(&f.store, None);
    assert!(!from_index(&rows, "linked"), "read again: {rows:?}");
    assert_eq!(
        rows[0],
        oracle(&f.store, None)[0],
        "the target's new content"
    );
    assert_eq!(rows[0].2.as_deref(), Some("b@example.com"));
}
