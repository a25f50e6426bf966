//! Warnings about credential files and the store being open to other users, as ssh warns about
//! an unprotected private key.
//!
//! authdeck writes everything 0600 / 0700, but a file copied in by hand, a store made with
//! `mkdir` or an auth.json written by another tool may be readable by the group or the world —
//! and then every refresh token in it is too. authdeck does not change permissions on its own
//! (the user may have reasons, e.g. ACL-managed shares); it says so in one line per problem and
//! gives the exact `chmod` that fixes it. The CLI prints the lines on stderr, the TUI in its log.
//!
//! Checking every account file costs one `stat` each, so callers that never look at the store
//! (`status`, `header`) check only the store directory and the live file; `list` and the TUI's
//! listing, which stat every account file anyway, take the modes from their own `stat`
//! ([`AccountSummary::open_mode`](super::AccountSummary)); and `switch NAME` checks the files
//! it touches (the target and the account it leaves; every file when it has to scan them, see
//! `store::leaving`). All word them with [`account_files_warning_for`]: with 10,000 accounts a
//! second pass of `stat`s was half of what `switch` cost.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use super::accounts::validate_name;
use super::active::AccountSummary;
use super::paths::Paths;
use crate::sanitize::clean;

/// Permission bits for the group and the world.
const OPEN_BITS: u32 = 0o077;
/// How many account files a warning names one by one before it switches to a glob.
const NAMED_FILES: usize = 3;

/// A path quoted for a POSIX shell (and made terminal-safe).
fn sh(path: &Path) -> String {
    let text = path.display().to_string();
    clean(&format!("'{}'", text.replace('\'', "'\\''"))).into_owned()
}

/// The permission bits of `path` (links followed) when group or world have any.
fn open_mode(path: &Path) -> Option<u32> {
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o7777;
    (mode & OPEN_BITS != 0).then_some(mode)
}

/// The permission bits of a regular file when group or world have any.
pub(crate) fn open_mode_of(meta: &std::fs::Metadata) -> Option<u32> {
    let mode = meta.permissions().mode() & 0o7777;
    (meta.is_file() && mode & OPEN_BITS != 0).then_some(mode)
}

/// The warnings for the store directory, the live auth.json and (with `accounts`) every account
/// file. Each is one line without a `warning:` prefix; empty when all is private.
pub fn permission_warnings(paths: &Paths, accounts: bool) -> Vec<String> {
    let mut out = Vec::new();
    if std::fs::metadata(&paths.store).is_ok_and(|m| m.is_dir())
        && let Some(mode) = open_mode(&paths.store)
    {
        out.push(format!(
            "permissions {mode:04o} for the account store {} are too open (other users can see or \
             reach your saved credentials); fix: chmod 700 {}",
            clean(&paths.store.display().to_string()),
            sh(&paths.store)
        ));
    }
    let live = paths.auth_json();
    if let Some(mode) = open_mode(&live) {
        out.push(format!(
            "permissions {mode:04o} for {} are too open (other users can read the live \
             credential); fix: chmod 600 {}",
            clean(&live.display().to_string()),
            sh(&live)
        ));
    }
    if accounts && let Some(line) = account_files_warning(&paths.store) {
        out.push(line);
    }
    out
}

/// One line for all account files open to others, or `None`.
fn account_files_warning(store: &Path) -> Option<String> {
    let open: Vec<(PathBuf, u32)> = std::fs::read_dir(store)
        .ok()?
        .filter_map(Result::ok)
        .filter(|item| {
            let file_name = item.file_name();
            file_name
                .to_str()
                .and_then(|n| n.strip_suffix(".json"))
                .is_some_and(|n| validate_name(n).is_ok())
        })
        .filter_map(|item| {
            let path = item.path();
            let mode = open_mode_of(&std::fs::metadata(&path).ok()?)?;
            Some((path, mode))
        })
        .collect();
    account_files_warning_for(store, open)
}

/// [`account_files_warning_for`] from the rows of a listing (their `open_mode`).
pub fn account_files_warning_in(store: &Path, rows: &[AccountSummary]) -> Option<String> {
    let open = rows
        .iter()
        .filter_map(|r| Some((r.path.clone(), r.open_mode?)))
        .collect();
    account_files_warning_for(store, open)
}

/// The one line for the account files of `store` found open to others (path and permission
/// bits, in any order), or `None` when there are none.
pub fn account_files_warning_for(store: &Path, mut open: Vec<(PathBuf, u32)>) -> Option<String> {
    if open.is_empty() {
        return None;
    }
    open.sort();
    let (first, mode) = &open[0];
    let fix = if open.len() <= NAMED_FILES {
        open.iter()
            .map(|(p, _)| sh(p))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        format!("{}/*.json", sh(store))
    };
    let what = if open.len() == 1 {
        format!(
            "permissions {mode:04o} for the account file {} are too open",
            clean(&first.display().to_string())
        )
    } else {
        format!(
            "{} account files in {} are open to other users (e.g. {} has {mode:04o})",
            open.len(),
            clean(&store.display().to_string()),
            clean(&first.file_name().unwrap_or_default().to_string_lossy())
        )
    };
    Some(format!(
        "{what} (other users can read the saved credentials); fix: chmod 600 {fix}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chmod(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[test]
    fn private_files_give_no_warning_and_open_ones_one_line_each_with_the_fix() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::in_codex_home(dir.path().join("it's home"));
        std::fs::create_dir_all(&paths.store).expect("mkdir");
        chmod(&paths.store, 0o700);
        std::fs::write(paths.auth_json(), "{}").expect("write");
        chmod(&paths.auth_json(), 0o600);
        let account = paths.store.join("work.json");
        std::fs::write(&account, "{}").expect("write");
        chmod(&account, 0o600);
        assert!(permission_warnings(&paths, true).is_empty());

        chmod(&paths.store, 0o755);
        chmod(&paths.auth_json(), 0o644);
        chmod(&account, 0o640);
        let lines = permission_warnings(&paths, true);
        assert_eq!(lines.len(), 3, "{lines:#?}");
        let store = paths.store.display().to_string().replace('\'', "'\\''");
        assert!(
            lines[0].contains("permissions 0755 for the account store"),
            "{}",
            lines[0]
        );
        assert!(
            lines[0].ends_with(&format!("fix: chmod 700 '{store}'")),
            "{}",
            lines[0]
        );
        assert!(lines[1].contains("0644"), "{}", lines[1]);
        assert!(lines[1].ends_with("auth.json'"), "{}", lines[1]);
        assert!(
            lines[2].contains("0640 for the account file"),
            "{}",
            lines[2]
        );
        assert!(
            lines[2].ends_with(&format!("chmod 600 '{store}/work.json'")),
            "{}",
            lines[2]
        );
        assert!(lines.iter().all(|l| !l.contains('\n')));
        assert_eq!(
            permission_warnings(&paths, false).len(),
            2,
            "accounts skipped"
        );

        for n in 0..5 {
            let p = paths.store.join(format!("more{n}.json"));
            std::fs::write(&p, "{}").expect("write");
            chmod(&p, 0o604);
        }
        let lines = permission_warnings(&paths, true);
        assert!(lines[2].starts_with("6 account files in"), "{}", lines[2]);
        assert!(
            lines[2].ends_with(&format!("chmod 600 '{store}'/*.json")),
            "{}",
            lines[2]
        );
    }
}
