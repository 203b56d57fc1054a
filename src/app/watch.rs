//! Watching the open project's folders, so a file changed by something else (another tawsim, the
//! `tawsim` command line, a `git pull`, a synced folder) is noticed while the app is open.
//!
//! The watcher only collects which paths changed; the session decides what that means (its own
//! writes are told apart by their fingerprints).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use notify::{EventKind, RecursiveMode, Watcher};

/// A watch on some folders and the paths changed in them since the last look.
pub struct ProjectWatcher {
    _watcher: notify::RecommendedWatcher,
    changed: Receiver<PathBuf>,
}

impl ProjectWatcher {
    /// Watches `folders` (those that exist) and everything below them.
    pub fn new(folders: &[PathBuf]) -> Result<Self, String> {
        let (sender, changed) = channel();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event
                && matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
            {
                for path in event.paths {
                    let _ = sender.send(path);
                }
            }
        })
        .map_err(|e| format!("cannot watch the project for changes: {e}"))?;
        for folder in folders.iter().filter(|f| f.is_dir()) {
            watcher.watch(&canonical(folder), RecursiveMode::Recursive).map_err(|e| format!("cannot watch {} for changes: {e}", folder.display()))?;
        }
        Ok(ProjectWatcher { _watcher: watcher, changed })
    }

    /// The paths changed since the last call (canonical, each once).
    pub fn changed(&self) -> BTreeSet<PathBuf> {
        self.changed.try_iter().collect()
    }
}

/// `path` made absolute with links resolved; for a file that does not exist (yet), its folder's
/// canonical path with its name, so it compares equal to the watcher's paths.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(resolved) = std::fs::canonicalize(path) {
        return resolved;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => canonical(parent).join(name),
        _ => path.to_owned(),
    }
}
