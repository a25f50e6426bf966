use super::*;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

const STORE: &[&str] = &["al", "alice", "bob", "personal", "work-pro", "work-team"];

#[test]
fn an_exact_name_wins_over_being_a_prefix() {
    let r = resolve_among(&names(STORE), "al").expect("al");
    assert_eq!(r, Resolved::exact("al"));
    assert_eq!(r.resolved_from(), None);
    assert_eq!(r.note(), None);
}

#[test]
fn a_unique_prefix_resolves_and_says_so() {
    let r = resolve_among(&names(STORE), "ali").expect("ali");
    assert_eq!(r.name, "alice");
    assert_eq!(r.matched, Matched::Prefix);
    assert_eq!(r.resolved_from(), Some("ali"));
    let note = r.note().expect("a note");
    assert!(
        note.contains("\"ali\"") && note.contains("\"alice\""),
        "{note}"
    );
    assert_eq!(
        resolve_among(&names(STORE), "p").expect("p").name,
        "personal"
    );
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates() {
    let err = resolve_among(&names(STORE), "work").expect_err("ambiguous");
    assert_eq!(
        err,
        NameError::Ambiguous {
            typed: "work".into(),
            candidates: names(&["work-pro", "work-team"]),
        }
    );
    let paths = Paths::in_codex_home("/h");
    let e = err.located(&paths);
    assert_eq!(e.kind(), ErrorKind::AmbiguousName);
    assert!(e.message().contains("\"work-pro\", \"work-team\""), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains("nothing was changed")));
    // "a" starts al and alice: ambiguous, although one of them is short.
    assert!(matches!(
        resolve_among(&names(STORE), "a"),
        Err(NameError::Ambiguous { candidates, .. }) if candidates.len() == 2
    ));
}

#[test]
fn ambiguity_messages_are_capped() {
    let many: Vec<String> = (0..30).map(|i| format!("acct{i:02}")).collect();
    let e = resolve_among(&many, "acct")
        .expect_err("ambiguous")
        .located(&Paths::in_codex_home("/h"));
    assert!(e.message().contains("30 accounts"), "{e}");
    assert!(e.message().ends_with("and 22 more"), "{e}");
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let list = names(STORE);
    for (typed, expected) in [
        ("alcie", vec!["alice"]),
        ("bbo", vec!["bob"]),
        ("persnal", vec!["personal"]),
        ("Alice", vec!["alice"]),
        ("team", vec!["work-team"]),
        ("zzz", vec![]),
        ("x", vec![]),
    ] {
        let err = resolve_among(&list, typed).expect_err(typed);
        let NameError::Unknown { suggestions, .. } = &err else {
            panic!("{typed}: {err:?}");
        };
        assert_eq!(suggestions, &names(&expected), "{typed}");
        let e = err.located(&Paths::in_codex_home("/h"));
        assert_eq!(e.kind(), ErrorKind::AccountNotFound);
        assert!(e.message().contains(typed), "{e}");
        assert!(e.message().contains("/h/accounts"), "{e}");
        let hint = e.hint().expect("hint");
        if expected.is_empty() {
            assert!(hint.contains("authdeck list"), "{hint}");
        } else {
            assert!(hint.starts_with("did you mean \""), "{hint}");
        }
    }
}

#[test]
fn several_suggestions_read_naturally() {
    let list = names(&["bob", "bobby", "rob", "job", "zed"]);
    assert_eq!(suggestions(&list, "bo"), names(&["bob", "bobby"]));
    let e = resolve_among(&list, "cob")
        .expect_err("unknown")
        .located(&Paths::in_codex_home("/h"));
    assert_eq!(e.hint(), Some("did you mean \"bob\", \"job\" or \"rob\"?"));
}

#[test]
fn an_empty_store_says_how_to_fill_it() {
    let e = resolve_among(&[], "work")
        .expect_err("unknown")
        .located(&Paths::in_codex_home("/h"));
    assert!(e.hint().is_some_and(|h| h.contains("authdeck save")), "{e}");
}

#[test]
fn an_invalid_name_is_refused_before_matching() {
    for typed in ["", ".hidden", "a/b", "a\u{1b}[2J"] {
        let err = resolve_among(&names(STORE), typed).expect_err(typed);
        let NameError::Invalid(e) = err else {
            panic!("{typed}: {err:?}");
        };
        assert_eq!(e.kind(), ErrorKind::InvalidName);
    }
}

#[test]
fn names_come_from_the_directory_without_junk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    assert!(account_names(&paths).expect("missing store").is_empty());
    let store = &paths.store;
    std::fs::create_dir_all(store.join(".trash")).expect("mkdir");
    std::fs::create_dir_all(store.join("dir.json")).expect("mkdir");
    for f in [
        "b.json",
        "a.json",
        "broken.json",
        ".hidden.json",
        "notes.txt",
        "bad name.json",
        ".trash/gone.20260101T000000_000000Z.json",
        ".a.json.tmp.1.2",
    ] {
        std::fs::write(store.join(f), "{}").expect("write");
    }
    std::os::unix::fs::symlink(store.join("a.json"), store.join("link.json")).expect("link");
    std::os::unix::fs::symlink(store.join("dir.json"), store.join("dirlink.json")).expect("link");
    assert_eq!(
        account_names(&paths).expect("names"),
        names(&["a", "b", "broken", "link"])
    );
}

#[test]
fn resolving_in_a_store_checks_the_file_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = Paths::in_codex_home(dir.path());
    std::fs::create_dir_all(&paths.store).expect("mkdir");
    for n in ["al", "alice", "bob"] {
        std::fs::write(paths.store.join(format!("{n}.json")), "{}").expect("write");
    }
    assert_eq!(resolve_account(&paths, "al").expect("al").name, "al");
    assert_eq!(resolve_account(&paths, "ali").expect("ali").name, "alice");
    assert_eq!(resolve_account(&paths, "b").expect("b").name, "bob");
    let e = resolve_account(&paths, "alx").expect_err("unknown");
    assert_eq!(e.kind(), ErrorKind::AccountNotFound);
    assert!(e.hint().is_some_and(|h| h.contains("\"al\"")), "{e}");
}
