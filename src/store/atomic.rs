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
/// half of one; does nothing when the file already holds `bytes`. The folder must exist.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<WriteOutcome> {
    match fs::read(target) {
        Ok(existing) if existing == bytes => Ok(WriteOutcome::Unchanged),
        _ => replace(target, bytes).map(|()| WriteOutcome::Written),
    }
}

/// The write without the comparison, for callers that have already read the file.
pub(crate) fn replace(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_path_for(target);
    // The new file inherits the old one's permissions, so a group-writable shared file stays so;
    // and since a rename would replace even a read-only file, read-only is checked by hand.
    let permissions = fs::metadata(target).ok().map(|m| m.permissions());
    if permissions.as_ref().is_some_and(|p| p.readonly()) {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
    }
    let result =
        write_synced(&temp, bytes).and_then(|()| permissions.map_or(Ok(()), |p| fs::set_permissions(&temp, p))).and_then(|()| fs::rename(&temp, target));
    if result.is_err() {
        // Best effort: the error that matters is the one already in hand.
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_folder(target)
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create(true).truncate(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the rename itself durable; without it a power cut can bring back the old name.
#[cfg(unix)]
fn sync_folder(target: &Path) -> io::Result<()> {
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_target: &Path) -> io::Result<()> {
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
    fn missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomic(&dir.path().join("no/such/f.ron"), b"x").is_err());
    }
}
