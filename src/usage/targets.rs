//! Which accounts a usage read covers: the live credential, every saved account (plus the live
//! one when it is not saved), or named accounts (exact names). Each becomes a [`Target`]: its
//! name, whether it is live, and its analysed credential (or why the file cannot be used).

use crate::codex::auth_file::AuthDoc;
use crate::codex::credential::Analysis;
use crate::secret::Secret;
use crate::store::{self, EnvFn, Paths, Store, StoreError};

/// One account to read.
#[derive(Debug, Clone)]
pub struct Target {
    /// The saved name; `None` for a live credential that is not saved.
    pub name: Option<String>,
    pub active: bool,
    /// The credential, or why it cannot be used.
    pub analysis: Result<Analysis, String>,
    /// The task the caller's session registered (the TUI's live account), so an Agent
    /// Identity's usage can be read with an AgentAssertion. Never registered for usage.
    pub registered_task: Option<RegisteredTask>,
}

/// A task registered by the caller's session for one Agent Identity runtime. It is used only
/// for the target whose runtime id it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredTask {
    pub runtime_id: String,
    pub task_id: Secret,
}

impl Target {
    pub fn of_doc(name: Option<String>, active: bool, doc: &AuthDoc) -> Self {
        Self {
            name,
            active,
            analysis: Ok(Analysis::of_doc(doc)),
            registered_task: None,
        }
    }
}

/// Which accounts: the live one, every saved one (plus the live one when it is not saved), or
/// the named ones (exact names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Live,
    All,
    Named(Vec<String>),
}

/// Resolves a selection. `Live` with no live credential is an error saying so.
pub fn targets(paths: &Paths, env: EnvFn<'_>, sel: &Selection) -> Result<Vec<Target>, StoreError> {
    let live = store::read_live(paths, env);
    let store = Store::new(paths);
    let has_store = paths.store.is_dir();
    // Only `--all` needs every row; the others need just the name of the live account, which
    // `switch`'s scan finds without building (or writing) the listing.
    let rows = if has_store && *sel == Selection::All {
        store::summaries(&store, live.file.doc())?
    } else {
        Vec::new()
    };
    let active_name = if *sel == Selection::All {
        rows.iter().find(|r| r.active).map(|r| r.name.clone())
    } else if has_store && let Some(doc) = live.file.doc() {
        store::active_account(&store, doc)?
    } else {
        None
    };
    let live_target = || -> Option<Target> {
        if let Some(token) = &live.env_token {
            return Some(Target {
                name: None,
                active: true,
                analysis: Ok(Analysis::of_env_token(token.expose())),
                registered_task: None,
            });
        }
        live.file
            .doc()
            .map(|doc| Target::of_doc(active_name.clone(), true, doc))
    };
    match sel {
        Selection::Live => live_target().map(|t| vec![t]).ok_or_else(|| {
            StoreError::new(
                if live.file.exists() {
                    store::ErrorKind::LiveInvalid
                } else {
                    store::ErrorKind::LiveMissing
                },
                live.file.problem().map_or_else(
                    || "no live credential: Codex is signed out".to_string(),
                    |p| format!("the live credential cannot be used: {p}"),
                ),
            )
            .with_hint("name an account (`authdeck usage NAME`) or use --all")
        }),
        Selection::All => {
            let mut out = Vec::with_capacity(rows.len() + 1);
            for row in &rows {
                out.push(read_target(&store, &row.name, row.active));
            }
            if active_name.is_none() || live.env_token.is_some() {
                out.extend(live_target());
            }
            Ok(out)
        }
        Selection::Named(names) => names
            .iter()
            .map(|n| {
                store::validate_name(n)?;
                let active = active_name.as_deref() == Some(n.as_str());
                match store.read(n) {
                    Err(e) if e.kind() == store::ErrorKind::AccountNotFound => Err(e),
                    read => Ok(Target {
                        name: Some(n.clone()),
                        active,
                        analysis: read
                            .map(|doc| Analysis::of_doc(&doc))
                            .map_err(|e| e.message().to_string()),
                        registered_task: None,
                    }),
                }
            })
            .collect(),
    }
}

fn read_target(store: &Store, name: &str, active: bool) -> Target {
    Target {
        name: Some(name.to_string()),
        active,
        analysis: store
            .read(name)
            .map(|doc| Analysis::of_doc(&doc))
            .map_err(|e| e.message().to_string()),
        registered_task: None,
    }
}
