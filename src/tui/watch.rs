//! Watching the Codex home and the store for outside changes (`codex login` in another
//! terminal, another authdeck), debounced into one [`Msg::FilesChanged`].
//!
//! Both directories are watched non-recursively and events are filtered by name: in the Codex
//! home only `auth.json` and `config.toml` matter; in the store only `<name>.json` files (not
//! the dot-directories for the lock, trash and backups, nor atomic-write temp files). Access
//! events other than "closed after writing" are ignored — otherwise authdeck's own reads would
//! trigger reloads forever. A burst of events (an atomic write is create + write + rename) is
//! coalesced over [`DEBOUNCE`]. authdeck's own writes come back as a reload too; the loop
//! recognises unchanged content by its fingerprint and keeps the runtime.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher as _};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::msg::Msg;
use crate::store::Paths;

/// How long a burst of file events is gathered before one reload.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// Keeps the OS watcher alive; dropping it stops watching.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    /// Directories watched so far.
    watched: Vec<PathBuf>,
    debounce: tokio::task::AbortHandle,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.debounce.abort();
    }
}

/// Which reload a changed path calls for: `(live, store)`.
pub fn classify(path: &Path, codex_home: &Path, store: &Path) -> (bool, bool) {
    let parent = path.parent();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let live = parent == Some(codex_home) && matches!(name, "auth.json" | "config.toml");
    if path == codex_home {
        // The Codex home itself appeared (or went): everything may have changed.
        return (true, true);
    }
    let store_hit = path == store
        || (parent == Some(store)
            && Path::new(name).extension().is_some_and(|e| e == "json")
            && !name.starts_with('.'));
    (live, store_hit)
}

fn relevant(kind: EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_)),
        EventKind::Access(a) => matches!(a, AccessKind::Close(AccessMode::Write)),
        EventKind::Other => false,
    }
}

impl Watcher {
    /// Starts watching. A directory that does not exist yet is picked up later by
    /// [`Watcher::ensure`]: a missing Codex home (signed out, never logged in) is noticed
    /// through its parent, and the store's creation through the Codex home.
    pub fn start(paths: &Paths, tx: UnboundedSender<Msg>) -> Result<Self, String> {
        let (raw_tx, mut raw_rx) = unbounded_channel::<(bool, bool)>();
        let home: PathBuf = paths.codex_home.clone();
        let store: PathBuf = paths.store.clone();
        let (h, s) = (home.clone(), store.clone());
        let mut inner = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(ev) = res else { return };
            if !relevant(ev.kind) {
                return;
            }
            let hit = ev
                .paths
                .iter()
                .map(|p| classify(p, &h, &s))
                .fold((false, false), |a, b| (a.0 || b.0, a.1 || b.1));
            if hit.0 || hit.1 {
                let _ = raw_tx.send(hit);
            }
        })
        .map_err(|e| e.to_string())?;
        let mut watcher_dirs = Vec::new();
        if !home.is_dir()
            && let Some(parent) = home.parent().filter(|p| p.is_dir())
            && inner.watch(parent, RecursiveMode::NonRecursive).is_ok()
        {
            watcher_dirs.push(parent.to_path_buf());
        }
        let debounce = tokio::spawn(async move {
            while let Some(first) = raw_rx.recv().await {
                let (mut live, mut store) = first;
                let deadline = tokio::time::sleep(DEBOUNCE);
                tokio::pin!(deadline);
                loop {
                    tokio::select! {
                        () = &mut deadline => break,
                        more = raw_rx.recv() => match more {
                            Some((l, s)) => { live |= l; store |= s; }
                            None => break,
                        },
                    }
                }
                if tx.send(Msg::FilesChanged { live, store }).is_err() {
                    break;
                }
            }
        })
        .abort_handle();
        let mut w = Self {
            inner,
            watched: watcher_dirs,
            debounce,
        };
        w.ensure(paths);
        if w.watched.is_empty() {
            return Err(format!("neither {} nor its parent exists", home.display()));
        }
        Ok(w)
    }

    /// Watches the Codex home and the store if they exist now and are not watched yet.
    /// Cheap (two `stat`s); the runner calls it whenever it reloads.
    pub fn ensure(&mut self, paths: &Paths) {
        for dir in [&paths.codex_home, &paths.store] {
            if !self.watched.contains(dir)
                && dir.is_dir()
                && self.inner.watch(dir, RecursiveMode::NonRecursive).is_ok()
            {
                self.watched.push(dir.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_credential_files_count() {
        let home = Path::new("/h");
        let store = Path::new("/h/accounts");
        assert_eq!(
            classify(Path::new("/h/auth.json"), home, store),
            (true, false)
        );
        assert_eq!(
            classify(Path::new("/h/config.toml"), home, store),
            (true, false)
        );
        assert_eq!(
            classify(Path::new("/h/.auth.json.tmp"), home, store),
            (false, false)
        );
        assert_eq!(
            classify(Path::new("/h/history.jsonl"), home, store),
            (false, false)
        );
        assert_eq!(
            classify(Path::new("/h/accounts/work.json"), home, store),
            (false, true)
        );
        assert_eq!(
            classify(Path::new("/h/accounts/.work.json.tmp"), home, store),
            (false, false)
        );
        assert_eq!(
            classify(Path::new("/h/accounts"), home, store),
            (false, true)
        );
        assert_eq!(classify(Path::new("/h"), home, store), (true, true));
        assert_eq!(
            classify(Path::new("/h/accounts/.trash/x.json"), home, store),
            (false, false)
        );
    }

    #[test]
    fn own_reads_are_not_changes() {
        assert!(!relevant(EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!relevant(EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(relevant(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(relevant(EventKind::Create(notify::event::CreateKind::File)));
        assert!(!relevant(EventKind::Modify(ModifyKind::Metadata(
            notify::event::MetadataKind::Permissions
        ))));
    }
}
