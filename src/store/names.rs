//! From what the user typed to an account name: the one rule every face uses.
//!
//! People type account names dozens of times a day, so authdeck accepts what kubectx and the
//! popular Codex switchers taught them to type (see docs/names.md):
//!
//! 1. An **exact** name always wins: with accounts `al` and `alice`, `al` is `al`.
//! 2. Otherwise a **unique prefix** stands for the one account it starts (`ali` → `alice`); the
//!    result says so, so the user sees which account was meant.
//! 3. An **ambiguous** prefix is refused with the candidates listed; nothing is chosen for the
//!    user (the CLI exits 2).
//! 4. An **unknown** name suggests the closest names ("did you mean alice?"): by edit distance
//!    (case-insensitive, transpositions count once), or because the typed text occurs inside a
//!    name (`pro` → `work-pro`).
//!
//! Listing the names only reads the store directory (no account file is opened), so the
//! resolver and shell completion stay fast with thousands of accounts, and never see a secret.

use std::io;

use super::accounts::{MAX_NAME_LEN, validate_name};
use super::error::{ErrorKind, StoreError, quote, show};
use super::paths::Paths;

/// How many names a "did you mean" or an ambiguity message shows at most.
const SHOWN: usize = 8;
/// How many suggestions "did you mean" offers.
const SUGGESTIONS: usize = 3;

/// How the typed text became an account name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    /// The typed text is the name.
    Exact,
    /// The typed text starts exactly one name.
    Prefix,
    /// `-`: the account that was live before the last switch.
    Previous,
}

/// An account name resolved from what the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The account.
    pub name: String,
    /// What the user typed.
    pub typed: String,
    pub matched: Matched,
}

impl Resolved {
    /// An exact match (nothing to report).
    pub fn exact(name: &str) -> Self {
        Self {
            name: name.to_string(),
            typed: name.to_string(),
            matched: Matched::Exact,
        }
    }

    /// What the user typed, when it was not the name itself (for `resolved_from` in JSON).
    pub fn resolved_from(&self) -> Option<&str> {
        (self.matched != Matched::Exact).then_some(self.typed.as_str())
    }

    /// One line telling the user which account was meant, when it was not typed exactly.
    pub fn note(&self) -> Option<String> {
        match self.matched {
            Matched::Exact => None,
            Matched::Prefix => Some(format!(
                "{} matches only account {}",
                quote(&self.typed),
                quote(&self.name)
            )),
            Matched::Previous => Some(format!("- is the previous account, {}", quote(&self.name))),
        }
    }
}

/// The account names in the store, sorted, without opening any account file.
///
/// The same files `list` shows: `<name>.json` with a valid name, not a directory (a symbolic
/// link counts when it points to a file). Hidden files, the trash, backups, temporary files and
/// other junk are skipped. A missing store has no names.
pub fn account_names(paths: &Paths) -> Result<Vec<String>, StoreError> {
    let dir = &paths.store;
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io("list the accounts in", dir, &e)),
    };
    let mut names: Vec<String> = rd
        .filter_map(Result::ok)
        .filter_map(|item| {
            let file_name = item.file_name();
            let name = file_name.to_str()?.strip_suffix(".json")?;
            validate_name(name).ok()?;
            let file_type = item.file_type().ok()?;
            let is_dir = if file_type.is_symlink() {
                std::fs::metadata(item.path()).is_ok_and(|m| m.is_dir())
            } else {
                file_type.is_dir()
            };
            (!is_dir).then(|| name.to_string())
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Resolves what the user typed to one account of the store (rules in the module docs).
pub fn resolve_account(paths: &Paths, typed: &str) -> Result<Resolved, StoreError> {
    validate_name(typed)?;
    // An existing file is the account even if it cannot be read: the operation then says why.
    if std::fs::symlink_metadata(paths.store.join(format!("{typed}.json"))).is_ok() {
        return Ok(Resolved::exact(typed));
    }
    let names = account_names(paths)?;
    resolve_among(&names, typed).map_err(|e| e.located(paths))
}

/// Why a name did not resolve, before the store location is added to the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Invalid(StoreError),
    Ambiguous {
        typed: String,
        candidates: Vec<String>,
    },
    Unknown {
        typed: String,
        suggestions: Vec<String>,
        empty: bool,
    },
}

impl NameError {
    /// The user-facing error, naming the store.
    pub fn located(self, paths: &Paths) -> StoreError {
        match self {
            Self::Invalid(e) => e,
            Self::Ambiguous { typed, candidates } => StoreError::new(
                ErrorKind::AmbiguousName,
                format!(
                    "{} could be {} accounts: {}",
                    quote(&typed),
                    candidates.len(),
                    listing(&candidates)
                ),
            )
            .with_hint("type more of the name (an exact name always wins); nothing was changed"),
            Self::Unknown {
                typed,
                suggestions,
                empty,
            } => {
                let err = StoreError::new(
                    ErrorKind::AccountNotFound,
                    format!(
                        "no account named {} in {}",
                        quote(&typed),
                        show(&paths.store)
                    ),
                );
                if !suggestions.is_empty() {
                    err.with_hint(format!("did you mean {}?", or_list(&suggestions)))
                } else if empty {
                    err.with_hint(
                        "the store has no accounts yet; save the live credential with \
                         `authdeck save NAME`",
                    )
                } else {
                    err.with_hint("run `authdeck list` to see the saved accounts")
                }
            }
        }
    }
}

/// [`resolve_account`] over a known list of names (sorted or not), without the file system.
pub fn resolve_among(names: &[String], typed: &str) -> Result<Resolved, NameError> {
    validate_name(typed).map_err(NameError::Invalid)?;
    if names.iter().any(|n| n == typed) {
        return Ok(Resolved::exact(typed));
    }
    let mut candidates: Vec<String> = names
        .iter()
        .filter(|n| n.starts_with(typed))
        .cloned()
        .collect();
    candidates.sort();
    match candidates.len() {
        1 => Ok(Resolved {
            name: candidates.remove(0),
            typed: typed.to_string(),
            matched: Matched::Prefix,
        }),
        0 => Err(NameError::Unknown {
            typed: typed.to_string(),
            suggestions: suggestions(names, typed),
            empty: names.is_empty(),
        }),
        _ => Err(NameError::Ambiguous {
            typed: typed.to_string(),
            candidates,
        }),
    }
}

/// The closest names to `typed`, best first (at most three).
///
/// A name qualifies when its case-insensitive edit distance (optimal string alignment: a swap of
/// two neighbours counts once) is small for the length typed — one edit up to five characters,
/// then one more per three — or when the typed text (two characters or more) occurs inside it.
pub fn suggestions(names: &[String], typed: &str) -> Vec<String> {
    let typed_lower = typed.to_lowercase();
    let len = typed_lower.chars().count().min(MAX_NAME_LEN);
    let limit = (len / 3).max(1);
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .filter_map(|n| {
            let lower = n.to_lowercase();
            let distance = strsim::osa_distance(&typed_lower, &lower);
            if distance <= limit {
                Some((distance, n))
            } else if len >= 2 && lower.contains(&typed_lower) {
                Some((limit + 1, n))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, n)| n.clone())
        .collect()
}

/// `"a", "b" and 3 more` — names quoted, capped.
fn listing(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(SHOWN).map(|n| quote(n)).collect();
    let more = names.len().saturating_sub(SHOWN);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
fn or_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
