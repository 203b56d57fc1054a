//! Temporary files that writes cut short left behind (a killed process, a power cut).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::atomic::temp_file_pid;
use super::host::process_alive;

/// A temporary file this old is a leftover whoever made it: a write takes milliseconds.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// A temporary file of a process that is gone is left this long, in case the process was on
/// another machine sharing the folder (its process id means nothing here).
const DEAD_AFTER: Duration = Duration::from_secs(2);

/// Removes the temporary files of cut-short writes (`.<name>.<pid>.tmp`, as
/// [`temp_path_for`](super::temp_path_for) names them) in `folder` and, when `deep`, below it
/// (never entering a linked folder): those older than a minute, or of a process of this machine
/// that is no longer running. Returns what was removed.
pub fn remove_leftover_temp_files(folder: &Path, deep: bool) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    sweep(folder, deep, &mut removed);
    removed.sort();
    removed
}

fn sweep(folder: &Path, deep: bool, removed: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        if kind.is_dir() {
            if deep {
                sweep(&path, deep, removed);
            }
            continue;
        }
        let Some(pid) = entry.file_name().to_str().and_then(temp_file_pid) else { continue };
        if !kind.is_file() {
            continue;
        }
        let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|m| m.elapsed().ok()).unwrap_or_default();
        let dead = pid != std::process::id() && process_alive(pid) == Some(false);
        if (age >= ABANDONED_AFTER || (dead && age >= DEAD_AFTER)) && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_old_or_orphaned_temp_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("amal/news");
        std::fs::create_dir_all(&sub).unwrap();
        let mine = dir.path().join(format!(".a.txt.ron.{}.tmp", std::process::id()));
        let old = sub.join(".b.txt.ron.1.tmp");
        let keep = ["a.txt.ron", ".lock", "notes.tmp"];
        for name in keep {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::write(&mine, "x").unwrap();
        std::fs::write(&old, "x").unwrap();
        let long_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&old).unwrap().set_modified(long_ago).unwrap();
        assert!(remove_leftover_temp_files(dir.path(), false).is_empty(), "not deep: the old one is below");
        assert_eq!(remove_leftover_temp_files(dir.path(), true), [old]);
        assert!(mine.exists(), "a fresh file of a running process stays");
        for name in keep {
            assert!(dir.path().join(name).exists(), "{name}");
        }
    }
}
