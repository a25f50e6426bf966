//! Shell completion of account names: `authdeck completions SHELL` and the hidden
//! `authdeck __complete-names` the generated scripts call.
//!
//! clap_complete writes the static part (subcommands, flags); account names change all the time,
//! so each script also asks the binary at completion time. The hidden command only lists the
//! store directory (no account file is opened: fast with thousands of accounts, and nothing
//! secret can leak) and honours `--store` / `--codex-home` typed on the line being completed as
//! well as `AUTHDECK_STORE` / `CODEX_HOME`. Given the words of that line and the index of the
//! word under the cursor (`--at N`), it also decides whether an account name goes there and
//! exits 1 silently when not, so the bash and fish glue stays a few lines and the rules live
//! here, tested, once for every shell. zsh places names through `_arguments` itself: the
//! positions are marked in the command tree before generation.
//!
//! Where names go: the first argument of `switch`, `rename` and `remove`, every argument of
//! `usage`, and the value of `--account`.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, Command, CommandFactory as _, Parser as _, ValueHint};
use clap_complete::Shell;

use super::{Cli, Ctx, Env, Exit};

/// Subcommands whose positional argument number `.1` (`None`: every one) is an account name.
const NAME_POSITIONALS: &[(&str, Option<usize>)] = &[
    ("switch", Some(0)),
    ("rename", Some(0)),
    ("remove", Some(0)),
    ("usage", None),
];

/// The option whose value is an account name (register, provision, header).
const NAME_OPTION: &str = "account";

/// The zsh function that lists the names (inserted into the generated script).
const ZSH_COMPLETER: &str = "_authdeck_account_names";

/// The hidden command the scripts call. Parsed before (and apart from) [`Cli`], so no
/// completion script or help ever lists it.
pub const COMPLETE_NAMES: &str = "__complete-names";

#[derive(Debug, Clone, clap::Parser)]
#[command(name = "authdeck __complete-names", disable_help_subcommand = true)]
pub struct CompleteNamesArgs {
    /// Index in WORDS of the word being completed: print names only if an account name goes
    /// there, else exit 1
    #[arg(long, value_name = "N")]
    pub at: Option<usize>,
    /// The command line being completed, from the program name on
    #[arg(last = true, value_name = "WORDS")]
    pub words: Vec<String>,
}

/// `authdeck __complete-names …` (`args` starts with the command's own name): one account
/// name per line. Never prints an error: a completion must not write into the user's prompt.
pub fn main(args: &[OsString], env: Env) -> Exit {
    let Ok(parsed) = CompleteNamesArgs::try_parse_from(args) else {
        return Exit::Usage;
    };
    let ctx = Ctx {
        json: false,
        offline: true,
        timeout: Duration::from_secs(1),
        timeout_given: false,
        codex_home: None,
        store: None,
        env,
    };
    complete_names(&ctx, &parsed)
}

/// The names for `args`, printed to stdout; `Exit::Error` when no name goes at `--at`.
pub fn complete_names(ctx: &Ctx, args: &CompleteNamesArgs) -> Exit {
    let (words, at) = join_equals(&args.words, args.at);
    if let Some(at) = at
        && !wants_name(&words, at)
    {
        return Exit::Error;
    }
    let mut ctx = ctx.clone();
    let home = ctx.env.var("HOME");
    if let Some(v) = option_value(&words, "codex-home") {
        ctx.codex_home = Some(expand_tilde(&v, home.as_deref()));
    }
    if let Some(v) = option_value(&words, "store") {
        ctx.store = Some(expand_tilde(&v, home.as_deref()));
    }
    // A completion must never print an error into the user's prompt: no store, no names.
    let names = crate::ops::accounts::names(&ctx).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    for n in names {
        let _ = writeln!(out, "{n}");
    }
    Exit::Ok
}

/// bash splits `--store=/x` into `--store`, `=`, `/x`; put them back together (and move `at`).
fn join_equals(words: &[String], at: Option<usize>) -> (Vec<String>, Option<usize>) {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut new_at = at;
    let mut i = 0;
    while i < words.len() {
        match out.last_mut() {
            Some(prev) if words[i] == "=" && prev.starts_with("--") && !prev.contains('=') => {
                prev.push('=');
                // The value after `=` is absent when the cursor sits right after the `=`.
                let consumed = match words.get(i + 1) {
                    Some(v) => {
                        prev.push_str(v);
                        2
                    }
                    None => 1,
                };
                if let Some(a) = at {
                    if (i..i + consumed).contains(&a) {
                        new_at = Some(out.len() - 1);
                    } else if a >= i + consumed {
                        new_at = new_at.map(|n| n - consumed);
                    }
                }
                i += consumed;
            }
            _ => {
                out.push(words[i].clone());
                i += 1;
            }
        }
    }
    (out, new_at)
}

/// The value of `--name VALUE` or `--name=VALUE` in `words` (the last one wins, as in clap).
fn option_value(words: &[String], name: &str) -> Option<String> {
    let flag = format!("--{name}");
    let prefix = format!("--{name}=");
    let mut found = None;
    let mut iter = words.iter().skip(1);
    while let Some(w) = iter.next() {
        if w == "--" {
            break;
        }
        if *w == flag {
            found = iter.next().cloned();
        } else if let Some(v) = w.strip_prefix(&prefix) {
            found = Some(v.to_string());
        }
    }
    found.filter(|v| !v.is_empty())
}

/// `~` and `~/x` as the shell would have expanded them had the line been run.
fn expand_tilde(value: &str, home: Option<&str>) -> PathBuf {
    match (value.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            PathBuf::from(format!("{home}{rest}"))
        }
        _ => PathBuf::from(value),
    }
}

/// Whether the long option `word` (`--x`, not `--x=v`) takes a value in `cmd`.
fn takes_value(cmd: &Command, word: &str) -> bool {
    let Some(long) = word.strip_prefix("--") else {
        return false;
    };
    cmd.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .is_some_and(|a| a.get_action().takes_values())
}

/// Whether an account name goes at `words[at]` (`words[0]` is the program).
pub fn wants_name(words: &[String], at: usize) -> bool {
    if at == 0 || at >= words.len() {
        return false;
    }
    let mut root = Cli::command();
    root.build();
    let mut sub: Option<&Command> = None;
    let mut positionals = 0;
    let mut raw = false;
    let mut i = 1;
    while i < at {
        let w = &words[i];
        let cmd = sub.unwrap_or(&root);
        if !raw && w == "--" {
            raw = true;
        } else if !raw && w.starts_with('-') && w.len() > 1 {
            if !w.contains('=') && takes_value(cmd, w) {
                i += 1; // its value
            }
        } else if sub.is_none() {
            sub = root.find_subcommand(w);
            if sub.is_none() {
                return false;
            }
        } else {
            positionals += 1;
        }
        i += 1;
    }
    let Some(sub) = sub else {
        return false;
    };
    let cur = &words[at];
    let prev = &words[at - 1];
    let option_value = (*prev == format!("--{NAME_OPTION}")
        || cur.starts_with(&format!("--{NAME_OPTION}=")))
        && sub.get_arguments().any(is_name_option);
    if option_value {
        return true;
    }
    let after_option = !raw && prev.starts_with("--") && takes_value(sub, prev);
    if after_option || (!raw && cur.starts_with('-')) {
        return false;
    }
    NAME_POSITIONALS
        .iter()
        .any(|(name, index)| *name == sub.get_name() && index.is_none_or(|n| n == positionals))
}

fn is_name_option(a: &Arg) -> bool {
    a.get_long() == Some(NAME_OPTION)
}

/// The command tree with every account-name position marked by a value hint zsh renders as a
/// function we can find: `Username` (no authdeck argument uses it otherwise).
fn marked_for_zsh(mut cmd: Command) -> Command {
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(&name, |mut sub| {
            let positional_ids: Vec<String> = sub
                .get_positionals()
                .map(|a| a.get_id().to_string())
                .collect();
            for (i, id) in positional_ids.iter().enumerate() {
                let marked = NAME_POSITIONALS
                    .iter()
                    .any(|(n, index)| *n == name && index.is_none_or(|k| k == i));
                if marked {
                    sub = sub.mut_arg(id, |a| a.value_hint(ValueHint::Username));
                }
            }
            if sub.get_arguments().any(is_name_option) {
                sub = sub.mut_arg(NAME_OPTION, |a| a.value_hint(ValueHint::Username));
            }
            sub
        });
    }
    cmd
}

const BASH_GLUE: &str = r#"
# Account names (authdeck asks itself; names only, nothing secret).
_authdeck_with_account_names() {
    local names
    if names="$(command authdeck __complete-names --at "$COMP_CWORD" -- "${COMP_WORDS[@]}" 2>/dev/null)"; then
        compopt +o default +o bashdefault 2>/dev/null
        COMPREPLY=($(compgen -W "$names" -- "${COMP_WORDS[COMP_CWORD]}"))
        return 0
    fi
    _authdeck "$@"
}
complete -F _authdeck_with_account_names -o nosort -o bashdefault -o default authdeck
"#;

const ZSH_GLUE: &str = r#"
# Account names (authdeck asks itself; names only, nothing secret).
(( $+functions[_authdeck_account_names] )) ||
_authdeck_account_names() {
    local -a names
    names=(${(f)"$(command authdeck __complete-names -- ${(z)BUFFER} 2>/dev/null)"})
    _wanted accounts expl 'account' compadd -a names
}
"#;

const FISH_GLUE: &str = r#"
# Account names (authdeck asks itself; names only, nothing secret).
function __authdeck_account_names
    set -l words (commandline -opc) (commandline -ct)
    command authdeck __complete-names --at (math (count $words) - 1) -- $words 2>/dev/null
end
complete -c authdeck -a "(__authdeck_account_names)"
complete -c authdeck -n "__fish_seen_subcommand_from register provision header" -l account -r -f -a "(__authdeck_account_names)"
"#;

/// The completion script for `shell`, with account names where the shell supports them (bash,
/// zsh, fish; the others get subcommands and flags).
pub fn script(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut cmd = if shell == Shell::Zsh {
        marked_for_zsh(Cli::command())
    } else {
        Cli::command()
    };
    clap_complete::generate(shell, &mut cmd, "authdeck", &mut buf);
    match shell {
        Shell::Bash => buf.extend_from_slice(BASH_GLUE.as_bytes()),
        Shell::Fish => buf.extend_from_slice(FISH_GLUE.as_bytes()),
        Shell::Zsh => {
            let text = String::from_utf8_lossy(&buf)
                .replace(":_users'", &format!(":{ZSH_COMPLETER}'"))
                .replacen('\n', &format!("\n{ZSH_GLUE}"), 1);
            buf = text.into_bytes();
        }
        _ => {}
    }
    buf
}

#[cfg(test)]
mod tests;
