//! Writing a planned import as one transaction: all of it, or nothing.
//!
//! Every folder made, article written and annotation file written or replaced is recorded as it
//! happens; when anything fails (a full disk, a file in the way of `tawsim.ron`), what was done
//! is undone in reverse order: new files removed, replaced annotation files given back their old
//! bytes, new folders removed when empty again. A file someone else changed after the import wrote
//! it is left alone. A retry after a failure (or after a kill that left no time to undo) works:
//! articles with the same text are reused and annotation files holding exactly what the import
//! would write count as done.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::Planned;
use crate::dataset::DatasetError;
use crate::store::{Fingerprint, save_annotation_merging, write_atomic};

/// One thing the import did, and how to undo it.
enum Undo {
    /// A folder it made (removed if empty).
    Folder(PathBuf),
    /// An article it wrote: removed if it still holds these bytes.
    Article(PathBuf, Fingerprint),
    /// An annotation file it wrote: removed, or given back `before`, if it still holds what the
    /// import wrote.
    Annotation(PathBuf, Fingerprint, Option<Vec<u8>>),
}

/// What an import has done so far.
#[derive(Default)]
pub(super) struct Transaction {
    done: Mutex<Vec<Undo>>,
}

impl Transaction {
    fn record(&self, undo: Undo) {
        self.done.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(undo);
    }

    /// Makes `folder` and its missing parents, recording each one made.
    pub(super) fn make_folder(&self, folder: &Path) -> Result<(), DatasetError> {
        let mut missing: Vec<&Path> = folder.ancestors().take_while(|p| !p.as_os_str().is_empty() && !p.exists()).collect();
        std::fs::create_dir_all(folder).map_err(|e| DatasetError::io(folder, e))?;
        missing.reverse();
        for made in missing {
            self.record(Undo::Folder(made.to_owned()));
        }
        Ok(())
    }

    /// Writes `bytes` as the new file `path` (recorded).
    pub(super) fn write_new(&self, path: &Path, bytes: &[u8]) -> Result<(), DatasetError> {
        write_atomic(path, bytes).map_err(|e| DatasetError::io(path, e))?;
        self.record(Undo::Article(path.to_owned(), Fingerprint::of_bytes(bytes, None)));
        Ok(())
    }

    /// Undoes everything recorded, newest first; best effort (the error that made it necessary is
    /// the one to report).
    pub(super) fn roll_back(self) {
        let done = self.done.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        for undo in done.into_iter().rev() {
            let still_ours = |path: &Path, print: &Fingerprint| Fingerprint::of_file(path).ok().flatten().is_some_and(|now| now.same_content(print));
            match undo {
                Undo::Folder(folder) => {
                    let _ = std::fs::remove_dir(folder);
                }
                Undo::Article(path, print) | Undo::Annotation(path, print, None) => {
                    if still_ours(&path, &print) {
                        let _ = std::fs::remove_file(path);
                    }
                }
                Undo::Annotation(path, print, Some(before)) => {
                    if still_ours(&path, &print) {
                        let _ = write_atomic(&path, &before);
                    }
                }
            }
        }
    }
}

/// Writes every planned article (unless reused) and then its annotation file, on a few threads,
/// recording all of it in `tx`, and returns how many articles were written.
///
/// Each file is written atomically, and so synced to disk, and those syncs are nearly all of an
/// import's time; syncs made at the same time share the file system's journal commits (178
/// files take 1.2 s one after another on the development machine, 40 ms four at a time).
pub(super) fn write_all(planned: &[Planned], tx: &Transaction) -> Result<usize, DatasetError> {
    const WORKERS: usize = 8;
    for item in planned {
        for path in [&item.article, &item.path] {
            if let Some(folder) = path.parent() {
                tx.make_folder(folder)?;
            }
        }
    }
    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || -> Result<(), DatasetError> {
        while !failed.load(Ordering::Relaxed) {
            let Some(item) = planned.get(next.fetch_add(1, Ordering::Relaxed)) else {
                break;
            };
            let result = write_one(item, tx);
            if result.is_err() {
                failed.store(true, Ordering::Relaxed);
            }
            if result? {
                written.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS.min(planned.len())).map(|_| scope.spawn(work)).collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect::<Result<Vec<()>, DatasetError>>()
    })?;
    Ok(written.into_inner())
}

/// Writes one planned article (unless reused) and its annotation (unless it is there already);
/// whether the article was written.
fn write_one(item: &Planned, tx: &Transaction) -> Result<bool, DatasetError> {
    if !item.reuse {
        tx.write_new(&item.article, item.text.as_bytes())?;
    }
    if !item.done {
        let base = item.before.as_ref().map(|(print, _)| print);
        let saved = save_annotation_merging(&item.path, base, &item.edits, &item.annotation)?;
        tx.record(Undo::Annotation(item.path.clone(), saved.fingerprint, item.before.as_ref().map(|(_, bytes)| bytes.clone())));
    }
    Ok(!item.reuse)
}
