//! Outputs written aside and moved into place only when complete.
//!
//! An export writes its files under temporary names beside their targets (`.out.jsonl.4242.tmp`,
//! or a folder `.brat.4242.tmp` for a folder export) and renames them into place when every
//! document is written. A failure on the way (a full disk, a bad document) removes what was
//! written aside, and so the old output, if any, is as it was and nothing half-written is left.
//! Folders made on the way to the target are removed again too.
//!
//! A folder export goes into place in one rename when the target folder does not exist or is
//! empty; into a folder that holds files already (`--force`), each file is renamed over its
//! namesake and the other files there are left alone. Nothing that is a symbolic link is replaced.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::store::{links, temp_path_for};

/// What an output's final paths are staged as.
pub(crate) struct Staging {
    /// (staged, final) paths: files, or one folder.
    moves: Vec<(PathBuf, PathBuf)>,
    /// Whether `moves` is one folder.
    folder: bool,
    /// The outermost folder made for the target that was not there before, removed on failure.
    made: Option<PathBuf>,
    done: bool,
}

impl Staging {
    /// Stages the file or folder `target` (`folder` says which): makes the folders it goes in,
    /// and gives the temporary path to write instead.
    pub(crate) fn new(targets: &[PathBuf], folder: bool) -> io::Result<Staging> {
        let mut staging = Staging { moves: Vec::new(), folder, made: None, done: false };
        for target in targets {
            if links::is_link(target) {
                return Err(io::Error::other(format!("{} is a symbolic link; an export never writes through a link or replaces one", target.display())));
            }
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                let missing = parent.ancestors().take_while(|p| !p.as_os_str().is_empty() && !p.exists()).last().map(Path::to_owned);
                fs::create_dir_all(parent)?;
                if staging.made.is_none() {
                    staging.made = missing;
                }
            }
            staging.moves.push((temp_path_for(target), target.clone()));
        }
        Ok(staging)
    }

    /// The temporary path standing for `target`.
    pub(crate) fn staged(&self, target: &Path) -> Option<&Path> {
        self.moves.iter().find(|(_, t)| t == target).map(|(s, _)| s.as_path())
    }

    /// Moves everything into place.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        if self.folder {
            for (staged, target) in &self.moves {
                commit_folder(staged, target)?;
            }
        } else {
            for (_, target) in &self.moves {
                if links::is_link(target) {
                    return Err(io::Error::other(format!("{} is a symbolic link; an export never replaces one", target.display())));
                }
            }
            for (staged, target) in &self.moves {
                fs::rename(staged, target)?;
            }
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        for (staged, _) in &self.moves {
            // Best effort: the error that matters is the one already in hand.
            let _ = if staged.is_dir() { fs::remove_dir_all(staged) } else { fs::remove_file(staged) };
        }
        if let Some(made) = &self.made {
            let _ = fs::remove_dir_all(made);
        }
    }
}

/// Puts the complete folder `staged` at `target`: one rename when `target` is missing or empty,
/// otherwise file by file into it.
fn commit_folder(staged: &Path, target: &Path) -> io::Result<()> {
    let empty = fs::read_dir(target).map(|mut entries| entries.next().is_none());
    match empty {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return fs::rename(staged, target),
        Ok(true) => {
            fs::remove_dir(target)?;
            return fs::rename(staged, target);
        }
        Ok(false) => {}
        Err(e) => return Err(e),
    }
    let mut files = Vec::new();
    list_files(staged, &mut files)?;
    // Check every target first, so a link found late does not leave the export half moved.
    for file in &files {
        let rel = file.strip_prefix(staged).map_err(io::Error::other)?;
        links::check_write(target, &target.join(rel)).map_err(io::Error::other)?;
        if target.join(rel).is_dir() {
            return Err(io::Error::other(format!("{} is a folder; the export has a file of that name", target.join(rel).display())));
        }
    }
    for file in &files {
        let rel = file.strip_prefix(staged).map_err(io::Error::other)?;
        let into = target.join(rel);
        if let Some(parent) = into.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(file, &into)?;
    }
    fs::remove_dir_all(staged)
}

/// Every file below `dir`.
fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), out)?;
        } else {
            out.push(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_committed_and_a_failure_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new/deeper/out.jsonl");
        let staging = Staging::new(std::slice::from_ref(&target), false).unwrap();
        fs::write(staging.staged(&target).unwrap(), "x").unwrap();
        assert!(!target.exists());
        drop(staging);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "the folders it made are gone too");
        let staging = Staging::new(std::slice::from_ref(&target), false).unwrap();
        fs::write(staging.staged(&target).unwrap(), "y").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "y");
        assert_eq!(fs::read_dir(target.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_goes_in_whole_or_file_by_file_beside_others() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("brat");
        for round in 0..2 {
            let staging = Staging::new(std::slice::from_ref(&target), true).unwrap();
            let staged = staging.staged(&target).unwrap().to_owned();
            fs::create_dir_all(staged.join("sub")).unwrap();
            fs::write(staged.join("sub/a.ann"), format!("round {round}")).unwrap();
            staging.commit().unwrap();
            if round == 0 {
                fs::write(target.join("mine.txt"), "kept").unwrap();
            }
        }
        assert_eq!(fs::read_to_string(target.join("sub/a.ann")).unwrap(), "round 1");
        assert_eq!(fs::read_to_string(target.join("mine.txt")).unwrap(), "kept");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary folder left");
    }
}
