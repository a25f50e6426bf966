//! The file operations the runner runs on the blocking pool: the operations layer's own
//! (`ops::switch`, `ops::accounts`, the same the CLI calls), each returning what it did as data
//! ([`Done`]) or a typed [`Failure`]: the words are `update`'s (`update::words`).

use super::Shared;
use crate::codex::credential::AuthMode;
use crate::ops::{accounts, switch as switching};
use crate::tui::outcome::{Done, Failure};

pub(super) fn switch(s: &Shared, name: &str) -> Result<Done, Failure> {
    let r = switching::switch_at(&s.paths, &s.env, name, false).map_err(Failure::Store)?;
    Ok(Done::Switched {
        name: name.to_string(),
        synced_back_into: if r.synced_back { r.from } else { None },
        backup: r.backup,
        wrote: r.auth_path,
        processes: r.processes.len(),
    })
}

pub(super) fn set_mode(s: &Shared, mode: &AuthMode) -> Result<Done, Failure> {
    let r = switching::set_mode_at(&s.paths, &s.env, mode, false).map_err(Failure::Store)?;
    Ok(Done::ModeSet {
        mode: r.to,
        backup: r.backup,
        wrote: r.path,
    })
}

pub(super) fn save(s: &Shared, name: &str) -> Result<Done, Failure> {
    let saved = accounts::save_at(&s.paths, &s.env, name, false)
        .map_err(Failure::Store)?
        .saved;
    Ok(Done::Saved {
        name: name.to_string(),
        wrote: (!saved.unchanged).then_some(saved.path),
    })
}

pub(super) fn rename(s: &Shared, from: &str, to: &str) -> Result<Done, Failure> {
    let path = accounts::rename_at(&s.paths, from, to).map_err(Failure::Store)?;
    Ok(Done::Renamed {
        from: from.to_string(),
        to: to.to_string(),
        path,
    })
}

pub(super) fn remove(s: &Shared, name: &str) -> Result<Done, Failure> {
    let trash = accounts::remove_at(&s.paths, name).map_err(Failure::Store)?;
    Ok(Done::Removed {
        name: name.to_string(),
        trash,
    })
}

pub(super) fn undo(s: &Shared, name: &str) -> Result<Done, Failure> {
    let path = accounts::restore_at(&s.paths, name).map_err(Failure::Store)?;
    Ok(Done::Restored {
        name: name.to_string(),
        path,
    })
}
