//! Everyday switching through the real binary, hermetic (cleared env, temp HOME and CODEX_HOME):
//! `switch -`, unique and ambiguous prefixes, did-you-mean, exact-name precedence, the same rules
//! for rename / remove / --account, `switch` without a name, and shell completion of names
//! (the completer itself, and bash running the generated script).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use authdeck::codex::fixtures;
use serde_json::Value;

struct Home {
    dir: tempfile::TempDir,
}

/// Accounts `al`, `alice`, `bob`, `work-pro`, `work-team` (API keys); `bob` is live.
fn home() -> Home {
    let h = Home {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir_all(h.store()).unwrap();
    for name in ["al", "alice", "bob", "work-pro", "work-team"] {
        let key = format!("sk-test-{name:x<16}");
        std::fs::write(
            h.store().join(format!("{name}.json")),
            fixtures::api_key_doc(&key).as_bytes(),
        )
        .unwrap();
    }
    std::fs::copy(h.store().join("bob.json"), h.codex().join("auth.json")).unwrap();
    h
}

impl Home {
    fn codex(&self) -> PathBuf {
        self.dir.path().join("codex")
    }
    fn store(&self) -> PathBuf {
        self.codex().join("accounts")
    }
    fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.dir.path().to_path_buf()),
            ("CODEX_HOME", self.codex()),
            ("PATH", PathBuf::from("/usr/bin:/bin")),
        ]
    }
    fn run(&self, args: &[&str]) -> Out {
        Out(common::output_with_stdin(
            common::authdeck(args, self.env()),
            None,
        ))
    }
    /// The account whose bytes are live.
    fn live(&self) -> String {
        let live = std::fs::read(self.codex().join("auth.json")).unwrap();
        ["al", "alice", "bob", "work-pro", "work-team", "alpha"]
            .into_iter()
            .find(|n| {
                std::fs::read(self.store().join(format!("{n}.json"))).ok() == Some(live.clone())
            })
            .unwrap_or("?")
            .to_string()
    }
}

struct Out(Output);

impl Out {
    fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    #[track_caller]
    fn code_is(self, code: i32) -> Self {
        assert_eq!(
            self.code(),
            code,
            "stdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout()).unwrap()
    }
}

#[test]
fn switch_dash_goes_back_and_forth() {
    let h = home();
    let out = h.run(&["switch", "-"]).code_is(1);
    assert!(
        out.stderr().contains("no previous account"),
        "{}",
        out.stderr()
    );
    h.run(&["switch", "alice"]).code_is(0);
    let out = h.run(&["switch", "-"]).code_is(0);
    assert_eq!(h.live(), "bob");
    assert!(
        out.stdout()
            .contains("switched to \"bob\" (from \"alice\")")
    );
    assert!(
        out.stderr().contains("- is the previous account, \"bob\""),
        "{}",
        out.stderr()
    );
    let v = h.run(&["switch", "-", "--json"]).code_is(0).json();
    assert_eq!(h.live(), "alice");
    assert_eq!(v["switched_to"], "alice");
    assert_eq!(v["resolved_from"], "-");
}

#[test]
fn switch_dash_after_the_previous_account_was_removed_changes_nothing() {
    let h = home();
    h.run(&["switch", "alice"]).code_is(0);
    h.run(&["remove", "bob"]).code_is(0);
    let out = h.run(&["switch", "-"]).code_is(1);
    assert!(
        out.stderr()
            .contains("error: the previous account \"bob\" no longer exists"),
        "{}",
        out.stderr()
    );
    assert!(out.stderr().contains("hint: nothing was changed"));
    assert_eq!(h.live(), "alice");
}

#[test]
fn switch_dash_follows_a_rename() {
    let h = home();
    h.run(&["switch", "alice"]).code_is(0);
    h.run(&["rename", "bob", "bobby"]).code_is(0);
    let v = h.run(&["switch", "-", "--json"]).code_is(0).json();
    assert_eq!(v["switched_to"], "bobby");
}

#[test]
fn a_unique_prefix_switches_and_says_which() {
    let h = home();
    let out = h.run(&["switch", "ali"]).code_is(0);
    assert_eq!(h.live(), "alice");
    assert!(
        out.stderr()
            .contains("note: \"ali\" matches only account \"alice\""),
        "{}",
        out.stderr()
    );
    let v = h.run(&["switch", "work-p", "--json"]).code_is(0).json();
    assert_eq!(v["switched_to"], "work-pro");
    assert_eq!(v["resolved_from"], "work-p");
    assert!(h.run(&["switch", "bob", "--json"]).json()["resolved_from"].is_null());
}

#[test]
fn an_exact_name_wins_over_a_longer_match() {
    let h = home();
    let out = h.run(&["switch", "al"]).code_is(0);
    assert_eq!(h.live(), "al");
    assert!(!out.stderr().contains("note:"), "{}", out.stderr());
}

#[test]
fn an_ambiguous_prefix_exits_2_and_lists_candidates() {
    let h = home();
    let out = h.run(&["switch", "work"]).code_is(2);
    assert!(
        out.stderr()
            .contains("error: \"work\" could be 2 accounts: \"work-pro\", \"work-team\""),
        "{}",
        out.stderr()
    );
    assert!(out.stdout().is_empty());
    assert_eq!(h.live(), "bob");
    assert!(!h.store().join(".authdeck/previous.json").exists());
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let h = home();
    let out = h.run(&["switch", "alcie"]).code_is(1);
    assert!(out.stderr().contains("error: no account named \"alcie\""));
    assert!(
        out.stderr().contains("hint: did you mean \"alice\"?"),
        "{}",
        out.stderr()
    );
    let out = h.run(&["remove", "team"]).code_is(1);
    assert!(
        out.stderr().contains("did you mean \"work-team\"?"),
        "{}",
        out.stderr()
    );
    assert_eq!(h.live(), "bob");
}

#[test]
fn rename_remove_and_account_take_prefixes_too() {
    let h = home();
    let v = h
        .run(&["rename", "ali", "alpha", "--json"])
        .code_is(0)
        .json();
    assert_eq!(v["renamed"]["from"], "alice");
    assert_eq!(v["resolved_from"], "ali");
    assert!(h.store().join("alpha.json").exists());
    let out = h
        .run(&["header", "--account", "alp", "--offline"])
        .code_is(0);
    assert_eq!(out.stdout().trim(), "Bearer sk-test-alicexxxxxxxxxxx");
    assert!(
        out.stderr()
            .contains("\"alp\" matches only account \"alpha\"")
    );
    let out = h
        .run(&["header", "--account", "work", "--offline"])
        .code_is(2);
    assert!(
        out.stderr().contains("could be 2 accounts"),
        "{}",
        out.stderr()
    );
    let out = h.run(&["remove", "work-t"]).code_is(0);
    assert!(
        out.stdout().contains("removed \"work-team\""),
        "{}",
        out.stdout()
    );
    assert!(!h.store().join("work-team.json").exists());
    // An ambiguous remove removes nothing.
    h.run(&["remove", "a"]).code_is(2);
    assert!(h.store().join("al.json").exists() && h.store().join("alpha.json").exists());
}

#[test]
fn switch_without_a_name_lists_the_accounts_and_how_to_switch() {
    let h = home();
    h.run(&["switch", "alice"]).code_is(0);
    let out = h.run(&["switch"]).code_is(0);
    let text = out.stdout();
    assert!(text.contains("* alice"), "{text}");
    assert!(text.contains("  bob"), "{text}");
    let hint = text.lines().last().unwrap();
    assert!(
        hint.contains("authdeck switch NAME")
            && hint.contains("authdeck switch -")
            && hint.contains("(\"bob\")")
            && hint.contains("--best"),
        "{hint}"
    );
    let v = h.run(&["switch", "--json"]).code_is(0).json();
    assert_eq!(v["active"], "alice");
    assert_eq!(v["previous"], "bob");
    assert_eq!(v["accounts"].as_array().unwrap().len(), 5);
    assert_eq!(h.live(), "alice", "listing changes nothing");
}

#[test]
fn switch_without_a_name_in_an_empty_store_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let codex = dir.path().join("codex");
    std::fs::create_dir_all(&codex).unwrap();
    let out = Out(common::output_with_stdin(
        common::authdeck(&["switch"], [("HOME", dir.path()), ("CODEX_HOME", &codex)]),
        None,
    ))
    .code_is(0);
    assert!(
        out.stdout().contains("no saved accounts"),
        "{}",
        out.stdout()
    );
    assert!(!out.stdout().contains("authdeck switch -"));
}

// ---------------------------------------------------------------------------------------------
// completion

fn complete(env: &[(&str, &Path)], args: &[&str]) -> Out {
    let mut all = vec!["__complete-names"];
    all.extend_from_slice(args);
    Out(common::output_with_stdin(
        common::authdeck(&all, env.iter().copied()),
        None,
    ))
}

/// A store with junk next to the accounts: nothing of it may be offered.
fn junk(store: &Path) {
    std::fs::create_dir_all(store.join(".trash")).unwrap();
    std::fs::create_dir_all(store.join("folder.json")).unwrap();
    for f in [
        ".trash/gone.20260101T000000_000000Z.json",
        ".hidden.json",
        "bad name.json",
        "notes.txt",
        ".bob.json.tmp.1.2",
    ] {
        std::fs::write(store.join(f), "{}").unwrap();
    }
}

#[test]
fn the_completer_prints_the_store_names_and_nothing_else() {
    let h = home();
    junk(&h.store());
    let codex = h.codex();
    let out = complete(&[("CODEX_HOME", &codex)], &[]).code_is(0);
    assert_eq!(out.stdout(), "al\nalice\nbob\nwork-pro\nwork-team\n");
    assert!(out.stderr().is_empty());
    assert!(!out.stdout().contains("sk-"), "names only, no secret");
}

#[test]
fn the_completer_honours_store_and_codex_home_wherever_they_are_set() {
    let h = home();
    let other = h.dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("zed.json"), "{}").unwrap();
    let codex = h.codex();
    let line = |l: &str| -> Vec<String> { l.split(' ').map(str::to_string).collect() };
    // AUTHDECK_STORE beats CODEX_HOME.
    let out = complete(&[("CODEX_HOME", &codex), ("AUTHDECK_STORE", &other)], &[]);
    assert_eq!(out.stdout(), "zed\n");
    // --store on the line being completed beats both (also as --store=DIR, split by bash).
    let other_s = other.to_str().unwrap();
    for l in [
        format!("authdeck --store {other_s} switch "),
        format!("authdeck switch --store = {other_s} "),
    ] {
        let words = line(&l);
        let at = (words.len() - 1).to_string();
        let mut args = vec!["--at", at.as_str(), "--"];
        args.extend(words.iter().map(String::as_str));
        let out = complete(&[("CODEX_HOME", &codex)], &args).code_is(0);
        assert_eq!(out.stdout(), "zed\n", "{l}");
    }
    // --codex-home on the line, with ~ as the shell would expand it.
    let home_dir = h.dir.path();
    let out = complete(
        &[("HOME", home_dir)],
        &["--", "authdeck", "--codex-home", "~/codex", "remove", ""],
    );
    assert!(out.stdout().starts_with("al\nalice\n"), "{}", out.stdout());
}

#[test]
fn the_completer_is_silent_where_no_name_goes_and_on_errors() {
    let h = home();
    let codex = h.codex();
    let out = complete(
        &[("CODEX_HOME", &codex)],
        &["--at", "2", "--", "authdeck", "save", ""],
    )
    .code_is(1);
    assert!(out.stdout().is_empty() && out.stderr().is_empty());
    let missing = h.dir.path().join("missing");
    let out = complete(&[("CODEX_HOME", &missing)], &[]).code_is(0);
    assert!(out.stdout().is_empty() && out.stderr().is_empty());
    complete(&[], &["--bogus"]).code_is(2);
}

/// Runs the generated bash script for real: `authdeck <words>` with the cursor on the last word.
fn bash_complete(h: &Home, words: &str) -> String {
    let script = h.dir.path().join("authdeck.bash");
    let out = common::output_with_stdin(common::authdeck(&["completions", "bash"], h.env()), None);
    std::fs::write(&script, &out.stdout).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_authdeck")).parent().unwrap();
    let program = format!(
        "source {}\nCOMP_WORDS=({words})\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n\
         _authdeck_with_account_names authdeck \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(program)
        .env_clear()
        .env("HOME", h.dir.path())
        .env("CODEX_HOME", h.codex())
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn bash_completes_account_names_and_still_completes_commands() {
    if std::process::Command::new("bash")
        .arg("-c")
        .arg("true")
        .status()
        .is_err()
    {
        eprintln!("bash is not installed; skipping the end-to-end bash completion test");
        return;
    }
    let h = home();
    assert_eq!(bash_complete(&h, "authdeck switch al"), "al\nalice\n");
    assert_eq!(
        bash_complete(&h, "authdeck header --account wo"),
        "work-pro\nwork-team\n"
    );
    let new_name = bash_complete(&h, "authdeck rename bob ''");
    assert!(
        !new_name.lines().any(|l| l == "alice"),
        "no names for the new name: {new_name}"
    );
    let commands = bash_complete(&h, "authdeck sw");
    assert_eq!(commands, "switch\n", "clap's completion still runs");
}
