//! What a file on disk held when this process last read or wrote it.

use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Read};
use std::path::Path;
use std::time::SystemTime;

/// The size, modification time and content hash of a file as this process last saw it.
///
/// Two fingerprints are of the same content when size and hash agree; the modification time is
/// kept for messages and for callers that want a cheap first look, but a file rewritten with the
/// same bytes is the same file. The hash is a 64-bit SipHash with fixed keys: good for telling
/// versions of one file apart within a process, not meant to be stored or compared across builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// Size in bytes.
    pub len: u64,
    /// Last modification time, when the file system keeps one.
    pub modified: Option<SystemTime>,
    /// Hash of the bytes.
    pub hash: u64,
}

impl Fingerprint {
    /// The fingerprint of `bytes` as a file whose modification time is `modified`.
    pub fn of_bytes(bytes: &[u8], modified: Option<SystemTime>) -> Fingerprint {
        Fingerprint { len: bytes.len() as u64, modified, hash: content_hash(bytes) }
    }

    /// Whether `other` is of the same bytes (the modification time aside).
    pub fn same_content(&self, other: &Fingerprint) -> bool {
        self.len == other.len && self.hash == other.hash
    }

    /// The fingerprint of the file at `path` now; `Ok(None)` when there is no file.
    pub fn of_file(path: &Path) -> io::Result<Option<Fingerprint>> {
        Ok(read_with_fingerprint(path)?.map(|(_, print)| print))
    }

    /// Whether the file at `path` still holds what this fingerprint was taken of (a missing file
    /// does not). For a watcher that wants to know whether a change event is someone else's.
    pub fn matches_file(&self, path: &Path) -> io::Result<bool> {
        Ok(Fingerprint::of_file(path)?.is_some_and(|now| now.same_content(self)))
    }
}

/// A fixed-key hash of `bytes`.
fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// The bytes of the file at `path` with their fingerprint, the time taken from the same open
/// file; `Ok(None)` when there is no file.
pub(crate) fn read_with_fingerprint(path: &Path) -> io::Result<Option<(Vec<u8>, Fingerprint)>> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let metadata = file.metadata()?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.read_to_end(&mut bytes)?;
    let print = Fingerprint::of_bytes(&bytes, metadata.modified().ok());
    Ok(Some((bytes, print)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_same_content_whatever_the_time() {
        let a = Fingerprint::of_bytes(b"(spans: [])", None);
        let b = Fingerprint::of_bytes(b"(spans: [])", Some(SystemTime::UNIX_EPOCH));
        assert!(a.same_content(&b));
        assert!(!a.same_content(&Fingerprint::of_bytes(b"(spans: [ ])", None)));
    }

    #[test]
    fn files_are_read_with_their_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        assert_eq!(Fingerprint::of_file(&path).unwrap(), None);
        std::fs::write(&path, "one").unwrap();
        let print = Fingerprint::of_file(&path).unwrap().unwrap();
        assert_eq!(print.len, 3);
        assert!(print.modified.is_some());
        assert!(print.matches_file(&path).unwrap());
        std::fs::write(&path, "two").unwrap();
        assert!(!print.matches_file(&path).unwrap());
        std::fs::remove_file(&path).unwrap();
        assert!(!print.matches_file(&path).unwrap());
    }
}
