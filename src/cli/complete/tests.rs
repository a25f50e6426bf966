use super::*;

fn w(line: &str) -> Vec<String> {
    line.split(' ').map(str::to_string).collect()
}

/// Whether a name goes at the last word of `line` (a trailing space = an empty last word).
fn wants_last(line: &str) -> bool {
    let words = w(line);
    wants_name(&words, words.len() - 1)
}

#[test]
fn names_go_where_an_existing_account_is_named() {
    for line in [
        "authdeck switch ",
        "authdeck switch al",
        "authdeck --store /s switch ",
        "authdeck switch --json ",
        "authdeck --timeout 3 switch a",
        "authdeck rename ",
        "authdeck remove wo",
        "authdeck header --account ",
        "authdeck register --json --account a",
        "authdeck provision --account ",
        "authdeck header --account=al",
    ] {
        assert!(wants_last(line), "{line:?}");
    }
}

#[test]
fn names_do_not_go_anywhere_else() {
    for line in [
        "authdeck ",
        "authdeck sw",
        "authdeck switch alice ",
        "authdeck rename alice ",
        "authdeck save ",
        "authdeck add ",
        "authdeck switch --",
        "authdeck switch --store ",
        "authdeck header --format ",
        "authdeck status ",
        "authdeck list --account ",
        "authdeck frobnicate ",
        "authdeck --codex-home ",
    ] {
        assert!(!wants_last(line), "{line:?}");
    }
    assert!(!wants_name(&w("authdeck switch"), 0));
    assert!(!wants_name(&w("authdeck switch"), 5));
}

#[test]
fn bash_equals_splitting_is_undone() {
    let (words, at) = join_equals(&w("authdeck --store = /s switch al"), Some(5));
    assert_eq!(words, w("authdeck --store=/s switch al"));
    assert_eq!(at, Some(3));
    let (words, at) = join_equals(&w("authdeck header --account = al"), Some(4));
    assert_eq!(words, w("authdeck header --account=al"));
    assert_eq!(at, Some(2));
    assert!(wants_name(&words, 2));
    // The cursor right after `=`: the joined word is being completed.
    let mut line = w("authdeck header --account =");
    let (words, at) = join_equals(&line, Some(3));
    assert_eq!(words, w("authdeck header --account="));
    assert_eq!(at, Some(2));
    line.push("x".into());
    assert_eq!(join_equals(&line, Some(1)).1, Some(1));
}

#[test]
fn store_flags_on_the_line_are_found() {
    let words = w("authdeck --store /a switch --codex-home=/c --store ~/b x");
    assert_eq!(option_value(&words, "store").as_deref(), Some("~/b"));
    assert_eq!(option_value(&words, "codex-home").as_deref(), Some("/c"));
    assert_eq!(
        option_value(&w("authdeck switch -- --store /x"), "store"),
        None
    );
    assert_eq!(option_value(&w("authdeck switch --store"), "store"), None);
    assert_eq!(expand_tilde("~/b", Some("/h")), PathBuf::from("/h/b"));
    assert_eq!(expand_tilde("~", Some("/h")), PathBuf::from("/h"));
    assert_eq!(expand_tilde("~bob/x", Some("/h")), PathBuf::from("~bob/x"));
    assert_eq!(expand_tilde("~/b", None), PathBuf::from("~/b"));
}

fn text(shell: Shell) -> String {
    String::from_utf8(script(shell)).expect("utf8")
}

#[test]
fn bash_script_asks_for_names_and_falls_back_to_clap() {
    let s = text(Shell::Bash);
    assert!(s.contains("_authdeck() {"), "clap's function is kept");
    assert!(s.contains("command authdeck __complete-names --at \"$COMP_CWORD\""));
    assert!(s.contains("_authdeck \"$@\""));
    // The wrapper is registered last, so it is the one bash uses.
    let last_complete = s.rfind("complete -F").expect("complete -F");
    assert!(s[last_complete..].starts_with("complete -F _authdeck_with_account_names"));
}

#[test]
fn zsh_script_completes_names_in_exactly_the_marked_places() {
    let s = text(Shell::Zsh);
    assert!(s.starts_with("#compdef authdeck\n"), "{}", &s[..80]);
    assert!(s.contains("_authdeck_account_names() {"));
    assert!(s.contains("__complete-names -- ${(z)BUFFER}"));
    assert!(!s.contains("_users"), "every marker was replaced");
    let uses = s.matches(":_authdeck_account_names'").count();
    // switch, usage, rename (old), remove; --account on register, provision, header.
    assert_eq!(uses, 7, "{s}");
    assert!(s.contains("'::name -- The account to make live"));
    let save = s
        .split("(save)")
        .nth(1)
        .and_then(|rest| rest.split(";;").next())
        .expect("save section");
    assert!(!save.contains("_authdeck_account_names"), "{save}");
}

#[test]
fn fish_script_asks_for_names() {
    let s = text(Shell::Fish);
    assert!(s.contains("function __authdeck_account_names"));
    assert!(s.contains("command authdeck __complete-names --at"));
    assert!(s.contains("-l account -r -f -a \"(__authdeck_account_names)\""));
}

#[test]
fn other_shells_still_get_a_script() {
    for shell in [Shell::Elvish, Shell::PowerShell] {
        let s = text(shell);
        assert!(s.contains("switch"), "{shell}");
        assert!(
            !s.contains(COMPLETE_NAMES),
            "{shell}: not offered as a command"
        );
    }
}

#[test]
fn the_completer_is_never_offered_as_a_command() {
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let s = text(shell);
        let offered = s
            .lines()
            .filter(|l| l.contains(COMPLETE_NAMES))
            .filter(|l| !l.contains("command authdeck __complete-names"))
            .count();
        assert_eq!(offered, 0, "{shell}");
    }
}
