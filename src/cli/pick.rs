//! How the CLI talks about picking an account: the note when a name was not typed exactly, and
//! `authdeck switch` without a name.
//!
//! The resolution itself is face-neutral ([`crate::store::names`], [`crate::store::previous`]);
//! this file only prints. Notes go to stderr, so a script reading stdout (`header`, `--json`)
//! sees exactly what it saw before, while a person still learns which account "ali" meant.

use crate::cli::out::{errln, outln};
use serde_json::json;

use super::accounts::{listed, print_listing};
use super::{CliResult, Ctx, Exit, print_json};
use crate::ops;
use crate::sanitize::clean;
use crate::store::Resolved;

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
        errln!("note: {}", clean(&n));
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
    if ctx.json {
        let choices = ops::accounts::choices(ctx)?;
        let previous = choices.previous;
        let rows: Vec<_> = choices.accounts.iter().map(listed).collect();
        let active = rows.iter().find(|r| r.active).map(|r| r.name.clone());
        print_json(&json!({
            "schema_version": 1,
            "accounts": rows,
            "active": active,
            "previous": previous,
        }));
        return Ok(Exit::Ok);
    }
    let previous = ops::accounts::previous(ctx)?;
    let listing = ops::accounts::list(ctx)?;
    print_listing(ctx, &listing);
    if !listing.accounts.is_empty() {
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
