//! The symbolic link policy, in one place.
//!
//! - **Reading** follows a link only when it ends inside the project folder (or inside the
//!   corpus or annotation folder `tawsim.ron` names, which may itself be a link or lie elsewhere);
//!   a link that leaves them is refused and named, so an article linked to a system file is never read,
//!   exported or proposed over. Corpus listing never enters a linked folder (it could loop).
//! - **Writing** never goes through a link: a file that is a link is not replaced (the rename
//!   would turn it into a regular file), and a file whose folders below the project root include a
//!   link (a linked `annotations/`, an annotator folder linked elsewhere) is not written.

use std::io;
use std::path::{Path, PathBuf};

/// A path the link policy refuses.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Reading would follow a link out of the project.
    #[error("{}: a symbolic link to {}, outside the project; tawsim only follows links that stay inside it", link.display(), target.display())]
    LeavesProject {
        /// The link.
        link: PathBuf,
        /// Where it leads (as far as it could be resolved).
        target: PathBuf,
    },
    /// Writing would go through a link.
    #[error("{}: {} is a symbolic link; tawsim never writes through a link or replaces one", path.display(), link.display())]
    WriteThrough {
        /// The file to be written.
        path: PathBuf,
        /// The link on its way.
        link: PathBuf,
    },
    /// The path could not be looked at.
    #[error("{}: cannot check for symbolic links: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// Whether `path` itself is a symbolic link (a missing path is not).
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The canonical form of each of `bases` that exists.
pub(crate) fn canonical_bases(bases: &[&Path]) -> Vec<PathBuf> {
    bases.iter().filter_map(|b| std::fs::canonicalize(b).ok()).collect()
}

/// Checks `path` for reading: with every link followed it must end inside one of `bases`
/// (canonical paths, see [`canonical_bases`]). A missing path passes (there is nothing to read);
/// a dangling link does not.
pub fn check_read(path: &Path, bases: &[PathBuf]) -> Result<(), LinkError> {
    let resolved = match std::fs::canonicalize(path) {
        Ok(resolved) => resolved,
        Err(e) if e.kind() == io::ErrorKind::NotFound && !is_link(path) => return Ok(()),
        Err(_) => {
            let target = std::fs::read_link(path).unwrap_or_else(|_| path.to_owned());
            return Err(LinkError::LeavesProject { link: path.to_owned(), target });
        }
    };
    if bases.iter().any(|base| resolved.starts_with(base)) {
        return Ok(());
    }
    Err(LinkError::LeavesProject { link: innermost_link(path).unwrap_or_else(|| path.to_owned()), target: resolved })
}

/// `path` itself if it is a link, else its nearest ancestor that is one.
fn innermost_link(path: &Path) -> Option<PathBuf> {
    path.ancestors().find(|p| is_link(p)).map(Path::to_owned)
}

/// Checks `path` for writing: neither it nor any existing folder between `root` and it is a
/// link. `root` itself may be one (a project reached through a link is still one folder); a path
/// outside `root` is only checked itself.
pub fn check_write(root: &Path, path: &Path) -> Result<(), LinkError> {
    let refuse = |link: &Path| Err(LinkError::WriteThrough { path: path.to_owned(), link: link.to_owned() });
    let Ok(below) = path.strip_prefix(root) else {
        return if is_link(path) { refuse(path) } else { Ok(()) };
    };
    let mut walked = root.to_owned();
    for component in below.components() {
        walked.push(component);
        match std::fs::symlink_metadata(&walked) {
            Ok(meta) if meta.file_type().is_symlink() => return refuse(&walked),
            Ok(_) => {}
            // What does not exist yet will be made a real folder or file.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(LinkError::Io { path: walked, source }),
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn reads_follow_links_inside_and_refuse_links_out() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        std::fs::create_dir(root.join("corpus")).unwrap();
        std::fs::write(root.join("corpus/a.txt"), "a").unwrap();
        symlink(root.join("corpus/a.txt"), root.join("corpus/b.txt")).unwrap();
        symlink(outside.path().join("secret.txt"), root.join("corpus/c.txt")).unwrap();
        symlink(root.join("corpus/none.txt"), root.join("corpus/d.txt")).unwrap();
        let bases = canonical_bases(&[root]);
        assert!(check_read(&root.join("corpus/a.txt"), &bases).is_ok());
        assert!(check_read(&root.join("corpus/b.txt"), &bases).is_ok());
        assert!(check_read(&root.join("corpus/missing.txt"), &bases).is_ok());
        let err = check_read(&root.join("corpus/c.txt"), &bases).unwrap_err().to_string();
        assert!(err.contains("c.txt: a symbolic link to") && err.contains("secret.txt, outside the project"), "{err}");
        assert!(check_read(&root.join("corpus/d.txt"), &bases).is_err(), "a dangling link");
    }

    #[test]
    fn writes_never_pass_through_a_link() {
        let outside = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        symlink(outside.path(), root.join("annotations")).unwrap();
        let err = check_write(root, &root.join("annotations/amal/a.txt.ron")).unwrap_err().to_string();
        assert!(err.ends_with("annotations is a symbolic link; tawsim never writes through a link or replaces one"), "{err}");
        assert!(check_write(root, &root.join("corpus/new/a.txt")).is_ok());
        std::fs::create_dir(root.join("corpus")).unwrap();
        std::fs::write(root.join("corpus/a.txt"), "a").unwrap();
        symlink(root.join("corpus/a.txt"), root.join("corpus/b.txt")).unwrap();
        assert!(check_write(root, &root.join("corpus/a.txt")).is_ok());
        assert!(check_write(root, &root.join("corpus/b.txt")).is_err());
        // A project reached through a link is still one folder.
        let via = outside.path().join("via");
        symlink(root, &via).unwrap();
        assert!(check_write(&via, &via.join("corpus/a.txt")).is_ok());
    }
}
