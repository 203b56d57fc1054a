//! Saving annotation files without losing anyone's update.
//!
//! A save compares the file on disk with what this process last read or wrote there (its
//! [`Fingerprint`]). When they agree, the new version replaces it; when something else changed the
//! file meanwhile (another window, `tawsim propose`, a `git pull`), the file is read again and this
//! writer's own edits are re-applied on top of it ([`merge`](super::merge) has the rules), and the
//! merged file is what is written and returned. The comparison and the rename happen under an
//! exclusive lock of the file's folder, so two tawsim writers never both pass the comparison before
//! either renames; the new content is written and synced to its temporary file before the lock is
//! taken, so the lock is held only for a read and a rename. Writers that take no lock (an editor,
//! git) can still slip in within that moment; what they wrote is then replaced, as before.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock};

use super::annotation_io::{AnnotationError, annotation_bytes, parse_annotation};
use super::atomic::{TempFile, WriteOutcome, lock_folder, refuse_link, sync_folder};
use super::fingerprint::{Fingerprint, read_with_fingerprint};
use super::merge::{ConflictKind, MergeConflict, rebase};
use crate::model::{AnnotationFile, SpanEdit};

/// Why an annotation file was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file on disk does not load, so replacing it could destroy someone's work.
    #[error("refusing to overwrite a file that does not load ({0}); fix it by hand or set it aside first")]
    WouldClobber(Box<AnnotationError>),
    /// The annotation could not be turned into RON.
    #[error("{}: cannot serialize: {message}", path.display())]
    Serialize {
        /// The file.
        path: PathBuf,
        /// What ron said.
        message: String,
    },
    /// The annotator name or document path cannot name a file.
    #[error(transparent)]
    Name(#[from] super::names::NameError),
    /// Writing failed; the old file, if any, is intact.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// Other writers kept changing the file while this one tried to merge into it.
    #[error("{}: changed by another writer {attempts} times while saving; nothing was lost, try again", path.display())]
    Busy {
        /// The file.
        path: PathBuf,
        /// How many times the save was tried.
        attempts: usize,
    },
    /// The path leaves the project through a symbolic link, or the file is one.
    #[error(transparent)]
    Link(#[from] super::links::LinkError),
}

/// What [`save_annotation_merging`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct MergedSave {
    /// Whether the disk was written or already held the result.
    pub outcome: WriteOutcome,
    /// The fingerprint of the file now on disk: the base of the next save.
    pub fingerprint: Fingerprint,
    /// The file as written, when another writer's changes were merged in (so it differs from the
    /// caller's version, which should adopt it); `None` when the caller's version was written as
    /// it was.
    pub merged: Option<AnnotationFile>,
    /// Where the two writers disagreed, and how it was settled; for the user.
    pub conflicts: Vec<MergeConflict>,
    /// The caller's spans that got another id in the merged file: (old id, new id).
    pub renumbered: Vec<(u64, u64)>,
}

/// How many times a save compares, merges and tries again before giving up.
const ATTEMPTS: usize = 20;

/// Saves `current` at `path` without losing anyone's update, creating folders as needed.
///
/// `base` is the [`Fingerprint`] of the file as this writer last read or wrote it (`None` when it
/// had no file); `own_edits` are this writer's edits since then, in order, whose result is
/// `current`. When the disk still matches `base`, `current` is written. When it does not, the file
/// on disk is read again and `own_edits` are re-applied on top of it (see [`super::merge`]); the
/// result is written and returned in [`MergedSave::merged`] with the conflicts. A file deleted
/// since `base` is written again as `current`. A file on disk that does not load is never
/// overwritten ([`SaveError::WouldClobber`]), nor is a file that is a symbolic link.
pub fn save_annotation_merging(path: &Path, base: Option<&Fingerprint>, own_edits: &[SpanEdit], current: &AnnotationFile) -> Result<MergedSave, SaveError> {
    let ours = annotation_bytes(current);
    save_with(path, |disk| {
        let Some((bytes, print)) = disk else {
            let conflicts = match base {
                Some(_) => vec![MergeConflict {
                    span_id: None,
                    kind: ConflictKind::FileRecreated,
                    message: "the file was deleted on disk after it was read; your version was written again".to_owned(),
                }],
                None => Vec::new(),
            };
            return Ok(Plan { text: ours.clone(), merged: None, conflicts, renumbered: Vec::new() });
        };
        if bytes == ours.as_bytes() || base.is_some_and(|b| b.same_content(print)) {
            return Ok(Plan { text: ours.clone(), merged: None, conflicts: Vec::new(), renumbered: Vec::new() });
        }
        let theirs = parse_annotation(bytes, path).map_err(|e| SaveError::WouldClobber(Box::new(e)))?;
        let rebased = rebase(theirs, own_edits, current);
        Ok(Plan { text: annotation_bytes(&rebased.file), merged: Some(rebased.file), conflicts: rebased.conflicts, renumbered: rebased.renumbered })
    })
}

/// Saves `file` at `path` atomically, creating folders as needed, replacing whatever loads there.
///
/// Returns `Unchanged` without writing when the disk already holds these bytes. Refuses with
/// `WouldClobber` when the file on disk does not load as an annotation file (a syntax error, a
/// newer format, a merge conflict), whoever loaded what before: the check is made on the disk
/// itself at save time. It does not merge: a change another writer made since this process read
/// the file is replaced. Writers that know their edits use [`save_annotation_merging`].
pub fn save_annotation(path: &Path, file: &AnnotationFile) -> Result<WriteOutcome, SaveError> {
    let text = annotation_bytes(file);
    let saved = save_with(path, |disk| {
        if let Some((bytes, print)) = disk
            && bytes != text.as_bytes()
            && !is_remembered(path, print)
        {
            // Bytes we loaded or wrote ourselves are known to parse; anything else is checked, so
            // a file broken or replaced behind our back is never overwritten.
            parse_annotation(bytes, path).map_err(|e| SaveError::WouldClobber(Box::new(e)))?;
        }
        Ok(Plan { text: text.clone(), merged: None, conflicts: Vec::new(), renumbered: Vec::new() })
    })?;
    Ok(saved.outcome)
}

/// What a save decided to write, given what is on disk.
struct Plan {
    text: String,
    merged: Option<AnnotationFile>,
    conflicts: Vec<MergeConflict>,
    renumbered: Vec<(u64, u64)>,
}

impl Plan {
    fn done(self, outcome: WriteOutcome, fingerprint: Fingerprint) -> MergedSave {
        MergedSave { outcome, fingerprint, merged: self.merged, conflicts: self.conflicts, renumbered: self.renumbered }
    }
}

/// The compare-and-replace loop both saves share: `decide` sees the disk (bytes and fingerprint,
/// or `None`) and says what to write; the write happens only if the disk is still as `decide` saw
/// it when the folder lock is held, otherwise `decide` runs again on the newer file.
fn save_with(path: &Path, mut decide: impl FnMut(Option<(&[u8], &Fingerprint)>) -> Result<Plan, SaveError>) -> Result<MergedSave, SaveError> {
    let io_error = |source| SaveError::Io { path: path.to_owned(), source };
    refuse_link(path).map_err(io_error)?;
    // Threads of this process take turns per file: they share its temporary file name.
    let _turn = Turn::take(path);
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(io_error)?;
    for _ in 0..ATTEMPTS {
        let disk = read_with_fingerprint(path).map_err(io_error)?;
        let plan = decide(disk.as_ref().map(|(bytes, print)| (bytes.as_slice(), print)))?;
        if let Some((bytes, print)) = &disk
            && bytes == plan.text.as_bytes()
        {
            remember(path, *print);
            return Ok(plan.done(WriteOutcome::Unchanged, *print));
        }
        let fingerprint = Fingerprint::of_bytes(plan.text.as_bytes(), None);
        let temp = TempFile::write(path, plan.text.as_bytes()).map_err(io_error)?;
        let lock = lock_folder(folder).map_err(io_error)?;
        let now = read_with_fingerprint(path).map_err(io_error)?;
        let unchanged = match (&disk, &now) {
            (None, None) => true,
            (Some((before, _)), Some((after, _))) => before == after,
            _ => false,
        };
        if !unchanged {
            drop(lock);
            continue;
        }
        temp.rename().map_err(io_error)?;
        drop(lock);
        sync_folder(path).map_err(io_error)?;
        // The time is the one the file got; a later stat would race with the next writer.
        let fingerprint = Fingerprint { modified: std::fs::metadata(path).ok().and_then(|m| m.modified().ok()), ..fingerprint };
        remember(path, fingerprint);
        return Ok(plan.done(WriteOutcome::Written, fingerprint));
    }
    Err(SaveError::Busy { path: path.to_owned(), attempts: ATTEMPTS })
}

/// The paths some thread of this process is saving, and a signal when one is done.
fn busy() -> &'static (Mutex<HashSet<PathBuf>>, Condvar) {
    static BUSY: OnceLock<(Mutex<HashSet<PathBuf>>, Condvar)> = OnceLock::new();
    BUSY.get_or_init(Default::default)
}

/// This thread's turn to save one file; the next thread's when dropped.
struct Turn(PathBuf);

impl Turn {
    fn take(path: &Path) -> Turn {
        let (set, freed) = busy();
        let mut paths = set.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while paths.contains(path) {
            paths = freed.wait(paths).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        paths.insert(path.to_owned());
        Turn(path.to_owned())
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let (set, freed) = busy();
        set.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&self.0);
        freed.notify_all();
    }
}

/// Fingerprints of the annotation bytes this process last read or wrote at each path: bytes known
/// to parse, so `save_annotation` need not parse a 20,000-span file again before replacing it.
fn remembered() -> &'static Mutex<HashMap<PathBuf, Fingerprint>> {
    static KNOWN: OnceLock<Mutex<HashMap<PathBuf, Fingerprint>>> = OnceLock::new();
    KNOWN.get_or_init(Mutex::default)
}

/// Records that this process read or wrote `print` at `path`.
pub(crate) fn remember(path: &Path, print: Fingerprint) {
    let mut known = remembered().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    known.insert(path.to_owned(), print);
}

fn is_remembered(path: &Path, print: &Fingerprint) -> bool {
    let known = remembered().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    known.get(path).is_some_and(|known| known.same_content(print))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Span, SpanState};
    use crate::store::load_annotation;

    fn file() -> AnnotationFile {
        let mut file = AnnotationFile::new("corpus/a.txt", "sha", "amal");
        file.spans.push(Span::manual(1, 0..3, "PERS", "abc"));
        file.next_id = 2;
        file
    }

    #[test]
    fn an_unchanged_disk_takes_the_writers_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.txt.ron");
        let saved = save_annotation_merging(&path, None, &[], &file()).unwrap();
        assert_eq!((saved.outcome, saved.merged.is_none()), (WriteOutcome::Written, true));
        let (loaded, print) = load_annotation(&path).unwrap().unwrap();
        assert_eq!(loaded, file());
        assert!(print.same_content(&saved.fingerprint));
        let add = SpanEdit::Add(Span::manual(2, 5..7, "LOC", "de"));
        let mut next = file();
        next.apply(&add).unwrap();
        let again = save_annotation_merging(&path, Some(&print), std::slice::from_ref(&add), &next).unwrap();
        assert_eq!((again.outcome, again.merged), (WriteOutcome::Written, None));
        let same = save_annotation_merging(&path, Some(&again.fingerprint), &[], &next).unwrap();
        assert_eq!(same.outcome, WriteOutcome::Unchanged);
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_change_behind_the_writers_back_is_merged_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt.ron");
        let base = save_annotation_merging(&path, None, &[], &file()).unwrap().fingerprint;
        // Another writer accepts a span of its own under id 2 …
        let mut theirs = file();
        theirs.apply(&SpanEdit::Add(Span::manual(2, 10..12, "ORG", "xy"))).unwrap();
        theirs.next_id = 3;
        save_annotation(&path, &theirs).unwrap();
        // … while this one adds a pending proposal, also as id 2.
        let ours = Span { state: SpanState::Pending, ..Span::manual(2, 20..22, "LOC", "zz") };
        let edits = [SpanEdit::Add(ours.clone())];
        let mut current = file();
        current.apply(&edits[0]).unwrap();
        current.next_id = 3;
        let saved = save_annotation_merging(&path, Some(&base), &edits, &current).unwrap();
        let merged = saved.merged.expect("merged");
        assert_eq!(saved.renumbered, [(2, 3)]);
        let on_disk = crate::store::read_annotation(&path).unwrap().unwrap();
        assert_eq!(on_disk, merged);
        let ids: Vec<(u64, &str)> = on_disk.spans.iter().map(|s| (s.id, s.label.as_str())).collect();
        assert_eq!(ids, [(1, "PERS"), (2, "ORG"), (3, "LOC")]);
        assert!(saved.fingerprint.matches_file(&path).unwrap());
    }

    #[test]
    fn a_file_that_does_not_load_is_never_merged_into() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt.ron");
        let base = save_annotation_merging(&path, None, &[], &file()).unwrap().fingerprint;
        std::fs::write(&path, "(format: 1, spans: [").unwrap();
        let err = save_annotation_merging(&path, Some(&base), &[], &file()).unwrap_err();
        assert!(matches!(err, SaveError::WouldClobber(_)), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "(format: 1, spans: [");
    }

    #[test]
    fn a_deleted_file_is_written_again_and_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt.ron");
        let base = save_annotation_merging(&path, None, &[], &file()).unwrap().fingerprint;
        std::fs::remove_file(&path).unwrap();
        let saved = save_annotation_merging(&path, Some(&base), &[], &file()).unwrap();
        assert_eq!(saved.conflicts[0].kind, ConflictKind::FileRecreated);
        assert_eq!(crate::store::read_annotation(&path).unwrap(), Some(file()));
    }

    #[test]
    fn threads_adding_spans_at_once_lose_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt.ron");
        save_annotation_merging(&path, None, &[], &file()).unwrap();
        std::thread::scope(|scope| {
            for writer in 0..4u64 {
                let path = &path;
                scope.spawn(move || {
                    for n in 0..25u64 {
                        let (mut current, base) = load_annotation(path).unwrap().unwrap();
                        let id = current.alloc_id();
                        let at = (writer * 100 + n) as usize * 3;
                        let edit = SpanEdit::Add(Span::manual(id, at..at + 2, "LOC", "ab"));
                        current.apply(&edit).unwrap();
                        save_annotation_merging(path, Some(&base), &[edit], &current).unwrap();
                    }
                });
            }
        });
        let on_disk = crate::store::read_annotation(&path).unwrap().unwrap();
        assert_eq!(on_disk.spans.len(), 1 + 100);
        let mut ids: Vec<u64> = on_disk.spans.iter().map(|s| s.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 101, "ids stay unique");
    }
}
