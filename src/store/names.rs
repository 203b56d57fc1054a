//! Annotator names and the annotation file path of each document.

/// The annotator name of the adjudicated version.
pub const GOLD: &str = "gold";

/// Why a name cannot be used as an annotator folder or a document path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The annotator name would not make a single safe folder name.
    #[error("annotator name {name:?} is not allowed: {reason}")]
    Annotator {
        /// The rejected name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// The document path would escape the corpus or is not a relative path.
    #[error("document path {path:?} is not allowed: {reason}")]
    Document {
        /// The rejected path.
        path: String,
        /// Why.
        reason: &'static str,
    },
}

/// The user's login name when it is a usable annotator name (`USER`, `USERNAME` or `LOGNAME`).
pub fn login_name() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"].iter().filter_map(|var| std::env::var(var).ok()).find(|name| validate_annotator(name).is_ok())
}

/// Checks that `name` is usable as one folder name on every platform.
pub fn validate_annotator(name: &str) -> Result<(), NameError> {
    let reject = |reason| Err(NameError::Annotator { name: name.to_owned(), reason });
    if name.trim().is_empty() {
        return reject("it is empty");
    }
    if name.trim() != name {
        return reject("it starts or ends with a space");
    }
    if name == "." || name == ".." || name.contains("..") {
        return reject("it contains \"..\"");
    }
    if name.starts_with('.') {
        return reject("it starts with a dot, which hides the folder");
    }
    if name.contains(['/', '\\']) {
        return reject("it contains a path separator");
    }
    if name.contains([':', '*', '?', '"', '<', '>', '|']) || name.chars().any(char::is_control) {
        return reject("it contains a character not allowed in file names");
    }
    if name.chars().count() > 64 {
        return reject("it is longer than 64 characters");
    }
    Ok(())
}

/// Checks a corpus-relative document path: forward slashes, relative, no `..`.
fn validate_document(path: &str) -> Result<(), NameError> {
    let reject = |reason| Err(NameError::Document { path: path.to_owned(), reason });
    if path.is_empty() {
        return reject("it is empty");
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return reject("it must be relative and use forward slashes");
    }
    if path.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
        return reject("it has an empty, \".\" or \"..\" component");
    }
    Ok(())
}

/// `annotations`-relative path of `annotator`'s file for the corpus-relative `document`, e.g.
/// `amal/news/aleppo.txt.ron`.
pub fn annotation_rel_path(annotator: &str, document: &str) -> Result<String, NameError> {
    validate_annotator(annotator)?;
    validate_document(document)?;
    Ok(format!("{annotator}/{document}.ron"))
}

/// The corpus-relative document an annotator-relative annotation path belongs to
/// (`news/aleppo.txt.ron` → `news/aleppo.txt`).
pub fn document_for_annotation(rel: &str) -> Option<&str> {
    rel.strip_suffix(".ron").filter(|d| validate_document(d).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names_pass() {
        for name in ["amal", "gold", "Amal K", "عمر", "r2-d2_x"] {
            assert_eq!(validate_annotator(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn dangerous_names_fail() {
        for name in ["", " ", "..", ".", "a/b", "a\\b", "../x", ".hidden", "a..b", "con:", " amal", "a\nb"] {
            assert!(validate_annotator(name).is_err(), "{name:?} accepted");
        }
    }

    #[test]
    fn annotation_paths_keep_the_txt_extension() {
        assert_eq!(annotation_rel_path("amal", "news/aleppo.txt").unwrap(), "amal/news/aleppo.txt.ron");
        assert_eq!(document_for_annotation("news/aleppo.txt.ron"), Some("news/aleppo.txt"));
        assert!(annotation_rel_path("amal", "../etc/passwd").is_err());
        assert!(annotation_rel_path("amal", "/abs.txt").is_err());
        assert!(annotation_rel_path("amal", "a//b.txt").is_err());
        assert_eq!(document_for_annotation("x.txt"), None);
    }
}
