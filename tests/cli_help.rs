//! Help, completions and the man page: what a new user reads first. Help texts are snapshots
//! (a change is a reviewed change), every command the help lists is documented in the README,
//! and completions / man output are real scripts and roff, not empty.

use std::process::Command;

fn authdeck(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_authdeck"))
        .args(args)
        .env_clear()
        .env("HOME", "/nonexistent-authdeck-test-home")
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// The subcommand names `authdeck --help` lists.
fn commands() -> Vec<String> {
    let (help, _) = authdeck(&["--help"]);
    let section = help.split("Commands:").nth(1).expect("a Commands section");
    let section = section.split("\n\n").next().unwrap_or_default();
    section
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn top_level_help() {
    let (help, code) = authdeck(&["--help"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("help", help);
}

#[test]
fn every_command_has_help_with_examples_where_it_matters() {
    let cmds = commands();
    assert!(cmds.len() >= 15, "{cmds:?}");
    for cmd in &cmds {
        let (help, code) = authdeck(&[cmd, "--help"]);
        assert_eq!(code, 0, "{cmd}");
        insta::assert_snapshot!(format!("help_{cmd}"), help);
    }
    for cmd in [
        "status",
        "register",
        "header",
        "provision",
        "mock-backend",
        "add",
        "switch",
    ] {
        let (help, _) = authdeck(&[cmd, "--help"]);
        assert!(help.contains("Example"), "`{cmd} --help` shows examples");
    }
}

#[test]
fn every_command_in_help_is_in_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for cmd in commands() {
        assert!(
            readme.contains(&format!("`authdeck {cmd}")),
            "README does not document `authdeck {cmd}`"
        );
    }
    for flag in [
        "--demo",
        "--version",
        "--offline",
        "--timeout",
        "--codex-home",
        "--store",
        "--json",
    ] {
        assert!(readme.contains(flag), "README does not mention {flag}");
    }
}

#[test]
fn completions_and_man_page_are_real() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef authdeck"),
        ("fish", "complete -c authdeck"),
    ] {
        let (out, code) = authdeck(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(
            out.contains(marker),
            "{shell} completions: {}",
            &out[..out.len().min(200)]
        );
        assert!(
            out.contains("switch") && out.contains("provision"),
            "{shell} completes subcommands"
        );
    }
    let (man, code) = authdeck(&["man"]);
    assert_eq!(code, 0);
    assert!(
        man.starts_with(".ie") || man.contains(".TH authdeck"),
        "roff: {}",
        &man[..man.len().min(200)]
    );
    assert!(man.contains("provision"));
}

#[test]
fn usage_errors_exit_2_and_version_names_the_locations() {
    let (_, code) = authdeck(&["frobnicate"]);
    assert_eq!(code, 2);
    let (_, code) = authdeck(&["status", "--timeout", "-3"]);
    assert_eq!(code, 2);
    let (out, code) = authdeck(&["--version", "--codex-home", "/tmp"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(concat!("authdeck ", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    assert!(
        out.contains("log file:") && out.contains("store:") && out.contains("/tmp/accounts"),
        "{out}"
    );
}
