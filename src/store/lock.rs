//! One writer per annotator: an advisory lock file in each annotator's folder.
//!
//! A program that writes an annotator's files (the app for the annotator it opens, `tawsim
//! propose`, `tawsim import`) first takes `annotations/<name>/.lock`, a small RON file saying who
//! holds it: the program, the machine, the process id, since when, and when it last said it is
//! still there. It is created atomically (written aside, then hard-linked into place, which fails
//! when a lock is already there), refreshed every minute by the holder, and removed when the
//! holder lets go. A second program finds it and stops with a message naming the holder.
//!
//! A lock is stale, and taken over without asking, when its process is gone (same machine) or it
//! has not been refreshed for [`STALE_AFTER`] (a holder on another machine that crashed, or a
//! broken lock file). Anything else needs the user's word: `--break-lock` on the command line.
//! The lock is advisory: it keeps tawsim programs apart, and merging on save
//! ([`save_annotation_merging`](super::save_annotation_merging)) keeps everyone else's updates.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::host::{host_name, process_alive};
use super::links::{LinkError, check_write};
use super::project::Project;
use crate::ron_text::{from_ron, to_ron};

/// Name of the lock file in an annotator's folder (hidden, so no listing takes it for data).
pub const LOCK_FILE_NAME: &str = ".lock";

/// A lock not refreshed for this long is taken to be abandoned.
pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// How often a holder refreshes its lock.
const HEARTBEAT: Duration = Duration::from_secs(60);

/// Who holds a lock, as its file says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockHolder {
    /// The program, e.g. `tawsim propose` or `tawsim app`.
    pub holder: String,
    /// The machine it runs on.
    pub host: String,
    /// Its process id there.
    pub pid: u32,
    /// When it took the lock, in seconds since 1970.
    pub since: u64,
    /// When it last said it is still there, in seconds since 1970.
    pub refreshed: u64,
}

impl LockHolder {
    /// `tawsim propose (pid 4242 on box, for 3 min)`.
    pub fn describe(&self) -> String {
        format!("{} (pid {} on {}, for {})", self.holder, self.pid, self.host, ago(now().saturating_sub(self.since)))
    }

    /// Why this lock may be taken over without asking, if it may.
    pub fn stale_because(&self) -> Option<String> {
        if self.host == host_name() && self.pid != std::process::id() && process_alive(self.pid) == Some(false) {
            return Some(format!("its process {} is no longer running", self.pid));
        }
        let silent = now().saturating_sub(self.refreshed);
        (silent > STALE_AFTER.as_secs()).then(|| format!("it has not been refreshed for {}", ago(silent)))
    }
}

/// `5 s`, `3 min`, `2 h`.
fn ago(seconds: u64) -> String {
    match seconds {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

/// Seconds since 1970.
fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// What a lock file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockState {
    /// Held by a live holder.
    Held(LockHolder),
    /// Held by a holder that is gone; says why.
    Stale(LockHolder, String),
    /// The file is there but does not say who holds it (being written, or broken); with its age.
    Unreadable(Duration),
}

/// Why a lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Someone else holds it.
    #[error("{}: {} is writing these annotation files; wait for it to finish, or if it is no longer running (another machine, a crash), run again with --break-lock", folder.display(), holder.describe())]
    Held {
        /// The annotator's folder.
        folder: PathBuf,
        /// Who holds it.
        holder: LockHolder,
    },
    /// A lock file is being written or is broken, and is too young to be called abandoned.
    #[error("{}: a lock file is there but does not say who holds it; if no other tawsim is running, run again with --break-lock", path.display())]
    Unreadable {
        /// The lock file.
        path: PathBuf,
    },
    /// The annotator's folder is (or passes through) a symbolic link.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The lock file could not be read, written or removed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// Whether a lock someone else holds may be taken over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BreakLock {
    /// Only a stale lock (the default).
    #[default]
    IfStale,
    /// Any lock: the user has said its holder is gone.
    Always,
}

/// A held annotator lock; refreshed in the background, released when dropped.
#[derive(Debug)]
pub struct AnnotatorLock {
    path: PathBuf,
    me: LockHolder,
    /// The folder, if taking the lock made it (removed again when left empty).
    made_folder: Option<PathBuf>,
    /// A stale or broken lock this one replaced, with why.
    replaced: Option<String>,
    heartbeat: Option<(Sender<()>, JoinHandle<()>)>,
}

impl AnnotatorLock {
    /// Takes the lock of `annotator`'s folder in `project` for `holder` (e.g. `"tawsim propose"`).
    pub fn acquire(project: &Project, annotator: &str, holder: &str, force: BreakLock) -> Result<AnnotatorLock, LockError> {
        let folder = project.annotations_dir().join(annotator);
        check_write(&project.root, &folder.join(LOCK_FILE_NAME))?;
        AnnotatorLock::acquire_in(&folder, holder, force)
    }

    /// Takes the lock of the annotator folder `folder` (made if missing).
    pub fn acquire_in(folder: &Path, holder: &str, force: BreakLock) -> Result<AnnotatorLock, LockError> {
        let io_error = |path: &Path| {
            let path = path.to_owned();
            move |source| LockError::Io { path, source }
        };
        let made_folder = (!folder.exists()).then(|| folder.to_owned());
        fs::create_dir_all(folder).map_err(io_error(folder))?;
        let path = folder.join(LOCK_FILE_NAME);
        let time = now();
        let me = LockHolder { holder: holder.to_owned(), host: host_name(), pid: std::process::id(), since: time, refreshed: time };
        let mut replaced = None;
        for _ in 0..3 {
            if create_exclusive(&path, &lock_text(&me)).map_err(io_error(&path))? {
                let mut lock = AnnotatorLock { path, me, made_folder, replaced, heartbeat: None };
                lock.start_heartbeat();
                return Ok(lock);
            }
            let state = match inspect_file(&path).map_err(io_error(&path))? {
                Some(state) => state,
                // Released between our attempt and our look: try again.
                None => continue,
            };
            let reason = match (&state, force) {
                (LockState::Stale(_, why), _) => why.clone(),
                (LockState::Unreadable(age), _) if *age > Duration::from_secs(10) => "its file says nothing and is old".to_owned(),
                (_, BreakLock::Always) => "--break-lock".to_owned(),
                (LockState::Held(holder), BreakLock::IfStale) => return Err(LockError::Held { folder: folder.to_owned(), holder: holder.clone() }),
                (LockState::Unreadable(_), BreakLock::IfStale) => return Err(LockError::Unreadable { path }),
            };
            let who = match &state {
                LockState::Held(h) | LockState::Stale(h, _) => h.describe(),
                LockState::Unreadable(_) => "an unknown holder".to_owned(),
            };
            remove_if_unchanged(&path, &state).map_err(io_error(&path))?;
            replaced = Some(format!("took over the lock of {who}: {reason}"));
        }
        match inspect_file(&path).map_err(io_error(&path))? {
            Some(LockState::Held(holder)) => Err(LockError::Held { folder: folder.to_owned(), holder }),
            _ => Err(LockError::Unreadable { path }),
        }
    }

    /// What the lock file of annotator folder `folder` says, if there is one.
    pub fn inspect(folder: &Path) -> Result<Option<LockState>, LockError> {
        let path = folder.join(LOCK_FILE_NAME);
        inspect_file(&path).map_err(|source| LockError::Io { path, source })
    }

    /// Who holds this lock: this process.
    pub fn holder(&self) -> &LockHolder {
        &self.me
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// When taking the lock replaced a stale one (or one broken with `--break-lock`), whose and
    /// why; for a notice.
    pub fn replaced(&self) -> Option<&str> {
        self.replaced.as_deref()
    }

    /// Lets go of the lock now (dropping it does the same).
    pub fn release(self) {}

    fn start_heartbeat(&mut self) {
        let (stop, stopped) = channel();
        let (path, me) = (self.path.clone(), self.me.clone());
        let thread = std::thread::Builder::new().name("tawsim-lock".to_owned()).spawn(move || heartbeat(&path, me, &stopped));
        self.heartbeat = thread.ok().map(|handle| (stop, handle));
    }
}

impl Drop for AnnotatorLock {
    fn drop(&mut self) {
        if let Some((stop, handle)) = self.heartbeat.take() {
            drop(stop);
            let _ = handle.join();
        }
        // Only our own lock: after a --break-lock elsewhere the file may be someone else's now.
        if read_holder(&self.path).is_some_and(|h| same_holder(&h, &self.me)) {
            let _ = fs::remove_file(&self.path);
        }
        if let Some(folder) = &self.made_folder {
            // Fails, as it should, when anything was written into it.
            let _ = fs::remove_dir(folder);
        }
    }
}

/// Refreshes the lock every [`HEARTBEAT`] until told to stop (or the lock is no longer ours).
fn heartbeat(path: &Path, mut me: LockHolder, stop: &Receiver<()>) {
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(HEARTBEAT) {
        if !read_holder(path).is_some_and(|h| same_holder(&h, &me)) {
            return;
        }
        me.refreshed = now();
        let _ = super::atomic::replace(path, lock_text(&me).as_bytes());
    }
}

/// The same holder, however often it refreshed.
fn same_holder(a: &LockHolder, b: &LockHolder) -> bool {
    (&a.host, a.pid, a.since, &a.holder) == (&b.host, b.pid, b.since, &b.holder)
}

fn lock_text(holder: &LockHolder) -> String {
    to_ron(holder, 0).unwrap_or_default()
}

fn read_holder(path: &Path) -> Option<LockHolder> {
    from_ron(&fs::read(path).ok()?, path).ok()
}

/// What the lock file at `path` says; `None` when there is none.
fn inspect_file(path: &Path) -> io::Result<Option<LockState>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(match from_ron::<LockHolder>(&bytes, path) {
        Ok(holder) => match holder.stale_because() {
            Some(why) => LockState::Stale(holder, why),
            None => LockState::Held(holder),
        },
        Err(_) => {
            let age = fs::metadata(path).and_then(|m| m.modified()).ok().and_then(|m| m.elapsed().ok()).unwrap_or_default();
            LockState::Unreadable(age)
        }
    }))
}

/// Creates `path` holding `text`, atomically: `false` when a file is there already.
///
/// Written aside and hard-linked into place, so a reader never sees a half-written lock; where
/// the file system has no hard links, created exclusively and then written.
fn create_exclusive(path: &Path, text: &str) -> io::Result<bool> {
    let aside = super::atomic::temp_path_for(path);
    if let Err(e) = fs::write(&aside, text) {
        let _ = fs::remove_file(&aside);
        return Err(e);
    }
    let linked = fs::hard_link(&aside, path);
    let _ = fs::remove_file(&aside);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) => match fs::OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(mut file) => {
                io::Write::write_all(&mut file, text.as_bytes())?;
                file.sync_all()?;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        },
    }
}

/// Removes the lock file if it still says what `seen` was read from: moved aside first (atomic),
/// then checked, and put back if another program had replaced it meanwhile.
fn remove_if_unchanged(path: &Path, seen: &LockState) -> io::Result<()> {
    let aside = path.with_file_name(format!("{LOCK_FILE_NAME}.breaking.{}", std::process::id()));
    match fs::rename(path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    let moved = inspect_file(&aside)?;
    let same = match (&moved, seen) {
        (Some(LockState::Held(a) | LockState::Stale(a, _)), LockState::Held(b) | LockState::Stale(b, _)) => same_holder(a, b),
        (Some(LockState::Unreadable(_)), LockState::Unreadable(_)) => true,
        _ => false,
    };
    if !same {
        // Someone took the lock between our look and our move: give it back.
        let _ = fs::hard_link(&aside, path);
    }
    fs::remove_file(&aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_stopped_with_the_holders_name() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("amal");
        let lock = AnnotatorLock::acquire_in(&folder, "tawsim propose", BreakLock::IfStale).unwrap();
        assert!(lock.replaced().is_none());
        let err = AnnotatorLock::acquire_in(&folder, "tawsim app", BreakLock::IfStale).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(&format!("tawsim propose (pid {} on {}", std::process::id(), host_name())), "{message}");
        assert!(message.contains("--break-lock"), "{message}");
        assert!(matches!(AnnotatorLock::inspect(&folder).unwrap(), Some(LockState::Held(_))));
        drop(lock);
        assert_eq!(AnnotatorLock::inspect(&folder).unwrap(), None);
        assert!(!folder.exists(), "the folder the lock made is gone again");
    }

    #[test]
    fn a_lock_of_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        let gone = LockHolder { holder: "tawsim app".into(), host: host_name(), pid, since: now(), refreshed: now() };
        if process_alive(pid) != Some(false) {
            return; // Not a system that can tell.
        }
        std::fs::write(dir.path().join(LOCK_FILE_NAME), lock_text(&gone)).unwrap();
        assert!(matches!(AnnotatorLock::inspect(dir.path()).unwrap(), Some(LockState::Stale(..))));
        let lock = AnnotatorLock::acquire_in(dir.path(), "tawsim propose", BreakLock::IfStale).unwrap();
        assert!(lock.replaced().is_some_and(|r| r.contains("is no longer running")), "{:?}", lock.replaced());
        assert_eq!(read_holder(lock.path()).unwrap().holder, "tawsim propose");
    }

    #[test]
    fn a_live_lock_of_another_machine_needs_break_lock() {
        let dir = tempfile::tempdir().unwrap();
        let other = LockHolder { holder: "tawsim app".into(), host: "elsewhere".into(), pid: 1, since: now(), refreshed: now() };
        std::fs::write(dir.path().join(LOCK_FILE_NAME), lock_text(&other)).unwrap();
        assert!(matches!(AnnotatorLock::acquire_in(dir.path(), "tawsim propose", BreakLock::IfStale), Err(LockError::Held { .. })));
        let lock = AnnotatorLock::acquire_in(dir.path(), "tawsim propose", BreakLock::Always).unwrap();
        assert!(lock.replaced().is_some_and(|r| r.contains("--break-lock")));
        // Abandoned: not refreshed for longer than STALE_AFTER.
        drop(lock);
        let old = now() - STALE_AFTER.as_secs() - 5;
        let silent = LockHolder { since: old, refreshed: old, ..other };
        std::fs::write(dir.path().join(LOCK_FILE_NAME), lock_text(&silent)).unwrap();
        assert!(AnnotatorLock::acquire_in(dir.path(), "tawsim propose", BreakLock::IfStale).is_ok());
    }

    #[test]
    fn dropping_a_broken_lock_leaves_the_new_holders_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = AnnotatorLock::acquire_in(dir.path(), "tawsim app", BreakLock::IfStale).unwrap();
        let second = AnnotatorLock::acquire_in(dir.path(), "tawsim propose", BreakLock::Always).unwrap();
        drop(first);
        assert_eq!(read_holder(second.path()).unwrap().holder, "tawsim propose");
    }
}
