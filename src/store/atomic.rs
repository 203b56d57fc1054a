//! Crash-safe file replacement.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Whether a save touched the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The file was replaced.
    Written,
    /// The file already held these bytes, so nothing was written.
    Unchanged,
}

/// Where `write_atomic` puts the temporary copy of `target`: a hidden file beside it, so the final
/// rename never crosses file systems. The process id keeps two running copies of tawsim apart;
/// within one process, saves of the same file must not run concurrently.
pub fn temp_path_for(target: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(format!(".{}.tmp", std::process::id()));
    target.with_file_name(name)
}

/// Replaces `target` with `bytes` so that a crash leaves either the old or the new file, never
/// half of one; does nothing when the file already holds `bytes`. The folder must exist. A target
/// that is a symbolic link is refused, never replaced by a regular file.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<WriteOutcome> {
    refuse_link(target)?;
    match fs::read(target) {
        Ok(existing) if existing == bytes => Ok(WriteOutcome::Unchanged),
        _ => replace(target, bytes).map(|()| WriteOutcome::Written),
    }
}

/// The write without the comparison, for callers that have already read the file.
pub(crate) fn replace(target: &Path, bytes: &[u8]) -> io::Result<()> {
    TempFile::write(target, bytes)?.commit()
}

/// Refuses a `target` that is a symbolic link: renaming over it would replace the link with a
/// regular file, and writing through it would write wherever it points.
pub(crate) fn refuse_link(target: &Path) -> io::Result<()> {
    match fs::symlink_metadata(target) {
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(io::Error::other(format!("{} is a symbolic link; tawsim never writes through a link or replaces one", target.display())))
        }
        _ => Ok(()),
    }
}

/// A complete, synced copy of a file's new content beside it, waiting to be renamed into place;
/// removed when dropped uncommitted.
pub(crate) struct TempFile {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl TempFile {
    /// Writes `bytes` to the temporary file of `target` and syncs it. The new file inherits the old
    /// one's permissions, so a group-writable shared file stays so; since a rename would replace
    /// even a read-only file, read-only is checked by hand.
    pub(crate) fn write(target: &Path, bytes: &[u8]) -> io::Result<TempFile> {
        refuse_link(target)?;
        let permissions = fs::metadata(target).ok().map(|m| m.permissions());
        if permissions.as_ref().is_some_and(|p| p.readonly()) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
        }
        let temp = TempFile { temp: temp_path_for(target), target: target.to_owned(), committed: false };
        write_synced(&temp.temp, bytes)?;
        if let Some(p) = permissions {
            fs::set_permissions(&temp.temp, p)?;
        }
        Ok(temp)
    }

    /// Renames the copy over the target and makes the rename durable.
    pub(crate) fn commit(self) -> io::Result<()> {
        let target = self.target.clone();
        self.rename()?;
        sync_folder(&target)
    }

    /// Renames the copy over the target without waiting for the rename to reach the disk (see
    /// [`sync_folder`]), for a caller that holds a lock only for the rename.
    pub(crate) fn rename(mut self) -> io::Result<()> {
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: the error that matters is the one already in hand.
            let _ = fs::remove_file(&self.temp);
        }
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let result = OpenOptions::new().write(true).create(true).truncate(true).open(path).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if result.is_err() {
        let _ = fs::remove_file(path);
    }
    result
}

/// An exclusive lock on a folder, held while a file in it is compared with what its writer last
/// saw and then replaced, so two writers (threads or processes) never both pass the comparison
/// before either renames. Released when dropped.
pub(crate) struct FolderLock {
    _file: File,
}

/// Waits for and takes the [`FolderLock`] of `folder` (on Unix a `flock` of the folder itself;
/// elsewhere of a hidden `.tawsim-save.lock` file in it).
pub(crate) fn lock_folder(folder: &Path) -> io::Result<FolderLock> {
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    #[cfg(unix)]
    let file = File::open(folder)?;
    #[cfg(not(unix))]
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(folder.join(".tawsim-save.lock"))?;
    file.lock()?;
    Ok(FolderLock { _file: file })
}

/// The process id in the name of a temporary file [`temp_path_for`] made (`.x.txt.ron.4242.tmp`),
/// or `None` for any other name.
pub(crate) fn temp_file_pid(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, pid) = inner.rsplit_once('.')?;
    (!rest.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.parse().ok()).flatten()
}

/// Makes the rename itself durable; without it a power cut can bring back the old name.
#[cfg(unix)]
pub(crate) fn sync_folder(target: &Path) -> io::Result<()> {
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn sync_folder(_target: &Path) -> io::Result<()> {
    // Windows cannot open a folder as a file; NTFS journals the rename.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_file_sits_beside_the_target() {
        let temp = temp_path_for(Path::new("annotations/amal/a.txt.ron"));
        assert_eq!(temp.parent(), Some(Path::new("annotations/amal")));
        let name = temp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".a.txt.ron.") && name.ends_with(".tmp"), "{name}");
    }

    #[test]
    fn writes_then_reports_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.ron");
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteOutcome::Written);
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteOutcome::Unchanged);
        assert_eq!(write_atomic(&path, b"two").unwrap(), WriteOutcome::Written);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary file left behind");
    }

    #[test]
    fn read_only_files_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.ron");
        fs::write(&path, b"one").unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        let err = write_atomic(&path, b"two").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteOutcome::Unchanged);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_survive_a_rewrite() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.ron");
        fs::write(&path, b"one").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o664);
    }

    #[test]
    fn temp_names_give_back_their_pid() {
        let temp = temp_path_for(Path::new("annotations/amal/a.txt.ron"));
        let name = temp.file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_file_pid(name), Some(std::process::id()));
        for other in ["a.txt.ron", ".a.txt.ron", ".lock", ".x.abc.tmp", "..1.tmp", ".a.ron.12.tmpx"] {
            assert_eq!(temp_file_pid(other), None, "{other}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        fs::write(&real, b"one").unwrap();
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = write_atomic(&link, b"two").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"one");
    }

    #[test]
    fn a_dropped_temp_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.ron");
        drop(TempFile::write(&path, b"x").unwrap());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomic(&dir.path().join("no/such/f.ron"), b"x").is_err());
    }
}
