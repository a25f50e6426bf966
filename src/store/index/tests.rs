//! The index is a cache: whatever happens to the files or to the index itself, a listing must
//! equal what reading every file gives (the oracle below). Each test first checks that the index
//! was really used (a poisoned entry shows through), so it can fail if the key check is wrong.
//!
//! Here: the key check (edits, replacements, renames, links) and the staged listing. The index
//! file's own troubles are in `tests_file.rs`, the account a switch leaves in
//! `tests_leaving.rs`; both share the fixtures and the oracle below.

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
pub(super) fn oracle(store: &Store, live: Option<&AuthDoc>) -> Vec<Row> {
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
pub(super) fn list_settled(store: &Store, live: Option<&AuthDoc>) -> Vec<Row> {
    let later = SystemTime::now() + RACY_MARGIN + Duration::from_secs(5);
    let rows = Listing::scan_at(store, later)
        .map(|l| l.finish(live, Detail::Full))
        .expect("listing");
    shown(&rows)
}

pub(super) fn email_doc(email: &str) -> AuthDoc {
    fixtures::chatgpt_doc(&ChatgptSpec {
        email,
        user_id: email,
        ..ChatgptSpec::default()
    })
}

pub(super) struct Fixture {
    _dir: tempfile::TempDir,
    pub(super) paths: Paths,
    pub(super) store: Store,
}

pub(super) fn fixture(files: &[(&str, &[u8])]) -> Fixture {
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

pub(super) fn index_path(paths: &Paths) -> std::path::PathBuf {
    paths.meta_dir().join(INDEX_FILE)
}

pub(super) fn indexed(paths: &Paths) -> HashMap<String, Cached> {
    read_index(&index_path(paths))
        .expect("a valid index")
        .into_iter()
        .collect()
}

/// Rewrites every indexed email to a marker, to see whether rows come from the index.
pub(super) fn poison(paths: &Paths, version: u32) {
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
pub(super) fn edit_in_place(path: &Path, bytes: &[u8]) {
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
