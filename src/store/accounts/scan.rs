//! The directory read and the `stat`s every listing starts from: which files are accounts, and
//! their metadata, as cheaply as 10,000 files allow (the numbers are in `BENCHMARKS.md`).

use std::io;
use std::path::PathBuf;

use super::super::atomic::is_stale_temp;
use super::super::error::StoreError;
use super::super::lock::sweep_store_if_free;
use super::{Store, validate_name};

/// One account file found by a directory read (see [`Store::scan`]).
#[derive(Debug)]
pub(crate) struct Scanned {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    entry: std::fs::DirEntry,
}

/// `stat` of every file in `files` (see [`Scanned::metadata`]), in order. With thousands of
/// files the calls are split over a few threads: on a warm cache they are pure CPU in the
/// kernel, and with 10,000 accounts they were a third of a `switch`.
pub(crate) fn stat_all(files: &[Scanned]) -> Vec<io::Result<std::fs::Metadata>> {
    stat_all_with(files, 2048)
}

pub(crate) fn stat_all_with(
    files: &[Scanned],
    per_thread: usize,
) -> Vec<io::Result<std::fs::Metadata>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(4)
        .min(files.len() / per_thread.max(1))
        .max(1);
    if threads == 1 {
        return files.iter().map(Scanned::metadata).collect();
    }
    // The threads only call `stat` and write into slots made here: no allocation in them, so
    // glibc gives them no heaps of their own (which cost ~20 MiB of RSS with 10,000 files).
    let chunk = files.len().div_ceil(threads);
    let mut out: Vec<Option<io::Result<std::fs::Metadata>>> = Vec::with_capacity(files.len());
    out.resize_with(files.len(), || None);
    std::thread::scope(|scope| {
        let running: Vec<_> = files
            .chunks(chunk)
            .zip(out.chunks_mut(chunk))
            .map(|(part, slots)| {
                scope.spawn(move || {
                    for (file, slot) in part.iter().zip(slots) {
                        *slot = Some(file.metadata());
                    }
                })
            })
            .collect();
        for thread in running {
            // Joined by hand, so a thread that failed does not take the caller down with it.
            let _ = thread.join();
        }
    });
    // A thread that could not finish left its slots empty: those files are stat'd here.
    out.into_iter()
        .zip(files)
        .map(|(slot, file)| slot.unwrap_or_else(|| file.metadata()))
        .collect()
}

impl Scanned {
    /// `stat` of the file, links followed. A regular file is stat'd relative to the open store
    /// directory (no walk of the whole path: with 10,000 accounts the path walks were a fifth of
    /// a `switch`); anything else — a link, or a file replaced by a link since the directory
    /// read — through its path.
    pub(crate) fn metadata(&self) -> io::Result<std::fs::Metadata> {
        if self.entry.file_type().is_ok_and(|t| t.is_file())
            && let Ok(meta) = self.entry.metadata()
            && !meta.file_type().is_symlink()
        {
            return Ok(meta);
        }
        std::fs::metadata(&self.path)
    }
}

impl Store {
    /// The account files, sorted by name, without reading them. Junk (other extensions, invalid
    /// names, hidden files) is skipped; a directory named like an account is skipped when it is
    /// stat'd.
    pub(crate) fn scan(&self) -> Result<Vec<Scanned>, StoreError> {
        let dir = &self.paths.store;
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io("list the accounts in", dir, &e)),
        };
        let mut stale_temp = false;
        let mut found: Vec<Scanned> = rd
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let file_name = entry.file_name();
                let text = file_name.to_str()?;
                let Some(name) = text.strip_suffix(".json") else {
                    stale_temp |= text.starts_with('.') && is_stale_temp(text);
                    return None;
                };
                validate_name(name).ok()?;
                Some(Scanned {
                    name: name.to_string(),
                    path: entry.path(),
                    entry,
                })
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        if stale_temp {
            sweep_store_if_free(&self.paths);
        }
        Ok(found)
    }
}
