//! How the CLI talks about picking an account: the note when a name was not typed exactly, and
//! `authdeck switch` without a name.
//!
//! The resolution itself is face-neutral ([`crate::store::names`], [`crate::store::previous`]);
//! this file only prints. Notes go to stderr, so a script reading stdout (`header`, `--json`)
//! sees exactly what it saw before, while a person still learns which account "ali" meant.

use crate::cli::out::outln;
use serde_json::json;

use super::accounts::{ListArgs, list, listed};
use super::{CliResult, Ctx, Exit, print_json};
use crate::sanitize::clean;
use crate::store::{self, Resolved, Store};

/// Tells the user which account a prefix or `-` stood for (human output only: JSON carries
/// `resolved_from` instead).
pub fn note(ctx: &Ctx, resolved: &Resolved) {
    if !ctx.json {
        note_always(resolved);
    }
}

/// [`note`] for commands whose stdout is data even without `--json` (`header`, `register`).
pub fn note_always(resolved: &Resolved) {
    if let Some(n) = resolved.note() {
        eprintln!("note: {}", clean(&n));
    }
}

/// The one-line hint under the list: every way to name the account to switch to.
fn switch_hint(previous: Option<&str>) -> String {
    let back = previous.map_or_else(String::new, |p| format!(" (\"{}\")", clean(p)));
    format!(
        "switch with `authdeck switch NAME` (a unique prefix is enough), \
         `authdeck switch -` for the previous account{back}, \
         or `authdeck switch --best` for the most headroom"
    )
}

/// `authdeck switch` without a name: the accounts with the active one marked, and how to
/// switch. Exit 0: it answers "what can I switch to?" and changes nothing; a script that means
/// to switch always names the account (docs/json.md).
pub fn switch_menu(ctx: &Ctx) -> CliResult {
    let paths = ctx.paths()?;
    let previous = store::previous_account(&paths);
    if ctx.json {
        let live = store::read_live(&paths, &ctx.env.as_fn());
        let rows: Vec<_> = store::summaries(&Store::new(&paths), live.file.doc())?
            .iter()
            .map(listed)
            .collect();
        let active = rows.iter().find(|r| r.active).map(|r| r.name.clone());
        print_json(&json!({
            "schema_version": 1,
            "accounts": rows,
            "active": active,
            "previous": previous,
        }));
        return Ok(Exit::Ok);
    }
    list(ctx, &ListArgs {})?;
    if !store::account_names(&paths)?.is_empty() {
        outln!("{}", switch_hint(previous.as_deref()));
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_names_every_way_to_switch() {
        let h = switch_hint(Some("bob"));
        for part in [
            "authdeck switch NAME",
            "authdeck switch -",
            "(\"bob\")",
            "--best",
        ] {
            assert!(h.contains(part), "{h}");
        }
        assert!(!switch_hint(None).contains("(\""));
        assert!(!switch_hint(Some("\u{1b}[2J")).contains('\u{1b}'));
    }
}
